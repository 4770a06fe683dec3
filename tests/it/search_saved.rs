//! `talkbook search` answers from the index `build` saved beside the output
//! (`.public.talkbook-search/index`) while no input changed, and indexes
//! again, never answering from a stale index, once one did.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use crate::support::{Run, Site, assert_has, talkbook};

const FRESH: &str = "Searched the saved index";
const INDEXED: &str = "Indexed the notes";

fn site() -> Site {
    Site::new()
        .file(
            "content/talks/mesh.md",
            "+++\ntitle = \"Service mesh at scale\"\n+++\n\nWe ran Istio on 400 clusters.\n",
        )
        .file(
            "content/talks/metrics.md",
            "+++\ntitle = \"Prometheus metrics\"\n+++\n\nExport metrics from zanzibar.\n",
        )
}

/// Builds into the output `talkbook search` looks beside: `[build] output`.
fn build(site: &Site) {
    site.build_into(&site.root().join("public"), &[]).ok();
}

fn saved(site: &Site) -> PathBuf {
    site.root().join(".public.talkbook-search/index")
}

/// `talkbook search --json query`: (URLs found, stderr).
fn search(site: &Site, query: &str) -> (Vec<String>, String) {
    let run = Run::of(
        talkbook()
            .args(["search", "--json", query, "--root"])
            .arg(site.root()),
    )
    .ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let urls = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_string())
        .collect();
    (urls, run.stderr)
}

/// The saved index file's identity: inode and modification time.
fn identity(site: &Site) -> (u64, i64, i64) {
    let m = std::fs::metadata(saved(site)).expect("a saved index");
    (m.ino(), m.mtime(), m.mtime_nsec())
}

#[test]
fn build_saves_the_index_and_search_uses_it_untouched() {
    let site = site();
    build(&site);
    let before = identity(&site);
    let (urls, stderr) = search(&site, "istio");
    assert_eq!(urls, ["/talks/mesh/"]);
    assert_has(&stderr, FRESH);
    let (urls, stderr) = search(&site, "zanzibar");
    assert_eq!(urls, ["/talks/metrics/"]);
    assert_has(&stderr, FRESH);
    assert_eq!(identity(&site), before, "a current index is only read");
    // It keeps itself out of git.
    let gitignore = std::fs::read_to_string(site.root().join(".public.talkbook-search/.gitignore"));
    assert_has(&gitignore.unwrap(), "*");
}

#[test]
fn a_stale_index_is_rebuilt_never_served() {
    let site = site();
    build(&site);
    // Same size, written at once after the build: only the content differs.
    site.write(
        "content/talks/metrics.md",
        b"+++\ntitle = \"Prometheus metrics\"\n+++\n\nExport metrics from qwertyu.\n",
    );
    let before = identity(&site);
    let (urls, stderr) = search(&site, "zanzibar");
    assert!(urls.is_empty(), "a stale index answered: {urls:?}");
    assert_has(&stderr, INDEXED);
    assert_ne!(identity(&site), before, "the new index is saved");
    let (urls, stderr) = search(&site, "qwertyu");
    assert_eq!(urls, ["/talks/metrics/"]);
    assert_has(&stderr, FRESH);

    // A new note, a removed one, a changed book.toml: each makes it stale.
    site.write(
        "content/talks/new.md",
        b"+++\ntitle = \"New\"\n+++\n\nAbout qwertyu too.\n",
    );
    let (mut urls, stderr) = search(&site, "qwertyu");
    urls.sort();
    assert_eq!(urls, ["/talks/metrics/", "/talks/new/"]);
    assert_has(&stderr, INDEXED);
    site.remove("content/talks/metrics.md");
    let (urls, _) = search(&site, "qwertyu");
    assert_eq!(urls, ["/talks/new/"]);
    site.write(
        "book.toml",
        b"[site]\ntitle = \"Test notes\"\nbase-url = \"https://example.org/\"\n[content]\nexclude = [\"**/new.md\"]\n",
    );
    let (urls, stderr) = search(&site, "qwertyu");
    assert!(urls.is_empty(), "{urls:?}");
    assert_has(&stderr, INDEXED);
}

#[test]
fn search_saves_an_index_when_there_is_none() {
    let site = site();
    let (urls, stderr) = search(&site, "istio");
    assert_eq!(urls, ["/talks/mesh/"]);
    assert_has(&stderr, INDEXED);
    assert!(saved(&site).is_file());
    let (_, stderr) = search(&site, "istio");
    assert_has(&stderr, FRESH);
}

#[test]
fn a_folder_of_the_users_by_that_name_is_left_alone() {
    let site = site();
    site.write(".public.talkbook-search/index", b"mine");
    build(&site);
    let (urls, stderr) = search(&site, "istio");
    assert_eq!(urls, ["/talks/mesh/"]);
    assert_has(&stderr, "not saved");
    assert_eq!(std::fs::read(saved(&site)).unwrap(), b"mine");
    let entries = std::fs::read_dir(site.root().join(".public.talkbook-search")).unwrap();
    assert_eq!(entries.count(), 1, "nothing written beside the user's file");
}
