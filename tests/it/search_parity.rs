//! The browser ranks as tantivy does: ~45 queries over the 1,000-note
//! benchmark corpus, run through the library (`SearchIndex::search`) and
//! through `static/search.js` under node reading the built static index,
//! must give the same count and top 10, in the same order, with scores equal
//! to 1e-4, the same answer to "has every note every word?" and the same
//! suggestions; and so must an index of the same notes where frequent terms
//! have heads (`export.rs`), read as the header box and as the search page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::search::{JsResult, has_node, js_search, q};
use crate::support::{Run, talkbook};
use crate::support::{alone, require};
use talkbook::search::SearchIndex;
use talkbook::search::export::export_sized;
use talkbook::site::Site;

/// The queries: single words, several words, words being typed (prefixes),
/// phrases, words the analyzer splits, accents and case, plurals, no
/// results, and words whose AND finds nothing so that OR applies.
const QUERIES: &[&str] = &[
    "kubernetes ",
    "prometheus",
    "grafana",
    "latency ",
    "etcd",
    "the ",
    "metric ",
    "metrics ",
    "dependencies ",
    "prom",
    "kub",
    "obs",
    "kubernetes obs",
    "prometheus metrics",
    "prometheus metrics ",
    "service mesh latency ",
    "envoy istio cilium",
    "open policy agent ",
    "\"service mesh\"",
    "\"flaky route\"",
    "\"the first version\" ",
    "\"cert-manager and cert-manager\"",
    "\"zero downtime queues with cert manager\" ",
    "\"the xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx version\"",
    "cert-manager",
    "cert-manager rotation ",
    "López",
    "lopez ",
    "Małgorzata",
    "ZIELIŃSKI ",
    "Prométhéus kubernétes",
    "KUBERNETES",
    "2 of them",
    "xyzzyplugh",
    "xyzzyplugh qwvbnm ",
    "kubernetes xyzzyplugh ",
    "kubernets",
    "kubernets ",
    "prometheus latncy ",
    "promethues",
    "kubernetes o",
    "kubernetes op",
    "\"prometheus xyzzyplugh\" etcd ",
    "",
    "\"",
    "<img src=x onerror=alert(1)>",
];

/// `../shared/bench/gen_corpus.py`, beside the repository.
fn generator() -> PathBuf {
    let shared = std::env::var_os("TALKBOOK_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    shared.join("bench/gen_corpus.py")
}

/// Generates the corpus into `tmp/corpus/ours` with a `book.toml`.
fn corpus(tmp: &Path, n: usize) -> PathBuf {
    let status = Command::new("python3")
        .arg(generator())
        .args(["--n", &n.to_string(), "--format", "ours", "--out"])
        .arg(tmp.join("corpus"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen_corpus.py failed");
    let root = tmp.join("corpus/ours");
    std::fs::write(
        root.join("book.toml"),
        "[site]\ntitle = \"Corpus\"\nbase-url = \"https://example.org/\"\n",
    )
    .unwrap();
    root
}

#[test]
fn browser_ranking_matches_tantivy_on_the_1000_note_corpus() {
    let _alone = alone();
    if !has_node() || !require(generator().is_file(), "../shared/bench/gen_corpus.py") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = corpus(tmp.path(), 1000);
    let out = tmp.path().join("out");
    Run::of(
        talkbook()
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(&out),
    )
    .ok();
    let site = Site::load(&root, false).unwrap_or_else(|e| panic!("{e}"));
    let index = SearchIndex::build(&site).unwrap_or_else(|e| panic!("{e}"));
    // As built: at this size no term's postings are long enough for a head.
    let built = js_search(&out, &queries(false));
    assert!(
        built
            .iter()
            .flat_map(|r| &r.files)
            .all(|f| !f.starts_with("t-"))
    );
    agree(&index, &built, "the built index");

    // With heads for every term in more than ~150 notes: as the header box
    // (one word answered by its head) and as the search page (every hit).
    let heads = tmp.path().join("heads");
    let (files, _) = export_sized(&index, 512).unwrap_or_else(|e| panic!("{e}"));
    for (path, bytes) in files {
        let file = heads.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
    let by_head = js_search(&heads, &queries(false));
    agree(&index, &by_head, "heads, as the header box");
    let full = js_search(&heads, &queries(true));
    agree(&index, &full, "heads, as the search page");

    // A frequent word alone loads its head, not its tail; as the search
    // page, or beside another word, it loads its tail. (A fresh page each.)
    let tails = |query: &str, full: bool| {
        let mut asked = q(query);
        asked["full"] = full.into();
        let found = js_search(&heads, &[asked]).remove(0);
        let tails = found.files.iter().filter(|f| f.starts_with("t-")).count();
        (tails, found)
    };
    for query in ["kubernetes ", "the ", "kub", "prom", "latency "] {
        let (loaded, alone) = tails(query, false);
        assert_eq!(loaded, 0, "{query:?} alone loaded {:?}", alone.files);
        let (loaded, all) = tails(query, true);
        assert!(
            loaded > 0,
            "{query:?} on the search page loaded {:?}",
            all.files
        );
        assert!(alone.total > 150 && alone.total == all.total, "{query:?}");
    }
    let (loaded, pair) = tails("prometheus metrics ", false);
    assert!(loaded > 0, "two words loaded {:?}", pair.files);
}

/// Every page of a query, ranked by tantivy (words that must all match
/// are counted in the pass that ranks them), is that slice of all its
/// results with their count; and a page looked up in the prefix heads is
/// tantivy's.
#[test]
fn first_pages_from_the_heads_are_tantivy_s() {
    let _alone = alone();
    if !require(generator().is_file(), "../shared/bench/gen_corpus.py") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = corpus(tmp.path(), 1000);
    let site = Site::load(&root, false).unwrap_or_else(|e| panic!("{e}"));
    let plain = SearchIndex::build(&site).unwrap_or_else(|e| panic!("{e}"));
    // Heads for every term in more than ~150 notes, as in the test above;
    // exported twice, to know which pages the heads answer.
    let first = || {
        export_sized(&plain, 512)
            .unwrap_or_else(|e| panic!("{e}"))
            .1
    };
    let headed = SearchIndex::build(&site)
        .unwrap_or_else(|e| panic!("{e}"))
        .with_first_results(first());
    let heads = first();
    let pages = [
        (0, 10),
        (0, 5),
        (5, 5),
        (3, 4),
        (0, 12),
        (10, 10),
        (0, 1000),
    ];
    let mut from_heads = 0;
    let typed = ["kubernete", "obs", "the", "metr", "servic", "lat", "state"];
    for query in QUERIES.iter().chain(&typed) {
        // Every result, to check each page's slice of it and its count.
        let all = plain.searcher().find(query, 0, plain.len());
        let all = all.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.total, all.hits.len(), "{query:?}");
        for (offset, limit) in pages {
            let ranked = |index: &SearchIndex| {
                let found = index.searcher().find(query, offset, limit);
                found.unwrap_or_else(|e| panic!("{e}"))
            };
            let (tantivy, headed) = (ranked(&plain), ranked(&headed));
            let ids = |found: &talkbook::search::Found| -> Vec<usize> {
                found.hits.iter().map(|h| h.id).collect()
            };
            let what = format!("{query:?} {offset}..+{limit}");
            let slice = all.hits.iter().skip(offset).take(limit).map(|h| h.id);
            assert_eq!(ids(&tantivy), slice.collect::<Vec<_>>(), "{what}");
            assert_eq!(tantivy.total, all.total, "{what}");
            assert_eq!(ids(&headed), ids(&tantivy), "{what}");
            assert_eq!(headed.total, tantivy.total, "{what}");
            assert_eq!(headed.every_word, tantivy.every_word, "{what}");
            for (h, t) in headed.hits.iter().zip(&tantivy.hits) {
                assert!((h.score - t.score).abs() <= 1e-4, "{what}: {h:?} {t:?}");
            }
            let words = talkbook::search::query::parse(query);
            from_heads += usize::from(heads.page(&words, offset, limit).is_some());
        }
    }
    // Most pages of the frequent words typed alone, not only a few.
    assert!(from_heads >= 40, "only {from_heads} pages came from heads");
}

/// The queries for the harness, as the header box or (`full`) the search page.
fn queries(full: bool) -> Vec<serde_json::Value> {
    QUERIES
        .iter()
        .map(|s| {
            let mut query = q(s);
            query["full"] = full.into();
            query
        })
        .collect()
}

/// Asserts that `js`, the browser's results for [`QUERIES`] over the
/// static index `what`, are tantivy's: the same count, first 10 and
/// scores, the same "every word?" and the same suggestions.
fn agree(index: &SearchIndex, js: &[JsResult], what: &str) {
    assert_eq!(js.len(), QUERIES.len());
    let mut table = String::new();
    let mut failures = Vec::new();
    let mut nonempty = 0;
    for (query, js) in QUERIES.iter().zip(js) {
        let found = index.searcher().find(query, 0, index.len());
        let found = found.unwrap_or_else(|e| panic!("{e}"));
        let rust = &found.hits;
        nonempty += usize::from(!rust.is_empty());
        let suggestions: Vec<(String, String)> = index
            .searcher()
            .suggestions(query)
            .into_iter()
            .map(|s| (s.word, s.nearest))
            .collect();
        let mut problem = None;
        if rust.len() != js.total {
            problem = Some(format!("{} results vs {}", rust.len(), js.total));
        } else if found.every_word != js.every {
            problem = Some(format!("every word: {} vs {}", found.every_word, js.every));
        } else if suggestions != js.suggestions {
            problem = Some(format!(
                "suggestions {suggestions:?} vs {:?}",
                js.suggestions
            ));
        } else if js.hits.len() != rust.len().min(10) {
            problem = Some(format!("{} first results", js.hits.len()));
        }
        for (i, (r, j)) in rust.iter().zip(&js.hits).enumerate() {
            if problem.is_some() {
                break;
            }
            if r.id != j.0 {
                problem = Some(format!("#{}: note {} vs {}", i + 1, r.id, j.0));
            } else if (f64::from(r.score) - j.1).abs() > 1e-4 {
                problem = Some(format!("#{}: score {} vs {}", i + 1, r.score, j.1));
            }
        }
        let _ = writeln!(
            table,
            "{:<34} {:>6} {:>6}  {}",
            format!("{query:?}"),
            rust.len(),
            js.total,
            problem.as_deref().unwrap_or("ok")
        );
        if problem.is_some() {
            failures.push(*query);
        }
    }
    assert!(
        failures.is_empty(),
        "{what}: the browser and tantivy disagree on {failures:?}\n{:<34} {:>6} {:>6}\n{table}",
        "query",
        "tantivy",
        "js"
    );
    // The set exercises real ranking, not just empty results.
    assert!(
        nonempty >= 25,
        "only {nonempty} queries found anything:\n{table}"
    );
}
