//! The output folder never loses a file: builds of one output run one at a
//! time and end as a clean build would, whatever ran or was killed before;
//! a folder holding anything talkbook did not write (a copied output
//! included) is refused and left as it was; an output among the site's own
//! files is refused; an interrupted first build leaves nothing behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

const MARKER: &str = ".talkbook-output";

/// A site of `n` notes sharing tags, speakers and events, each linking to
/// the one before: an edit of one note changes many pages.
fn notes_site(n: usize) -> Site {
    let site = Site::new();
    for i in 0..n {
        site.write(&format!("content/talks/n{i}.md"), note(i, 0).as_bytes());
    }
    site
}

/// Note `i` in its version `v`: title, tags and body change with `v`.
fn note(i: usize, v: usize) -> String {
    let link = if i > 0 {
        format!("See [the previous talk](n{}.md).", i - 1)
    } else {
        String::new()
    };
    format!(
        "+++\ntitle = \"Talk {i} v{v}\"\ndate = 2024-01-{:02}\nevent = \"Conf {}\"\n\
         speakers = [{{ name = \"Speaker {}\" }}]\ntags = [\"t{}\", \"t{}\"]\n+++\n\n\
         Words about talk {i}, version {v}, and rust and search. {link}\n\n## Notes\n\n{}\n",
        i % 28 + 1,
        i % 5,
        i % 17,
        i % 7,
        (i + v) % 11,
        "More text in this talk. ".repeat(20 + v % 7),
    )
}

/// Writes version `v` of note `i` at once (a build never reads half of it).
fn edit(site: &Site, i: usize, v: usize) {
    let new_file = site.tmp().join("edited.md");
    std::fs::write(&new_file, note(i, v)).unwrap();
    std::fs::rename(
        &new_file,
        site.root().join(format!("content/talks/n{i}.md")),
    )
    .unwrap();
}

/// `talkbook build` of `site` into its output, started, not waited for.
fn start_build(site: &Site, extra: &[&str]) -> Child {
    talkbook()
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .arg("--output")
        .arg(site.out())
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start talkbook")
}

/// Waits for a started build.
fn finish(child: Child) -> Run {
    let output = child.wait_with_output().expect("wait for talkbook");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file of the output at `dir` but the marker.
fn site_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(Path::new(MARKER));
    files
}

/// Asserts `site`'s output holds exactly what a clean build of it into a
/// new folder writes.
#[track_caller]
fn assert_equals_a_clean_build(site: &Site) {
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join("clean");
    site.build_into(&clean, &[]).ok();
    let (built, expected) = (site_files(&site.out()), site_files(&clean));
    let differing: Vec<_> = expected
        .keys()
        .chain(built.keys())
        .filter(|path| built.get(*path) != expected.get(*path))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(
        differing.is_empty(),
        "{} files differ from a clean build, e.g. {:?}",
        differing.len(),
        &differing[..differing.len().min(5)]
    );
}

/// Pairs of builds run at once, the note they show edited in between, some
/// builds killed at random moments: every build not killed succeeds, a pair
/// not killed leaves the newest site, whole, and the build after them all
/// writes byte for byte what a clean build writes.
///
/// `TALKBOOK_BUILD_PAIRS=50 cargo test --test it output_safety::pairs -- --nocapture`
/// runs more pairs than the default 12.
#[test]
fn pairs_of_builds_at_once_some_killed_end_as_a_clean_build() {
    let pairs: u64 = std::env::var("TALKBOOK_BUILD_PAIRS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    let site = notes_site(150);
    let mut dice = Dice::new(0x9e37_79b9_7f4a_7c15);
    let mut kills = 0;
    for pair in 0..pairs {
        let edited = dice.roll(150);
        edit(&site, edited, 2 * pair as usize + 1);
        let first = start_build(&site, &[]);
        std::thread::sleep(Duration::from_millis(dice.roll(60) as u64));
        edit(&site, edited, 2 * pair as usize + 2);
        let mut builds = [first, start_build(&site, &[])];
        let victim = dice.roll(4); // 0 or 1: that build is killed
        if victim < 2 {
            std::thread::sleep(Duration::from_millis(dice.roll(250) as u64));
            if builds[victim].try_wait().unwrap().is_none() {
                builds[victim].kill().unwrap();
                kills += 1;
            }
        }
        for (i, build) in builds.into_iter().enumerate() {
            let run = finish(build);
            if i != victim {
                assert_eq!(run.code, Some(0), "pair {pair}, build {i}:\n{run}");
            }
        }
        if victim >= 2 {
            // Whichever took the output first, the other read the notes
            // after the edit: the output is the newest site, whole.
            assert_equals_a_clean_build(&site);
        }
    }
    site.build();
    assert_equals_a_clean_build(&site);
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", ".out.talkbook-spare", "out", "site"]
    );
    println!(
        "{pairs} pairs of builds at once ({kills} builds killed): each pair not killed, \
         and the build after them all, wrote what a clean build writes"
    );
}

/// Waits until `site`'s output is locked by the build with process id `pid`.
fn wait_for_lock(site: &Site, pid: u32) {
    let lock = site.tmp().join(".out.talkbook-lock");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&format!("pid {pid}:"))) {
        assert!(Instant::now() < deadline, "no lock file naming pid {pid}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_second_build_waits_for_the_first_or_fails_at_once_with_no_wait() {
    let site = notes_site(300);
    let first = start_build(&site, &[]);
    let pid = first.id();
    wait_for_lock(&site, pid);
    edit(&site, 0, 9);

    let started = Instant::now();
    let refused = site.build_with(&["--no-wait"]).failed();
    assert_has(&refused.stderr, &format!("talkbook build (pid {pid}: "));
    assert_has(&refused.stderr, "is writing");
    assert_has(&refused.stderr, "--no-wait");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "--no-wait waited"
    );

    let waiting = start_build(&site, &[]);
    let first = finish(first).ok();
    let second = finish(waiting).ok();
    assert_has(
        &second.stderr,
        &format!("waiting for talkbook build (pid {pid}: "),
    );
    assert_lacks(&first.stderr, "waiting");
    // The build started last read the notes last, and wrote last.
    assert_has(&site.read("talks/n0/index.html"), "Talk 0 v9");
    assert_equals_a_clean_build(&site);
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", ".out.talkbook-spare", "out", "site"]
    );
}

/// A file of the spare tree with the size and time its marker records but
/// other bytes (as builds at once, or killed, could leave it) is not trusted
/// as unchanged: the output is right, and the spare, no longer as talkbook
/// wrote it, is left alone with a warning.
#[test]
fn a_spare_file_changed_behind_talkbooks_back_is_not_trusted() {
    let site = notes_site(3);
    site.build();
    site.build();
    let spare_page = site.tmp().join(".out.talkbook-spare/talks/n1/index.html");
    let old = std::fs::metadata(&spare_page).unwrap().modified().unwrap();
    let same_size = std::fs::read_to_string(&spare_page)
        .unwrap()
        .replace("Talk 1 v0", "Talk X v0");
    // A new file renamed over the old, as a build does (the old one is
    // shared with the live output).
    let new_file = site.tmp().join("new-file");
    std::fs::write(&new_file, &same_size).unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(&new_file)
        .unwrap();
    file.set_modified(old).unwrap();
    drop(file);
    std::fs::rename(&new_file, &spare_page).unwrap();

    let run = site.build();
    assert_has(&site.read("talks/n1/index.html"), "Talk 1 v0");
    assert_equals_a_clean_build(&site);
    assert_has(&run.stderr, "warning: ");
    assert_has(&run.stderr, "leaving ");
    assert_has(
        &run.stderr,
        "`talks/n1/index.html` changed since talkbook wrote it",
    );
    assert_eq!(std::fs::read_to_string(&spare_page).unwrap(), same_size);
}

/// The issue's case: a web root holding the user's own files, and a copy of
/// an earlier output (its marker included) put into it with `cp -r`.
#[test]
fn a_web_root_holding_a_copied_output_is_refused_and_left_as_it_was() {
    let site = notes_site(3);
    site.build();
    let webroot = site.tmp().join("webroot");
    std::fs::create_dir_all(webroot.join("uploads")).unwrap();
    std::fs::write(webroot.join("precious.txt"), "keep me").unwrap();
    std::fs::write(webroot.join("uploads/cat.jpg"), "meow").unwrap();
    let copy = std::process::Command::new("cp")
        .arg("-r")
        .arg(site.out().join("."))
        .arg(&webroot)
        .status()
        .unwrap();
    assert!(copy.success());
    assert!(webroot.join(MARKER).is_file());
    let before = snapshot(&webroot);
    for _ in 0..2 {
        let run = site.build_into(&webroot, &[]).failed();
        assert_has(&run.stderr, "refusing to write the site into ");
        assert_has(&run.stderr, "marker was written for another folder");
        assert_has(&run.stderr, "hint: ");
        assert_eq!(snapshot(&webroot), before, "the web root changed");
    }
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", "out", "site", "webroot"]
    );
}

#[test]
fn a_copy_of_an_output_is_not_talkbooks() {
    let site = notes_site(2);
    site.build();
    let copy = site.tmp().join("copy");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(site.out())
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    let before = snapshot(&copy);
    let run = site.build_into(&copy, &[]).failed();
    assert_has(&run.stderr, "marker was written for another folder");
    assert_eq!(snapshot(&copy), before);
    // Moved, not copied: still talkbook's.
    let moved = site.tmp().join("moved");
    std::fs::rename(site.out(), &moved).unwrap();
    site.build_into(&moved, &[]).ok();
}

#[test]
fn a_file_added_to_the_output_is_kept_and_the_build_refused() {
    let site = notes_site(3);
    site.build();
    std::fs::write(site.out().join("notes-to-self.txt"), "mine").unwrap();
    std::fs::create_dir(site.out().join("uploads")).unwrap();
    std::fs::write(site.out().join("uploads/cat.jpg"), "meow").unwrap();
    let before = snapshot(&site.out());
    site.write("content/talks/n0.md", note(0, 1).as_bytes());
    for _ in 0..2 {
        let run = site.build_with(&[]).failed();
        assert_has(&run.stderr, "refusing to write the site into ");
        assert_has(
            &run.stderr,
            "talkbook did not write `notes-to-self.txt`, `uploads`, `uploads/cat.jpg`",
        );
        assert_eq!(snapshot(&site.out()), before, "the output changed");
    }
}

#[test]
fn a_users_file_in_the_spare_is_left_alone() {
    let site = notes_site(3);
    site.build();
    site.build();
    let spare = site.tmp().join(".out.talkbook-spare");
    std::fs::write(spare.join("mine.txt"), "mine").unwrap();
    for _ in 0..2 {
        let run = site.build();
        assert_has(&run.stderr, "warning: leaving ");
        assert_has(&run.stderr, "talkbook did not write `mine.txt`");
        assert_eq!(
            std::fs::read_to_string(spare.join("mine.txt")).unwrap(),
            "mine"
        );
        assert_equals_a_clean_build(&site);
        assert_eq!(
            entries(site.tmp()),
            [".out.talkbook-search", ".out.talkbook-spare", "out", "site"]
        );
    }
}

/// `[build] output = VALUE` in book.toml, and `talkbook build` without `--output`.
fn build_with_configured_output(value: &str) -> (Site, Run) {
    let site = notes_site(2).file(
        "book.toml",
        &format!("{BOOK_TOML}\n[build]\noutput = \"{value}\"\n"),
    );
    let run = Run::of(talkbook().arg("build").arg("--root").arg(site.root()));
    (site, run)
}

#[test]
fn an_output_among_the_sites_own_files_is_refused() {
    for (value, why) in [
        ("static", "it is inside static/"),
        ("content/out", "it is inside content/"),
        ("templates", "it is inside templates/"),
        ("templates/../static/x", "it is inside static/"),
        (".", "it holds book.toml"),
        ("..", "it holds book.toml"),
    ] {
        let (site, run) = build_with_configured_output(value);
        let run = run.failed();
        assert_has(&run.stderr, "refusing to write the site into ");
        assert_has(&run.stderr, "(`[build] output` in book.toml)");
        assert_has(&run.stderr, why);
        assert_has(
            &run.stderr,
            "hint: choose an output folder outside content/",
        );
        assert_eq!(entries(&site.root()), ["book.toml", "content"], "{value}");
        assert_eq!(entries(site.tmp()), ["site"], "{value}");
    }
    let site = notes_site(2);
    let run = site.build_into(&site.root().join("static"), &[]).failed();
    assert_has(&run.stderr, "(`--output`): it is inside static/");
    assert!(!site.root().join("static").exists());
}

#[test]
fn the_output_may_sit_inside_the_site_beside_its_folders() {
    let (site, run) = build_with_configured_output("public/site");
    run.ok();
    assert!(
        site.root()
            .join("public/site/talks/n0/index.html")
            .is_file()
    );
}

/// A first build killed while it writes: the next build takes up the tree
/// it left (it becomes the output), and nothing is left orphaned.
#[test]
fn a_killed_first_build_leaves_nothing_orphaned() {
    let site = notes_site(150);
    let spare = site.tmp().join(".out.talkbook-spare");
    let mut interrupted = false;
    for _attempt in 0..5 {
        let mut build = start_build(&site, &[]);
        while !spare.exists() && build.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = build.kill();
        finish(build);
        if !site.out().exists() {
            interrupted = true;
            break;
        }
        std::fs::remove_dir_all(site.out()).unwrap();
    }
    assert!(interrupted, "could not kill a first build while it wrote");
    assert!(spare.is_dir(), "no tree left by the killed build");

    let run = site.build();
    assert_lacks(&run.stderr, "warning");
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", "out", "site"],
        "left beside the output"
    );
    assert_equals_a_clean_build(&site);
    let run = site.build();
    assert_lacks(&run.stderr, "warning");
    assert_eq!(
        entries(site.tmp()),
        [".out.talkbook-search", ".out.talkbook-spare", "out", "site"]
    );
}

/// The marker lists every file on a line of its own, whatever its name: a
/// static file with a line break in its name is copied again and again.
#[test]
fn a_static_file_named_with_a_line_break_builds_again_and_again() {
    let site = Site::new()
        .file("content/talks/a.md", "# A talk\n")
        .file("static/two\nlines.txt", "odd");
    for _ in 0..3 {
        site.build();
        assert_eq!(site.read("static/two\nlines.txt"), "odd");
    }
}
