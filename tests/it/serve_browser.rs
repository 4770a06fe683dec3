//! `talkbook serve` in a real headless Chromium: an edit on disk shows in
//! the open page with no action in the browser, at the same scroll
//! position; a stylesheet is swapped without a reload; another page's edit
//! does not reload this one; a broken note shows its error over the page,
//! as text, until it is fixed; the search box, typed into before the search
//! index is ready, finds once it is.

use std::time::Duration;

use crate::support::serve::*;
use crate::support::*;
use fantoccini::Locator;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);
/// The page's live-reload socket is open.
const CONNECTED: &str =
    "document.querySelector('script[src=\"/__livereload.js\"]')?.dataset.connected === 'true'";

fn note(title: &str, date: &str, marker: &str) -> String {
    let filler: String = (0..150)
        .map(|i| format!("Filler paragraph {i}, to make the page scroll.\n\n"))
        .collect();
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\nFirst paragraph.\n\n{filler}{marker}\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_on_disk_shows_in_the_open_page() {
    let Some(browser) = browser::start().await else {
        return;
    };
    let site = Site::new()
        .file(
            "content/talks/alpha.md",
            &note("Alpha", "\"2024-03-01\"", "Original ending."),
        )
        .file(
            "content/talks/beta.md",
            &note("Beta", "\"2024-03-02\"", "Beta ending."),
        )
        .file(
            "static/site.css",
            "body { background-color: rgb(250, 250, 250); }\n",
        )
        .file(
            "templates/base.html",
            &talkbook::templates::DEFAULTS[0].1.replace(
                "{% block head %}",
                "<link rel=\"stylesheet\" href=\"{{ root }}static/site.css\">{% block head %}",
            ),
        );
    assert_eq!(talkbook::templates::DEFAULTS[0].0, "base.html");
    let live = Live::start(site).await;
    let alpha = live.site.root().join("content/talks/alpha.md");
    let client = &browser.client;
    let url = format!("http://{}/talks/alpha/", live.address());
    client.goto(&url).await.expect("open the talk page");
    assert_eq!(
        browser
            .wait_until("document.body.innerText.includes('Original ending.')", WAIT)
            .await,
        json!(true)
    );
    assert_eq!(browser.wait_until(CONNECTED, WAIT).await, json!(true));
    client
        .execute(
            "window.scrollTo(0, 1500); window.marker = 'no reload yet';",
            vec![],
        )
        .await
        .unwrap();

    // The note edited on disk: the page reloads by itself, at the same place.
    std::fs::write(&alpha, note("Alpha", "\"2024-03-01\"", "Edited ending.")).unwrap();
    assert_eq!(
        browser
            .wait_until("document.body.innerText.includes('Edited ending.')", WAIT)
            .await,
        json!(true),
        "the edit shows in the page"
    );
    let state = browser
        .wait_until(
            "document.readyState === 'complete' && [window.marker, window.scrollY]",
            WAIT,
        )
        .await;
    assert_eq!(state[0], Value::Null, "the page was reloaded");
    let scroll = state[1].as_f64().unwrap();
    assert!(
        (scroll - 1500.0).abs() < 5.0,
        "scrolled back to 1500, not {scroll}"
    );

    // A stylesheet: swapped in place, no reload.
    assert_eq!(browser.wait_until(CONNECTED, WAIT).await, json!(true));
    client
        .execute("window.marker = 'css';", vec![])
        .await
        .unwrap();
    live.site.write(
        "static/site.css",
        b"body { background-color: rgb(1, 2, 3); }\n",
    );
    let swapped =
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)' && window.marker";
    assert_eq!(browser.wait_until(swapped, WAIT).await, json!("css"));

    // Another page's edit: this one is left alone.
    let before = live.server.files();
    std::fs::write(
        live.site.root().join("content/talks/beta.md"),
        note("Beta", "\"2024-03-02\"", "Beta edited."),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while live.server.files() == before {
        assert!(std::time::Instant::now() < deadline, "beta was not rebuilt");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let marker = client
        .execute("return window.marker;", vec![])
        .await
        .unwrap();
    assert_eq!(marker, json!("css"), "the page did not reload");

    // A broken note: its error over the page, as text.
    std::fs::write(&alpha, note("Alpha", "\"<b>bold</b>\"", "Broken ending.")).unwrap();
    let overlay = "document.getElementById('talkbook-livereload-errors')?.textContent";
    let text = browser.wait_until(overlay, WAIT).await;
    let text = text.as_str().expect("the error overlay");
    assert_has(text, "content/talks/alpha.md:3:");
    assert_has(text, "\"<b>bold</b>\" is not a date");
    let elements = "document.querySelectorAll('#talkbook-livereload-errors b').length";
    assert_eq!(
        client
            .execute(&format!("return {elements};"), vec![])
            .await
            .unwrap(),
        json!(0)
    );
    assert_has(
        &client
            .execute("return document.body.innerText;", vec![])
            .await
            .unwrap()
            .to_string(),
        "Edited ending.",
    );

    // Fixed: the overlay goes, the fix shows.
    std::fs::write(&alpha, note("Alpha", "\"2024-03-01\"", "Fixed ending.")).unwrap();
    let fixed = "document.body.innerText.includes('Fixed ending.') && !document.getElementById('talkbook-livereload-errors')";
    assert_eq!(browser.wait_until(fixed, WAIT).await, json!(true));
    browser.close().await;
    live.stop().await;
}

/// The header box's first result is the mesh talk.
const FOUND: &str = "document.querySelector('#search-dropdown .search-result-title')?.textContent === 'Service mesh at scale'";

#[tokio::test(flavor = "multi_thread")]
async fn the_search_box_finds_once_search_is_ready() {
    let Some(browser) = browser::start().await else {
        return;
    };
    let mut site = Site::new().file(
        "content/talks/mesh.md",
        "+++\ntitle = \"Service mesh at scale\"\n+++\n\nWe ran Istio on 400 clusters.\n",
    );
    for i in 0..1000 {
        site = site.file(
            &format!("content/talks/filler-{i}.md"),
            &format!("+++\ntitle = \"Filler {i}\"\n+++\n\nA filler note, number {i}.\n"),
        );
    }
    let live = Live::start(site).await;
    let client = &browser.client;
    client
        .goto(&format!("http://{}/", live.address()))
        .await
        .expect("open the home page");
    let input = client.find(Locator::Css("#search-input")).await.unwrap();
    input.send_keys("istio").await.unwrap();
    // Typed before the index may be ready: the box finds, or says search
    // is unavailable; once the index is ready, typing again finds (the
    // files that failed to load are asked for again).
    let unavailable = "document.getElementById('search-box-status').textContent.startsWith('Search is unavailable')";
    let now = browser
        .wait_until(
            &format!("({FOUND}) ? 'found' : ({unavailable}) && 'unavailable'"),
            WAIT,
        )
        .await;
    if now == json!("unavailable") {
        live.search_ready().await;
        input.send_keys(" ").await.unwrap();
    } else {
        assert_eq!(now, json!("found"));
    }
    assert_eq!(browser.wait_until(FOUND, WAIT).await, json!(true));
    browser.close().await;
    live.stop().await;
}
