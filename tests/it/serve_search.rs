//! Search inside `talkbook serve`: the pages are served before the search
//! index is built, `/api/search` says so until it is, then ranks as
//! `talkbook search` does; the static search files are served, and both
//! follow edits.

use std::time::{Duration, Instant};

use crate::support::serve::{Live, PATIENCE, Response, SEARCH_BUILDING, SEARCH_PATIENCE};
use crate::support::{Site, assert_has};

fn site() -> Site {
    Site::new()
        .file(
            "content/talks/mesh.md",
            "+++\ntitle = \"Service mesh at scale\"\ndate = 2024-05-01\nspeakers = [\"Ada Lovelace\"]\nprojects = [\"Istio\"]\n+++\n\nWe ran Istio on 400 clusters.\n",
        )
        .file(
            "content/talks/metrics.md",
            "+++\ntitle = \"Prometheus metrics everywhere\"\ndate = 2024-05-02\nspeakers = [\"Grace Hopper\"]\n+++\n\nExport metrics from anything.\n",
        )
}

/// The URLs of `/api/search?q=query`, best first.
async fn api_urls(live: &Live, query: &str) -> Vec<String> {
    urls_of(&live.get(&format!("/api/search?q={query}")).await)
}

/// The URLs of an `/api/search` answer, which must be a 200, best first.
fn urls_of(response: &Response) -> Vec<String> {
    assert_eq!(response.status, 200, "{}", response.text());
    let answer: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
    answer["results"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| r["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Polls `check` until it holds or [`PATIENCE`] runs out.
async fn eventually<F: AsyncFnMut() -> bool>(what: &str, mut check: F) {
    let deadline = Instant::now() + PATIENCE;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_come_before_search_which_says_to_retry_until_it_is_ready() {
    let mut site = site();
    for i in 0..300 {
        site = site.file(
            &format!("content/talks/filler-{i}.md"),
            &format!("+++\ntitle = \"Filler {i}\"\n+++\n\nA filler note, number {i}.\n"),
        );
    }
    let live = Live::start(site).await;
    // The pages are served at once, whether search is ready or not.
    assert_has(&live.page("/talks/mesh/").await, "Istio");
    // Until search is ready, every answer says so (never "no results");
    // then it answers.
    let deadline = Instant::now() + SEARCH_PATIENCE;
    loop {
        let response = live.get("/api/search?q=istio").await;
        if response.status != 503 {
            assert_eq!(urls_of(&response), ["/talks/mesh/"]);
            break;
        }
        assert_eq!(response.header("retry-after"), Some("1"));
        assert_has(&response.text(), SEARCH_BUILDING);
        assert!(Instant::now() < deadline, "search not ready in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The browser's files come with it.
    let manifest = live.page("/search-index/manifest.js").await;
    assert!(
        manifest.starts_with("__talkbook(\"manifest\""),
        "{manifest}"
    );
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_search_ranks_like_the_command_line() {
    let live = Live::start(site()).await;
    live.search_ready().await;
    assert_eq!(api_urls(&live, "istio").await, ["/talks/mesh/"]);
    assert_eq!(api_urls(&live, "metric").await, ["/talks/metrics/"]);
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_talkbook"))
        .args(["search", "--json", "mesh metrics", "--root"])
        .arg(live.site.root())
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let api: serde_json::Value =
        serde_json::from_slice(&live.get("/api/search?q=mesh%20metrics").await.body).unwrap();
    assert_eq!(api, cli, "the server and the command line rank alike");
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_search_pages_through_the_results_and_counts_them_all() {
    let live = Live::start(site().file(
        "content/talks/alerts.md",
        "+++\ntitle = \"Alerting\"\n+++\n\nPrometheus alerts.\n",
    ))
    .await;
    live.search_ready().await;
    let answer = |query: &'static str| {
        let live = &live;
        async move {
            let response = live.get(&format!("/api/search?{query}")).await;
            assert_eq!(response.status, 200, "{}", response.text());
            serde_json::from_slice::<serde_json::Value>(&response.body).expect("JSON")
        }
    };
    let urls = |answer: &serde_json::Value| -> Vec<String> {
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect()
    };
    // "mesh" is in one note, "metrics" in the other.
    let both = answer("q=mesh%20metrics").await;
    assert_eq!(both["total"], 2, "{both}");
    assert_eq!(both["every_word"], false, "no note has both words: {both}");
    let first = answer("q=mesh%20metrics&limit=1").await;
    let second = answer("q=mesh%20metrics&limit=1&offset=1").await;
    assert_eq!(
        (first["total"].clone(), second["total"].clone()),
        (2.into(), 2.into())
    );
    assert_eq!([urls(&first), urls(&second)].concat(), urls(&both));
    let typo = answer("q=prometheu%20mesh%20").await;
    assert_eq!(urls(&typo), ["/talks/mesh/"]);
    let suggestions = serde_json::json!([{"word": "prometheu", "nearest": "prometheus"}]);
    assert_eq!(typo["suggestions"], suggestions, "{typo}");
    let past = answer("q=mesh%20metrics&offset=18446744073709551615").await;
    assert_eq!(urls(&past), Vec::<String>::new());
    assert_eq!(past["total"], 2);
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_search_refuses_bad_parameters_and_survives_odd_queries() {
    let live = Live::start(site()).await;
    live.search_ready().await;
    assert_eq!(live.get("/api/search?q=x&limit=lots").await.status, 400);
    for query in [
        "",
        "%22",
        "%22unclosed",
        "%3Cscript%3E",
        "a%22b%22c",
        "%F0%9F%98%80",
    ] {
        let response = live.get(&format!("/api/search?q={query}")).await;
        assert_eq!(response.status, 200, "q={query}: {}", response.text());
    }
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_static_search_files_are_served() {
    let live = Live::start(site()).await;
    live.search_ready().await;
    let manifest = live.page("/search-index/manifest.js").await;
    assert!(
        manifest.starts_with("__talkbook(\"manifest\""),
        "{manifest}"
    );
    assert!(live.page("/search/").await.contains("search-page-input"));
    assert!(live.page("/static/search.js").await.contains("__talkbook"));
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_follows_edits() {
    let mut live = Live::start(site()).await;
    live.search_ready().await;
    assert!(api_urls(&live, "zanzibarium").await.is_empty());
    let before = live.get("/search-index/manifest.js").await.body;
    live.site.write(
        "content/talks/metrics.md",
        b"+++\ntitle = \"Prometheus metrics everywhere\"\n+++\n\nNow about zanzibarium.\n",
    );
    live.reload().await;
    eventually("the edited note is found", async || {
        api_urls(&live, "zanzibarium").await == ["/talks/metrics/"]
    })
    .await;
    // The browser's files follow too: the same as a fresh build's.
    let root = live.site.root();
    let (_, fresh) =
        talkbook::pipeline::Pipeline::read(&root, false, talkbook::site::Markdown::Drop)
            .search()
            .unwrap();
    eventually(
        "the served search files equal a fresh build's",
        async || {
            live.get("/search-index/manifest.js").await.body == fresh["search-index/manifest.js"]
        },
    )
    .await;
    assert_ne!(before, fresh["search-index/manifest.js"]);
    for (path, bytes) in &fresh {
        let served = live.get(&format!("/{path}")).await;
        assert_eq!(&served.body, bytes, "{path}");
    }
    live.site.remove("content/talks/metrics.md");
    live.reload().await;
    eventually("a deleted note is no longer found", async || {
        api_urls(&live, "zanzibarium").await.is_empty()
    })
    .await;
    live.stop().await;
}
