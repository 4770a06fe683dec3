//! `talkbook import pyvideo`: a folder in the layout of pyvideo.org's data
//! repository, two events sharing a speaker, as notes that build; a
//! re-import that changes nothing; a malformed recording that writes nothing;
//! a description's `[[` shown as written, not read as a wikilink.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The recordings of the two events, `(path, JSON)`, as pyvideo's data has them.
const DATA: &[(&str, &str)] = &[
    (
        "pycon-us-2019/category.json",
        r#"{
  "description": "PyCon US, in Cleveland.\n",
  "start_date": "2019-05-01",
  "title": "PyCon US 2019",
  "url": "https://us.pycon.org/2019/"
}"#,
    ),
    (
        "pycon-us-2019/videos/engines-of-the-future.json",
        r#"{
  "copyright_text": null,
  "description": "Gears and *cards*.\n\nA look back.",
  "duration": 1805,
  "language": "eng",
  "recorded": "2019-05-03",
  "related_urls": [
    {"label": "Conference schedule", "url": "https://us.pycon.org/2019/schedule/"},
    "https://speakerdeck.com/ada/engines"
  ],
  "speakers": ["Ada  Lovelace"],
  "summary": "How engines\ncompute.",
  "tags": ["history", "hardware"],
  "thumbnail_url": "https://i.ytimg.com/vi/abc/hqdefault.jpg",
  "title": "Engines of the future",
  "videos": [
    {"type": "archive.org", "url": "https://archive.org/details/engines"},
    {"type": "youtube", "url": "https://www.youtube.com/watch?v=abc"}
  ]
}"#,
    ),
    (
        "pycon-us-2019/videos/lightning-talks.json",
        r#"{
  "description": null,
  "recorded": null,
  "speakers": [],
  "title": "Lightning Talks",
  "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=lt19"}]
}"#,
    ),
    (
        "pycon-us-2019/videos/untitled.json",
        r#"{"description": "", "recorded": "2019-05-04", "speakers": ["Nobody"], "title": "", "videos": []}"#,
    ),
    (
        "europython-2020/category.json",
        r#"{"title": "EuroPython 2020"}"#,
    ),
    (
        "europython-2020/videos/compilers-by-hand.json",
        r#"{
  "description": "Notes on compilers: m = [[1, 0], [0, 1]].",
  "recorded": "2020-07-23",
  "speakers": ["Ada Lovelace", "Grace Hopper"],
  "title": "Compilers by hand",
  "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=def"}]
}"#,
    ),
    (
        "europython-2020/videos/lightning-talks.json",
        r#"{"description": "", "recorded": "2020-07-24", "speakers": ["Various speakers"], "title": "Lightning Talks", "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=lt20"}]}"#,
    ),
];

/// The fixture as a checkout of pyvideo's data, in the site's temporary folder.
fn checkout(site: &Site, data: &[(&str, &str)]) -> PathBuf {
    let root = site.tmp().join("data");
    for (rel, text) in data {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(root.join("tools")).unwrap();
    root
}

fn import(site: &Site, data: &Path, extra: &[&str]) -> Run {
    site.import("pyvideo", data, extra)
}

#[test]
fn two_events_become_notes_one_speaker_page_per_person_and_a_site_that_builds() {
    let site = Site::new();
    let data = checkout(&site, DATA);
    let run = import(&site, &data, &[]).ok();
    assert_has(&run.stdout, "untitled.json\": it has no title");
    assert_has(&run.stdout, "2 events: 8 written");
    assert_has(&run.stdout, "1 left out");

    let note = site.source("content/talks/pycon-us-2019/engines-of-the-future.md");
    assert_has(&note, "date = 2019-05-03\n");
    assert_has(&note, "event = \"PyCon US 2019\"\n");
    assert_has(&note, "tags = [\"history\", \"hardware\"]\n");
    assert_has(&note, "video = \"https://www.youtube.com/watch?v=abc\"\n");
    assert_has(&note, "slides = \"https://speakerdeck.com/ada/engines\"\n");
    assert_has(&note, "summary = \"How engines compute.\"\n");
    assert_has(&note, "url = \"https://archive.org/details/engines\"");
    assert_has(&note, "title = \"Conference schedule\"");
    assert_has(&note, "name = \"Ada Lovelace\"");
    assert_has(&note, "Gears and *cards*.");
    let event = site.source("content/events/pycon-us-2019.md");
    assert_has(&event, "homepage = \"https://us.pycon.org/2019/\"");
    assert_has(&event, "start = 2019-05-01\n");
    assert_has(&event, "PyCon US, in Cleveland.");
    assert_has(
        &site.source("content/talks/europython-2020/lightning-talks.md"),
        "slug = \"europython-2020-lightning-talks\"\n",
    );

    site.build();
    let speakers = entries(&site.out().join("speakers"));
    assert_eq!(
        speakers,
        ["ada-lovelace", "grace-hopper", "index.html"],
        "one page for Ada across both events; no one for \"Various speakers\""
    );
    let ada = site.read("speakers/ada-lovelace/index.html");
    assert_has(&ada, "../../talks/engines-of-the-future/");
    assert_has(&ada, "../../talks/compilers-by-hand/");
    assert_has(
        &site.read("talks/compilers-by-hand/index.html"),
        "m = [[1, 0], [0, 1]].",
    );
    site.read("talks/pycon-us-2019-lightning-talks/index.html");
    site.read("talks/europython-2020-lightning-talks/index.html");
}

#[test]
fn importing_again_changes_nothing_and_events_can_be_named() {
    let site = Site::new();
    let data = checkout(&site, DATA);
    import(&site, &data, &[]).ok();
    let before = snapshot(&site.root());
    let run = import(&site, &data, &[]).ok();
    assert_has(
        &run.stdout,
        "0 written, 0 front matter refreshed, 8 unchanged",
    );
    assert_eq!(snapshot(&site.root()), before);

    let one = Site::new();
    let run = import(&one, &data, &["europython-2020", "--dry-run"]).ok();
    assert_has(&run.stdout, "EuroPython 2020: 5 written");
    assert_lacks(&run.stdout, "pycon-us-2019");
}

#[test]
fn a_malformed_recording_names_its_line_and_column_and_writes_nothing() {
    let site = Site::new();
    let mut data = DATA.to_vec();
    let broken = DATA[5].1.replace("\"Grace Hopper\"]", "\"Grace Hopper\"");
    data[5].1 = &broken;
    let line = broken.lines().position(|l| l.contains("Grace")).unwrap() + 2;
    let data = checkout(&site, &data);
    let run = import(&site, &data, &[]).failed();
    assert_has(
        &run.stderr,
        &format!("compilers-by-hand.json:{line}: column "),
    );
    assert!(!site.root().join("content").exists());
}
