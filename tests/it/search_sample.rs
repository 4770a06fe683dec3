//! Search over the sample site, through the library and through the
//! browser's engine (`static/search.js` under node): relevance, filters,
//! odd queries; and the browser's analyzer and query parser against the
//! Rust ones they mirror.

use std::collections::BTreeSet;

use crate::support::search::{has_node, js_search, js_search_raw, q};
use crate::support::{build_sample, sample_root};
use serde_json::{Value, json};
use talkbook::entity::EntityKind;
use talkbook::search::analyzer::analyze;
use talkbook::search::excerpt::{Matcher, Piece, excerpt, marked_text};
use talkbook::search::export::analysis_rules;
use talkbook::search::query::{Word, parse};
use talkbook::search::{SearchIndex, SearchInput};
use talkbook::site::Site;

const TELEPRESENCE: &str = "talks/telepresence-seamless-dev-environments/";
const NORWEGIAN: &str = "talks/norwegian-tax-administration-kubernetes/";
const PROMETHEUS_2: &str = "talks/prometheus-2-next-scale-monitoring/";
const PROMETHEUS_METRICS: &str = "talks/prometheus-metrics-from-anything/";

fn sample_index() -> SearchIndex {
    let site = Site::load(&sample_root(), false).unwrap_or_else(|e| panic!("{e}"));
    SearchIndex::build(&site).unwrap_or_else(|e| panic!("{e}"))
}

/// The URLs of the results of `query`, best first.
fn urls(index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(query)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|hit| index.doc(hit.id).url.clone())
        .collect()
}

#[test]
fn the_library_finds_the_expected_talks_first() {
    let index = sample_index();
    for (query, first) in [
        ("telepresence", TELEPRESENCE),
        ("Telepresence ", TELEPRESENCE),
        ("telep", TELEPRESENCE),
        ("norwegian tax", NORWEGIAN),
        ("norwegian tax ", NORWEGIAN),
        ("NORWÉGIAN taxes", NORWEGIAN),
    ] {
        let found = urls(&index, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(first),
            "{query:?}: {found:?}"
        );
    }
}

/// `serve` indexes a copy of the notes it takes between edits: it answers
/// every query as the index of the site itself does.
#[test]
fn the_copy_serve_indexes_answers_as_the_site_does() {
    let site = Site::load(&sample_root(), false).unwrap_or_else(|e| panic!("{e}"));
    let built = SearchIndex::build(&site).unwrap_or_else(|e| panic!("{e}"));
    let copied = SearchIndex::from_input(SearchInput::of(&site)).unwrap_or_else(|e| panic!("{e}"));
    for query in [
        "telepresence",
        "norwegian tax",
        "prom",
        "kubernetes ",
        "zzz",
    ] {
        let answer = |index: &SearchIndex| index.answer(query, 0, 50).unwrap();
        assert_eq!(answer(&copied), answer(&built), "{query:?}");
        assert_eq!(copied.len(), built.len());
    }
}

#[test]
fn the_library_data_behind_filters_narrows_by_speaker() {
    let index = sample_index();
    let hits = index.search("prometheus").unwrap_or_else(|e| panic!("{e}"));
    let speakers: BTreeSet<&str> = hits
        .iter()
        .flat_map(|h| &index.doc(h.id).facets[&EntityKind::Speaker])
        .map(String::as_str)
        .collect();
    assert!(
        speakers.contains("fabian-reinartz") && speakers.contains("matt-layher"),
        "{speakers:?}"
    );
    let narrowed: Vec<&str> = hits
        .iter()
        .map(|h| index.doc(h.id))
        .filter(|d| d.facets[&EntityKind::Speaker].contains(&"matt-layher".to_string()))
        .map(|d| d.url.as_str())
        .collect();
    assert_eq!(narrowed, [PROMETHEUS_METRICS]);
}

#[test]
fn the_browser_engine_finds_filters_and_never_throws_on_the_sample_site() {
    if !has_node() {
        return;
    }
    let (_tmp, out) = build_sample();

    let results = js_search(
        &out,
        &[
            q("telepresence"),
            q("norwegian tax"),
            q("prometheus"),
            json!({"q": "prometheus", "filters": {"speaker": ["matt-layher"]}}),
            json!({"q": "prometheus", "filters": {"speaker": ["fabian-reinartz", "matt-layher"]}}),
            json!({"q": "prometheus", "filters": {"speaker": ["matt-layher"], "tag": ["no-such-tag"]}}),
            json!({"q": "istio", "filters": {"project": ["opencensus"]}}),
        ],
    );
    let first = |i: usize| results[i].urls.first().map(String::as_str);
    assert_eq!(first(0), Some(TELEPRESENCE), "{:?}", results[0]);
    assert_eq!(first(1), Some(NORWEGIAN), "{:?}", results[1]);
    let all: BTreeSet<&str> = results[2].urls.iter().map(String::as_str).collect();
    assert!(all.contains(PROMETHEUS_2) && all.contains(PROMETHEUS_METRICS));
    assert_eq!(results[3].urls, [PROMETHEUS_METRICS], "one speaker");
    assert_eq!(results[4].total, 2, "two speakers of one kind: either");
    assert_eq!(results[5].total, 0, "filters of two kinds: both");
    assert_eq!(
        results[6].urls,
        ["talks/istio-opencensus-latency-analysis/"],
        "a project"
    );

    // Queries of any content: no exception, a result list.
    let (long, many) = ("x".repeat(5000), "a ".repeat(500));
    let odd = [
        "",
        " ",
        "\"",
        "\"\"",
        "\"\"\"",
        "\" \"",
        "a\"b\"c",
        "-",
        "--",
        "***",
        "\\",
        "\\\"",
        "<img src=x onerror=alert(1)>",
        "</script>",
        "${alert(1)}",
        "constructor",
        "__proto__",
        "toString ",
        "hasOwnProperty",
        "prototype",
        "null",
        "undefined",
        "NaN",
        "🎉",
        "🎉🎉🎉 k8s",
        "\u{0}",
        "\u{feff}",
        "\u{85}",
        "\u{10ffff}",
        "ﬀﬀﬀ",
        "İİİ",
        "ǅ",
        &long,
        &many,
        "\"a b c d e f g h i j k l m n o p\"",
        "kubernetes \"kubernetes\" kubernetes-kubernetes",
    ];
    let queries: Vec<Value> = odd.iter().map(|s| q(s)).collect();
    let results = js_search(&out, &queries);
    assert_eq!(results.len(), odd.len());
    // And what Rust strings cannot hold: lone surrogates.
    let raw = js_search_raw(
        &out,
        r#"[{"q": "\ud800"}, {"q": "abc\udfff"}, {"q": "\udc00\ud800 prom"}, {"q": "\"\ud83d"}]"#,
    );
    assert_eq!(raw.len(), 4);
    assert_eq!(
        raw[2].urls.first().map(String::as_str),
        Some(PROMETHEUS_METRICS)
    );
}

/// Texts the analyzer must treat exactly as Rust does.
const TEXTS: &[&str] = &[
    "Björn Ström's C++ talk",
    "Straße Øre ÆON œuvre Łódź đ ð þorn ıi",
    "café naïve résumé Zoë Kraków Nyström Zieliński",
    "ΣΊΣΥΦΟΣ ΟΔΟΣ Σ σς",
    "İstanbul DİYARBAKIR",
    "ﬁle ﬂow ﬀ Ⅻ ½ ² ① ℌ ㎏ ｆｕｌｌ",
    "한국어 日本語 テスト ১২৩ ١٢٣ ٤٥",
    "क्षत्रिय मः",
    "emoji 🎉 test 👍🏽 a\u{200d}b",
    "x\u{301}\u{301} \u{301}abc e\u{301}",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy after",
    "ééééééééééééééééééééééééééééééééééééééé ßßßßßßßßßßßßßßßßßßßßß",
    "metrics dependencies classes glass status bus was series flies eies aies ies",
    "Kubernetes kubernetes KUBERNETES ǅemal ǈ",
    "tab\there\nnew\u{85}nel\u{a0}nbsp\u{3000}ideo\u{feff}bom",
    "cert-manager borrow-checker e-mail x86_64 v1.2.3 10.0.0.1",
];

#[test]
fn the_browser_analyzer_mirrors_the_rust_one() {
    if !has_node() {
        return;
    }
    let expected: Vec<Value> = TEXTS
        .iter()
        .map(|text| {
            Value::Array(
                analyze(text)
                    .into_iter()
                    .map(|t| json!([t.text, t.folded, t.position]))
                    .collect(),
            )
        })
        .collect();
    let got = node_mirror("analyze", TEXTS);
    for ((text, want), got) in TEXTS.iter().zip(&expected).zip(&got) {
        assert_eq!(got, want, "analyze({text:?})");
    }
}

#[test]
fn the_browser_query_parser_mirrors_the_rust_one() {
    if !has_node() {
        return;
    }
    let queries: Vec<&str> = [
        "prometheus metr",
        "prometheus metrics ",
        "ab",
        "abc",
        "ab\u{301}c",
        "\"borrow checker\"",
        "borrow-checker ",
        "borrow-checker",
        "\"istio\"",
        "istio istio ",
        "istio isti",
        "\"a b\" \"a b\" a-b",
        "",
        "\"",
        "\"\"",
        "   ",
        "!!!",
        "\"a",
        "\"abc",
        "<script>",
        "a\"b\"c",
        "metr\u{85}",
        "metr\u{feff}",
        "a\u{feff}b c",
        "a\u{85}b c",
        "metr\u{a0}",
        "x y\u{3000}",
        "ümlaut",
        "ÜBERS",
        "foo\"bar baz\" qux",
        "foo \"bar baz",
        "Zieliński",
        "kubernetes obs",
        "kubernetes o",
        "kubernetes op",
        "kubernetes op ",
        "\"service mesh\" o",
        "2 of them",
        "\"the first version\" ",
        "x-\"y z\"-w",
    ]
    .into();
    let got = node_mirror("parse", &queries);
    for (query, got) in queries.iter().zip(&got) {
        let want: Vec<Value> = parse(query)
            .into_iter()
            .map(|w| match w {
                Word::Exact(term) => json!({ "exact": term }),
                Word::Prefix { term, prefix } => json!({ "term": term, "prefix": prefix }),
                Word::Phrase(terms) => json!({ "phrase": terms }),
            })
            .collect();
        assert_eq!(got, &Value::Array(want), "parse({query:?})");
    }
}

#[test]
fn the_browser_marks_the_words_the_cli_marks() {
    if !has_node() {
        return;
    }
    let filler = "Nothing to see in this sentence at all. ".repeat(10);
    let text = format!(
        "{filler}One Metric here. {filler}Prometheus exports metrics; Prometheus scrapes metrics. {filler}"
    );
    let queries = ["prometheus metr", "xyzzy", "\"scrapes metrics\"", "metric "];
    let excerpts: Vec<Vec<Piece>> = queries
        .iter()
        .map(|query| excerpt(&text, &Matcher::new(&parse(query))))
        .collect();
    let cases: Vec<Value> = queries
        .iter()
        .zip(&excerpts)
        .map(|(query, pieces)| json!([query, marked_text(pieces, "")]))
        .collect();
    let marked_by_node: Vec<Vec<String>> = node_run("marks", &Value::Array(cases))
        .iter()
        .map(|pieces| {
            let pieces = pieces.as_array().unwrap();
            let marked = pieces.iter().filter(|p| p[1] == true);
            marked.map(|p| p[0].as_str().unwrap().to_string()).collect()
        })
        .collect();
    let marked_by_rust: Vec<Vec<String>> = excerpts
        .iter()
        .map(|pieces| {
            let marked = pieces.iter().filter(|p| p.matched);
            marked.map(|p| p.text.clone()).collect()
        })
        .collect();
    assert_eq!(marked_by_node, marked_by_rust);
    assert_eq!(
        marked_by_rust[0],
        ["Prometheus", "metrics", "Prometheus", "metrics"]
    );
    let shown = marked_text(&excerpts[0], "");
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    assert!(marked_by_rust[1].is_empty());
    assert!(marked_text(&excerpts[1], "").starts_with("Nothing to see"));
}

/// `node tests/search_node.js <mode>` over `texts`.
fn node_mirror(mode: &str, texts: &[&str]) -> Vec<Value> {
    node_run(mode, &json!(texts))
}

/// `node tests/search_node.js <mode>` over `inputs`, with the constants the
/// manifest gives the browser.
fn node_run(mode: &str, inputs: &Value) -> Vec<Value> {
    let input = json!({ "analysis": analysis_rules(), "inputs": inputs });
    let output =
        crate::support::search::run_harness(&[std::ffi::OsStr::new(mode)], &input.to_string());
    output.as_array().expect("an array").clone()
}
