//! Hover previews in a real headless Chromium, on the sample site served by
//! `talkbook serve` and opened from `file://`: pointing at a link shows the
//! linked page's card beside the link, Escape closes it, focus shows it too,
//! and only the preview files holding the cards asked for are downloaded.
//! Under node, the script's choice of file for a URL is checked against the
//! build's.

use std::path::Path;
use std::time::Duration;

use crate::support::serve::serve_at;
use crate::support::{browser, build_sample, sample_root};
use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;
use talkbook::render::file_of;

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

/// The preview files this page asked for, by name (`static/preview.js` adds
/// a script to the head for each).
async fn previews_loaded(client: &Client) -> Vec<String> {
    let script = "return [...document.head.querySelectorAll('script[src]')].map(s => s.src)
        .filter(src => src.includes('/previews/'))
        .map(src => src.slice(src.lastIndexOf('/') + 1));";
    serde_json::from_value(client.execute(script, vec![]).await.unwrap()).unwrap()
}

/// The name of the preview file holding the card of the page at `path`
/// (the sample site's cards are in two files).
fn file_holding(path: &str) -> String {
    format!("{}.js", file_of(path, 2))
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
    let speaker_file = file_holding("speakers/ara-pulido/");
    assert_eq!(
        previews_loaded(c).await,
        std::slice::from_ref(&speaker_file)
    );
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

    let mut expected = vec![speaker_file, file_holding("projects/telepresence/")];
    expected.dedup();
    assert_eq!(previews_loaded(c).await, expected);
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

/// `static/preview.js` looks for a card in the file the build put it in:
/// its `fileOf`, run under node, agrees with the build's `file_of` on many
/// URLs and a thousand files (the sample site's two files would let a wrong
/// hash agree by chance).
#[test]
fn the_script_looks_for_each_card_in_the_file_the_build_put_it_in() {
    if !crate::support::search::has_node() {
        return;
    }
    const FILES: usize = 1024;
    let paths: Vec<String> = (0..200)
        .map(|n| match n % 3 {
            0 => format!("talks/a-talk-{n}/"),
            1 => format!("speakers/björn-{n}/"),
            _ => format!("tags/t{n}/"),
        })
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/preview.js");
    let program = format!(
        "const text = require('fs').readFileSync({script:?}, 'utf8');
         const body = text.match(/\\n  function fileOf\\(path\\) \\{{[^]*?\\n  \\}}\\n/)[0];
         const fileOf = new Function('files', `${{body}}; return fileOf;`)({FILES});
         console.log(JSON.stringify({paths}.map(fileOf)));",
        paths = serde_json::to_string(&paths).unwrap(),
    );
    let output = std::process::Command::new("node")
        .args(["-e", &program])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: Vec<usize> = serde_json::from_slice(&output.stdout).unwrap();
    let expected: Vec<usize> = paths.iter().map(|p| file_of(p, FILES)).collect();
    assert_eq!(found, expected);
}
