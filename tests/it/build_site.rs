//! Sites made by the tests: front-matter formats, cross-links in both
//! directions, related talks, escaping, highlighting, edit links, feeds,
//! sitemap, 404, drafts and overrides.

use crate::support::*;

const BASE: &str = "https://example.com/notes/";

const BOOK: &str = r#"[site]
title = "Rust & Go notes"
description = "Notes from made-up conferences."
base-url = "https://example.com/notes"
language = "en"

[edit]
repository = "https://github.com/acme/monorepo"
branch = "main"
site-dir = "docs/kubecon"
"#;

/// YAML front matter, a unicode speaker, `<script>` in the title, template
/// syntax in the body, three headings, links to two other notes.
const ASYNC_RUST: &str = r#"---
title: "Async Rust <script>alert(1)</script>"
date: 2024-03-01
event: RustConf 2024
speakers:
  - name: Björn Ström
    affiliation: Ferrous & Co
    role: CTO
projects: [Tokio]
tags: [async]
slides: https://example.org/slides.pdf
mood: happy
---

Intro with {{ page.title }} and {% raw %} left as written.

## Why async

Because waiting is cheap. See [the internals](tokio-internals.md#scheduler).

### Details

More.

## Lessons learned

And [the Go side](../talks/async-go.md).
"#;

/// TOML front matter; shares a speaker with ASYNC_RUST.
const TOKIO_INTERNALS: &str = r#"+++
title = "Tokio internals"
date = 2024-03-02
event = "RustConf 2024"
speakers = [{ name = "Björn Ström", affiliation = "Ferrous & Co" }, "Ada Lovelace"]
tags = ["runtime"]
+++

How the runtime works.

## Scheduler

Work stealing.
"#;

/// Shares only a tag with ASYNC_RUST, and is the newest talk.
const ASYNC_GO: &str = r#"+++
title = "Async Go"
date = 2024-06-01
event = "GopherCon 2024"
speakers = ["Grace Hopper"]
tags = ["async"]
+++

Goroutines everywhere.
"#;

/// Shares only a project with ASYNC_RUST; its URL comes from `slug`.
const TRACING: &str = r#"+++
title = "Tracing with Tokio"
slug = "Tokio Tracing"
date = 2024-05-01
event = "GopherCon 2024"
speakers = ["Linus Torvalds"]
projects = ["Tokio"]
+++

Spans and events.
"#;

/// No front matter: the title is the first heading. Lives in `content/`.
const HALLWAY: &str =
    "\n# Notes from the hallway\n\nWe talked about [async Rust](talks/async-rust.md#why-async).\n";

const DRAFT: &str = r#"+++
title = "Secret draft talk"
date = 2024-07-01
draft = true
speakers = ["Hidden Speaker"]
tags = ["async"]
+++

Not ready.
"#;

const POLYGLOT: &str = r#"+++
title = "Polyglot"
date = 2023-01-01
+++

```yaml
key: value
```

```rust
fn main() { let v: Vec<u8> = Vec::new(); }
```

```go
func main() { fmt.Println("hi") }
```

```bash
echo "$HOME" && ls -la
```

```dockerfile
FROM rust:1.88
RUN cargo build
```

```toml
[package]
name = "x"
```

```python
def f(x): return x < 2
```

```nosuchlang
<b>&</b>
```
"#;

fn rich_site() -> Site {
    Site::empty()
        .file("book.toml", BOOK)
        .file("content/talks/async-rust.md", ASYNC_RUST)
        .file("content/talks/tokio-internals.md", TOKIO_INTERNALS)
        .file("content/talks/async-go.md", ASYNC_GO)
        .file("content/talks/tokio-tracing.md", TRACING)
        .file("content/hallway.md", HALLWAY)
        .file("content/talks/secret.md", DRAFT)
        .file("content/talks/polyglot.md", POLYGLOT)
        .file(
            "content/speakers/bjorn-strom.md",
            "+++\nname = \"Björn Ström\"\nhomepage = \"https://bjorn.example\"\n+++\n\nBjörn builds runtimes.\n",
        )
        .file(
            "content/projects/tokio.md",
            "+++\nname = \"Tokio\"\nrepository = \"https://github.com/tokio-rs/tokio\"\n+++\n\nAn async runtime.\n",
        )
        .file(
            "content/events/rustconf-2024.md",
            "+++\nname = \"RustConf 2024\"\nlocation = \"Montréal\"\nstart = 2024-03-01\nend = 2024-03-03\n+++\n\nThe Rust conference.\n",
        )
        .file(
            "content/tags/async.md",
            "+++\nname = \"async\"\n+++\n\nAll about async.\n",
        )
        // Editor and OS litter is ignored.
        .file("content/talks/.async-rust.md.swp", "junk")
        .file("content/talks/async-rust.md~", "junk")
        .file("content/.DS_Store", "junk")
}

fn built() -> Site {
    let site = rich_site();
    let run = site.build();
    assert_has(&run.stdout, "Built 6 talks");
    site
}

#[test]
fn toml_yaml_and_plain_notes_become_talk_pages() {
    let site = built();
    let mut pages = entries(&site.out().join("talks"));
    // Beside the talks' folders, the list of every talk.
    pages.retain(|entry| entry != "index.html");
    assert_eq!(
        pages,
        [
            "async-go",
            "async-rust",
            "hallway",
            "polyglot",
            "tokio-internals",
            "tokio-tracing"
        ]
    );
    assert_has(
        &site.read("talks/tokio-internals/index.html"),
        "<h1>Tokio internals</h1>",
    );
    // The `slug` key sets the URL.
    assert_has(
        &site.read("talks/tokio-tracing/index.html"),
        "<h1>Tracing with Tokio</h1>",
    );
    // No front matter: the first heading is the title, not repeated in the body.
    let hallway = site.read("talks/hallway/index.html");
    assert_has(&hallway, "<h1>Notes from the hallway</h1>");
    assert_has(
        &hallway,
        "<title>Notes from the hallway · Rust &amp; Go notes</title>",
    );
    let body = between(&hallway, "<div class=\"note-body\">", "</div>");
    assert_lacks(body, "Notes from the hallway");
    assert_has(body, "We talked about");
    // YAML front matter with a role and affiliation.
    let rust = site.read("talks/async-rust/index.html");
    assert_has(
        &rust,
        "<a href=\"../../speakers/bjorn-strom/\">Björn Ström</a>, <span class=\"affiliation\">CTO, Ferrous &amp; Co</span>",
    );
    assert_has(
        &rust,
        "<a href=\"https://example.org/slides.pdf\">Slides</a>",
    );
    assert_has(&rust, "<time datetime=\"2024-03-01\">1 March 2024</time>");
    assert_has(&rust, "<html lang=\"en\" class=\"no-js\">");
}

#[test]
fn unicode_names_get_ascii_slugs() {
    let site = built();
    assert!(site.has("speakers/bjorn-strom/index.html"));
    assert!(site.has("speakers/ada-lovelace/index.html"));
    let speaker = site.read("speakers/bjorn-strom/index.html");
    assert_has(&speaker, "<h1>Björn Ström</h1>");
    assert_has(
        &site.read("speakers/index.html"),
        "<a href=\"../speakers/bjorn-strom/\">Björn Ström</a>",
    );
    // Only ASCII in output paths.
    for path in snapshot(&site.out()).keys() {
        assert!(path.to_str().unwrap().is_ascii(), "{}", path.display());
    }
}

#[test]
fn front_matter_values_are_html_escaped() {
    let site = built();
    for (path, bytes) in snapshot(&site.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert(1)"),
            "raw <script> in {}",
            path.display()
        );
    }
    let escaped = "Async Rust &lt;script&gt;alert(1)&lt;/script&gt;";
    let rust = site.read("talks/async-rust/index.html");
    assert_has(&rust, &format!("<h1>{escaped}</h1>"));
    assert_has(
        &rust,
        &format!("<title>{escaped} · Rust &amp; Go notes</title>"),
    );
    assert_has(
        &site.read("speakers/bjorn-strom/index.html"),
        &format!("href=\"../../talks/async-rust/\">{escaped}</a>"),
    );
    assert_has(&site.read("atom.xml"), &format!("<title>{escaped}</title>"));
}

#[test]
fn template_syntax_in_a_note_appears_literally() {
    let site = built();
    let rust = site.read("talks/async-rust/index.html");
    assert_has(
        &rust,
        "<p>Intro with {{ page.title }} and {% raw %} left as written.</p>",
    );
}

#[test]
fn code_blocks_are_highlighted_by_language() {
    let site = built();
    let page = site.read("talks/polyglot/index.html");
    let block = |lang: &str| -> String {
        between(
            &page,
            &format!("<pre class=\"hl-code\" data-lang=\"{lang}\"><code>"),
            "</code></pre>",
        )
        .to_string()
    };
    for lang in ["yaml", "rust", "go", "bash", "dockerfile", "toml", "python"] {
        let html = block(lang);
        assert_has(&html, "<span class=\"hl-");
    }
    // Highlighting keeps the code, escaped.
    assert_eq!(
        strip_tags(&block("rust")),
        "fn main() { let v: Vec&lt;u8&gt; = Vec::new(); }\n"
    );
    assert_eq!(strip_tags(&block("python")), "def f(x): return x &lt; 2\n");
    assert_eq!(
        strip_tags(&block("bash")),
        "echo &quot;$HOME&quot; &amp;&amp; ls -la\n"
    );
    // An unknown language is plain, escaped code.
    let plain = block("nosuchlang");
    assert_has(&plain, "&lt;b&gt;&amp;&lt;/b&gt;");
    assert_lacks(&plain, "<span");
    // The classes have a stylesheet.
    assert_has(&site.read("static/highlight.css"), ".hl-");
    assert_has(
        &page,
        "<link rel=\"stylesheet\" href=\"../../static/highlight.css\">",
    );
}

#[test]
fn headings_get_ids_anchors_and_a_toc() {
    let site = built();
    let rust = site.read("talks/async-rust/index.html");
    assert_has(
        &rust,
        "<h2 id=\"why-async\">Why async <a class=\"heading-anchor\" href=\"#why-async\"",
    );
    assert_has(
        &rust,
        "<h3 id=\"details\">Details <a class=\"heading-anchor\" href=\"#details\"",
    );
    let toc = between(&rust, "<nav class=\"toc\"", "</nav>");
    assert_has(toc, "<a href=\"#why-async\">Why async</a>");
    assert_has(toc, "<a href=\"#details\">Details</a>");
    assert_has(toc, "<a href=\"#lessons-learned\">Lessons learned</a>");
    // One heading: no table of contents.
    assert_lacks(
        &site.read("talks/tokio-internals/index.html"),
        "<nav class=\"toc\"",
    );
}

#[test]
fn talks_and_entities_link_both_ways() {
    let site = built();
    let rust = site.read("talks/async-rust/index.html");
    let side = between(&rust, "<aside class=\"talk-side\"", "</aside>");
    let cases = [
        ("speakers/bjorn-strom/", "Björn Ström"),
        ("projects/tokio/", "Tokio"),
        ("tags/async/", "async"),
        ("events/rustconf-2024/", "RustConf 2024"),
    ];
    for (url, name) in cases {
        // talk -> entity
        assert_has(side, &format!("<a href=\"../../{url}\">{name}</a>"));
        // entity -> talk
        let page = site.read(&format!("{url}index.html"));
        assert_has(&page, &format!("<h1>{name}</h1>"));
        assert!(
            talk_card_links(main_of(&page)).contains(&"../../talks/async-rust/"),
            "{url} does not list the talk:\n{page}"
        );
    }
    // And the index pages list the entities.
    for (index, url) in [
        ("speakers/index.html", "../speakers/grace-hopper/"),
        ("projects/index.html", "../projects/tokio/"),
        ("tags/index.html", "../tags/runtime/"),
        ("events/index.html", "../events/gophercon-2024/"),
    ] {
        assert_has(&site.read(index), &format!("<a href=\"{url}\">"));
    }
    // Entity pages link back to their index.
    assert_has(
        &site.read("tags/async/index.html"),
        "<a href=\"../../tags/\">Tags</a>",
    );
}

#[test]
fn note_links_become_page_urls_and_backlinks() {
    let site = built();
    let rust = site.read("talks/async-rust/index.html");
    let body = between(&rust, "<div class=\"note-body\">", "</article>");
    assert_has(
        body,
        "<a href=\"../../talks/tokio-internals/#scheduler\">the internals</a>",
    );
    assert_has(body, "<a href=\"../../talks/async-go/\">the Go side</a>");
    // A note at the top of content/ links down into talks/.
    let hallway = site.read("talks/hallway/index.html");
    assert_has(
        &hallway,
        "<a href=\"../../talks/async-rust/#why-async\">async Rust</a>",
    );
    // Backlinks, in the other direction.
    let back = |page: &str| -> Vec<String> {
        let html = site.read(page);
        backlinks_section(&html)
            .map(|s| {
                assert_has(s, "Notes that link here");
                talk_card_links(s).iter().map(|l| l.to_string()).collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        back("talks/tokio-internals/index.html"),
        ["../../talks/async-rust/"]
    );
    assert_eq!(
        back("talks/async-go/index.html"),
        ["../../talks/async-rust/"]
    );
    assert_eq!(
        back("talks/async-rust/index.html"),
        ["../../talks/hallway/"]
    );
    assert!(back("talks/polyglot/index.html").is_empty());
}

#[test]
fn related_talks_rank_speakers_over_projects_over_tags() {
    let site = built();
    let rust = site.read("talks/async-rust/index.html");
    let related = related_section(&rust).expect("related talks");
    assert_has(related, "Related talks");
    // tokio-internals shares a speaker, tokio-tracing a project, async-go
    // only a tag; by date the order would be the reverse.
    assert_eq!(
        talk_card_links(related),
        [
            "../../talks/tokio-internals/",
            "../../talks/tokio-tracing/",
            "../../talks/async-go/",
        ]
    );
    // Talks sharing nothing are not related.
    assert_lacks(related, "polyglot");
}

#[test]
fn entity_pages_list_talks_newest_first() {
    let site = built();
    let tag = site.read("tags/async/index.html");
    assert_eq!(
        talk_card_links(main_of(&tag)),
        ["../../talks/async-go/", "../../talks/async-rust/"]
    );
    assert_has(&tag, "<h2 id=\"talks-heading\">2 talks</h2>");
    let speaker = site.read("speakers/bjorn-strom/index.html");
    assert_eq!(
        talk_card_links(main_of(&speaker)),
        ["../../talks/tokio-internals/", "../../talks/async-rust/"]
    );
    let project = site.read("projects/tokio/index.html");
    assert_eq!(
        talk_card_links(main_of(&project)),
        ["../../talks/tokio-tracing/", "../../talks/async-rust/"]
    );
}

#[test]
fn profiles_add_prose_links_and_edit_links() {
    let site = built();
    let edit = "https://github.com/acme/monorepo/edit/main/docs/kubecon/content";
    let speaker = site.read("speakers/bjorn-strom/index.html");
    assert_has(&speaker, "<p>Björn builds runtimes.</p>");
    assert_has(&speaker, "<a href=\"https://bjorn.example\">Homepage</a>");
    assert_eq!(
        edit_link(&speaker),
        Some(format!("{edit}/speakers/bjorn-strom.md").as_str())
    );
    let project = site.read("projects/tokio/index.html");
    assert_has(&project, "<p>An async runtime.</p>");
    assert_has(
        &project,
        "<a href=\"https://github.com/tokio-rs/tokio\">Repository</a>",
    );
    assert_eq!(
        edit_link(&project),
        Some(format!("{edit}/projects/tokio.md").as_str())
    );
    let event = site.read("events/rustconf-2024/index.html");
    assert_has(&event, "Montréal");
    assert_has(&event, "<time datetime=\"2024-03-01\">");
    assert_eq!(
        edit_link(&event),
        Some(format!("{edit}/events/rustconf-2024.md").as_str())
    );
    assert_eq!(
        edit_link(&site.read("tags/async/index.html")),
        Some(format!("{edit}/tags/async.md").as_str())
    );
    // No profile, no edit link.
    for page in [
        "speakers/ada-lovelace/index.html",
        "tags/runtime/index.html",
        "events/gophercon-2024/index.html",
        "index.html",
        "tags/index.html",
    ] {
        assert_eq!(edit_link(&site.read(page)), None, "{page}");
    }
}

#[test]
fn edit_links_use_the_path_in_the_repository() {
    let site = built();
    let edit = "https://github.com/acme/monorepo/edit/main/docs/kubecon/";
    assert_eq!(
        edit_link(&site.read("talks/async-rust/index.html")),
        Some(format!("{edit}content/talks/async-rust.md").as_str())
    );
    // The file's name, not the slug.
    assert_eq!(
        edit_link(&site.read("talks/tokio-tracing/index.html")),
        Some(format!("{edit}content/talks/tokio-tracing.md").as_str())
    );
    assert_eq!(
        edit_link(&site.read("talks/hallway/index.html")),
        Some(format!("{edit}content/hallway.md").as_str())
    );
    assert_has(
        &site.read("talks/async-rust/index.html"),
        "<a class=\"edit-link\" href=\"https://github.com/acme/monorepo/edit/main/docs/kubecon/content/talks/async-rust.md\" rel=\"nofollow\">Edit this page</a>",
    );
}

/// The edit link of `content/talks/a.md` in a site with this `[edit]`.
fn edit_link_with(edit: &str) -> Option<String> {
    let site = Site::new()
        .file("book.toml", &format!("{BOOK_TOML}\n[edit]\n{edit}"))
        .file("content/talks/a.md", "+++\ntitle = \"A\"\n+++\nText.\n");
    site.build();
    edit_link(&site.read("talks/a/index.html")).map(str::to_string)
}

#[test]
fn edit_links_follow_each_forges_shape() {
    assert_eq!(
        edit_link_with("repository = \"https://github.com/o/r\"\n").as_deref(),
        Some("https://github.com/o/r/edit/main/content/talks/a.md")
    );
    assert_eq!(
        edit_link_with("repository = \"https://gitlab.com/o/r.git\"\nbranch = \"dev\"\n")
            .as_deref(),
        Some("https://gitlab.com/o/r/-/edit/dev/content/talks/a.md")
    );
    assert_eq!(
        edit_link_with("repository = \"https://codeberg.org/o/r/\"\n").as_deref(),
        Some("https://codeberg.org/o/r/_edit/main/content/talks/a.md")
    );
    // Self-hosted: the forge is named.
    assert_eq!(
        edit_link_with(
            "repository = \"https://git.example.org/o/r\"\nforge = \"gitea\"\nsite-dir = \"/sites/kube/\"\n"
        )
        .as_deref(),
        Some("https://git.example.org/o/r/_edit/main/sites/kube/content/talks/a.md")
    );
    assert_eq!(
        edit_link_with("repository = \"https://code.example.org/o/r\"\nforge = \"gitlab\"\n")
            .as_deref(),
        Some("https://code.example.org/o/r/-/edit/main/content/talks/a.md")
    );
    // A URL template wins over the forge; & is escaped in the attribute.
    assert_eq!(
        edit_link_with(
            "repository = \"https://github.com/o/r\"\nbranch = \"dev\"\nurl-template = \"https://cms.example.org/edit?file={path}&branch={branch}\"\n"
        )
        .as_deref(),
        Some("https://cms.example.org/edit?file=content/talks/a.md&amp;branch=dev")
    );
    // No repository: no edit links.
    assert_eq!(edit_link_with("branch = \"main\"\n"), None);
}

#[test]
fn feeds_cover_the_site_and_each_speaker_project_and_tag() {
    let site = built();
    let feed = site.read("atom.xml");
    assert_has(
        &feed,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">",
    );
    assert_has(&feed, "<title>Rust &amp; Go notes</title>");
    assert_has(
        &feed,
        "<subtitle>Notes from made-up conferences.</subtitle>",
    );
    assert_eq!(feed.matches("<entry>").count(), 6);
    assert_has(
        &feed,
        &format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{BASE}atom.xml\"/>"),
    );
    assert_has(&feed, "<updated>2024-06-01T00:00:00Z</updated>");
    // Newest entry first.
    let ids: Vec<&str> = feed
        .match_indices("<id>")
        .map(|(i, _)| &feed[i + 4..i + feed[i..].find("</id>").unwrap()])
        .collect();
    assert_eq!(ids[0], format!("{BASE}atom.xml"));
    assert_eq!(ids[1], format!("{BASE}talks/async-go/"));
    for href in attr_values(&feed, "href") {
        assert!(href.starts_with(BASE), "{href}");
    }
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "speakers/bjorn-strom",
            "Björn Ström",
            &["tokio-internals", "async-rust"],
        ),
        ("projects/tokio", "Tokio", &["tokio-tracing", "async-rust"]),
        ("tags/async", "async", &["async-go", "async-rust"]),
    ];
    for (page, name, talks) in cases {
        let feed = site.read(&format!("{page}/atom.xml"));
        assert_has(
            &feed,
            &format!("<title>{name} · Rust &amp; Go notes</title>"),
        );
        assert_has(&feed, &format!("<id>{BASE}{page}/atom.xml</id>"));
        assert_has(
            &feed,
            &format!("<link rel=\"alternate\" type=\"text/html\" href=\"{BASE}{page}/\"/>"),
        );
        assert_eq!(feed.matches("<entry>").count(), talks.len(), "{page}");
        for talk in talks {
            assert_has(&feed, &format!("<id>{BASE}talks/{talk}/</id>"));
        }
        for href in attr_values(&feed, "href") {
            assert!(href.starts_with(BASE), "{page}: {href}");
        }
        // The page links to its feed.
        assert_has(
            &site.read(&format!("{page}/index.html")),
            &format!("href=\"../../{page}/atom.xml\""),
        );
    }
    assert!(!site.has("events/rustconf-2024/atom.xml"));
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    assert_has(
        &sitemap,
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    let mut locs = sitemap_locs(&sitemap);
    locs.sort();
    let mut expected: Vec<String> = snapshot(&site.out())
        .keys()
        .map(|p| p.to_str().unwrap().replace('\\', "/"))
        .filter(|p| p.ends_with("index.html") && p != "search/index.html")
        .map(|p| format!("{BASE}{}", p.trim_end_matches("index.html")))
        .collect();
    expected.sort();
    assert_eq!(
        locs, expected,
        "the sitemap lists every HTML page but 404 and search"
    );
    assert_has(
        &sitemap,
        &format!("<loc>{BASE}talks/async-go/</loc><lastmod>2024-06-01</lastmod>"),
    );
}

#[test]
fn not_found_page_links_are_relative_to_its_base_and_it_is_not_indexed() {
    let site = built();
    let page = site.read("404.html");
    assert_has(&page, "<base href=\"/notes/\">");
    assert_has(&page, "<meta name=\"robots\" content=\"noindex\">");
    assert_lacks(&page, "rel=\"canonical\"");
    assert_lacks(&page, "og:url");
    let hrefs = attr_values(&page, "href");
    assert!(hrefs.contains(&"static/style.css"), "{hrefs:?}");
    for href in hrefs.into_iter().filter(|h| *h != "/notes/") {
        assert!(
            !href.starts_with('/') || href.starts_with(BASE),
            "404.html link {href} ignores the <base>, which the page moves to the site's root"
        );
    }
}

#[test]
fn home_page_shows_events_projects_and_latest_notes() {
    let site = built();
    let home = site.read("index.html");
    assert_has(&home, "<h1>Rust &amp; Go notes</h1>");
    assert_has(&home, "<p class=\"counts\">6 talks · ");
    assert_has(&home, "<a href=\"events/rustconf-2024/\">RustConf 2024</a>");
    assert_has(
        &home,
        "<a href=\"projects/tokio/\">Tokio <span class=\"count\">2</span></a>",
    );
    let latest = between(&home, "<h2 id=\"latest-heading\">", "</section>");
    assert_eq!(talk_card_links(latest)[0], "talks/async-go/");
    assert_has(&home, "<link rel=\"stylesheet\" href=\"static/style.css\">");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = built();
    assert!(!site.has("talks/secret/index.html"));
    assert!(!site.has("speakers/hidden-speaker/index.html"));
    for page in [
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "tags/async/index.html",
        "tags/async/atom.xml",
        "speakers/index.html",
    ] {
        let text = site.read(page);
        assert_lacks(&text, "Secret draft talk");
        assert_lacks(&text, "talks/secret/");
        assert_lacks(&text, "Hidden Speaker");
    }

    let run = site.build_with(&["--drafts"]).ok();
    assert_has(&run.stdout, "Built 7 talks");
    assert_has(
        &site.read("talks/secret/index.html"),
        "<h1>Secret draft talk</h1>",
    );
    assert!(site.has("speakers/hidden-speaker/index.html"));
    assert!(
        talk_card_links(main_of(&site.read("tags/async/index.html")))
            .contains(&"../../talks/secret/")
    );
    // YAML drafts too.
    site.write(
        "content/talks/yaml-draft.md",
        b"---\ntitle: YAML draft\ndraft: true\n---\nx\n",
    );
    site.build();
    assert!(!site.has("talks/yaml-draft/index.html"));
}

#[test]
fn sites_override_templates_and_static_files() {
    let site = Site::new()
        .file(
            "content/talks/a.md",
            "+++\ntitle = \"A\"\ntags = [\"t\"]\nmood = \"happy\"\n+++\n\nText.\n",
        )
        .file(
            "templates/talk.html",
            "{% extends \"base.html\" %}{% block main %}<h1 class=\"custom\">{{ talk.title }}</h1><p class=\"mood\">{{ talk.extra.mood }}</p>{{ content | safe }}{% endblock main %}",
        )
        .file(
            "templates/tag.html",
            "{% extends \"entity.html\" %}{% block details %}<p class=\"custom-tag\">Tag {{ entity.slug }}</p>{% endblock details %}",
        )
        .file("static/style.css", "body { color: hotpink; }\n")
        .file("static/img/logo.svg", "<svg/>");
    site.build();
    let talk = site.read("talks/a/index.html");
    assert_has(&talk, "<h1 class=\"custom\">A</h1>");
    assert_has(&talk, "<p class=\"mood\">happy</p>");
    assert_has(&talk, "<p>Text.</p>");
    // base.html is still the built-in one.
    assert_has(
        &talk,
        "<a class=\"site-title\" href=\"../../\">Test notes</a>",
    );
    assert_has(
        &site.read("tags/t/index.html"),
        "<p class=\"custom-tag\">Tag t</p>",
    );
    // Other pages keep the built-in templates.
    assert_has(&site.read("index.html"), "<section class=\"intro\">");
    assert_eq!(site.read("static/style.css"), "body { color: hotpink; }\n");
    assert_eq!(site.read("static/img/logo.svg"), "<svg/>");
    assert_has(&site.read("static/highlight.css"), ".hl-");
}

#[test]
fn base_template_override_applies_to_every_page() {
    let site = Site::new()
        .file("content/talks/a.md", "+++\ntitle = \"A\"\nspeakers = [\"Ada\"]\n+++\nText.\n")
        .file(
            "templates/base.html",
            "<!doctype html><html><body data-root=\"{{ root }}\">CUSTOM {% block main %}{% endblock main %}</body></html>",
        );
    site.build();
    for page in [
        "index.html",
        "talks/a/index.html",
        "speakers/ada/index.html",
        "speakers/index.html",
        "404.html",
    ] {
        assert_has(&site.read(page), "CUSTOM ");
    }
    assert_has(&site.read("talks/a/index.html"), "data-root=\"../../\"");
    assert!(!site.read("static/style.css").is_empty());
}

/// A profile sets the page's data; without `name` the display name must still
/// be the one the notes use, not the file's slug.
#[test]

fn profile_without_name_keeps_the_name_from_the_notes() {
    let site = Site::new()
        .file(
            "content/talks/a.md",
            "+++\ntitle = \"A\"\nspeakers = [\"Björn Ström\"]\n+++\nText.\n",
        )
        .file(
            "content/speakers/bjorn-strom.md",
            "+++\naffiliation = \"Ferrous Systems\"\n+++\nBio.\n",
        );
    site.build();
    let page = site.read("speakers/bjorn-strom/index.html");
    assert_has(&page, "<p>Bio.</p>");
    assert_has(&page, "<h1>Björn Ström</h1>");
    assert_has(
        &site.read("speakers/index.html"),
        "<a href=\"../speakers/bjorn-strom/\">Björn Ström</a>",
    );
}

/// The speaker page shows the profile's affiliation over the notes'; the
/// speakers index must agree with it.
#[test]

fn speakers_index_shows_the_profile_affiliation() {
    let site = Site::new()
        .file(
            "content/talks/a.md",
            "+++\ntitle = \"A\"\nspeakers = [{ name = \"Ada\", affiliation = \"Old Corp\" }]\n+++\nText.\n",
        )
        .file(
            "content/speakers/ada.md",
            "+++\nname = \"Ada\"\naffiliation = \"New Corp\"\n+++\nBio.\n",
        );
    site.build();
    assert_has(
        &site.read("speakers/ada/index.html"),
        "<p class=\"affiliation\">New Corp</p>",
    );
    let index = site.read("speakers/index.html");
    assert_has(&index, "<span class=\"affiliation\">New Corp</span>");
    assert_lacks(&index, "Old Corp");
}

#[test]
fn notes_and_profiles_link_to_each_other_and_to_files_with_spaces() {
    let site = Site::new()
        .file("book.toml", &format!("{BOOK_TOML}\n[edit]\nrepository = \"https://github.com/o/r\"\n"))
        .file(
            "content/talks/a.md",
            "+++\ntitle = \"A\"\nspeakers = [\"Ada\"]\n+++\n\nSee [Ada](../speakers/ada.md) and [spaced](<my talk.md#uber-uns>).\n\n## X\n",
        )
        .file("content/talks/my talk.md", "# Spaced\n\n## Über uns\n")
        .file(
            "content/speakers/ada.md",
            "+++\nname = \"Ada\"\n+++\nGave [A](../talks/a.md#x).\n",
        );
    site.build();
    let a = site.read("talks/a/index.html");
    assert_has(&a, "<a href=\"../../speakers/ada/\">Ada</a> and");
    assert_has(&a, "<a href=\"../../talks/my-talk/#uber-uns\">spaced</a>");
    let spaced = site.read("talks/my-talk/index.html");
    assert_has(&spaced, "<h2 id=\"uber-uns\">Über uns");
    assert_eq!(
        talk_card_links(backlinks_section(&spaced).expect("backlinks")),
        ["../../talks/a/"]
    );
    assert_eq!(
        edit_link(&spaced),
        Some("https://github.com/o/r/edit/main/content/talks/my%20talk.md")
    );
    assert_has(
        &site.read("speakers/ada/index.html"),
        "<p>Gave <a href=\"../../talks/a/#x\">A</a>.</p>",
    );
}

/// `[x](my%20talk.md)` is how markdown (and GitHub) writes a link to
/// `my talk.md`; talkbook looks for a file literally named `my%20talk.md`.
#[test]

fn percent_encoded_links_find_their_note() {
    let site = Site::new()
        .file("content/talks/a.md", "# A\n\nSee [spaced](my%20talk.md).\n")
        .file("content/talks/my talk.md", "# Spaced\n");
    site.build();
    assert_has(
        &site.read("talks/a/index.html"),
        "<a href=\"../../talks/my-talk/\">spaced</a>",
    );
}

/// A build frees each talk's HTML once its page is made (memory at 100,000
/// notes), unless the site's feed shows it: every page and the feed still
/// carry the whole notes.
#[test]
fn a_build_frees_each_talks_html_once_its_page_is_made() {
    use talkbook::pipeline::Pipeline;
    use talkbook::site::Markdown;
    let mut site = Site::new();
    for i in 0..30 {
        site = site.file(
            &format!("content/talks/t{i:02}.md"),
            &format!(
                "+++\ntitle = \"Talk {i}\"\ndate = 2024-01-{:02}\n+++\nBody of talk number {i}.\n",
                i + 1
            ),
        );
    }
    let pipeline = Pipeline::read(&site.root(), false, Markdown::Drop);
    let (files, _) = pipeline.files().unwrap_or_else(|e| panic!("{e}"));
    let text = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    for i in 0..30 {
        assert_has(
            &text(&format!("talks/t{i:02}/index.html")),
            &format!("Body of talk number {i}."),
        );
    }
    // The feed shows the newest 20 whole: talks 10 to 29.
    let feed = text("atom.xml");
    for i in 10..30 {
        assert_has(&feed, &format!("Body of talk number {i}."));
    }
    let freed: Vec<bool> = pipeline
        .site
        .talks
        .iter()
        .map(|t| t.body.html.get().is_empty())
        .collect();
    assert_eq!(freed, (0..30).map(|i| i < 10).collect::<Vec<_>>());
    // Kept for `serve`, which renders again after edits.
    let kept = Pipeline::read(&site.root(), false, Markdown::Keep);
    kept.files().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        kept.site
            .talks
            .iter()
            .all(|t| !t.body.html.get().is_empty())
    );
}
