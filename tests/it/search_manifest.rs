//! The static index's manifest is the browser's one source for the search
//! constants (term length, accent folds, plural rules, prefixes, BM25,
//! boosts): a built site's manifest carries the library's values, and the
//! browser's engine (`static/search.js` under node) obeys whatever the
//! manifest says rather than copies of its own.

use std::path::Path;

use crate::support::build_sample;
use crate::support::search::{has_node, js_search, q};
use serde_json::{Value, json};
use talkbook::search::FIELDS;
use talkbook::search::analyzer::{FOLDS, MAX_TERM_CHARS, PLURALS, STEM_MIN_CHARS};
use talkbook::search::export::{BM25_B, BM25_K1};
use talkbook::search::query::{PREFIX_MAX_TERMS, PREFIX_MIN_CHARS};
use talkbook::search::searcher::ANY_WORD_NOTICE;
use talkbook::search::suggest::{SUGGEST_MAX_EDITS, SUGGEST_MIN_NOTES, SUGGEST_SHORT_CHARS};

const MANIFEST: &str = "search-index/manifest.js";
const CALL: &str = "__talkbook(\"manifest\",";

/// The manifest's payload in the site built into `out`.
fn read_manifest(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let json = text
        .strip_prefix(CALL)
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not a manifest script: {text:.80}"));
    serde_json::from_str(json).unwrap()
}

/// Writes `manifest` back as the script the browser loads.
fn write_manifest(out: &Path, manifest: &Value) {
    std::fs::write(out.join(MANIFEST), format!("{CALL}{manifest});\n")).unwrap();
}

#[test]
fn the_manifest_carries_the_librarys_search_constants() {
    let (_tmp, out) = build_sample();
    let manifest = read_manifest(&out);
    let analysis = &manifest["analysis"];
    assert_eq!(analysis["max_term_chars"], MAX_TERM_CHARS, "{manifest}");
    assert_eq!(analysis["stem_min_chars"], STEM_MIN_CHARS);
    assert_eq!(analysis["prefix_min"], PREFIX_MIN_CHARS);
    assert_eq!(analysis["prefix_max"], PREFIX_MAX_TERMS);
    assert_eq!(analysis["suggest_min_notes"], SUGGEST_MIN_NOTES);
    assert_eq!(analysis["suggest_max_edits"], SUGGEST_MAX_EDITS);
    assert_eq!(analysis["suggest_short_chars"], SUGGEST_SHORT_CHARS);
    assert_eq!(manifest["any_word"], ANY_WORD_NOTICE);
    let folds = analysis["folds"].as_object().expect("folds: an object");
    assert_eq!(folds.len(), FOLDS.len());
    for (letter, folded) in FOLDS {
        assert_eq!(folds[&letter.to_string()], folded, "fold of {letter}");
    }
    assert_eq!(analysis["plurals"], json!(PLURALS));
    assert_eq!(
        analysis["plurals"][0],
        json!({"ending": "ies", "replacement": "y", "unless": ["eies", "aies"]})
    );
    assert_eq!(manifest["k1"], json!(BM25_K1));
    assert_eq!(manifest["b"], json!(BM25_B));
    assert_eq!(manifest["boosts"], json!(FIELDS.map(|(_, boost)| boost)));
}

#[test]
fn the_browser_follows_the_manifests_constants() {
    if !has_node() {
        return;
    }
    let (_tmp, out) = build_sample();
    let queries = [
        "prom",          // a prefix (4 >= 3 characters)
        "prometh",       // a prefix, expanded to the terms it starts
        "telepresence ", // 12 characters
        "metrics ",      // indexed as "metric"
        "ø ",            // folds to "o"
        "prometheus ",
    ]
    .map(q);
    let totals =
        |out: &Path| -> Vec<usize> { js_search(out, &queries).iter().map(|r| r.total).collect() };
    let before = totals(&out);
    assert!(before[..4].iter().all(|&n| n > 0), "{before:?}");

    let mut manifest = read_manifest(&out);
    manifest["analysis"] = json!({
        "max_term_chars": 11,
        "folds": {"ø": "prometheus"},
        "stem_min_chars": 4,
        "plurals": [],
        "prefix_min": 5,
        "prefix_max": 1,
    });
    write_manifest(&out, &manifest);
    let after = totals(&out);
    assert_eq!(
        after[..4],
        [0, 0, 0, 0],
        "prefix_min 5, prefix_max 1, max_term_chars 11, no plurals"
    );
    assert_eq!(after[4], before[5], "ø folds to prometheus");
    assert!(after[4] > 0 && after[5] == before[5], "{after:?}");
}
