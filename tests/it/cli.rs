//! The command line: help, usage errors, `init`, where the output goes, and
//! how a rebuild replaces the previous output.

use crate::support::*;

#[test]
fn build_help_mentions_every_flag() {
    let run = Run::of(talkbook().args(["build", "--help"])).ok();
    for flag in ["--root <DIR>", "--output <DIR>", "--drafts", "--help"] {
        assert_has(&run.stdout, flag);
    }
    assert_has(&run.stdout, "Usage: talkbook build [OPTIONS]");
    assert_has(&run.stdout, "draft");
    assert_has(&run.stdout, "book.toml");
}

#[test]
fn top_level_help_lists_the_commands() {
    let run = Run::of(talkbook().arg("--help")).ok();
    assert_has(&run.stdout, "build");
    assert_has(&run.stdout, "init");
    let run = Run::of(talkbook().args(["init", "--help"])).ok();
    assert_has(&run.stdout, "<DIR>");
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["build", "--bogus"][..],
        &["build", "--output"][..],
        &["frobnicate"][..],
        &[][..],
        &["init"][..],
    ] {
        let run = Run::of(talkbook().args(args));
        assert_eq!(run.code, Some(2), "{args:?}:\n{run}");
        assert!(!run.stderr.is_empty(), "{args:?}: no message");
    }
    let run = Run::of(talkbook().args(["build", "--bogus"]));
    assert_has(&run.stderr, "--bogus");
}

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-site");
    let run = Run::of(talkbook().arg("init").arg(&dir)).ok();
    assert_has(&run.stdout, "talkbook build --root");
    assert!(dir.join("book.toml").is_file());
    assert!(dir.join("content/talks/example-talk.md").is_file());

    let out = tmp.path().join("out");
    let run = Run::of(
        talkbook()
            .arg("build")
            .arg("--root")
            .arg(&dir)
            .arg("--output")
            .arg(&out),
    )
    .ok();
    assert_has(&run.stdout, "Built 1 talk");
    let talk = read(&out, "talks/example-talk/index.html");
    assert_has(&talk, "<h1>An example talk</h1>");
    assert_has(
        &talk,
        "<a href=\"../../speakers/ada-lovelace/\">Ada Lovelace</a>",
    );
    assert!(out.join("speakers/ada-lovelace/index.html").is_file());
    assert!(out.join("projects/talkbook/index.html").is_file());
    assert!(out.join("events/example-conf-2024/index.html").is_file());
    // A note linking to itself is not its own backlink.
    assert_eq!(backlinks_section(&talk), None);
}

#[test]
fn init_builds_into_its_configured_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    Run::of(talkbook().arg("init").arg(&dir)).ok();
    Run::of(talkbook().arg("build").current_dir(&dir)).ok();
    assert!(dir.join("public/.talkbook-output").is_file());
    assert!(dir.join("public/talks/example-talk/index.html").is_file());
}

#[test]
fn init_refuses_an_existing_site() {
    let site = Site::new().file("content/talks/mine.md", "# Mine\n");
    let before = snapshot(&site.root());
    let run = Run::of(talkbook().arg("init").arg(site.root())).failed();
    assert_has(&run.stderr, "already has book.toml");
    assert_has(&run.stderr, "1 error");
    assert_eq!(snapshot(&site.root()), before);

    // A folder with content/ but no book.toml is a site too.
    let site = Site::empty().file("content/talks/mine.md", "# Mine\n");
    let before = snapshot(&site.root());
    let run = Run::of(talkbook().arg("init").arg(site.root())).failed();
    assert_has(&run.stderr, "already has content");
    assert_eq!(snapshot(&site.root()), before);
}

#[test]
fn init_accepts_an_existing_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    Run::of(talkbook().arg("init").arg(tmp.path())).ok();
    assert!(tmp.path().join("book.toml").is_file());
}

#[test]
fn without_output_flag_the_site_goes_to_build_output_under_the_root() {
    let site = Site::new()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}\n[build]\noutput = \"dist/site\"\n"),
        )
        .file("content/talks/a.md", "# A\n");
    let run = Run::of(talkbook().arg("build").arg("--root").arg(site.root())).ok();
    assert_has(&run.stdout, "Built 1 talk");
    assert!(site.root().join("dist/site/talks/a/index.html").is_file());
    assert!(site.root().join("dist/site/.talkbook-output").is_file());
    assert!(!site.root().join("public").exists());
}

#[test]
fn relative_output_is_relative_to_the_current_folder() {
    let site = Site::new().file("content/talks/a.md", "# A\n");
    Run::of(
        talkbook()
            .args(["build", "--root", "site", "--output", "here"])
            .current_dir(site.tmp()),
    )
    .ok();
    assert!(site.tmp().join("here/talks/a/index.html").is_file());
    assert!(!site.root().join("here").exists());
}

#[test]
fn rebuild_replaces_the_previous_output() {
    let site = Site::new()
        .file("content/talks/a.md", "# A\n\nFirst version.\n")
        .file("content/talks/b.md", "# B\n");
    site.build();
    assert!(site.has("talks/b/index.html"));
    site.remove("content/talks/b.md");
    site.write("content/talks/a.md", b"# A\n\nSecond version.\n");
    let run = site.build();
    assert_has(&run.stdout, "Built 1 talk");
    assert!(!site.has("talks/b/index.html"), "stale page left behind");
    assert!(!site.out().join("talks/b").exists());
    assert_has(&site.read("talks/a/index.html"), "Second version.");
    assert!(site.has(".talkbook-output"));
    // Beside the output: only the spare tree that makes the next build fast,
    // and the saved search index.
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", ".out.talkbook-spare", "out", "site"]
    );
}

#[test]
fn build_reports_what_it_wrote() {
    let site = Site::new().file("content/talks/a.md", "# A\n");
    let run = site.build();
    assert_has(&run.stdout, "Built 1 talk");
    assert_has(&run.stdout, &format!("into {}", site.out().display()));
    assert!(run.stderr.trim().is_empty(), "{run}");
}

#[test]

fn build_summary_uses_the_singular_for_one_talk() {
    let site = Site::new().file("content/talks/a.md", "# A\n");
    let run = site.build();
    assert_has(&run.stdout, "Built 1 talk (");
}
