//! What talkbook infers from notes as people write them: titles and
//! speakers from headings, a title from the file name, empty values, and
//! dates with times (shown on talk pages, ordering a day's talks, in feeds).

use crate::support::*;

/// Notes without front matter, each titled (or not) by its headings; and
/// one event's talks over two days, with times and offsets, in YAML.
fn site() -> Site {
    let yaml = |title: &str, date: &str| {
        format!("---\ntitle: {title}\nevent: KubeCon 2018\ndate: {date}\ntags: null\n---\nNotes.\n")
    };
    Site::new()
        .file(
            "content/kubecon/scaling.md",
            "# \"Scaling Teams\" by Ada Lovelace and Bo Smith\n\nWhat they said.\n",
        )
        .file(
            "content/kubecon/mesh.md",
            "# Service **Mesh** Basics\n\n## Liz Rice, Aqua Security\n\nWhat she said.\n",
        )
        .file(
            "content/kubecon/day-1-keynote.md",
            "Only a few words, no heading.\n",
        )
        .file(
            "content/talks/morning.md",
            &yaml("Morning talk", "2018-05-02 10:00:00 +0200"),
        )
        .file(
            "content/talks/afternoon.md",
            &yaml("Afternoon talk", "2018-05-02T14:30:00+02:00"),
        )
        .file(
            "content/talks/zebra.md",
            &yaml("Zebra talk", "2018-05-02 08:15:00+02:00"),
        )
        .file(
            "content/talks/next-day.md",
            &yaml("Next day talk", "2018-05-03 09:00"),
        )
}

#[test]
fn titles_and_speakers_come_from_headings() {
    let site = site();
    site.build();
    let scaling = site.read("talks/scaling/index.html");
    assert_has(&scaling, "<h1>Scaling Teams</h1>");
    assert_has(
        &scaling,
        "href=\"../../speakers/ada-lovelace/\">Ada Lovelace</a>",
    );
    assert_has(&scaling, "href=\"../../speakers/bo-smith/\">Bo Smith</a>");
    assert_lacks(main_of(&scaling), "by Ada Lovelace");
    assert!(site.has("speakers/bo-smith/index.html"));

    let mesh = site.read("talks/mesh/index.html");
    assert_has(&mesh, "<h1>Service Mesh Basics</h1>");
    assert_has(&mesh, "href=\"../../speakers/liz-rice/\">Liz Rice</a>");
    assert_has(&mesh, "Aqua Security");
    let body = between(&mesh, "<div class=\"note-body\">", "</div>");
    assert_lacks(body, "Liz Rice");
    assert_has(body, "What she said.");
}

#[test]
fn a_note_without_heading_is_titled_by_its_file_name_with_a_warning() {
    let site = site();
    let run = site.build();
    assert_has(
        &site.read("talks/day-1-keynote/index.html"),
        "<h1>Day 1 keynote</h1>",
    );
    assert_has(&run.stderr, "day-1-keynote.md");
    assert_has(&run.stderr, "after its file name");
}

#[test]
fn talk_pages_show_the_time_and_a_days_talks_are_listed_by_time() {
    let site = site();
    site.build();
    assert_has(
        &site.read("talks/morning/index.html"),
        "<time datetime=\"2018-05-02T10:00:00+02:00\">2 May 2018, 10:00 (UTC+02:00)</time>",
    );
    assert_has(
        &site.read("talks/next-day/index.html"),
        "<time datetime=\"2018-05-03T09:00:00\">3 May 2018, 09:00</time>",
    );
    let event = site.read("events/kubecon-2018/index.html");
    assert_eq!(
        talk_card_links(&event),
        [
            "../../talks/next-day/",
            "../../talks/zebra/",
            "../../talks/morning/",
            "../../talks/afternoon/",
        ]
    );
}

#[test]
fn atom_entries_carry_the_real_time() {
    let site = site();
    site.build();
    let feed = site.read("atom.xml");
    let morning = between(&feed, "<title>Morning talk</title>", "</entry>");
    assert_has(morning, "<updated>2018-05-02T10:00:00+02:00</updated>");
    let next_day = between(&feed, "<title>Next day talk</title>", "</entry>");
    assert_has(next_day, "<updated>2018-05-03T09:00:00Z</updated>");
    let scaling = between(&feed, "<title>Scaling Teams</title>", "</entry>");
    assert_has(scaling, "<updated>1970-01-01T00:00:00Z</updated>");
    let head = between(&feed, "<feed", "<entry>");
    assert_has(head, "<updated>2018-05-03T09:00:00Z</updated>");
}
