//! `talkbook import`: schedules from pretalx, frab and Sessionize as notes
//! of a site, which then builds; re-imports that keep the user's edits;
//! dry runs and malformed input that write nothing.

use crate::support::*;

/// pretalx's schedule.json: two talks sharing a speaker, and a break.
const PRETALX: &str = r#"{
  "$schema": "https://c3voc.de/schedule/schema.json",
  "generator": {"name": "pretalx", "version": "2024.1.0"},
  "schedule": {
    "url": "https://pretalx.com/demo/schedule/", "version": "1.0", "base_url": "https://pretalx.com",
    "conference": {
      "acronym": "demo", "title": "Demo Conf 2023", "start": "2023-04-21", "end": "2023-04-21",
      "daysCount": 1, "timeslot_duration": "00:05", "time_zone_name": "America/New_York",
      "url": "https://demo.example.org/",
      "days": [{
        "index": 1, "date": "2023-04-21",
        "day_start": "2023-04-21T04:00:00-04:00", "day_end": "2023-04-22T03:59:00-04:00",
        "rooms": {
          "Main Hall": [
            {"guid": "a1", "code": "ABC", "id": 1, "date": "2023-04-21T09:00:00-04:00", "start": "09:00",
             "duration": "00:30", "room": "Main Hall", "slug": "demo-1-rust", "url": "https://pretalx.com/demo/talk/ABC/",
             "title": "Rust at scale", "subtitle": "", "track": "Systems", "type": "Talk", "language": "en",
             "abstract": "Why we\nmoved.", "description": "<p>We <em>moved</em> our services.</p><ul><li>fast</li></ul>",
             "persons": [{"code": "P1", "name": "Ada Lovelace", "public_name": "Ada Lovelace",
                          "biography": "Wrote the first program.", "avatar": "https://x.org/ada.png", "answers": []}],
             "links": [{"title": "Slides", "url": "https://x.org/rust.pdf", "type": "related"}],
             "attachments": [], "answers": []},
            {"guid": "a2", "code": "BRK", "id": 2, "date": "2023-04-21T10:00:00-04:00", "start": "10:00",
             "duration": "00:15", "room": "Main Hall", "slug": "demo-2-break", "title": "Coffee break",
             "subtitle": "", "track": null, "type": "Break", "language": "en", "abstract": "",
             "description": "", "persons": [], "links": []},
            {"guid": "a3", "code": "DEF", "id": 3, "date": "2023-04-21T11:00:00-04:00", "start": "11:00",
             "duration": "00:30", "room": "Main Hall", "slug": "demo-3-engines", "title": "Engines \"analytical\"",
             "subtitle": "", "track": "History", "type": "Talk", "language": "en",
             "abstract": "Gears.", "description": "Markdown *kept*.",
             "persons": [{"code": "P1", "name": "Ada Lovelace", "public_name": "Ada Lovelace",
                          "biography": "Wrote the first program.", "avatar": "https://x.org/ada.png", "answers": []}],
             "links": []}
          ]
        }
      }]
    }
  }
}"#;

/// frab's schedule.xml: a talk with two persons and HTML, and a lunch.
const FRAB: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>1.0</version>
  <conference>
    <acronym>fc23</acronym>
    <title>Frab Camp 2023</title>
    <start>2023-08-10</start>
    <end>2023-08-11</end>
    <days>2</days>
    <timeslot_duration>00:15</timeslot_duration>
  </conference>
  <day index="1" date="2023-08-10" start="2023-08-10T09:00:00+02:00" end="2023-08-10T18:00:00+02:00">
    <room name="Saal 1">
      <event guid="f1" id="11">
        <date>2023-08-10T10:00:00+02:00</date>
        <start>10:00</start>
        <duration>00:45</duration>
        <room>Saal 1</room>
        <slug>fc23-11-mesh</slug>
        <title>Mesh networks</title>
        <subtitle/>
        <track>Networks</track>
        <type>lecture</type>
        <language>en</language>
        <abstract>Radios everywhere.</abstract>
        <description>&lt;p&gt;Cheap &lt;strong&gt;radios&lt;/strong&gt; on every roof.&lt;/p&gt;</description>
        <persons><person id="7">Grace Hopper</person><person id="8">Linus Torvalds</person></persons>
        <links><link href="https://media.example.org/fc23-11">Video recording</link></links>
      </event>
      <event guid="f2" id="12">
        <date>2023-08-10T12:00:00+02:00</date>
        <start>12:00</start>
        <duration>01:00</duration>
        <room>Saal 1</room>
        <title>Lunch</title>
        <type>other</type>
        <persons/>
        <links/>
      </event>
    </room>
  </day>
</schedule>
"#;

/// Sessionize's All data: one talk, a service session, a declined one.
const SESSIONIZE: &str = r#"{
  "sessions": [
    {"id": "4711", "title": "Serverless at the edge", "description": "Functions near users.\n\nAnd why.",
     "startsAt": "2023-05-02T14:30:00", "endsAt": "2023-05-02T15:15:00", "isServiceSession": false,
     "isPlenumSession": false, "speakers": ["a-1"], "categoryItems": [11], "questionAnswers": [],
     "roomId": 5, "liveUrl": null, "recordingUrl": null, "status": "Accepted", "isInformed": true, "isConfirmed": true},
    {"id": "sz-1", "title": "Registration and welcome", "description": null, "startsAt": "2023-05-02T08:00:00",
     "endsAt": "2023-05-02T09:00:00", "isServiceSession": true, "isPlenumSession": true, "speakers": [],
     "categoryItems": [], "roomId": 5, "status": null},
    {"id": "4712", "title": "A declined talk", "description": "", "startsAt": null, "endsAt": null,
     "isServiceSession": false, "isPlenumSession": false, "speakers": ["a-1"], "categoryItems": [],
     "roomId": null, "status": "Declined"}
  ],
  "speakers": [
    {"id": "a-1", "firstName": "Margaret", "lastName": "Hamilton", "fullName": "Margaret Hamilton",
     "bio": "Flew to the moon.", "tagLine": "Director, Software Engineering", "profilePicture": "https://x.org/mh.jpg",
     "isTopSpeaker": true, "sessions": [4711, 4712], "categoryItems": [], "questionAnswers": [],
     "links": [{"title": "Twitter", "url": "https://twitter.com/mh", "linkType": "Twitter"},
               {"title": "Blog", "url": "https://mh.example.org", "linkType": "Blog"}]}
  ],
  "questions": [],
  "categories": [{"id": 1, "title": "Track", "items": [{"id": 11, "name": "Cloud", "sort": 0}], "sort": 0, "type": "session"}],
  "rooms": [{"id": 5, "name": "Room A", "sort": 0}]
}"#;

const RUST_NOTE: &str = "content/talks/demo-conf-2023/rust-at-scale.md";

/// Writes `input` beside the site and runs `talkbook import <source>` on it.
fn import(site: &Site, source: &str, name: &str, input: &str, extra: &[&str]) -> Run {
    let file = site.tmp().join(name);
    std::fs::write(&file, input).unwrap();
    site.import(source, &file, extra)
}

#[test]
fn pretalx_schedule_becomes_notes_profiles_and_pages() {
    let site = Site::new();
    let run = import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    assert_has(
        &run.stdout,
        "left out \"Coffee break\": a break or a meal, not a talk",
    );
    assert_has(&run.stdout, "4 written");
    assert_has(&run.stdout, "1 left out (a break or a meal, not a talk: 1)");
    let note = site.source(RUST_NOTE);
    assert_has(&note, "title = \"Rust at scale\"\n");
    assert_has(&note, "date = 2023-04-21T09:00:00-04:00\n");
    assert_has(&note, "event = \"Demo Conf 2023\"\n");
    assert_has(&note, "room = \"Main Hall\"\n");
    assert_has(&note, "tags = [\"Systems\"]\n");
    assert_has(&note, "slides = \"https://x.org/rust.pdf\"\n");
    assert_has(&note, "summary = \"Why we moved.\"\n");
    assert_has(&note, "name = \"Ada Lovelace\"");
    assert_has(&note, "We *moved* our services.");
    assert_lacks(&note, "<p>");
    let engines = site.source("content/talks/demo-conf-2023/engines-analytical.md");
    assert_has(&engines, "title = 'Engines \"analytical\"'");
    assert_has(&engines, "Markdown *kept*.");
    let profile = site.source("content/speakers/ada-lovelace.md");
    assert_has(&profile, "avatar = \"https://x.org/ada.png\"");
    assert_has(&profile, "Wrote the first program.");
    assert_has(
        &site.source("content/events/demo-conf-2023.md"),
        "homepage = \"https://demo.example.org/\"",
    );

    site.build();
    let talk = site.read("talks/rust-at-scale/index.html");
    assert_has(
        &talk,
        "<a href=\"../../speakers/ada-lovelace/\">Ada Lovelace</a>",
    );
    // The date shows; the time, only once notes keep it.
    assert_has(&talk, "datetime=\"2023-04-21");
    let speaker = site.read("speakers/ada-lovelace/index.html");
    assert_has(&speaker, "../../talks/rust-at-scale/");
    assert_has(&speaker, "../../talks/engines-analytical/");
    let speakers = entries(&site.out().join("speakers"));
    assert_eq!(
        speakers,
        ["ada-lovelace", "index.html"],
        "one page for the one person"
    );
}

#[test]
fn frab_schedule_becomes_notes_with_markdown_from_html() {
    let site = Site::new();
    let run = import(&site, "frab", "schedule.xml", FRAB, &[]).ok();
    assert_has(&run.stdout, "left out \"Lunch\"");
    let note = site.source("content/talks/frab-camp-2023/mesh-networks.md");
    assert_has(&note, "date = 2023-08-10T10:00:00+02:00\n");
    assert_has(&note, "video = \"https://media.example.org/fc23-11\"\n");
    assert_has(&note, "name = \"Grace Hopper\"");
    assert_has(&note, "name = \"Linus Torvalds\"");
    assert_has(&note, "Cheap **radios** on every roof.");
    assert_has(
        &site.source("content/events/frab-camp-2023.md"),
        "end = 2023-08-11\n",
    );
    site.build();
    let talk = site.read("talks/mesh-networks/index.html");
    assert_has(
        &talk,
        "<a href=\"../../speakers/grace-hopper/\">Grace Hopper</a>",
    );
    assert_has(&talk, "<strong>radios</strong>");
}

#[test]
fn sessionize_data_becomes_notes_with_local_times_and_leaves_out_services() {
    let site = Site::new();
    let args = ["--event", "Demo Summit 2023"];
    let run = import(&site, "sessionize", "all.json", SESSIONIZE, &args).ok();
    assert_has(
        &run.stdout,
        "left out \"Registration and welcome\": a service session",
    );
    assert_has(
        &run.stdout,
        "left out \"A declined talk\": not accepted or confirmed",
    );
    assert_has(&run.stdout, "2 left out");
    let note = site.source("content/talks/demo-summit-2023/serverless-at-the-edge.md");
    assert_has(&note, "date = 2023-05-02T14:30:00\n");
    assert_has(&note, "room = \"Room A\"\n");
    assert_has(&note, "tags = [\"Cloud\"]\n");
    assert_has(&note, "role = \"Director, Software Engineering\"");
    let profile = site.source("content/speakers/margaret-hamilton.md");
    assert_has(&profile, "twitter = \"https://twitter.com/mh\"");
    assert_has(&profile, "homepage = \"https://mh.example.org\"");
    site.build();
    let talk = site.read("talks/serverless-at-the-edge/index.html");
    assert_has(&talk, "Margaret Hamilton");
    assert_has(&talk, "datetime=\"2023-05-02");
}

#[test]
fn sessionize_without_an_event_name_asks_for_one_and_writes_nothing() {
    let site = Site::new();
    let run = import(&site, "sessionize", "all.json", SESSIONIZE, &[]).failed();
    assert_has(&run.stderr, "--event");
    assert!(!site.root().join("content").exists());
}

#[test]
fn importing_again_changes_nothing() {
    let site = Site::new();
    import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    let before = snapshot(&site.root());
    let run = import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    assert_has(
        &run.stdout,
        "0 written, 0 front matter refreshed, 4 unchanged",
    );
    assert_eq!(snapshot(&site.root()), before);
}

#[test]
fn an_edited_note_is_kept_and_update_refreshes_only_its_front_matter() {
    let site = Site::new();
    import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    let edited = site
        .source(RUST_NOTE)
        .replace("title = \"Rust at scale\"", "title = \"My title\"")
        + "\nMy own notes.\n";
    site.write(RUST_NOTE, edited.as_bytes());

    let run = import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    assert_has(
        &run.stdout,
        &format!("kept {RUST_NOTE}: edited since the last import"),
    );
    assert_eq!(site.source(RUST_NOTE), edited);

    let run = import(&site, "pretalx", "schedule.json", PRETALX, &["--update"]).ok();
    assert_has(
        &run.stdout,
        &format!("refreshed the front matter of {RUST_NOTE}"),
    );
    let updated = site.source(RUST_NOTE);
    assert_has(&updated, "title = \"Rust at scale\"");
    assert_has(&updated, "My own notes.");
    assert_has(&updated, "We *moved* our services.");

    // Still the user's: a plain re-import keeps it.
    let run = import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    assert_has(&run.stdout, &format!("kept {RUST_NOTE}"));
    assert_has(&site.source(RUST_NOTE), "My own notes.");
}

#[test]
fn a_file_import_never_wrote_is_left_alone() {
    let site = Site::new().file(RUST_NOTE, "+++\ntitle = \"Mine\"\n+++\nMine.\n");
    let run = import(&site, "pretalx", "schedule.json", PRETALX, &[]).ok();
    assert_has(&run.stdout, &format!("left {RUST_NOTE} alone"));
    assert_eq!(
        site.source(RUST_NOTE),
        "+++\ntitle = \"Mine\"\n+++\nMine.\n"
    );
}

#[test]
fn dry_run_prints_what_it_would_write_and_writes_nothing() {
    let site = Site::new();
    let before = snapshot(&site.root());
    let run = import(&site, "pretalx", "schedule.json", PRETALX, &["--dry-run"]).ok();
    assert_has(&run.stdout, &format!("would write {RUST_NOTE}"));
    assert_has(&run.stdout, "Dry run: nothing was written.");
    assert_eq!(snapshot(&site.root()), before);
}

#[test]
fn malformed_json_names_line_and_column_and_writes_nothing() {
    let site = Site::new();
    let broken = PRETALX.replacen(
        "\"title\": \"Rust at scale\",",
        "\"title\": \"Rust at scale\"",
        1,
    );
    let line = broken
        .lines()
        .position(|l| l.contains("\"subtitle\": \"\", \"track\": \"Systems\""))
        .unwrap()
        + 1;
    let run = import(&site, "pretalx", "schedule.json", &broken, &[]).failed();
    assert_has(&run.stderr, &format!("schedule.json:{line}: column "));
    assert!(!site.root().join("content").exists());
}

#[test]
fn malformed_xml_names_line_and_column_and_writes_nothing() {
    let site = Site::new();
    let broken = FRAB.replace("<title>Lunch</title>", "<title>Lunch</titel>");
    let line = broken.lines().position(|l| l.contains("</titel>")).unwrap() + 1;
    let run = import(&site, "frab", "schedule.xml", &broken, &[]).failed();
    assert_has(&run.stderr, &format!("schedule.xml:{line}: column "));
    assert!(!site.root().join("content").exists());
}
