//! Nothing in a note runs script: URLs that are not http(s), mailto,
//! relative or #fragment become no link (with a warning naming file and
//! line), and raw HTML is sanitized unless `[markdown] raw-html` says otherwise.

use crate::support::{BOOK_TOML, Site, assert_has, assert_lacks, attr_values, between};

/// The rendered markdown of a talk page.
fn note_body(html: &str) -> &str {
    between(html, "<div class=\"note-body\">", "\n  </div>\n")
}

/// The warnings of a build's stderr that name `file`, as `file:line`.
fn warned_lines(stderr: &str, file: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| line.starts_with("warning: ") && line.contains("is not safe"))
        .filter_map(|line| line.strip_prefix("warning: "))
        .filter(|line| line.starts_with(file))
        .map(|line| line.split(": ").next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn script_urls_in_front_matter_become_no_links() {
    // A site template that prints every front-matter URL talkbook knows.
    let talk_template = "{% for s in talk.speakers %}<a class=\"home\" href=\"{{ s.homepage }}\">{{ s.name }}</a>{% endfor %}\
        <a class=\"slides\" href=\"{{ talk.slides }}\">Slides</a><a class=\"video\" href=\"{{ talk.video }}\">Video</a>";
    let site = Site::new()
        .file("templates/talk.html", talk_template)
        .file(
            "content/talks/t.md",
            "+++\ntitle = \"T\"\nslides = \"javascript:alert(1)\"\nvideo = \" JaVaScRiPt:alert(2)\"\n\
             speakers = [{ name = \"Ada\", url = \"data:text/html,<script>alert(3)</script>\" }, { name = \"Bo\", url = \"https://bo.example.org/\" }]\n+++\nBody.\n",
        )
        .file(
            "content/speakers/ada.md",
            "+++\nhomepage = \"java\\tscript:alert(4)\"\nrepository = \"vbscript:msgbox(5)\"\n+++\nBio.\n",
        );
    let run = site.build();
    let talk = site.read("talks/t/index.html");
    let hrefs = attr_values(&talk, "href");
    assert_eq!(hrefs, ["", "https://bo.example.org/", "", ""], "{talk}");
    let speaker = site.read("speakers/ada/index.html");
    assert_lacks(&speaker.to_lowercase(), "script:");
    assert_eq!(
        warned_lines(&run.stderr, "content/talks/t.md"),
        [
            "content/talks/t.md:3",
            "content/talks/t.md:4",
            "content/talks/t.md:5"
        ],
        "{run}"
    );
    assert_eq!(
        warned_lines(&run.stderr, "content/speakers/ada.md"),
        ["content/speakers/ada.md:2", "content/speakers/ada.md:3"],
        "{run}"
    );
}

#[test]
fn script_urls_in_markdown_are_shown_as_text() {
    let body = "[inline](javascript:alert(1)) [angle](< JaVaScRiPt:alert(2)>)\n\
        [entity](jav&#x61;script:alert(3)) [space](&#32;javascript:alert(4))\n\
        [reference][r] <javascript:alert(5)> ![picture](data:image/svg+xml,x) [vb](vbscript:msgbox(6))\n\
        \n\
        [web](https://example.org/) [mail](mailto:a@example.org) [relative](other/) [fragment](#why)\n\
        \n\
        ## Why\n\
        \n\
        [r]: javascript:alert(7)\n";
    let site = Site::new().file(
        "content/talks/t.md",
        &format!("+++\ntitle = \"T\"\n+++\n{body}"),
    );
    let run = site.build();
    let talk = site.read("talks/t/index.html");
    let html = note_body(&talk);
    assert_eq!(
        attr_values(html, "href"),
        [
            "https://example.org/",
            "mailto:a@example.org",
            "other/",
            "#why",
            "#why"
        ],
        "{html}"
    );
    assert!(attr_values(html, "src").is_empty(), "{html}");
    for text in [
        "inline",
        "angle",
        "entity",
        "space",
        "reference",
        "javascript:alert(5)",
        "picture",
        "vb",
    ] {
        assert_has(html, text);
    }
    assert_eq!(
        warned_lines(&run.stderr, "content/talks/t.md"),
        [4, 4, 5, 5, 6, 6, 6, 6].map(|line| format!("content/talks/t.md:{line}")),
        "{run}"
    );
}

/// A note with harmful and harmless raw HTML, and talkbook's own markup.
const RAW_HTML_NOTE: &str = "+++\ntitle = \"T\"\n+++\n\
    <script>alert(1)</script>\n\n\
    <img src=\"x.png\" onerror=\"alert(2)\"> <a href=\"jav&#x61;script:alert(3)\">click</a>\n\
    <iframe src=\"https://example.org/\"></iframe>\n\n\
    <details>\n<summary>More</summary>\n\nMarkdown *inside*.\n\n</details>\n\n\
    Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, <img src=\"https://example.org/a.png\" alt=\"a\">.\n\n\
    ## Code\n\n```yaml\nkey: value\n```\n\n\
    - [x] done\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: The footnote.\n";

#[test]
fn raw_html_is_sanitized_by_default() {
    let site = Site::new().file("content/talks/t.md", RAW_HTML_NOTE);
    site.build();
    let talk = site.read("talks/t/index.html");
    let html = note_body(&talk);
    for gone in ["<script", "alert(", "onerror", "<iframe"] {
        assert_lacks(html, gone);
    }
    for kept in [
        "<details>",
        "<summary>More</summary>",
        "<em>inside</em>",
        "<kbd>Ctrl</kbd>",
        "<sub>2</sub>",
        "<img src=\"https://example.org/a.png\" alt=\"a\">",
        "<img src=\"x.png\">",
        "<a>click</a>",
        // talkbook's own markup
        "<h2 id=\"code\">Code <a class=\"heading-anchor\" href=\"#code\" aria-label=\"Link to this section\">#</a></h2>",
        "<pre class=\"hl-code\" data-lang=\"yaml\"><code><span class=\"hl-source hl-yaml\">",
        "type=\"checkbox\"",
        "text-align",
        "class=\"footnote-definition\"",
    ] {
        assert_has(html, kept);
    }
}

#[test]
fn raw_html_can_be_escaped_or_allowed() {
    let site = Site::empty()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}[markdown]\nraw-html = \"escape\"\n"),
        )
        .file("content/talks/t.md", RAW_HTML_NOTE);
    site.build();
    let escaped = site.read("talks/t/index.html");
    assert_has(note_body(&escaped), "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_lacks(note_body(&escaped), "<script");
    site.write(
        "book.toml",
        format!("{BOOK_TOML}[markdown]\nraw-html = \"allow\"\n").as_bytes(),
    );
    site.build();
    let allowed = site.read("talks/t/index.html");
    assert_has(note_body(&allowed), "<script>alert(1)</script>");
}

#[test]
fn a_wrong_raw_html_value_names_its_line() {
    let site = Site::empty()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}[markdown]\nraw-html = \"strip\"\n"),
        )
        .file("content/talks/t.md", "# T\n");
    let run = site.build_with(&[]).failed();
    assert_has(&run.stderr, "book.toml:5");
    assert_has(&run.stderr, "`sanitize`");
}
