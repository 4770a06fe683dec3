//! Bad input: every problem is reported as `error: <file>:<line>: <message>`
//! with a hint, the build exits with 1, and the previous output is left
//! byte-for-byte as it was.

use crate::support::*;

const GOOD: &str = "+++\ntitle = \"Good\"\ndate = 2024-01-01\ntags = [\"t\"]\n+++\n\nSee [other](other.md#section).\n";
const OTHER: &str = "---\ntitle: Other\ndate: 2024-01-02\n---\n\n## Section\n\nText.\n";

/// A good site with two notes that link to each other.
fn good_site() -> Site {
    Site::new()
        .file("content/talks/good.md", GOOD)
        .file("content/talks/other.md", OTHER)
}

/// Builds a good site, lets `break_it` spoil it, and rebuilds: the rebuild
/// must exit with 1 and leave the first output exactly as it was.
fn rejected(break_it: impl FnOnce(&Site)) -> Run {
    let site = good_site();
    site.build();
    let before = snapshot(&site.out());
    assert!(before.contains_key(std::path::Path::new("talks/good/index.html")));
    break_it(&site);
    let run = site.build_with(&[]).failed();
    assert!(
        site.out().join(".talkbook-output").is_file(),
        "marker gone:\n{run}"
    );
    assert!(
        snapshot(&site.out()) == before,
        "the previous output changed:\n{run}"
    );
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", "out", "site"],
        "left files beside the output (but the good build's saved search index)"
    );
    assert_has(&site.read("talks/good/index.html"), "<h1>Good</h1>");
    run
}

/// Asserts `run` reports exactly these errors, each as
/// `error: <location>: <message...>` followed by a hint, and the count.
#[track_caller]
fn assert_errors(run: &Run, expected: &[&str]) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let errors: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("error: "))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(errors.len(), expected.len(), "error count:\n{run}");
    for (&i, want) in errors.iter().zip(expected) {
        assert!(
            lines[i].starts_with(&format!("error: {want}")),
            "expected `error: {want}...`, got `{}`:\n{run}",
            lines[i]
        );
        // The hint follows the error (after any continuation lines).
        let hint = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with("error: "))
            .any(|l| l.starts_with("  hint: "));
        assert!(hint, "no hint for `{}`:\n{run}", lines[i]);
    }
    let count = match expected.len() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    };
    assert_eq!(lines.last().copied(), Some(count.as_str()), "{run}");
}

#[test]
fn malformed_toml_front_matter() {
    let run = rejected(|site| {
        site.write(
            "content/talks/bad.md",
            b"+++\ntitle = \"Bad\"\ndate = 2024-01-01\ntags = [\"a\"\n+++\nText\n",
        )
    });
    assert_errors(&run, &["content/talks/bad.md:4: invalid TOML front matter"]);
    assert_has(&run.stderr, "quote strings");
}

#[test]
fn malformed_yaml_front_matter() {
    let run = rejected(|site| {
        site.write(
            "content/talks/bad.md",
            b"---\ntitle: Bad\ntags: [a, b\n---\nText\n",
        )
    });
    assert_errors(&run, &["content/talks/bad.md:3: invalid YAML front matter"]);
}

/// The location says line 3 (right: `tags: [a, b` is the file's third line),
/// but the message goes on to say "at line 2": the front matter's own
/// numbering, which sends the user to `title: Bad`.
#[test]

fn yaml_error_message_does_not_contradict_its_line() {
    let run = rejected(|site| {
        site.write(
            "content/talks/bad.md",
            b"---\ntitle: Bad\ntags: [a, b\n---\nText\n",
        )
    });
    assert_errors(&run, &["content/talks/bad.md:3: invalid YAML front matter"]);
    assert_lacks(&run.stderr, "at line 2");
}

#[test]
fn unclosed_front_matter() {
    let run =
        rejected(|site| site.write("content/talks/bad.md", b"+++\ntitle = \"Bad\"\n\nText\n"));
    assert_errors(
        &run,
        &["content/talks/bad.md:1: the front matter opened with `+++` on line 1 is never closed"],
    );
}

#[test]
fn bad_date() {
    let run = rejected(|site| {
        site.write(
            "content/talks/bad.md",
            b"+++\ntitle = \"Bad\"\ndate = \"2024-13-45\"\n+++\nText\n",
        );
        site.write(
            "content/talks/bad-yaml.md",
            b"---\ntitle: Bad\nspeakers: [Ada]\ndate: 2024-02-30\n---\nText\n",
        );
    });
    assert_errors(
        &run,
        &[
            "content/talks/bad-yaml.md:4: `date`: \"2024-02-30\" is not a date",
            "content/talks/bad.md:3: `date`: \"2024-13-45\" is not a date",
        ],
    );
    assert_has(
        &run.stderr,
        "hint: write it like `date = 2018-05-02`, or with a time",
    );
    assert_has(
        &run.stderr,
        "hint: write it like `date: 2018-05-02`, or with a time",
    );
}

#[test]
fn wrong_type_in_front_matter() {
    let run = rejected(|site| {
        site.write(
            "content/talks/bad.md",
            b"+++\ntitle = \"Bad\"\n\ntags = [{ a = 1 }]\n+++\nText\n",
        )
    });
    assert_errors(
        &run,
        &[
            "content/talks/bad.md:4: `tags`: expected text or a list of text, found a table of keys in the list",
        ],
    );
    assert_has(
        &run.stderr,
        "hint: write it like `tags = [\"observability\", \"ci\"]`",
    );
}

#[test]
fn note_without_a_title() {
    // No heading, and a file name without letters to make one from.
    let run = rejected(|site| {
        site.write(
            "content/talks/--.md",
            b"+++\nslug = \"x\"\n+++\nJust text.\n",
        )
    });
    assert_errors(&run, &["content/talks/--.md:1: this note has no title"]);
}

#[test]
fn unknown_config_key() {
    let run = rejected(|site| {
        site.write(
            "book.toml",
            b"[site]\ntitle = \"Test notes\"\nbase-ulr = \"https://example.org/\"\n",
        )
    });
    assert_errors(&run, &["book.toml:3: unknown key in [site]: `base-ulr`"]);
    assert_has(&run.stderr, "  hint: did you mean `base-url`?");
}

#[test]
fn unknown_config_section() {
    let run = rejected(|site| {
        site.write(
            "book.toml",
            b"[site]\ntitle = \"Test notes\"\n\n[biuld]\noutput = \"x\"\n",
        )
    });
    assert_errors(&run, &["book.toml:4: unknown section: `biuld`"]);
    assert_has(&run.stderr, "did you mean `build`?");
}

#[test]
fn invalid_config_value() {
    let run = rejected(|site| {
        site.write(
            "book.toml",
            b"[site]\ntitle = \"Test notes\"\n\n[edit]\nrepository = \"https://github.com/o/r\"\nurl-template = \"https://e.org/edit\"\n",
        )
    });
    assert_errors(&run, &["book.toml:6: `url-template` has no `{path}`"]);
}

#[test]
fn config_syntax_error() {
    let run = rejected(|site| {
        site.write(
            "book.toml",
            b"[site]\ntitle = \"Test notes\ndescription = 3\n",
        )
    });
    assert_errors(&run, &["book.toml:2: "]);
}

#[test]

fn unknown_forge_host_names_the_repository_line() {
    let run = rejected(|site| {
        site.write(
            "book.toml",
            b"[site]\ntitle = \"Test notes\"\n\n[edit]\nrepository = \"https://git.example.org/o/r\"\n",
        )
    });
    assert_errors(
        &run,
        &["book.toml:5: cannot tell which forge hosts https://git.example.org/o/r"],
    );
}

#[test]
fn broken_link_to_a_missing_note() {
    let run = rejected(|site| {
        site.write(
            "content/talks/good.md",
            format!("{GOOD}\nAnd [gone](missing.md).\n").as_bytes(),
        )
    });
    assert_errors(
        &run,
        &[
            "content/talks/good.md:9: broken link: `missing.md` points to a note that does not exist",
        ],
    );
}

#[test]
fn broken_link_to_a_missing_anchor() {
    let run = rejected(|site| {
        site.write(
            "content/talks/good.md",
            GOOD.replace("other.md#section", "other.md#nope").as_bytes(),
        )
    });
    assert_errors(
        &run,
        &[
            "content/talks/good.md:7: broken link: content/talks/other.md has no heading with id `#nope`",
        ],
    );
    assert_has(&run.stderr, "  hint: headings there: #section");
}

#[test]
fn broken_link_to_a_missing_anchor_on_the_same_page() {
    let run = rejected(|site| {
        site.write(
            "content/talks/other.md",
            format!("{OTHER}\nBack to [the top](#top).\n").as_bytes(),
        )
    });
    assert_errors(
        &run,
        &["content/talks/other.md:10: broken link: no heading with id `#top` in this note"],
    );
}

#[test]
fn broken_link_out_of_the_site() {
    let run = rejected(|site| {
        site.write(
            "content/talks/other.md",
            format!("{OTHER}\n[up](../../../secret.md)\n").as_bytes(),
        )
    });
    assert_errors(
        &run,
        &["content/talks/other.md:10: broken link: `../../../secret.md` points outside the site"],
    );
}

#[test]
fn two_notes_with_the_same_url() {
    let run = rejected(|site| {
        site.write("content/a/x.md", b"# X from a\n");
        site.write("content/b/x.md", b"# X from b\n");
    });
    assert_errors(
        &run,
        &[
            "content/a/x.md: 2 notes would have the same URL /talks/x/: `content/a/x.md`, `content/b/x.md`",
        ],
    );
}

#[test]
fn slug_key_clashing_with_a_file_name() {
    let run = rejected(|site| {
        site.write(
            "content/talks/renamed.md",
            b"+++\ntitle = \"R\"\nslug = \"Good\"\n+++\n",
        )
    });
    assert_errors(
        &run,
        &["content/talks/good.md: 2 notes would have the same URL /talks/good/"],
    );
    assert_has(&run.stderr, "`content/talks/renamed.md`");
}

#[test]
fn template_syntax_error() {
    let run = rejected(|site| site.write("templates/talk.html", b"ok\n{% if %}\n"));
    assert_errors(&run, &["templates/talk.html:2: "]);
    assert_has(&run.stderr, "delete your copy in templates/");
}

#[test]
fn template_error_while_rendering() {
    let run = rejected(|site| {
        site.write(
            "templates/talk.html",
            b"{% extends \"base.html\" %}{% block main %}{{ talk.nosuch.field }}{% endblock main %}",
        )
    });
    assert_errors(&run, &["templates/talk.html: "]);
    assert_has(&run.stderr, "talk.nosuch.field");
    assert_has(&run.stderr, "and 1 other pages");
}

#[test]
fn non_utf8_note() {
    let run = rejected(|site| {
        site.write(
            "content/talks/latin1.md",
            b"+++\ntitle = \"Caf\xe9\"\n+++\nText\n",
        )
    });
    assert_errors(
        &run,
        &["content/talks/latin1.md:2: this file is not UTF-8 text"],
    );
    assert_has(&run.stderr, "save the note as UTF-8 text");
}

#[test]
fn binary_note() {
    let run = rejected(|site| {
        site.write(
            "content/talks/blob.md",
            b"+++\ntitle = \"x\"\n+++\n\0\0\x01\x02",
        )
    });
    assert_errors(
        &run,
        &["content/talks/blob.md:4: this is a binary file, not a text note"],
    );
}

/// A PNG renamed to `.md`: the NUL byte (byte 8) is on line 3, after two
/// `\n`s, but the line is counted on a lossy UTF-8 copy whose offsets differ.
#[test]

fn binary_note_line_counts_bytes() {
    let run =
        rejected(|site| site.write("content/talks/image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
    assert_errors(
        &run,
        &["content/talks/image.md:3: this is a binary file, not a text note (byte 8)"],
    );
}

#[test]
fn a_file_that_is_not_a_note_is_skipped_not_an_error() {
    let site = good_site();
    site.write("content/talks/photo.png", b"\x89PNG\r\n");
    let run = site.build();
    assert_lacks(&run.stderr, "error");
    assert!(!site.has("talks/photo/index.html"));
}

#[test]

fn entity_name_without_letters_names_its_line() {
    let run = rejected(|site| {
        site.write(
            "content/talks/bad.md",
            b"+++\ntitle = \"Bad\"\nspeakers = [\"!!!\"]\n+++\n",
        )
    });
    assert_errors(
        &run,
        &["content/talks/bad.md:3: `speakers`: \"!!!\" has no letters or digits"],
    );
}

#[test]
fn every_error_of_a_build_is_reported() {
    let run = rejected(|site| {
        site.write(
            "content/talks/one.md",
            b"+++\ntitle = \"One\"\ndate = \"yesterday\"\n+++\n",
        );
        site.write("content/talks/two.md", b"# Two\n\nSee [three](three.md).\n");
    });
    assert_errors(
        &run,
        &[
            "content/talks/one.md:3: `date`: \"yesterday\" is not a date",
            "content/talks/two.md:3: broken link: `three.md` points to a note that does not exist",
        ],
    );
}

#[test]
fn errors_of_config_content_and_templates_are_reported_together() {
    let run = rejected(|site| {
        site.write("book.toml", b"[site]\ntitel = \"Test notes\"\n");
        site.write("content/talks/bad.md", b"+++\ntitle = \"x\n+++\n");
        site.write("templates/tag.html", b"{% for %}");
        site.write("content/talks/binary.md", b"x\0");
    });
    assert_errors(
        &run,
        &[
            "book.toml:2: unknown key in [site]: `titel`",
            "content/talks/bad.md:2: invalid TOML front matter",
            "content/talks/binary.md:1: this is a binary file",
            "templates/tag.html:1: ",
        ],
    );
    assert_has(&run.stderr, "did you mean `title`?");
}

#[test]
fn output_folder_not_made_by_talkbook_is_refused() {
    let site = good_site();
    std::fs::create_dir(site.out()).unwrap();
    std::fs::write(site.out().join("precious.txt"), "keep me").unwrap();
    std::fs::create_dir(site.out().join("photos")).unwrap();
    std::fs::write(site.out().join("photos/cat.jpg"), "meow").unwrap();
    let before = snapshot(&site.out());
    let run = site.build_with(&[]).failed();
    assert_errors(&run, &["refusing to write the site into "]);
    assert_has(&run.stderr, "it is not empty and was not made by talkbook");
    assert_eq!(snapshot(&site.out()), before);
    assert!(!site.out().join(".talkbook-output").exists());
    assert_eq!(entries(site.tmp()), ["out", "site"]);
}

#[test]
fn output_path_that_is_a_file_is_refused() {
    let site = good_site();
    std::fs::write(site.out(), "not a folder").unwrap();
    let run = site.build_with(&[]).failed();
    assert_errors(&run, &["refusing to write the site into "]);
    assert_has(&run.stderr, "it is not a folder");
    assert_eq!(std::fs::read_to_string(site.out()).unwrap(), "not a folder");
}

#[test]
fn an_empty_output_folder_is_used() {
    let site = good_site();
    std::fs::create_dir(site.out()).unwrap();
    site.build();
    assert!(site.has(".talkbook-output"));
    assert!(site.has("talks/good/index.html"));
}

#[test]
fn missing_config_file() {
    let site = Site::empty().file("content/talks/a.md", "# A\n");
    let run = site.build_with(&[]).failed();
    assert_errors(&run, &["book.toml: cannot read the site's configuration"]);
    assert_has(&run.stderr, "talkbook init");
    assert!(!site.out().exists());
}

#[test]
fn missing_content_folder() {
    let site = Site::new();
    let run = site.build_with(&[]).failed();
    assert_errors(&run, &["content: there is no content/ folder"]);
    assert!(!site.out().exists());
}
