//! Hover previews in a real headless Chromium, on the sample site served by
//! `talkbook serve` and opened from `file://`: pointing at a link shows the
//! linked page's card beside the link, Escape closes it, focus shows it too,
//! and only the previews asked for are downloaded.

use std::path::Path;
use std::time::Duration;

use crate::support::serve::serve_at;
use crate::support::{browser, build_sample, sample_root};
use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);
const TALK: &str = "talks/telepresence-seamless-dev-environments/";

/// `file:///...` of `dir`, ending with a slash.
fn file_url(dir: &Path) -> String {
    format!("file://{}/", dir.canonicalize().unwrap().display())
}

/// Moves the mouse onto the element `css`, as a user would.
async fn hover(client: &Client, css: &str) {
    let element = client.find(Locator::Css(css)).await.unwrap();
    let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    client.perform_actions(mouse).await.unwrap();
}

/// Moves the mouse to the page's top-left corner, over no link.
async fn hover_nothing(client: &Client) {
    let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
        duration: None,
        x: 1.0,
        y: 1.0,
    });
    client.perform_actions(mouse).await.unwrap();
}

async fn press_escape(client: &Client) {
    let key = char::from(Key::Escape);
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.unwrap();
}

/// The card's text once it is shown, or whatever it shows after [`WAIT`].
async fn card_text(b: &browser::Browser) -> String {
    let shown = "(c => c && !c.hidden && c.textContent)(document.getElementById('preview-card'))";
    match b.wait_until(shown, WAIT).await {
        Value::String(text) => text,
        other => panic!("no preview card shown: {other}"),
    }
}

/// Whether the card and the element `css` overlap on screen.
async fn overlaps(client: &Client, css: &str) -> bool {
    let script = "const a = document.querySelector(arguments[0]).getBoundingClientRect();
        const c = document.getElementById('preview-card').getBoundingClientRect();
        return a.left < c.right && c.left < a.right && a.top < c.bottom && c.top < a.bottom;";
    client.execute(script, vec![css.into()]).await.unwrap() == Value::Bool(true)
}

/// The previews this page asked for, by URL (`static/preview.js` adds a
/// script to the head for each).
async fn previews_loaded(client: &Client) -> Vec<String> {
    let script = "return [...document.head.querySelectorAll('script[src]')].map(s => s.src)
        .filter(src => src.endsWith('/preview.js'));";
    serde_json::from_value(client.execute(script, vec![]).await.unwrap()).unwrap()
}

async fn previews_on(b: &browser::Browser, base: &str, from_disk: bool) {
    let c = &b.client;
    let index = if from_disk { "index.html" } else { "" };
    c.goto(&format!("{base}{TALK}{index}")).await.unwrap();
    let speaker = "main a[href*='speakers/ara-pulido/']";
    hover(c, speaker).await;
    let text = card_text(b).await;
    for shown in ["speaker", "Ara Pulido", "Bitnami", "1 talk"] {
        assert!(text.contains(shown), "{shown:?} not in the card: {text:?}");
    }
    assert!(!overlaps(c, speaker).await, "the card covers the link");
    press_escape(c).await;
    let hidden = "document.getElementById('preview-card').hidden";
    assert_eq!(b.wait_until(hidden, WAIT).await, Value::Bool(true));
    hover_nothing(c).await;

    // Keyboard focus shows a project's card too.
    let project = "main a[href*='projects/telepresence/']";
    c.execute(
        "document.querySelector(arguments[0]).focus();",
        vec![project.into()],
    )
    .await
    .unwrap();
    let text = card_text(b).await;
    assert!(
        text.contains("project") && text.contains("Telepresence"),
        "{text:?}"
    );
    press_escape(c).await;
    assert_eq!(b.wait_until(hidden, WAIT).await, Value::Bool(true));

    let loaded = previews_loaded(c).await;
    assert_eq!(loaded.len(), 2, "only the two cards asked for: {loaded:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hovering_a_link_shows_its_card_and_escape_closes_it() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_tmp, out) = build_sample();
    let (_server, base) = serve_at(&sample_root()).await;
    previews_on(&b, &base, false).await;
    previews_on(&b, &file_url(&out), true).await;
    b.close().await;
}
