//! Real people's notes, in the shapes they come in, built with a few lines
//! of `book.toml`: a conference's Jekyll schedule (YAML, its own keys,
//! speaker profiles named by slug in another folder, breaks, `null`s, times
//! with offsets), and a person's folder-per-conference notes without front
//! matter (README index files, a LICENSE, speakers in headings, a note with
//! no heading, one file name in two folders, an image beside a note).

use crate::support::*;

const SCHEDULE_BOOK: &str = r#"[site]
title = "PyCon US 2023 schedule"

[edit]
repository = "https://github.com/pycon/schedule"

[content]
notes = ["_talks"]
speakers = "_speakers"
event = "PyCon US 2023"
only = { category = ["talk", "tutorial"] }

[keys]
presenter_slugs = "speakers"
video_url = "video"
company = "affiliation"
website = "homepage"
"#;

/// A Jekyll-style schedule, its notes and profiles outside `content/`.
fn schedule() -> Site {
    Site::empty()
        .file("book.toml", SCHEDULE_BOOK)
        .file(
            "_talks/2023-04-21-opening.md",
            "---\nlayout: session\ntitle: \"Opening Keynote\"\ncategory: talk\npresenter_slugs: [abigail-dogbe]\ndate: 2023-04-21 09:00:00-04:00\nvideo_url: https://www.youtube.com/watch?v=opening\ntags: null\nroom: Hall A\n---\nWelcome to Salt Lake City.\n",
        )
        .file(
            "_talks/2023-04-21-async.md",
            "---\nlayout: session\ntitle: Async all the way down\ncategory: Tutorial\npresenter_slugs:\n  - abigail-dogbe\n  - eric-baer\ndate: 2023-04-21 14:30:00-04:00\nvideo_url: \"\"\ntags: [async]\nroom: Room 2\n---\nEvent loops, explained.\n",
        )
        .file(
            "_talks/2023-04-21-typing.md",
            "---\nlayout: session\ntitle: Typing in practice\ncategory: talk\npresenter_slugs: eric-baer\ndate: 2023-04-21 10:15:00-04:00\ntags: []\n---\nGradual typing at work.\n",
        )
        .file(
            "_talks/2023-04-21-lunch.md",
            "---\nlayout: session\ntitle: Lunch\ncategory: break\npresenter_slugs: null\ndate: 2023-04-21 12:00:00-04:00\n---\n",
        )
        .file(
            "_speakers/abigail-dogbe.md",
            "---\nname: Abigail Mesrenyame Dogbe\ncompany: Python Ghana\nwebsite: https://example.org/abigail\n---\nAbigail organises PyCon Ghana.\n",
        )
        .file(
            "_speakers/eric-baer.md",
            "---\nname: Eric Baer\ncompany: null\n---\n",
        )
        .file("_speakers/nobody-yet.md", "---\nname: Nobody Yet\n---\n")
}

#[test]
fn a_jekyll_schedule_gives_speakers_events_times_and_videos() {
    let site = schedule();
    let run = site.build();
    let opening = site.read("talks/2023-04-21-opening/index.html");
    assert_has(&opening, "Opening Keynote");
    assert_has(&opening, "href=\"../../speakers/abigail-dogbe/\"");
    assert_has(&opening, "Abigail Mesrenyame Dogbe");
    assert_has(&opening, "https://www.youtube.com/watch?v=opening");
    assert_has(&opening, "href=\"../../events/pycon-us-2023/\"");
    assert_has(&opening, "09:00");
    assert_has(
        &opening,
        "https://github.com/pycon/schedule/edit/main/_talks/2023-04-21-opening.md",
    );
    // Breaks are left out by `only`, and said so.
    assert!(!site.has("talks/2023-04-21-lunch/index.html"));
    let said = format!("{}{}", run.stdout, run.stderr);
    assert_has(&said, "only");
    // One page per speaker, named as the profile names them, with both talks.
    let abigail = site.read("speakers/abigail-dogbe/index.html");
    assert_has(&abigail, "Abigail Mesrenyame Dogbe");
    assert_has(&abigail, "Python Ghana");
    assert_has(&abigail, "https://example.org/abigail");
    assert_has(&abigail, "href=\"../../talks/2023-04-21-opening/\"");
    assert_has(&abigail, "href=\"../../talks/2023-04-21-async/\"");
    assert_has(&abigail, "/edit/main/_speakers/abigail-dogbe.md");
    // The day's talks by time: 09:00, 10:15, 14:30.
    let event = site.read("events/pycon-us-2023/index.html");
    let at = |slug: &str| {
        event
            .find(&format!("talks/{slug}/"))
            .unwrap_or_else(|| panic!("{slug} not on the event page:\n{event}"))
    };
    assert!(at("2023-04-21-opening") < at("2023-04-21-typing"));
    assert!(at("2023-04-21-typing") < at("2023-04-21-async"));
    // Feeds carry the real time.
    assert_has(&site.read("atom.xml"), "2023-04-21T09:00:00-04:00");
    // The summary names the keys talkbook did not use, and the profile no talk names.
    assert_has(&said, "room (2 notes)");
    assert_has(&said, "nobody-yet");
    // `category` is used, by `only`.
    assert_lacks(&said, "category (");
}

const FOLDERS_BOOK: &str = r#"[site]
title = "Ada's conference notes"

[edit]
repository = "https://github.com/ada/notes"

[content]
notes = ["."]
event = "{folder}"
exclude = ["**/LICENSE*"]
slug = "{folder}-{stem}"
"#;

/// A person's notes: a folder per conference, no front matter.
fn folders() -> Site {
    let site = Site::empty()
        .file("book.toml", FOLDERS_BOOK)
        .file("README.md", "# Ada's conference notes\n\nWhat I saw, year by year.\n")
        .file("LICENSE", "CC-BY-4.0\n")
        .file("2019/djangocon-us/README.md", "# DjangoCon US 2019\n\nSan Diego, in September.\n")
        .file(
            "2019/djangocon-us/Day-1-keynote.md",
            "# \"Django in the Real World\" by Jacob Kaplan-Moss and Frank Wiles\n\nDeploying is the hard part.\n",
        )
        .file(
            "2019/djangocon-us/testing.md",
            "# Testing *Django* apps\n## Eric Baer, Formidable\n\nFactories beat fixtures.\n",
        )
        .file(
            "2020/pycon/Day-1-keynote.md",
            "# Keynote - Ada Lovelace, Analyst, Engines Ltd & Charles Babbage, Engines Ltd\n\nOn engines.\n",
        )
        .file(
            "2020/pycon/untitled-thoughts.md",
            "Thoughts between talks.\n\n![the stage](img/stage.png)\n",
        );
    site.write("2020/pycon/img/stage.png", b"\x89PNG\r\n\x1a\nstage");
    site
}

#[test]
fn a_folder_per_conference_without_front_matter_gives_events_speakers_and_titles() {
    let site = folders();
    let run = site.build();
    // Each folder is an event; its README is the event's page.
    let django = site.read("events/djangocon-us-2019/index.html");
    assert_has(&django, "San Diego, in September.");
    assert_has(
        &django,
        "href=\"../../talks/2019-djangocon-us-day-1-keynote/\"",
    );
    assert_has(&django, "href=\"../../talks/2019-djangocon-us-testing/\"");
    assert_has(&django, "/edit/main/2019/djangocon-us/README.md");
    let pycon = site.read("events/2020-pycon/index.html");
    assert_has(&pycon, "href=\"../../talks/2020-pycon-day-1-keynote/\"");
    // Two notes with one file name, in two folders: two talks.
    let keynote = site.read("talks/2019-djangocon-us-day-1-keynote/index.html");
    assert_has(&keynote, "Django in the Real World");
    assert_lacks(&keynote, "by Jacob");
    assert_has(&keynote, "href=\"../../speakers/jacob-kaplan-moss/\"");
    assert_has(&keynote, "href=\"../../speakers/frank-wiles/\"");
    assert_has(&keynote, "href=\"../../events/djangocon-us-2019/\"");
    assert_has(
        &keynote,
        "https://github.com/ada/notes/edit/main/2019/djangocon-us/Day-1-keynote.md",
    );
    let other = site.read("talks/2020-pycon-day-1-keynote/index.html");
    assert_has(&other, "href=\"../../speakers/ada-lovelace/\"");
    assert_has(&other, "href=\"../../speakers/charles-babbage/\"");
    let testing = site.read("talks/2019-djangocon-us-testing/index.html");
    assert_has(&testing, "<title>Testing Django apps");
    assert_has(&testing, "href=\"../../speakers/eric-baer/\"");
    assert_has(&site.read("speakers/eric-baer/index.html"), "Formidable");
    // Speakers link back.
    assert_has(
        &site.read("speakers/frank-wiles/index.html"),
        "href=\"../../talks/2019-djangocon-us-day-1-keynote/\"",
    );
    // A note with no heading: titled by its file name, with a warning.
    let untitled = site.read("talks/2020-pycon-untitled-thoughts/index.html");
    assert_has(&untitled, "Untitled thoughts");
    assert_has(&run.stderr, "2020/pycon/untitled-thoughts.md");
    // Its image is copied beside its page.
    assert_eq!(
        std::fs::read(
            site.out()
                .join("talks/2020-pycon-untitled-thoughts/img/stage.png")
        )
        .unwrap(),
        b"\x89PNG\r\n\x1a\nstage"
    );
    assert_has(&untitled, "src=\"img/stage.png\"");
    // README at the top and LICENSE are no talks, and no errors.
    assert!(!site.has("talks/readme/index.html"));
    assert!(!site.has("talks/license/index.html"));
    assert_lacks(&run.stderr, "error");
}

#[test]
fn the_output_inside_a_root_notes_folder_is_never_read_back() {
    let site = folders();
    site.build_into(&site.root().join("public"), &[]).ok();
    let second = site.build_into(&site.root().join("public"), &[]).ok();
    assert_lacks(&second.stderr, "public/");
    let home = read(&site.root().join("public"), "index.html");
    assert_lacks(&home, "talks/public");
}

#[test]
fn a_missing_notes_folder_names_the_line_of_notes() {
    let site = Site::empty().file(
        "book.toml",
        "[site]\ntitle = \"x\"\n\n[content]\nnotes = [\"talks\"]\n",
    );
    let run = site.build_with(&[]).failed();
    assert_has(
        &run.stderr,
        "error: book.toml:5: the notes folder `talks` does not exist",
    );
}
