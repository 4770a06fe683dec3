//! The default theme in a real headless Chromium, light and dark: axe-core
//! (from npm, `node_modules/axe-core`) finds no violation on the home page,
//! a talk, an entity page and the search page with its dropdown or its
//! filters open; every code token is readable on its block; the 404 page is
//! styled and its links work under `serve` and under a sub-path; the search
//! box's list and the search page behave as readers expect; opened from
//! disk, the nav opens pages, not folder listings; a diagram's edges are
//! lines, not filled shapes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::key::Key;
use serde_json::Value;

use crate::support::browser::{self, Browser};
use crate::support::serve::serve_at;
use crate::support::{Site, build_sample, require, sample_root};

const WAIT: Duration = Duration::from_secs(10);

/// axe-core's browser build, as `npm ci` installs it.
fn axe_script() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    let found = path.exists();
    require(
        found,
        "node_modules/axe-core (run `npm ci`), which the accessibility checks use",
    )
    .then(|| std::fs::read_to_string(&path).expect("axe.min.js reads"))
}

/// axe-core's violations on the page as it is now: `id: target` lines.
async fn violations(b: &Browser, axe: &str) -> Vec<String> {
    b.client.execute(axe, vec![]).await.expect("axe-core loads");
    let script = "const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] }).then(
          (r) => done(r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))),
          (e) => done([`axe failed: ${e}`]));";
    let found = b.client.execute_async(script, vec![]).await.unwrap();
    serde_json::from_value(found).unwrap()
}

/// Whether the page's reader prefers dark colours.
async fn prefers_dark(b: &Browser) -> bool {
    let script = "return matchMedia('(prefers-color-scheme: dark)').matches;";
    b.client.execute(script, vec![]).await.unwrap() == Value::Bool(true)
}

/// The five views of the sample site axe checks, each: what it is, and the
/// violations found.
async fn audit_sample(b: &Browser, base: &str, axe: &str) -> Vec<(String, Vec<String>)> {
    let c = &b.client;
    let mut found = Vec::new();
    for (what, page) in [
        ("home", ""),
        ("talk", "talks/norwegian-tax-administration-kubernetes/"),
        ("entity", "projects/istio/"),
    ] {
        c.goto(&format!("{base}{page}")).await.unwrap();
        found.push((what.to_string(), violations(b, axe).await));
    }

    c.goto(base).await.unwrap();
    let input = c.find(Locator::Css("#search-input")).await.unwrap();
    input.send_keys("kubernetes").await.unwrap();
    let open = "!document.getElementById('search-dropdown').hidden \
        && document.querySelectorAll('#search-listbox [role=option]').length > 0";
    assert_eq!(
        b.wait_until(open, WAIT).await,
        Value::Bool(true),
        "the dropdown opens"
    );
    found.push(("search dropdown".into(), violations(b, axe).await));

    c.goto(&format!("{base}search/?q=prometheus"))
        .await
        .unwrap();
    c.execute(
        "document.getElementById('search-filters').open = true;",
        vec![],
    )
    .await
    .unwrap();
    let filled = "document.querySelectorAll('#search-facets input[type=checkbox]').length > 0 \
        && document.querySelectorAll('#search-results .search-result').length > 0";
    assert_eq!(
        b.wait_until(filled, WAIT).await,
        Value::Bool(true),
        "filters shown"
    );
    found.push(("search page with filters".into(), violations(b, axe).await));
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_violation_in_light_and_dark() {
    let Some(axe) = axe_script() else {
        return;
    };
    let (_server, base) = serve_at(&sample_root()).await;
    for dark in [false, true] {
        let started = if dark {
            browser::start_dark().await
        } else {
            browser::start().await
        };
        let Some(b) = started else {
            return;
        };
        b.client.goto(&base).await.unwrap();
        assert_eq!(
            prefers_dark(&b).await,
            dark,
            "the colour scheme is emulated"
        );
        let scheme = if dark { "dark" } else { "light" };
        for (what, found) in audit_sample(&b, &base, &axe).await {
            assert!(found.is_empty(), "axe, {what} ({scheme}): {found:#?}");
        }
        // A 390 px phone: the header wraps, the side columns fold.
        b.client.set_window_size(390, 844).await.unwrap();
        for (what, found) in audit_sample(&b, &base, &axe).await {
            assert!(
                found.is_empty(),
                "axe, {what} ({scheme}, phone): {found:#?}"
            );
        }
        b.close().await;
    }
}

/// A note with a code block in each of yaml, go, rust and bash.
const CODE_NOTE: &str = "+++\ntitle = \"Code\"\n+++\n\n\
```yaml\n# a comment\nkind: Deployment\nspec:\n  replicas: 3 # three\n  name: \"web\"\n```\n\n\
```go\n// Handler serves.\nfunc (s *Server) Handle(ctx context.Context, r *http.Request, req Req) error {\n\tif err := s.do(ctx, \"x\", 42); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n```\n\n\
```rust\n/// Doc.\n#[derive(Debug)]\npub struct Point<'a> { x: i32, name: &'a str }\nfn main() { let p = Point { x: 1, name: \"p\" }; println!(\"{p:?}\"); }\n```\n\n\
```bash\n#!/usr/bin/env bash\n# comment\nfor f in *.md; do echo \"$f\" | grep -q x && exit 1; done\nexport A=$(date +%s)\n```\n";

/// Every token of every code block: the lowest contrast with its block, the
/// tokens under 4.5:1, the blocks' languages with their token counts, the
/// tab size, and whether the block stands apart from the page.
const CODE_CONTRAST: &str = "
    const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
      .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const page = getComputedStyle(document.body).backgroundColor;
    let lowest = 21; const low = [], langs = {}, tabs = [], apart = [];
    for (const pre of document.querySelectorAll('pre.hl-code')) {
      const bg = getComputedStyle(pre).backgroundColor;
      tabs.push(getComputedStyle(pre).tabSize);
      apart.push(ratio(bg, page) > 1.05 && getComputedStyle(pre).borderTopStyle !== 'none');
      const spans = [pre, ...pre.querySelectorAll('span')];
      langs[pre.dataset.lang] = spans.length - 1;
      for (const s of spans) {
        if (![...s.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
        const r = ratio(getComputedStyle(s).color, bg);
        lowest = Math.min(lowest, r);
        if (r < 4.5) low.push(`${pre.dataset.lang} .${s.className}: ${r.toFixed(2)}`);
      }
    }
    return { lowest, low, langs, tabs, apart, copy: document.querySelectorAll('.copy-code').length };";

#[tokio::test(flavor = "multi_thread")]
async fn every_code_token_is_readable_in_light_and_dark() {
    let site = Site::new().file("content/talks/code.md", CODE_NOTE);
    let (_server, base) = serve_at(&site.root()).await;
    for dark in [false, true] {
        let started = if dark {
            browser::start_dark().await
        } else {
            browser::start().await
        };
        let Some(b) = started else {
            return;
        };
        b.client.goto(&format!("{base}talks/code/")).await.unwrap();
        assert_eq!(
            prefers_dark(&b).await,
            dark,
            "the colour scheme is emulated"
        );
        b.wait_until("document.querySelector('.copy-code')", WAIT)
            .await;
        let found = b.client.execute(CODE_CONTRAST, vec![]).await.unwrap();
        for lang in ["yaml", "go", "rust", "bash"] {
            let spans = found["langs"][lang].as_u64().unwrap_or(0);
            assert!(spans > 5, "{lang} is highlighted: {found}");
        }
        assert_eq!(found["low"], serde_json::json!([]), "dark: {dark}: {found}");
        assert!(found["lowest"].as_f64().unwrap() >= 4.5, "{found}");
        assert_eq!(
            found["tabs"],
            serde_json::json!(["4", "4", "4", "4"]),
            "{found}"
        );
        assert_eq!(
            found["apart"],
            serde_json::json!([true, true, true, true]),
            "{found}"
        );
        assert_eq!(found["copy"], 4, "a copy button per block: {found}");
        copy_puts_the_code_on_the_clipboard(&b).await;
        b.close().await;
    }
}

/// Clicking a code block's Copy button writes the block's text to the
/// clipboard and says so. (Headless Chromium lets a page write the
/// clipboard, not read it: the text is seen on its way there.)
async fn copy_puts_the_code_on_the_clipboard(b: &Browser) {
    let watch = "const clipboard = navigator.clipboard, write = clipboard.writeText.bind(clipboard); \
                 clipboard.writeText = (text) => ((window.copied = text), write(text));";
    b.client.execute(watch, vec![]).await.unwrap();
    b.click(Locator::Css(".copy-code")).await;
    let said = b
        .wait_until(
            "document.querySelector('.copy-code').textContent !== 'Copy' \
             && document.querySelector('.copy-code').textContent",
            WAIT,
        )
        .await;
    assert_eq!(said, "Copied");
    let copied = eval(b, "return window.copied").await;
    let code = eval(
        b,
        "return document.querySelector('.code-block pre').textContent",
    )
    .await;
    assert!(
        code.as_str()
            .is_some_and(|c| c.contains("kind: Deployment"))
    );
    assert_eq!(copied, code, "the first block's code is copied");
}

/// The site in `dir` served at `http://…/preview/`, as a host serves a copy
/// of a site under a sub-path: missing pages get its `404.html`.
async fn serve_under_preview(dir: PathBuf) -> String {
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let dir = dir.clone();
        async move { preview_file(&dir, uri.path()) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/preview/")
}

fn preview_file(dir: &Path, path: &str) -> Response {
    let file = path
        .strip_prefix("/preview/")
        .filter(|rel| !rel.split('/').any(|part| part == ".."))
        .map(|rel| match rel.is_empty() || rel.ends_with('/') {
            true => dir.join(rel).join("index.html"),
            false => dir.join(rel),
        });
    let type_of = |p: &Path| match p.extension().and_then(|e| e.to_str()) {
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        _ => "text/html; charset=utf-8",
    };
    match file.filter(|f| f.is_file()) {
        Some(f) => (
            [(header::CONTENT_TYPE, type_of(&f))],
            std::fs::read(&f).unwrap(),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            std::fs::read(dir.join("404.html")).unwrap(),
        )
            .into_response(),
    }
}

/// Whether the page has the theme's styles: a one-row flex header, and
/// the nav's link to the events resolving to `events`.
async fn styled_with_links(b: &Browser, events: &str) {
    let styled = "getComputedStyle(document.querySelector('.site-header')).display === 'flex' \
        && document.querySelector('.site-nav a').href";
    let found = b.wait_until(styled, WAIT).await;
    assert_eq!(
        found,
        Value::String(events.into()),
        "the 404 page is styled"
    );
    let title = b
        .client
        .execute("return document.title;", vec![])
        .await
        .unwrap();
    assert!(
        title.as_str().unwrap().starts_with("Page not found"),
        "{title}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_404_page_is_styled_under_serve_and_under_a_sub_path() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_server, base) = serve_at(&sample_root()).await;
    for missing in ["no-such-page", "talks/no-such-talk/", "a/b/c/"] {
        b.client.goto(&format!("{base}{missing}")).await.unwrap();
        styled_with_links(&b, &format!("{base}events/")).await;
    }
    let (_tmp, out) = build_sample();
    let preview = serve_under_preview(out).await;
    for missing in [
        "talks/no-such-talk/",
        "speakers/nobody/x",
        "no-such-page",
        "x/y/",
    ] {
        b.client.goto(&format!("{preview}{missing}")).await.unwrap();
        styled_with_links(&b, &format!("{preview}events/")).await;
    }
    b.close().await;
}

/// Runs `script` in the page and returns its value.
async fn eval(b: &Browser, script: &str) -> Value {
    b.client.execute(script, vec![]).await.unwrap()
}

/// Presses `key` in whatever has the focus.
async fn press(b: &Browser, key: Key) {
    let key = char::from(key);
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.client.perform_actions(keys).await.unwrap();
}

/// The header box's list: Escape closes it and keeps the query, a second
/// Escape too, ArrowDown opens it again, the whole option is the link (with
/// a hover style), and a query with no results says so in text.
async fn header_box(b: &Browser, base: &str) {
    let c = &b.client;
    c.goto(&format!("{base}talks/monzo-production-kubernetes-outage/"))
        .await
        .unwrap();
    let one_row = "const [t, n, s] = ['.site-title', '.site-nav', '.search-box']
        .map((css) => document.querySelector(css).getBoundingClientRect());
        return n.top < t.bottom && t.top < n.bottom && s.top < n.bottom && n.top < s.bottom;";
    assert_eq!(
        eval(b, one_row).await,
        Value::Bool(true),
        "a one-row header"
    );
    let input = c.find(Locator::Css("#search-input")).await.unwrap();
    input.send_keys("telepresence").await.unwrap();
    let shown = "!document.getElementById('search-dropdown').hidden \
        && document.querySelector('#search-listbox a.search-option[role=option]')";
    assert_ne!(
        b.wait_until(shown, WAIT).await,
        Value::Null,
        "options shown"
    );
    let meta = "return document.querySelector('#search-option-0 .search-result-meta').textContent;";
    let meta = eval(b, meta).await;
    assert!(
        meta.as_str().unwrap().ends_with("2\u{a0}May\u{a0}2018"),
        "a result's date as the pages show dates, on one line: {meta}"
    );
    let hidden = "document.getElementById('search-dropdown').hidden";
    for _ in 0..2 {
        press(b, Key::Escape).await;
        assert_eq!(b.wait_until(hidden, WAIT).await, Value::Bool(true));
        let value = eval(b, "return document.getElementById('search-input').value;").await;
        assert_eq!(value, "telepresence", "Escape keeps the query");
    }
    press(b, Key::Down).await;
    let open = "!document.getElementById('search-dropdown').hidden";
    assert_eq!(
        b.wait_until(open, WAIT).await,
        Value::Bool(true),
        "ArrowDown reopens"
    );

    let option = c.find(Locator::Css("#search-option-0")).await.unwrap();
    let before = eval(
        b,
        "return getComputedStyle(document.getElementById('search-option-0')).backgroundColor;",
    )
    .await;
    let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: option.clone(),
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    c.perform_actions(mouse).await.unwrap();
    let after = eval(
        b,
        "return getComputedStyle(document.getElementById('search-option-0')).backgroundColor;",
    )
    .await;
    assert_ne!(before, after, "an option under the pointer is highlighted");
    b.click(Locator::Css("#search-option-0 .search-result-excerpt"))
        .await;
    let went = "location.pathname.endsWith('/talks/telepresence-seamless-dev-environments/')";
    assert_eq!(
        b.wait_until(went, WAIT).await,
        Value::Bool(true),
        "the whole option is the link"
    );

    let input = c.find(Locator::Css("#search-input")).await.unwrap();
    input.send_keys("zzqqxxzz").await.unwrap();
    let none = "(n => !n.hidden && n.tagName === 'P' && n.textContent)(document.getElementById('search-none'))";
    let text = b.wait_until(none, WAIT).await;
    assert_eq!(text, "No results for “zzqqxxzz”");
    let links = eval(b, "return [...document.querySelectorAll('#search-dropdown a')].filter(a => a.offsetParent).length;").await;
    assert_eq!(links, 0, "no link says there are no results");
}

/// The search page: its own box filled and focused; filters as chips that
/// remove them, "Clear all"; filters alone browse; any value can be found
/// by typing.
async fn search_page(b: &Browser, base: &str) {
    let c = &b.client;
    c.goto(&format!("{base}search/?q=prometheus"))
        .await
        .unwrap();
    let focused =
        "document.activeElement.id === 'search-page-input' && document.activeElement.value";
    assert_eq!(b.wait_until(focused, WAIT).await, "prometheus");
    let open = eval(b, "return document.getElementById('search-filters').open;").await;
    assert_eq!(
        open,
        Value::Bool(true),
        "the filters are a side column on a wide screen"
    );
    let count = "document.querySelectorAll('#search-results .search-result').length";
    for speaker in ["fabian-reinartz", "matt-layher"] {
        let id = format!("facet-speaker-{speaker}");
        b.wait_until(&format!("document.getElementById('{id}')"), WAIT)
            .await;
        b.click(Locator::Id(&id)).await;
    }
    let chips =
        "[...document.querySelectorAll('#search-active button')].map(b => b.textContent).join('|')";
    let found = b
        .wait_until(&format!("{chips}.includes('Clear')"), WAIT)
        .await;
    assert_eq!(found, Value::Bool(true));
    assert_eq!(
        eval(b, &format!("return {chips};")).await,
        "Fabian Reinartz ×|Matt Layher ×|Clear all filters"
    );
    b.click(Locator::Css("#search-active .chip-remove")).await;
    let one = format!("{chips} === 'Matt Layher ×|Clear all filters' && {count} === 1");
    assert_eq!(
        b.wait_until(&one, WAIT).await,
        Value::Bool(true),
        "a chip removes its filter"
    );
    b.click(Locator::Css("#search-active .clear-filters")).await;
    let cleared = format!("document.getElementById('search-active').hidden && {count} === 2");
    assert_eq!(
        b.wait_until(&cleared, WAIT).await,
        Value::Bool(true),
        "Clear all"
    );

    c.goto(&format!("{base}search/?tag=monitoring"))
        .await
        .unwrap();
    let browsed = "document.getElementById('search-status').textContent";
    let status = b
        .wait_until(&format!("{browsed}.startsWith('2 results')"), WAIT)
        .await;
    assert_eq!(
        status,
        Value::Bool(true),
        "{}",
        eval(b, &format!("return {browsed};")).await
    );

    c.goto(&format!("{base}search/")).await.unwrap();
    let find = "document.getElementById('facet-filter-speaker')";
    assert_ne!(
        b.wait_until(find, WAIT).await,
        Value::Null,
        "speakers can be found by typing"
    );
    let hidden = "!document.getElementById('facet-speaker-liz-rice')";
    assert_eq!(
        eval(b, &format!("return {hidden};")).await,
        Value::Bool(true)
    );
    c.find(Locator::Id("facet-filter-speaker"))
        .await
        .unwrap()
        .send_keys("liz")
        .await
        .unwrap();
    let shown = "document.getElementById('facet-speaker-liz-rice')";
    assert_ne!(
        b.wait_until(shown, WAIT).await,
        Value::Null,
        "a value beyond the first 12"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_box_and_page_behave_as_readers_expect() {
    let Some(b) = browser::start().await else {
        return;
    };
    b.client.set_window_size(1280, 900).await.unwrap();
    let (_server, base) = serve_at(&sample_root()).await;
    header_box(&b, &base).await;
    search_page(&b, &base).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn from_disk_the_nav_opens_pages_not_folder_listings() {
    let Some(b) = browser::start().await else {
        return;
    };
    let (_tmp, out) = build_sample();
    let root = format!("file://{}/", out.canonicalize().unwrap().display());
    let c = &b.client;
    c.goto(&format!(
        "{root}talks/monzo-production-kubernetes-outage/index.html"
    ))
    .await
    .unwrap();
    let home = b.wait_until("document.querySelector('.site-title').href.endsWith('/index.html') && document.querySelector('.site-title').href", WAIT).await;
    assert_eq!(home, Value::String(format!("{root}index.html")));
    b.click(Locator::LinkText("Speakers")).await;
    let went = b
        .wait_until(
            "document.querySelector('h1')?.textContent === 'Speakers' && location.href",
            WAIT,
        )
        .await;
    assert_eq!(went, Value::String(format!("{root}speakers/index.html")));
    let folders = eval(&b, "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => /\\/$/.test(h.split(/[?#]/)[0]));").await;
    assert_eq!(
        folders,
        serde_json::json!([]),
        "every folder link opens its index.html"
    );
    b.close().await;
}

/// What a talk's neighbourhood draws its edges with: their fill, their
/// stroke colour, and how many there are.
const EDGE_STYLE: &str =
    "const paths = [...document.querySelectorAll('.neighbourhood .edges path')];
    const style = paths.length ? getComputedStyle(paths[0]) : null;
    return [paths.length, style && style.fill, style && style.stroke];";

#[tokio::test(flavor = "multi_thread")]
async fn diagram_edges_are_stroked_lines_not_filled_shapes() {
    let (_server, base) = serve_at(&sample_root()).await;
    let Some(b) = browser::start().await else {
        return;
    };
    let talk = format!("{base}talks/norwegian-tax-administration-kubernetes/");
    b.client.goto(&talk).await.unwrap();
    let found = eval(&b, EDGE_STYLE).await;
    let (paths, fill, stroke) = (&found[0], &found[1], &found[2]);
    assert!(paths.as_u64().is_some_and(|n| n > 0), "edges: {found}");
    assert_eq!(fill, "none", "an edge path is not filled: {found}");
    assert_ne!(stroke, "none", "an edge path is stroked: {found}");
    b.close().await;
}
