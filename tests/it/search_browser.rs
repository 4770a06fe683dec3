//! Search in a real headless Chromium: the sample site served by
//! `talkbook serve`, and built and opened from `file://`; real key presses
//! into the search box and the search page; a hostile title shown as text.

use std::path::Path;
use std::time::Duration;

use crate::support::serve::serve_at;
use crate::support::{Site, browser, build_sample, sample_root};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);
const TELEPRESENCE: &str = "Seamless Development Environments on Kubernetes using Telepresence";
const NORWEGIAN: &str = "Kubernetes and Taxes: Lessons Learned at the Norwegian Tax Administration - A Production Case Study";

/// `file:///...` of `dir`, ending with a slash.
fn file_url(dir: &Path) -> String {
    format!("file://{}/", dir.canonicalize().unwrap().display())
}

/// Presses one key in whatever has the focus, as a user would.
async fn press(client: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.unwrap();
}

/// Types `text` into the element `css` with real key events.
async fn type_into(client: &Client, css: &str, text: &str) {
    let input = client.find(Locator::Css(css)).await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// The titles of the results under `css` (`#search-dropdown` or `#search-results`).
async fn titles(client: &Client, css: &str) -> Vec<String> {
    let value = client
        .execute(
            &format!(
                "return [...document.querySelectorAll('{css} .search-result-title')].map(a => a.textContent);"
            ),
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

/// Waits for the first result under `css` to be `title`; returns all titles.
async fn wait_first(b: &browser::Browser, css: &str, title: &str) -> Vec<String> {
    let check = format!(
        "(document.querySelector('{css} .search-result-title') || {{}}).textContent === {}",
        Value::String(title.into())
    );
    b.wait_until(&check, WAIT).await;
    let titles = titles(&b.client, css).await;
    assert_eq!(
        titles.first().map(String::as_str),
        Some(title),
        "results in {css}: {titles:?}"
    );
    titles
}

/// The header box: `/` focuses it, typing shows results as you type with
/// the matched words marked, Escape closes, Enter opens the search page.
async fn header_box(b: &browser::Browser, base: &str, from_disk: bool) {
    let c = &b.client;
    let page = if from_disk {
        "talks/monzo-production-kubernetes-outage/index.html"
    } else {
        "talks/monzo-production-kubernetes-outage/"
    };
    c.goto(&format!("{base}{page}")).await.unwrap();
    press(c, '/').await;
    let focused = b
        .wait_until("document.activeElement.id === 'search-input'", WAIT)
        .await;
    assert_eq!(focused, Value::Bool(true), "`/` focuses the search box");

    type_into(c, "#search-input", "telepresence").await;
    wait_first(b, "#search-dropdown", TELEPRESENCE).await;
    let marks = c
        .execute(
            "return [...document.querySelectorAll('#search-dropdown mark')].map(m => m.textContent.toLowerCase());",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        marks
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "telepresence"),
        "matched words are marked: {marks}"
    );
    let href = c
        .execute(
            "return document.querySelector('#search-dropdown .search-option').href;",
            vec![],
        )
        .await
        .unwrap();
    let expected = if from_disk {
        "talks/telepresence-seamless-dev-environments/index.html"
    } else {
        "talks/telepresence-seamless-dev-environments/"
    };
    assert_eq!(href, Value::String(format!("{base}{expected}")));

    // Escape closes the dropdown; typing again reopens it.
    press(c, Key::Escape.into()).await;
    let hidden = b
        .wait_until("document.getElementById('search-dropdown').hidden", WAIT)
        .await;
    assert_eq!(hidden, Value::Bool(true), "Escape closes the dropdown");

    // Arrow keys walk the results; Enter opens the selected one.
    c.execute(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "#search-input", "norwegian tax").await;
    wait_first(b, "#search-dropdown", NORWEGIAN).await;
    type_into(c, "#search-input", &Key::Down.to_string()).await;
    let selected = b
        .wait_until(
            "document.querySelector('#search-dropdown [aria-selected=true] .search-result-title')?.textContent",
            WAIT,
        )
        .await;
    assert_eq!(selected, Value::String(NORWEGIAN.into()));

    // Enter without a selected result opens the search page.
    c.execute(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "#search-input", &format!("telepresence{}", Key::Enter)).await;
    b.wait_until("location.pathname.includes('/search/')", WAIT)
        .await;
    let url = c.current_url().await.unwrap();
    assert!(
        url.as_str().contains("search/") && url.query() == Some("q=telepresence"),
        "Enter opens the search page: {url}"
    );
    wait_first(b, "#search-results", TELEPRESENCE).await;
}

/// The search page: a query with results by two speakers, narrowed by one
/// speaker's filter (clicked, then from the URL).
async fn search_page(b: &browser::Browser, base: &str, from_disk: bool) {
    let c = &b.client;
    let page = if from_disk {
        "search/index.html"
    } else {
        "search/"
    };
    c.goto(&format!("{base}{page}")).await.unwrap();
    type_into(c, "#search-page-input", "prometheus").await;
    let both = wait_first(
        b,
        "#search-results",
        "How to Export Prometheus Metrics from Just About Anything",
    )
    .await;
    assert!(
        both.iter()
            .any(|t| t.starts_with("Keynote: Prometheus 2.0")),
        "{both:?}"
    );
    let url = c.current_url().await.unwrap();
    assert_eq!(url.query(), Some("q=prometheus"), "the query is in the URL");

    // Open the filters (a side column, open already, on a wide screen);
    // each speaker shows its count; pick one.
    let open = c
        .execute(
            "return document.getElementById('search-filters').open;",
            vec![],
        )
        .await
        .unwrap();
    if open != Value::Bool(true) {
        b.click(Locator::Css("#search-filters summary")).await;
    }
    let label = b
        .wait_until(
            "document.querySelector('#facet-speaker-fabian-reinartz')?.parentNode.textContent.trim()",
            WAIT,
        )
        .await;
    assert_eq!(label, Value::String("Fabian Reinartz (1)".into()));
    b.click(Locator::Css("#facet-speaker-fabian-reinartz"))
        .await;
    b.wait_until(
        "document.querySelectorAll('#search-results .search-result').length === 1",
        WAIT,
    )
    .await;
    let only = titles(c, "#search-results").await;
    assert_eq!(
        only,
        ["Keynote: Prometheus 2.0 – The Next Scale of Cloud Native Monitoring"]
    );
    let url = c.current_url().await.unwrap();
    assert_eq!(url.query(), Some("q=prometheus&speaker=fabian-reinartz"));

    // The same from a link.
    c.goto(&format!("{base}{page}?q=prometheus&speaker=matt-layher"))
        .await
        .unwrap();
    b.wait_until(
        "document.getElementById('search-status').textContent.startsWith('1 result')",
        WAIT,
    )
    .await;
    let only = titles(c, "#search-results").await;
    assert_eq!(
        only,
        ["How to Export Prometheus Metrics from Just About Anything"]
    );
    let checked = c
        .execute(
            "return document.getElementById('facet-speaker-matt-layher').checked && document.getElementById('search-filters').open;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        checked,
        Value::Bool(true),
        "the filter from the URL is shown as set"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn search_works_served_and_from_disk() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_tmp, out) = build_sample();
    let (_server, base) = serve_at(&sample_root()).await;
    header_box(&b, &base, false).await;
    search_page(&b, &base, false).await;
    let disk = file_url(&out);
    header_box(&b, &disk, true).await;
    search_page(&b, &disk, true).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_title_shows_as_text() {
    let Some(b) = browser::start().await else {
        return;
    };
    const HOSTILE: &str = "<img src=x onerror=alert(1)>";
    let site = Site::new()
        .file(
            "content/talks/hostile.md",
            &format!(
                "+++\ntitle = \"{HOSTILE}\"\nspeakers = [\"<b>Mallory</b>\"]\n+++\n\nA talk about escaping: <script>alert(2)</script> and more escaping.\n"
            ),
        )
        .file(
            "content/talks/plain.md",
            "+++\ntitle = \"Plain talk\"\n+++\n\nNothing to see.\n",
        );
    site.build();
    let (_server, base) = serve_at(&site.root()).await;
    let c = &b.client;
    for (page, input, results) in [
        ("", "#search-input", "#search-dropdown"),
        ("search/", "#search-page-input", "#search-results"),
    ] {
        c.goto(&format!("{base}{page}")).await.unwrap();
        c.execute(
            "window.__alerted = false; window.alert = () => { window.__alerted = true; };",
            vec![],
        )
        .await
        .unwrap();
        type_into(c, input, "escaping").await;
        wait_first(&b, results, HOSTILE).await;
        let state = c
            .execute(
                &format!(
                    "const r = document.querySelector('{results}'); return {{ imgs: r.querySelectorAll('img, script, b').length, alerted: window.__alerted, meta: r.querySelector('.search-result-meta').textContent, excerpt: r.querySelector('.search-result-excerpt').textContent }};"
                ),
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(state["imgs"], 0, "no element made from note text: {state}");
        assert_eq!(state["alerted"], false, "no script ran: {state}");
        assert!(
            state["meta"].as_str().unwrap().contains("<b>Mallory</b>"),
            "{state}"
        );
        assert!(
            state["excerpt"].as_str().unwrap().contains("escaping"),
            "{state}"
        );
    }
    b.close().await;
}

/// Opened from disk, a word deep in a long note shows in its result's
/// excerpt, marked, with `…` where the text is cut; a tag shows by the name
/// the note gives it in the results and on the talk's page.
#[tokio::test(flavor = "multi_thread")]
async fn a_deep_match_shows_in_the_excerpt_and_tags_by_name() {
    let Some(b) = browser::start().await else {
        return;
    };
    let filler = "Nothing to see in this sentence at all. ".repeat(80);
    let site = Site::new()
        .file(
            "content/talks/deep.md",
            &format!(
                "+++\ntitle = \"A long talk\"\ntags = [\"Service Mesh\"]\n+++\n\n{filler}\n\nThe admission webhook failed.\n\n{filler}\n"
            ),
        )
        .file(
            "content/talks/plain.md",
            "+++\ntitle = \"Plain talk\"\n+++\n\nNothing to see.\n",
        );
    site.build();
    let disk = file_url(&site.out());
    let c = &b.client;
    c.goto(&format!("{disk}index.html")).await.unwrap();
    let shown = "const r = document.querySelector('#search-dropdown .search-result'); return { excerpt: r.querySelector('.search-result-excerpt').textContent, marks: [...r.querySelectorAll('.search-result-excerpt mark')].map(m => m.textContent), matched: (r.querySelector('.search-result-matched') || {}).textContent };";
    type_into(c, "#search-input", "webhook").await;
    wait_first(&b, "#search-dropdown", "A long talk").await;
    let state = c.execute(shown, vec![]).await.unwrap();
    assert_eq!(state["marks"], serde_json::json!(["webhook"]), "{state}");
    let excerpt = state["excerpt"].as_str().unwrap();
    assert!(
        excerpt.starts_with('…') && excerpt.ends_with('…'),
        "{excerpt}"
    );
    assert!(
        excerpt.contains("The admission webhook failed."),
        "{excerpt}"
    );
    c.execute(
        "document.getElementById('search-input').value = '';",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "#search-input", "mesh").await;
    b.wait_until(
        "document.getElementById('search-dropdown').dataset.query === 'mesh'",
        WAIT,
    )
    .await;
    wait_first(&b, "#search-dropdown", "A long talk").await;
    let state = c.execute(shown, vec![]).await.unwrap();
    assert_eq!(state["matched"], "tag: Service Mesh", "{state}");
    c.goto(&format!("{disk}talks/deep/index.html"))
        .await
        .unwrap();
    let chips = c
        .find(Locator::Css(".tag-chips"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(chips, "Service Mesh");
    b.close().await;
}

/// Typed letter by letter, a query never shows notes that have only some of
/// its words without saying so (the library decides which prefixes have no
/// note with every word); nothing but the manifest is loaded before three
/// letters; a word no note has gets the nearest term, which searches for it;
/// a match in speakers or projects says so.
#[tokio::test(flavor = "multi_thread")]
async fn typing_never_switches_to_any_word_results_silently() {
    let Some(b) = browser::start().await else {
        return;
    };
    let site = talkbook::site::Site::load(&sample_root(), false).unwrap();
    let index = talkbook::search::SearchIndex::build(&site).unwrap();
    let (_server, base) = serve_at(&sample_root()).await;
    let c = &b.client;
    c.goto(&base).await.unwrap();
    b.click(Locator::Css("#search-input")).await;
    const QUERY: &str = "telepresence prometheus";
    let (mut every, mut any) = (0, 0);
    for (i, key) in QUERY.char_indices() {
        let typed = &QUERY[..i + key.len_utf8()];
        press(c, key).await;
        if typed.len() < 3 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let loaded = c
                .execute(
                    "return performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('search-index/') && !n.includes('manifest'));",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(loaded, Value::Array(vec![]), "loaded at {typed:?}");
            continue;
        }
        let shown = format!(
            "document.getElementById('search-dropdown').dataset.query === {}",
            Value::String(typed.into())
        );
        assert_eq!(
            b.wait_until(&shown, WAIT).await,
            Value::Bool(true),
            "{typed:?}"
        );
        let state = c
            .execute(
                "const n = document.querySelector('#search-dropdown .search-notice'); return { notice: n && !n.hidden ? n.textContent : '', results: document.querySelectorAll('#search-dropdown .search-result').length };",
                vec![],
            )
            .await
            .unwrap();
        let found = index.searcher().find(typed, 0, 1).unwrap();
        let noticed = state["notice"]
            .as_str()
            .unwrap()
            .contains("no note has every word; showing notes with any");
        assert!(found.total > 0, "{typed:?}");
        assert_eq!(noticed, !found.every_word, "{typed:?}: {state}");
        if found.every_word {
            every += 1;
        } else {
            any += 1;
        }
    }
    assert!(every > 0 && any > 0, "both kinds met: {every} and {any}");

    // A word no note has: the nearest term, one click away.
    c.execute(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "#search-input", "kubernets").await;
    let suggestion = b
        .wait_until(
            "document.querySelector('#search-dropdown .search-suggestion')?.textContent",
            WAIT,
        )
        .await;
    assert_eq!(suggestion, Value::String("kubernetes".into()));
    b.click(Locator::Css("#search-dropdown .search-suggestion"))
        .await;
    let value = b
        .wait_until(
            "document.getElementById('search-dropdown').dataset.query === 'kubernetes' && document.getElementById('search-input').value",
            WAIT,
        )
        .await;
    assert_eq!(value, Value::String("kubernetes".into()));

    // A match in speakers, projects or tags says so.
    c.execute(
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "#search-input", "ara pulido telepresence ").await;
    let matched = b
        .wait_until(
            "document.getElementById('search-dropdown').dataset.query === 'ara pulido telepresence ' && document.querySelector('#search-dropdown .search-result-matched')?.textContent",
            WAIT,
        )
        .await;
    assert_eq!(
        matched,
        Value::String("speaker: Ara Pulido · project: Telepresence".into())
    );
    b.close().await;
}
