//! Profiles: a speaker named by a profile's slug, name or alias is that
//! profile's entity, shown by its `name`, with its social links and photo;
//! and `serve` keeps that as a build makes it.

use std::path::Path;

use talkbook::content::Profile;
use talkbook::content::keys::KeyMap;
use talkbook::entity::EntityKind;

use crate::support::serve::Live;
use crate::support::{BOOK_TOML, Site, assert_has, assert_lacks, main_of, talk_card_links};

/// Abigail's profile, in YAML, with a key of the site's own (`company`).
const ABIGAIL: &str = "---
name: Abigail Mesrenyame Dogbe
aliases: [Abi Dogbe, abigail-m-dogbe]
company: Ghana Tech Lab
role: Engineer
twitter: \"@abigail\"
github: abigaildogbe
mastodon: \"@abi@example.social\"
photo: /img/abigail.jpg
---
Abigail organises PyCon Ghana.
";

fn site() -> Site {
    Site::new()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}\n[keys]\ncompany = \"affiliation\"\n"),
        )
        .file(
            "content/talks/first.md",
            "+++\ntitle = \"First talk\"\ndate = 2024-02-01\nspeakers = [\"abigail-dogbe\"]\n+++\nBody.\n",
        )
        .file(
            "content/talks/second.md",
            "+++\ntitle = \"Second talk\"\ndate = 2024-01-01\nspeakers = [{ name = \"Abigail Dogbe\", affiliation = \"Old Org\" }]\n+++\nBody.\n",
        )
        .file(
            "content/talks/third.md",
            "+++\ntitle = \"Third talk\"\ndate = 2023-01-01\nspeakers = [\"Abi Dogbe\"]\n+++\nBody.\n",
        )
        .file("content/speakers/abigail-dogbe.md", ABIGAIL)
        .file("static/img/abigail.jpg", "not really a jpeg")
}

#[test]
fn spellings_of_one_speaker_make_one_page_with_the_profiles_name() {
    let site = site();
    site.build();
    let speakers: Vec<String> = std::fs::read_dir(site.out().join("speakers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html")
        .collect();
    assert_eq!(speakers, ["abigail-dogbe"]);
    let page = site.read("speakers/abigail-dogbe/index.html");
    assert_has(&page, "<h1>Abigail Mesrenyame Dogbe</h1>");
    assert_eq!(
        talk_card_links(main_of(&page)),
        [
            "../../talks/first/",
            "../../talks/second/",
            "../../talks/third/"
        ]
    );
    let index = site.read("speakers/index.html");
    assert_has(&index, ">Abigail Mesrenyame Dogbe</a>");
    assert_lacks(&index, ">Abigail Dogbe<");
}

#[test]
fn talk_pages_link_the_profile_and_show_its_name() {
    let site = site();
    site.build();
    for talk in ["first", "second", "third"] {
        let page = site.read(&format!("talks/{talk}/index.html"));
        assert_has(
            &page,
            "<a href=\"../../speakers/abigail-dogbe/\">Abigail Mesrenyame Dogbe</a>",
        );
    }
    let home = site.read("index.html");
    assert_has(&home, "Abigail Mesrenyame Dogbe");
    assert_lacks(&home, "Abi Dogbe");
    let feed = site.read("atom.xml");
    assert_has(&feed, "<name>Abigail Mesrenyame Dogbe</name>");
    assert_lacks(&feed, "<name>Abi Dogbe</name>");
}

#[test]
fn profile_pages_show_social_links_photo_and_role() {
    let site = site();
    site.build();
    let page = site.read("speakers/abigail-dogbe/index.html");
    let links = main_of(&page);
    for (url, label) in [
        ("https://twitter.com/abigail", "Twitter"),
        ("https://example.social/@abi", "Mastodon"),
        ("https://github.com/abigaildogbe", "GitHub"),
    ] {
        assert_has(links, &format!("<a href=\"{url}\">{label}</a>"));
    }
    assert_has(
        &page,
        "<img class=\"entity-photo\" src=\"../../static/img/abigail.jpg\" alt=\"Abigail Mesrenyame Dogbe\"",
    );
    assert!(site.has("static/img/abigail.jpg"));
    // The profile's affiliation, under the site's own key, wins over the note's.
    assert_has(
        &page,
        "<p class=\"affiliation\">Engineer, Ghana Tech Lab</p>",
    );
}

#[test]
fn the_sites_key_mapping_reaches_profile_keys() {
    let keys = KeyMap::new(&[("company".to_string(), "affiliation".to_string())].into());
    let source = Path::new("content/speakers/abigail-dogbe.md");
    let profile = Profile::parse(EntityKind::Speaker, source, ABIGAIL, &keys).unwrap();
    assert_eq!(profile.affiliation.as_deref(), Some("Ghana Tech Lab"));
    assert!(!profile.data.contains_key("company"));
    let bad = ABIGAIL.replace("company: Ghana Tech Lab", "company: [1, 2]");
    let err = Profile::parse(EntityKind::Speaker, source, &bad, &keys).unwrap_err();
    assert_eq!(err.line, Some(4));
    assert_eq!(err.message, "`company` must be text");
}

#[test]
fn a_photo_missing_from_static_is_a_warning_naming_the_line() {
    let site = site().file(
        "content/speakers/abigail-dogbe.md",
        &ABIGAIL.replace("/img/abigail.jpg", "img/gone.jpg"),
    );
    let run = site.build();
    assert_has(&run.stderr, "content/speakers/abigail-dogbe.md:9");
    assert_has(&run.stderr, "`img/gone.jpg` is not in static/");
    let page = site.read("speakers/abigail-dogbe/index.html");
    assert_lacks(&page, "<img class=\"entity-photo\"");
}

#[test]
fn two_profiles_claiming_one_name_is_an_error_naming_both() {
    let site = site().file(
        "content/speakers/abi.md",
        "+++\nname = \"Abi\"\naliases = [\"Abi Dogbe\"]\n+++\n",
    );
    let run = site.build_with(&[]).failed();
    assert_has(
        &run.stderr,
        "content/speakers/abi.md and content/speakers/abigail-dogbe.md both name the speaker `abi-dogbe`",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_follows_profile_edits_as_a_build_does() {
    let mut live = Live::start(site()).await;
    let profile = live.site.root().join("content/speakers/abigail-dogbe.md");
    let before = live.assert_fresh();
    let renamed = ABIGAIL
        .replace("Abigail Mesrenyame Dogbe", "Abigail M. Dogbe")
        .replace("[Abi Dogbe, abigail-m-dogbe]", "[abigail-m-dogbe]");
    std::fs::write(&profile, renamed).unwrap();
    let urls = live.expect_reload(&before).await;
    for url in ["talks/first/", "speakers/abi-dogbe/", "atom.xml", ""] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert_has(&live.page("/talks/second/").await, "Abigail M. Dogbe");
    let before = live.assert_fresh();
    std::fs::write(&profile, ABIGAIL).unwrap();
    live.expect_reload(&before).await;
    live.stop().await;
}
