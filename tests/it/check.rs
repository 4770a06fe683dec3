//! Telling the user: `talkbook check`, the summary at the end of `build` and
//! `check`, many problems of one kind shown as a few, a URL collision told
//! once, and `[build] broken-links = "warn"`.

use crate::support::*;

const NOTE: &str = "---\ntitle: A talk\ndate: 2024-05-01\n---\n\nText.\n";

/// `talkbook check --root <root> <extra>`.
fn check(site: &Site, extra: &[&str]) -> Run {
    Run::of(
        talkbook()
            .arg("check")
            .arg("--root")
            .arg(site.root())
            .args(extra),
    )
}

/// The lines of `text` that start with `prefix`.
fn lines_starting<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

/// A site of `n` notes, each with a link to a note that does not exist.
fn broken_site(n: usize) -> Site {
    let site = Site::new();
    for i in 0..n {
        let text = format!("# Talk {i}\n\nSee [the other](missing-{i}.md).\n");
        site.write(&format!("content/talks/t{i:02}.md"), text.as_bytes());
    }
    site
}

#[test]
fn check_on_a_good_site_passes_and_writes_nothing() {
    let site = Site::new()
        .file("content/talks/a.md", NOTE)
        .file("content/talks/b.md", NOTE);
    let before = snapshot(&site.root());
    let run = check(&site, &["--strict"]).ok();
    assert_eq!(run.stdout, "2 notes, 0 errors, 0 warnings\n", "{run}");
    assert_eq!(run.stderr, "", "{run}");
    assert!(snapshot(&site.root()) == before, "check changed the site");
    assert_eq!(entries(site.tmp()), ["site"], "check wrote something");
}

#[test]
fn check_on_a_site_with_an_error_fails_and_names_it() {
    let site = Site::new()
        .file("content/talks/a.md", NOTE)
        .file("content/talks/b.md", "# B\n\n[gone](gone.md)\n");
    let run = check(&site, &[]).failed();
    assert_has(
        &run.stderr,
        "error: content/talks/b.md:3: broken link: `gone.md` points to a note that does not exist",
    );
    assert_eq!(run.stdout, "2 notes, 1 error, 0 warnings\n", "{run}");
    assert_eq!(entries(site.tmp()), ["site"], "check wrote something");
}

#[test]
fn strict_fails_on_a_warning() {
    let site = Site::new().file("content/talks/a.md", "# A\n\n[x](javascript:alert(1))\n");
    let run = check(&site, &[]).ok();
    assert_eq!(
        lines_starting(&run.stderr, "warning: content/talks/a.md:3").len(),
        1,
        "{run}"
    );
    assert_eq!(run.stdout, "1 note, 0 errors, 1 warning\n", "{run}");
    let strict = check(&site, &["--strict"]).failed();
    assert_eq!(strict.stdout, run.stdout);
}

#[test]
fn the_summary_tells_unknown_keys_with_a_suggestion() {
    let note = |video: &str| format!("---\ntitle: T\nvideo_url: {video}\nlayout: talk\n---\n");
    let site = Site::new()
        .file("content/talks/a.md", &note("https://v.example/a"))
        .file("content/talks/b.md", &note("https://v.example/b"))
        .file(
            "content/talks/c.md",
            "---\ntitle: C\nlayout: talk\nroom: 2\n---\n",
        );
    let run = check(&site, &[]).ok();
    let keys = [
        "  layout (3 notes): not used; map it in [keys] if it means one of talkbook's keys",
        "  video_url (2 notes): did you mean video? map it with [keys] video_url = \"video\"",
        "  room (1 note): not used;",
    ];
    let mut at = 0;
    for key in keys {
        let found = run.stderr[at..].find(key);
        assert!(found.is_some(), "`{key}` missing or out of order:\n{run}");
        at += found.unwrap_or_default();
    }
    let built = site.build();
    assert_has(&built.stderr, keys[1]);
    assert_has(&built.stdout, "Built 3 talks");
}

#[test]
fn the_summary_tells_unused_profiles_and_drafts_left_out() {
    let site = Site::new()
        .file(
            "content/talks/a.md",
            "---\ntitle: A\nspeakers: [Ada Lovelace]\n---\n",
        )
        .file("content/talks/b.md", "---\ntitle: B\ndraft: true\n---\n")
        .file("content/speakers/ada-lovelace.md", "Ada's bio.\n")
        .file("content/speakers/abigail-dogbe.md", "Abigail's bio.\n");
    let run = check(&site, &[]).ok();
    assert_has(
        &run.stderr,
        "Profiles no talk refers to (a talk names a profile by its name or its file name):\n  \
         content/speakers/abigail-dogbe.md\n",
    );
    assert_lacks(&run.stderr, "  content/speakers/ada-lovelace.md");
    assert_has(
        &run.stderr,
        "  1 drafts, left out (build with --drafts to include them): content/talks/b.md\n",
    );
    assert_eq!(run.stdout, "1 note, 0 errors, 0 warnings\n");
}

#[test]
fn fifty_errors_of_one_kind_show_twenty_unless_all_are_asked_for() {
    let site = broken_site(50);
    let run = check(&site, &[]).failed();
    assert_eq!(lines_starting(&run.stderr, "error: ").len(), 20, "{run}");
    assert_eq!(
        lines_starting(&run.stderr, "... and 30 more like this").len(),
        1,
        "{run}"
    );
    assert_eq!(run.stdout, "50 notes, 50 errors, 0 warnings\n");
    let all = check(&site, &["--all"]).failed();
    assert_eq!(lines_starting(&all.stderr, "error: ").len(), 50, "{all}");
    assert_lacks(&all.stderr, "more like this");

    let build = site.build_with(&[]).failed();
    assert_eq!(
        lines_starting(&build.stderr, "error: ").len(),
        20,
        "{build}"
    );
    assert!(
        build
            .stderr
            .ends_with("... and 30 more like this\n50 errors\n"),
        "{build}"
    );
    let build = site.build_with(&["--all"]).failed();
    assert_eq!(
        lines_starting(&build.stderr, "error: ").len(),
        50,
        "{build}"
    );
}

#[test]
fn a_url_collision_is_told_once_for_its_three_files() {
    let site = Site::new();
    for folder in ["2019", "2020", "2021"] {
        let text = format!("# Day 1 keynote, {folder}\n");
        site.write(
            &format!("content/{folder}/Day-1-keynote.md"),
            text.as_bytes(),
        );
    }
    let run = check(&site, &[]).failed();
    let errors = lines_starting(&run.stderr, "error: ");
    assert_eq!(
        errors,
        [
            "error: content/2019/Day-1-keynote.md: 3 notes would have the same URL \
          /talks/day-1-keynote/: `content/2019/Day-1-keynote.md`, \
          `content/2020/Day-1-keynote.md`, `content/2021/Day-1-keynote.md`"
        ],
        "{run}"
    );
    assert_has(&run.stderr, "[content] slug = \"{folder}-{stem}\"");
    assert_eq!(run.stdout, "3 notes, 1 error, 0 warnings\n");
}

#[test]
fn broken_links_warn_builds_and_shows_the_link_as_text() {
    let site = Site::empty()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}\n[build]\nbroken-links = \"warn\"\n"),
        )
        .file(
            "content/talks/a.md",
            "# A\n\nSee [the gone talk](gone.md) and [B's end](b.md#end).\n",
        )
        .file("content/talks/b.md", "# B\n\n## Start\n");
    let run = site.build();
    assert_has(
        &run.stderr,
        "warning: content/talks/a.md:3: broken link: `gone.md` points to a note that does not exist",
    );
    assert_has(
        &run.stderr,
        "warning: content/talks/a.md:3: broken link: content/talks/b.md has no heading with id `#end`",
    );
    let page = main_of(&site.read("talks/a/index.html")).to_string();
    assert_has(&page, "See the gone talk and ");
    assert_lacks(&page, "gone.md");
    assert_has(&page, "href=\"../../talks/b/#end\"");
    // The default is still an error.
    site.write("book.toml", BOOK_TOML.as_bytes());
    site.build_with(&[]).failed();
}

#[test]
fn a_link_to_a_draft_left_out_is_a_warning_and_text() {
    let site = Site::new()
        .file("content/talks/a.md", "# A\n\nSee [the draft](b.md).\n")
        .file("content/talks/b.md", "---\ntitle: B\ndraft: true\n---\n");
    let run = site.build();
    assert_has(
        &run.stderr,
        "warning: content/talks/a.md:3: this link to `content/talks/b.md` links to a draft, \
         which this build leaves out; shown as text\n  hint: build with --drafts",
    );
    let page = main_of(&site.read("talks/a/index.html")).to_string();
    assert_has(&page, "See the draft.");
    site.build_with(&["--drafts"]).ok();
    assert_has(&site.read("talks/a/index.html"), "href=\"../../talks/b/\"");
}

#[test]
fn a_book_toml_that_is_not_utf8_says_so_with_its_line() {
    let site = Site::empty().file("content/talks/a.md", NOTE);
    site.write("book.toml", b"[site]\ntitle = \"Caf\xe9\"\n");
    let run = check(&site, &[]).failed();
    assert_has(
        &run.stderr,
        "error: book.toml:2: this file is not UTF-8 text (byte 19)\n  hint: save book.toml as UTF-8",
    );
    assert_lacks(&run.stderr, "talkbook init");
}
