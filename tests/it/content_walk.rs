//! Which files under `content/` and `static/` make the site: links that stay
//! inside the site are followed (a note keeps the path it is seen under),
//! and nothing is left out without a warning naming it: links out of the
//! site, broken links, links that loop, names that are not UTF-8. `build`
//! prints the warnings and succeeds; `serve` prints them once, and its
//! incremental rebuild finds what a build finds.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::symlink;
use std::process::Stdio;

use crate::support::serve::*;
use crate::support::*;

const NOTE_A: &str = "+++\ntitle = \"Alpha\"\n+++\nAlpha body.\n";
const NOTE_B: &str = "+++\ntitle = \"Beta\"\n+++\nBeta body.\n";

/// A site whose `shared/` folder (inside the site, outside `content/`) holds
/// a note, with edit links on.
fn site() -> Site {
    Site::new()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}[edit]\nrepository = \"https://github.com/o/r\"\n"),
        )
        .file("content/talks/alpha.md", NOTE_A)
        .file("shared/beta.md", NOTE_B)
}

/// `site.root()/link` → `target` (relative to the link's folder, or absolute).
fn link(site: &Site, target: impl AsRef<std::path::Path>, link: &str) {
    symlink(target, site.root().join(link)).unwrap();
}

/// The warning lines of a run's stderr.
fn warnings(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect()
}

#[test]
fn a_linked_folder_inside_the_site_is_built_under_the_path_it_is_seen_at() {
    let site = site();
    link(&site, "../shared", "content/linked");
    let run = site.build();
    assert_has(&run.stdout, "Built 2 talks");
    assert_eq!(warnings(&run), Vec::<&str>::new(), "{run}");
    let beta = site.read("talks/beta/index.html");
    assert_has(&beta, "Beta body.");
    assert_eq!(
        edit_link(&beta),
        Some("https://github.com/o/r/edit/main/content/linked/beta.md")
    );
}

#[test]
fn a_linked_note_file_inside_the_site_is_built() {
    let site = site();
    link(&site, "../../shared/beta.md", "content/talks/beta.md");
    let run = site.build();
    assert_has(&run.stdout, "Built 2 talks");
    assert_has(&site.read("talks/beta/index.html"), "Beta body.");
}

#[test]
fn links_out_of_the_site_broken_or_looping_are_left_out_with_a_warning() {
    let site = site();
    std::fs::create_dir(site.tmp().join("elsewhere")).unwrap();
    std::fs::write(site.tmp().join("elsewhere/gamma.md"), NOTE_B).unwrap();
    link(&site, site.tmp().join("elsewhere"), "content/elsewhere");
    link(&site, "gone.md", "content/talks/gone.md");
    link(&site, "..", "content/talks/up");
    let run = site.build();
    assert_has(&run.stdout, "Built 1 talk ");
    assert_eq!(
        warnings(&run),
        [
            format!(
                "warning: content/elsewhere: a link to `{}`, outside the site: not followed",
                site.tmp().join("elsewhere").display()
            )
            .as_str(),
            "warning: content/talks/gone.md: a link to `gone.md`, which does not exist: left out",
            "warning: content/talks/up: a link to `..`, a folder that holds this link: not followed, it would never end",
        ],
        "{run}"
    );
    assert!(!site.has("talks/gamma/index.html"));
}

#[test]
fn a_note_whose_name_is_not_utf8_is_left_out_with_a_warning() {
    use std::os::unix::ffi::OsStrExt;
    let site = site();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(site.root().join("content/talks").join(name), NOTE_B).unwrap();
    let run = site.build();
    assert_has(&run.stdout, "Built 1 talk ");
    assert_eq!(
        warnings(&run),
        ["warning: content/talks/caf\\xE9.md: this name is not UTF-8 text: left out"],
        "{run}"
    );
}

#[test]
fn static_files_follow_links_inside_the_site_and_warn_about_others() {
    let site = site().file("assets/logo.svg", "<svg/>");
    std::fs::write(site.tmp().join("secret.txt"), "secret").unwrap();
    std::fs::create_dir(site.root().join("static")).unwrap();
    link(&site, "../assets", "static/img");
    link(&site, site.tmp().join("secret.txt"), "static/secret.txt");
    let run = site.build();
    assert_eq!(site.read("static/img/logo.svg"), "<svg/>");
    assert!(!site.has("static/secret.txt"));
    assert_eq!(warnings(&run).len(), 1, "{run}");
    assert_has(warnings(&run)[0], "warning: static/secret.txt: a link to `");
}

#[test]
fn serve_prints_the_warnings_of_the_site_it_loads() {
    let site = site();
    link(&site, "gone.md", "content/talks/gone.md");
    let mut server = talkbook()
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start talkbook serve");
    let mut first = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        first.trim_end(),
        "warning: content/talks/gone.md: a link to `gone.md`, which does not exist: left out"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_follows_a_link_made_while_it_runs_and_edits_behind_it() {
    let mut live = Live::start(site()).await;
    let before = live.server.files();
    link(&live.site, "../shared", "content/linked");
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/beta/".to_string()), "{urls:?}");
    assert_has(&live.page("/talks/beta/").await, "Beta body.");

    // An edit made to the file itself, outside content/.
    let before = live.server.files();
    std::fs::write(
        live.site.root().join("shared/beta.md"),
        NOTE_B.replace("Beta body.", "Beta edited."),
    )
    .unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/beta/".to_string()), "{urls:?}");
    assert_has(&live.page("/talks/beta/").await, "Beta edited.");

    // A linked note file, then the link removed.
    let before = live.server.files();
    link(
        &live.site,
        "../../shared/beta.md",
        "content/talks/beta-again.md",
    );
    live.expect_reload(&before).await;
    let before = live.server.files();
    std::fs::remove_file(live.site.root().join("content/talks/beta-again.md")).unwrap();
    live.expect_reload(&before).await;
    live.stop().await;
}
