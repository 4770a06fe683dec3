//! `talkbook serve` on a site in a temporary folder: every kind of change
//! (edit, create, delete, rename, atomic save, a broken note and its fix,
//! templates, static files, `book.toml`, a burst) gives one reload message
//! naming exactly the URLs whose files changed, and leaves the served site
//! equal to a fresh build of the same files.

use std::time::Duration;

use crate::support::serve::*;
use crate::support::*;

const ALPHA: &str = r#"+++
title = "Alpha talk"
date = 2024-03-01
event = "RustConf 2024"
speakers = ["Ada Lovelace"]
projects = ["Tokio"]
tags = ["async"]
+++
Alpha's first paragraph, shown in lists.

## Details

See [the beta talk](beta.md).
"#;

const BETA: &str = r#"+++
title = "Beta talk"
date = 2024-03-02
event = "RustConf 2024"
speakers = ["Ada Lovelace", "Bo Diddley"]
tags = ["async", "runtime"]
+++
Beta's first paragraph.

Beta's second paragraph.
"#;

const GAMMA: &str = r#"---
title: Gamma talk
date: 2024-03-03
event: GoCon
speakers: [Cy Young]
projects: [Tokio]
tags: [runtime]
---
Gamma links to [alpha's details](alpha.md#details).

Gamma's second paragraph.
"#;

/// A small site: three talks sharing speakers, projects, tags and an event,
/// linking to each other, a speaker profile and a stylesheet.
fn site() -> Site {
    Site::new()
        .file("content/talks/alpha.md", ALPHA)
        .file("content/talks/beta.md", BETA)
        .file("content/talks/gamma.md", GAMMA)
        .file(
            "content/speakers/ada-lovelace.md",
            "+++\nname = \"Ada Lovelace\"\n+++\nFirst programmer.\n",
        )
        .file("static/extra.css", "body { color: black; }\n")
}

async fn live() -> Live {
    let live = Live::start(site()).await;
    live.assert_fresh();
    live
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_the_site_from_memory() {
    let live = live().await;
    let home = live.get("/").await;
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_has(&home.text(), "Alpha talk");
    assert_has(
        &home.text(),
        "<script src=\"/__livereload.js\" data-page=\"\"></script></body>",
    );
    let talk = live.page("/talks/alpha/").await;
    assert_has(&talk, "first paragraph, shown in lists");
    assert_eq!(live.page("/talks/alpha/index.html").await, talk);
    let redirect = live.get("/talks/alpha?x=1").await;
    assert_eq!(redirect.status, 307);
    assert_eq!(redirect.header("location"), Some("/talks/alpha/?x=1"));
    let missing = live.get("/talks/nope/").await;
    assert_eq!(missing.status, 404);
    assert_has(&missing.text(), "Page not found");
    assert_has(&missing.text(), "data-page=\"404.html\"");
    let css = live.get("/static/extra.css").await;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.text(), "body { color: black; }\n");
    let feed = live.get("/atom.xml").await;
    assert_eq!(feed.header("content-type"), Some("application/atom+xml"));
    assert!(!feed.text().contains("__livereload"));
    let script = live.get("/__livereload.js").await;
    assert_eq!(script.status, 200);
    assert_has(&script.text(), "/__livereload");
    // Served pages are built pages plus the script, nothing else.
    let built = fresh_build(&live.site.root());
    let without_script = talk.replace(
        "<script src=\"/__livereload.js\" data-page=\"talks/alpha/\"></script>",
        "",
    );
    assert_eq!(without_script.as_bytes(), built["talks/alpha/index.html"]);
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_edit_renders_only_its_page_and_the_site_feed() {
    let mut live = live().await;
    let before = live.server.files();
    let path = live.site.root().join("content/talks/alpha.md");
    std::fs::write(
        &path,
        ALPHA.replace("## Details", "Body edit.\n\n## Details"),
    )
    .unwrap();
    let urls = live.expect_reload(&before).await;
    // The site feed's entries carry the note's content.
    assert_eq!(urls, ["atom.xml", "talks/alpha/"]);
    assert_has(&live.page("/talks/alpha/").await, "Body edit.");
    assert_has(&live.page("/atom.xml").await, "Body edit.");
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_excerpt_edit_renders_every_page_that_lists_the_talk() {
    let mut live = live().await;
    let before = live.server.files();
    let path = live.site.root().join("content/talks/beta.md");
    std::fs::write(&path, BETA.replace("Beta's first", "Beta's new first")).unwrap();
    let urls = live.expect_reload(&before).await;
    for url in [
        "talks/beta/",
        "tags/runtime/",
        "speakers/bo-diddley/",
        "atom.xml",
    ] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_title_and_tags_edit_renders_every_page_that_shows_them() {
    let mut live = live().await;
    let before = live.server.files();
    let text = ALPHA
        .replace("Alpha talk", "Renamed talk")
        .replace("tags = [\"async\"]", "tags = [\"async\", \"fresh-tag\"]");
    std::fs::write(live.site.root().join("content/talks/alpha.md"), text).unwrap();
    let urls = live.expect_reload(&before).await;
    for url in [
        "talks/alpha/",
        "",
        "speakers/ada-lovelace/",
        "projects/tokio/",
        "tags/async/",
        "tags/fresh-tag/",
        "tags/",
        "events/rustconf-2024/",
        "atom.xml",
        "talks/gamma/",
    ] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert_has(&live.page("/tags/fresh-tag/").await, "Renamed talk");
    live.stop().await;
}

/// A title edit of a talk whose entities other talks name the same way
/// (what wikilinks can name is updated in place, not made again) renders
/// again the pages that link to the talk by name; a wikilink by its old
/// title then leads nowhere, and by its new one leads to it.
#[tokio::test(flavor = "multi_thread")]
async fn a_title_edit_renders_the_pages_linking_to_the_talk_by_name() {
    let delta = "+++\ntitle = \"Delta talk\"\ndate = 2024-03-04\nevent = \"GoCon\"\nspeakers = [\"Cy Young\"]\ntags = [\"runtime\"]\n+++\nDelta's body.\n";
    let epsilon = "+++\ntitle = \"Epsilon talk\"\ndate = 2024-03-05\ntags = [\"web\"]\n+++\nSee [[talks/delta]] and [[Gamma talk]].\n";
    let site = site()
        .file("content/talks/delta.md", delta)
        .file("content/talks/epsilon.md", epsilon);
    let mut live = Live::start(site).await;
    let before = live.server.files();
    let text = delta.replace("Delta talk", "Delta, renamed");
    std::fs::write(live.site.root().join("content/talks/delta.md"), text).unwrap();
    let urls = live.expect_reload(&before).await;
    for url in ["talks/delta/", "talks/epsilon/", "tags/runtime/"] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert_has(&live.page("/talks/epsilon/").await, "Delta, renamed");
    let before = live.server.files();
    let text = GAMMA.replace("title: Gamma talk", "title: Gamma, renamed");
    std::fs::write(live.site.root().join("content/talks/gamma.md"), text).unwrap();
    let errors = live.errors().await;
    assert!(format!("{errors:?}").contains("Gamma talk"), "{errors:?}");
    let text = epsilon.replace("[[Gamma talk]]", "[[Gamma, renamed]]");
    std::fs::write(live.site.root().join("content/talks/epsilon.md"), text).unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/epsilon/".to_string()), "{urls:?}");
    live.stop().await;
}

/// A slug edit moves the talk's page: the old URL goes, the new one comes.
/// The alpha note with a slug of its own, which moves its page to
/// `talks/alpha-moved/`.
fn alpha_moved() -> String {
    ALPHA.replace(
        "tags = [\"async\"]",
        "tags = [\"async\"]\nslug = \"alpha-moved\"",
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slug_edit_moves_the_talk_page() {
    let mut live = live().await;
    let before = live.server.files();
    std::fs::write(
        live.site.root().join("content/talks/alpha.md"),
        alpha_moved(),
    )
    .unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/alpha-moved/".to_string()), "{urls:?}");
    assert_eq!(live.get("/talks/alpha/").await.status, 404);
    assert_has(&live.page("/talks/alpha-moved/").await, "Alpha talk");
    live.stop().await;
}

/// With more than one file of hover previews, a slug edit that moves a
/// talk's card into another file writes both files again, though no card
/// the other file held changed (it had not read the talk before).
#[tokio::test(flavor = "multi_thread")]
async fn a_slug_edit_moves_the_talks_card_to_another_preview_file() {
    // Nine notes make two preview files (about eight notes to a file); the
    // moved one links to none and none links to it.
    let filler = |n: usize| format!("+++\ntitle = \"Filler {n}\"\n+++\nFiller.\n");
    let mut site = site();
    for n in 0..6 {
        site = site.file(&format!("content/talks/filler-{n}.md"), &filler(n));
    }
    let mut live = Live::start(site).await;
    let file_of = |slug: &str| talkbook::render::file_of(&format!("talks/{slug}/"), 2);
    let slug = (0..)
        .map(|n| format!("moved-{n}"))
        .find(|slug| file_of(slug) != file_of("filler-0"))
        .unwrap();
    let before = live.server.files();
    let text = filler(0).replace("+++\nFiller.", &format!("slug = \"{slug}\"\n+++\nFiller."));
    std::fs::write(live.site.root().join("content/talks/filler-0.md"), text).unwrap();
    let urls = live.expect_reload(&before).await;
    for file in [file_of("filler-0"), file_of(&slug)] {
        let url = format!("previews/{file}.js");
        assert!(urls.contains(&url), "{url} not in {urls:?}");
    }
    live.stop().await;
}

/// Every field of a page's view is in its fingerprint: an edit of a value
/// only a site's own template shows (a note's own front-matter key, a
/// profile's data), or of a speaker's name in their profile, renders again
/// exactly the pages that show it.
#[tokio::test(flavor = "multi_thread")]
async fn an_edit_of_any_value_a_page_shows_renders_that_page() {
    let alpha = ALPHA.replace("tags = [\"async\"]", "tags = [\"async\"]\nmood = \"calm\"");
    let site = site()
        .file("content/talks/alpha.md", &alpha)
        .file(
            "templates/talk.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ talk.title }}</h1>\
             {% for s in talk.speakers %}<p class=\"speaker\">{{ s.name }}</p>{% endfor %}\
             <p class=\"mood\">{{ talk.extra.mood | default(value=\"\") }}</p>{{ content | safe }}{% endblock main %}",
        )
        .file(
            "templates/speaker.html",
            "{% extends \"entity.html\" %}{% block details %}\
             <p class=\"pronouns\">{{ entity.profile.data.pronouns | default(value=\"\") }}</p>\
             {% endblock details %}",
        );
    let mut live = Live::start(site).await;
    live.assert_fresh();
    let profile = "content/speakers/ada-lovelace.md";

    let before = live.server.files();
    live.site.write(
        "content/talks/alpha.md",
        alpha.replace("\"calm\"", "\"stormy\"").as_bytes(),
    );
    assert_eq!(live.expect_reload(&before).await, ["talks/alpha/"]);
    assert_has(
        &live.page("/talks/alpha/").await,
        "<p class=\"mood\">stormy</p>",
    );

    let before = live.server.files();
    live.site.write(
        profile,
        b"+++\nname = \"Ada Lovelace\"\npronouns = \"she/her\"\n+++\nFirst programmer.\n",
    );
    assert_eq!(
        live.expect_reload(&before).await,
        ["speakers/ada-lovelace/"]
    );
    assert_has(&live.page("/speakers/ada-lovelace/").await, "she/her");

    let before = live.server.files();
    live.site.write(
        profile,
        b"+++\nname = \"Ada King\"\npronouns = \"she/her\"\n+++\nFirst programmer.\n",
    );
    let urls = live.expect_reload(&before).await;
    for url in ["talks/alpha/", "talks/beta/", "speakers/ada-lovelace/", ""] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert_has(
        &live.page("/talks/beta/").await,
        "<p class=\"speaker\">Ada King</p>",
    );
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn created_deleted_and_renamed_notes() {
    let mut live = live().await;
    let root = live.site.root();

    let before = live.server.files();
    live.site.write(
        "content/talks/delta.md",
        b"# Delta talk\n\nDelta links to [beta](beta.md).\n",
    );
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/delta/".to_string()), "{urls:?}");
    assert_has(&live.page("/talks/beta/").await, "Delta talk");

    let before = live.server.files();
    std::fs::rename(
        root.join("content/talks/delta.md"),
        root.join("content/talks/epsilon.md"),
    )
    .unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/delta/".to_string()), "{urls:?}");
    assert!(urls.contains(&"talks/epsilon/".to_string()), "{urls:?}");
    assert_eq!(live.get("/talks/delta/").await.status, 404);

    let before = live.server.files();
    live.site.remove("content/talks/epsilon.md");
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/epsilon/".to_string()), "{urls:?}");
    assert_lacks(&live.page("/talks/beta/").await, "Delta talk");

    // A folder of notes moved away, then back.
    let before = live.server.files();
    std::fs::rename(root.join("content/talks"), root.join("talks-away")).unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/alpha/".to_string()), "{urls:?}");
    let before = live.server.files();
    std::fs::rename(root.join("talks-away"), root.join("content/talks")).unwrap();
    live.expect_reload(&before).await;
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn editors_saves_and_swap_files() {
    let mut live = live().await;
    let root = live.site.root();
    let path = root.join("content/talks/beta.md");

    // Swap and backup files alone change nothing.
    live.site.write("content/talks/.beta.md.swp", b"\0swap");
    live.site.write("content/talks/beta.md~", b"backup");
    live.site.write("content/talks/.#beta.md", b"lock");
    live.assert_quiet(Duration::from_millis(500)).await;

    // Written to a temporary file, renamed over the note.
    let before = live.server.files();
    write_atomically(&path, &BETA.replace("second paragraph", "saved paragraph"));
    let beta_and_feeds = ["atom.xml", "talks/beta/"];
    assert_eq!(live.expect_reload(&before).await, beta_and_feeds);

    // JetBrains: a temporary name that is no note, renamed over it.
    let before = live.server.files();
    let temp = root.join("content/talks/beta.md___jb_tmp___");
    std::fs::write(
        &temp,
        BETA.replace("second paragraph", "jetbrains paragraph"),
    )
    .unwrap();
    std::fs::rename(&temp, &path).unwrap();
    assert_eq!(live.expect_reload(&before).await, beta_and_feeds);

    // vim: the note renamed to a backup, written anew, the backup deleted.
    let before = live.server.files();
    let backup = root.join("content/talks/beta.md~");
    std::fs::rename(&path, &backup).unwrap();
    std::fs::write(&path, BETA.replace("second paragraph", "vim paragraph")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    assert_eq!(live.expect_reload(&before).await, beta_and_feeds);
    assert_has(&live.page("/talks/beta/").await, "vim paragraph");
    live.assert_quiet(Duration::from_millis(300)).await;
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_note_keeps_the_last_good_site_until_fixed() {
    let mut live = live().await;
    let good = live.server.files();
    let path = live.site.root().join("content/talks/gamma.md");
    let broken = GAMMA.replace("date: 2024-03-03", "date: 2024-13-45");
    std::fs::write(&path, &broken).unwrap();
    let problems = live.errors().await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["file"], "content/talks/gamma.md");
    assert_eq!(problems[0]["line"], 3);
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("not a date")
    );
    assert_eq!(live.server.files(), good, "the last good site is served");
    assert_has(&live.page("/talks/gamma/").await, "Gamma talk");

    // Another edit while broken: still broken, still the same site.
    std::fs::write(
        &path,
        broken.replace("second paragraph", "edited paragraph"),
    )
    .unwrap();
    assert_eq!(live.errors().await.len(), 1);
    assert_eq!(live.server.files(), good);

    // A broken link elsewhere adds its own error.
    let alpha = live.site.root().join("content/talks/alpha.md");
    std::fs::write(&alpha, ALPHA.replace("beta.md", "missing.md")).unwrap();
    let problems = live.errors().await;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0]["file"], "content/talks/alpha.md");
    assert_eq!(problems[0]["line"], 13);

    std::fs::write(&alpha, ALPHA).unwrap();
    assert_eq!(live.errors().await.len(), 1);
    std::fs::write(&path, GAMMA.replace("second paragraph", "fixed paragraph")).unwrap();
    let urls = live.expect_reload(&good).await;
    assert_eq!(urls, ["atom.xml", "talks/gamma/"]);
    live.stop().await;
}

/// A page that moves while the site is broken is gone from its old URL
/// once the site is fixed.
#[tokio::test(flavor = "multi_thread")]
async fn a_page_moved_while_the_site_is_broken_leaves_its_old_url_once_fixed() {
    let mut live = live().await;
    let good = live.server.files();
    let gamma = live.site.root().join("content/talks/gamma.md");
    std::fs::write(
        &gamma,
        GAMMA.replace("date: 2024-03-03", "date: 2024-13-45"),
    )
    .unwrap();
    assert_eq!(live.errors().await.len(), 1);
    std::fs::write(
        live.site.root().join("content/talks/alpha.md"),
        alpha_moved(),
    )
    .unwrap();
    assert_eq!(live.errors().await.len(), 1);
    assert_eq!(live.server.files(), good, "the last good site is served");
    std::fs::write(&gamma, GAMMA).unwrap();
    let urls = live.expect_reload(&good).await;
    assert!(urls.contains(&"talks/alpha-moved/".to_string()), "{urls:?}");
    assert_eq!(live.get("/talks/alpha/").await.status, 404);
    assert_has(&live.page("/talks/alpha-moved/").await, "Alpha talk");
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_broken_from_the_start_is_served_once_fixed() {
    let broken = site().file("content/talks/beta.md", "+++\ndate = \"soon\"\n+++\n");
    let mut live = Live::start(broken).await;
    let waiting = live.get("/talks/alpha/").await;
    assert_eq!(waiting.status, 503);
    assert_has(&waiting.text(), "/__livereload.js");
    // A page opened now is told the errors as it connects.
    let problems = live.errors().await;
    assert!(
        problems
            .iter()
            .any(|p| p["file"] == "content/talks/beta.md"),
        "{problems:?}"
    );
    let before = live.server.files();
    assert!(before.is_empty());
    live.site.write("content/talks/beta.md", BETA.as_bytes());
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/alpha/".to_string()), "{urls:?}");
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fix_back_to_the_served_version_clears_the_errors() {
    let mut live = live().await;
    let path = live.site.root().join("content/talks/beta.md");
    std::fs::write(&path, "+++\ntitle = \n+++\n").unwrap();
    // The note, and alpha's link to it.
    let problems = live.errors().await;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[1]["file"], "content/talks/beta.md");
    std::fs::write(&path, BETA).unwrap();
    assert_eq!(live.reload().await, Vec::<String>::new());
    live.assert_fresh();
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_static_files_and_configuration() {
    let mut live = live().await;

    // A new templates/ folder with an override of the talk page.
    let before = live.server.files();
    let talk = talkbook::templates::DEFAULTS
        .iter()
        .find(|(name, _)| *name == "talk.html")
        .unwrap()
        .1;
    live.site.write(
        "templates/talk.html",
        talk.replace(
            "<article class=\"talk talk-layout\">",
            "<article class=\"talk talk-layout custom\">",
        )
        .as_bytes(),
    );
    let urls = live.expect_reload(&before).await;
    assert_eq!(urls, ["talks/alpha/", "talks/beta/", "talks/gamma/"]);
    assert_has(&live.page("/talks/beta/").await, "talk talk-layout custom");

    // A template that does not parse: errors, then fixed.
    live.site.write("templates/talk.html", b"{% if %}");
    let problems = live.errors().await;
    assert_eq!(problems[0]["file"], "templates/talk.html");
    let before = live.server.files();
    live.site.remove("templates/talk.html");
    live.expect_reload(&before).await;

    // A stylesheet: only it changes, and it is listed as CSS.
    let before = live.server.files();
    live.site
        .write("static/extra.css", b"body { color: navy; }\n");
    let message = live.message().await;
    assert_eq!(strings(&message["urls"]), ["static/extra.css"]);
    assert_eq!(strings(&message["css"]), ["static/extra.css"]);
    assert_eq!(
        changed_urls(&before, &live.assert_fresh()),
        ["static/extra.css"]
    );

    // book.toml: every page shows the site's title.
    let before = live.server.files();
    live.site.write(
        "book.toml",
        BOOK_TOML.replace("Test notes", "Renamed notes").as_bytes(),
    );
    let urls = live.expect_reload(&before).await;
    assert!(urls.len() > 15, "{urls:?}");
    assert_has(&live.page("/talks/alpha/").await, "Renamed notes");
    live.stop().await;
}

/// A thousand notes arriving at once (a folder moved in, as `git checkout`
/// or an unpacked archive does) are one rebuild, and so is their removal.
/// The notes are written beside the site first, then moved in with one
/// rename: written one by one into `content/`, a loaded machine can spread
/// them over more than one debounce window.
#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_a_thousand_changes_is_one_rebuild() {
    let _alone = alone();
    let mut live = live().await;
    let before = live.server.files();
    let staging = live.site.tmp().join("burst");
    std::fs::create_dir(&staging).unwrap();
    for i in 0..1000 {
        let note = format!(
            "+++\ntitle = \"Burst {i}\"\ndate = 2024-04-01\ntags = [\"burst\", \"b{}\"]\n+++\nNote {i}.\n",
            i % 7
        );
        std::fs::write(staging.join(format!("n{i:04}.md")), note).unwrap();
    }
    std::fs::rename(&staging, live.site.root().join("content/burst")).unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.len() > 1000, "{} URLs", urls.len());
    live.assert_quiet(Duration::from_millis(500)).await;

    // And a thousand deletions: the folder moved out in one rename (deleted
    // file by file, on a busy machine the unlinks can be further apart
    // than the watcher's settle time).
    let before = live.server.files();
    let gone = live.site.tmp().join("gone");
    std::fs::rename(live.site.root().join("content/burst"), &gone).unwrap();
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/n0999/".to_string()));
    live.assert_quiet(Duration::from_millis(500)).await;
    live.stop().await;
}

/// At two talks a page, a third talk of a tag makes the second page of
/// the tag's talks, served and named in the reload; taking the talk away
/// drops the page.
#[tokio::test(flavor = "multi_thread")]
async fn a_talk_past_a_full_page_adds_a_page_and_its_removal_drops_it() {
    let book = format!("{BOOK_TOML}page-size = 2\n");
    let mut live = Live::start(site().file("book.toml", &book)).await;
    live.assert_fresh();
    assert_eq!(live.get("/tags/async/page/2/").await.status, 404);

    let before = live.server.files();
    let delta = ALPHA
        .replace("Alpha talk", "Delta talk")
        .replace("2024-03-01", "2024-03-04");
    live.site.write("content/talks/delta.md", delta.as_bytes());
    let urls = live.expect_reload(&before).await;
    for url in ["tags/async/", "tags/async/page/2/"] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    let second = live.page("/tags/async/page/2/").await;
    assert_eq!(
        talk_card_links(main_of(&second)),
        ["../../../../talks/alpha/"]
    );
    assert_has(
        &live.page("/tags/async/").await,
        "<link rel=\"next\" href=\"../../tags/async/page/2/\">",
    );

    let before = live.server.files();
    live.site.remove("content/talks/delta.md");
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"tags/async/page/2/".to_string()), "{urls:?}");
    assert_eq!(live.get("/tags/async/page/2/").await.status, 404);
    assert_lacks(&live.page("/tags/async/").await, "rel=\"next\"");
    live.stop().await;
}

/// A tag edit that fills a tag's page adds its next page to the sitemap, and
/// the edit undone takes it out: the sitemap reads the list of pages, not
/// the talks an edit changes.
#[tokio::test(flavor = "multi_thread")]
async fn a_tag_edit_past_a_full_page_lists_the_new_page_in_the_sitemap() {
    let book = format!("{BOOK_TOML}page-size = 2\n");
    let mut live = Live::start(site().file("book.toml", &book)).await;
    live.assert_fresh();
    assert_lacks(&live.page("/sitemap.xml").await, "tags/async/page/2/");

    let before = live.server.files();
    let tagged = GAMMA.replace("tags: [runtime]", "tags: [runtime, async]");
    live.site.write("content/talks/gamma.md", tagged.as_bytes());
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"sitemap.xml".to_string()), "{urls:?}");
    assert_has(&live.page("/sitemap.xml").await, "tags/async/page/2/");
    live.assert_fresh();

    let before = live.server.files();
    live.site.write("content/talks/gamma.md", GAMMA.as_bytes());
    live.expect_reload(&before).await;
    assert_lacks(&live.page("/sitemap.xml").await, "tags/async/page/2/");
    live.assert_fresh();
    live.stop().await;
}

/// A note whose fields are drawn from small pools, so that notes share
/// speakers, tags and events, and their dates and titles tie.
#[derive(Clone)]
struct RandomNote {
    title: String,
    date: usize,
    event: String,
    speaker: String,
    tags: [String; 2],
    excerpt: String,
    links: Vec<String>,
    rest: String,
}

impl RandomNote {
    fn new(dice: &mut Dice) -> RandomNote {
        let mut note = RandomNote {
            title: String::new(),
            date: 0,
            event: String::new(),
            speaker: String::new(),
            tags: Default::default(),
            excerpt: String::new(),
            links: Vec::new(),
            rest: String::new(),
        };
        for field in 0..7 {
            note.change(field, dice);
        }
        note
    }

    /// Changes one field (0 to 6) to a random value.
    fn change(&mut self, field: usize, dice: &mut Dice) {
        let speakers = ["Ada Byron", "Bo Diddley", "Cy Young", "Di Fox"];
        let tags = ["async", "runtime", "web", "db"];
        // Links by path and by name: a talk's file name (shown by its
        // title), a heading, the project by name, alias or explicit form.
        let targets = [
            "n0.md",
            "n1.md",
            "n2.md#more",
            "n3.md",
            "n4.md",
            "[[n1]]",
            "[[n3#more]]",
            "[[Tokio]]",
            "[[projects/tokio|the runtime]]",
        ];
        // Names that are mentions, or become and stop being mentions.
        let names = ["Ada Byron", "Cy Young", "Tokio", "Tokio RS", "Di Fox"];
        match field {
            0 => self.title = format!("Talk {}", dice.roll(4)),
            1 => self.date = 1 + dice.roll(3),
            2 => self.event = format!("Conf {}", dice.roll(2)),
            3 => self.speaker = dice.pick(&speakers).into(),
            4 => self.tags = [dice.pick(&tags).into(), dice.pick(&tags).into()],
            5 => self.excerpt = format!("First paragraph {}.", dice.roll(4)),
            _ => {
                self.links = (0..dice.roll(3))
                    .map(|_| dice.pick(&targets).into())
                    .collect();
                self.rest = format!("Later paragraph {} on {}.", dice.roll(4), dice.pick(&names));
            }
        }
    }

    fn text(&self) -> String {
        let links: String = self
            .links
            .iter()
            .map(|l| match l.starts_with("[[") {
                true => format!("See {l}.\n"),
                false => format!("See [that](./{l}).\n"),
            })
            .collect();
        format!(
            "+++\ntitle = \"{}\"\ndate = 2024-01-0{}\nevent = \"{}\"\nspeakers = [\"{}\"]\ntags = [\"{}\", \"{}\"]\n+++\n{}\n\n## More\n\n{}\n\n{links}",
            self.title,
            self.date,
            self.event,
            self.speaker,
            self.tags[0],
            self.tags[1],
            self.excerpt,
            self.rest,
        )
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn any_sequence_of_edits_serves_what_a_build_makes() {
    let mut dice = Dice::new(42);
    // Notes n0 to n4 always exist (others link to them); n5 to n7 come and go.
    let mut notes: Vec<Option<RandomNote>> = (0..8)
        .map(|i| (i < 5).then(|| RandomNote::new(&mut dice)))
        .collect();
    // A project profile whose aliases change too.
    let aliases = ["[]", "[\"Tokio RS\"]", "[\"Tokio RS\", \"tokio-rs\"]"];
    let profile =
        |aliases: &str| format!("+++\nname = \"Tokio\"\naliases = {aliases}\n+++\nA runtime.\n");
    // Two talks a page: an edit that adds a talk to a tag or an event can
    // make a page of its list, and one that takes it away can remove it.
    let book = format!("{BOOK_TOML}page-size = 2\n");
    let mut site = Site::empty()
        .file("book.toml", &book)
        .file("content/projects/tokio.md", &profile(aliases[1]));
    for (i, note) in notes.iter().enumerate() {
        if let Some(note) = note {
            site = site.file(&format!("content/n{i}.md"), &note.text());
        }
    }
    let live = Live::start(site).await;
    live.assert_fresh();
    let rel = |i: usize| format!("content/n{i}.md");
    // The later pages of entities' lists served, and whether one came and
    // one went between two edits.
    let later_pages = |live: &Live| -> std::collections::BTreeSet<String> {
        let files = live.server.files();
        let paged = files
            .keys()
            .filter(|p| p.contains("/page/") && !p.starts_with("talks/"));
        paged.cloned().collect()
    };
    let (mut made, mut dropped) = (false, false);
    let mut before = later_pages(&live);
    for _ in 0..40 {
        if dice.roll(6) == 0 {
            let aliases = dice.pick(&aliases);
            live.site
                .write("content/projects/tokio.md", profile(aliases).as_bytes());
            live.settle().await;
            continue;
        }
        let i = dice.roll(8);
        match (dice.roll(5), notes[i].clone()) {
            // One field of a note changes: the finest change there is.
            (0..3, Some(mut note)) => {
                note.change(dice.roll(7), &mut dice);
                live.site.write(&rel(i), note.text().as_bytes());
                notes[i] = Some(note);
            }
            (3, Some(note)) if i >= 5 => {
                let to = 5 + dice.roll(3);
                std::fs::rename(
                    live.site.root().join(rel(i)),
                    live.site.root().join(rel(to)),
                )
                .unwrap();
                notes[i] = None;
                notes[to] = Some(note);
            }
            (4, Some(_)) if i >= 5 => {
                live.site.remove(&rel(i));
                notes[i] = None;
            }
            (_, None) => {
                let note = RandomNote::new(&mut dice);
                live.site.write(&rel(i), note.text().as_bytes());
                notes[i] = Some(note);
            }
            _ => continue,
        }
        live.settle().await;
        let after = later_pages(&live);
        made |= after.difference(&before).next().is_some();
        dropped |= before.difference(&after).next().is_some();
        before = after;
    }
    assert!(made && dropped, "no edit made or removed a page of a list");
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_kept_where_they_are_are_watched_with_the_same_rules() {
    let site = Site::empty()
        .file(
            "book.toml",
            "[content]\nnotes = [\".\"]\nevent = \"{folder}\"\nslug = \"{folder}-{stem}\"\nexclude = [\"**/LICENSE*\"]\n",
        )
        .file(
            "2019/pycon/keynote.md",
            "# Keynote\n\nThe first.\n\nDetails.\n\n![stage](img/stage.png)\n",
        )
        .file("2019/pycon/img/stage.png", "stage, first version");
    let mut live = Live::start(site).await;
    live.assert_fresh();
    let root = live.site.root();
    assert_has(&live.page("/events/2019-pycon/").await, "Keynote");

    // A body edit renders its page and the feed.
    let before = live.server.files();
    std::fs::write(
        root.join("2019/pycon/keynote.md"),
        "# Keynote\n\nThe first.\n\nDetails, edited.\n\n![stage](img/stage.png)\n",
    )
    .unwrap();
    assert_eq!(
        live.expect_reload(&before).await,
        ["atom.xml", "talks/2019-pycon-keynote/"]
    );

    // The image beside it, edited, is served anew.
    let before = live.server.files();
    std::fs::write(root.join("2019/pycon/img/stage.png"), "stage, second").unwrap();
    live.expect_reload(&before).await;
    let image = live.get("/talks/2019-pycon-keynote/img/stage.png").await;
    assert_eq!(image.text(), "stage, second");

    // The folder's index file names its event, for every note in it.
    let before = live.server.files();
    live.site.write(
        "2019/pycon/README.md",
        b"---\nname: PyCon US 2019\n---\nIn Cleveland.\n",
    );
    live.expect_reload(&before).await;
    assert_has(&live.page("/events/pycon-us-2019/").await, "In Cleveland.");

    // A note in a new folder is a talk of a new event.
    let before = live.server.files();
    live.site
        .write("2020/europython/async.md", b"# Async all the way\n");
    let urls = live.expect_reload(&before).await;
    assert!(
        urls.contains(&"talks/2020-europython-async/".to_string()),
        "{urls:?}"
    );

    // An excluded file changes nothing.
    live.site.write("2020/LICENSE.md", b"# Not a talk\n");
    live.settle().await;
    assert_eq!(live.get("/talks/2020-license/").await.status, 404);
    live.stop().await;
}
