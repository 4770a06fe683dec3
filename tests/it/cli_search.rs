//! `talkbook search`: the command-line reader of the search index.

use crate::support::{Run, Site, assert_has, sample_root, talkbook};

fn search(args: &[&str]) -> Run {
    Run::of(
        talkbook()
            .arg("search")
            .args(args)
            .arg("--root")
            .arg(sample_root()),
    )
}

#[test]
fn finds_the_telepresence_talk_first() {
    let run = search(&["telepresence"]).ok();
    let first = run.stdout.lines().next().unwrap_or_default();
    assert_has(
        first,
        "Seamless Development Environments on Kubernetes using Telepresence",
    );
    assert_has(first, "/talks/telepresence-seamless-dev-environments/");
}

#[test]
fn json_lists_results_in_rank_order() {
    let run = search(&["norwegian tax", "--json", "--limit", "2"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let results = answer["results"].as_array().expect("an array of results");
    assert_eq!(results.len(), 2);
    assert_eq!(answer["every_word"], true);
    assert!(answer["total"].as_u64().unwrap() >= 2, "{answer}");
    let first = &results[0];
    assert_eq!(
        first["url"],
        "/talks/norwegian-tax-administration-kubernetes/"
    );
    assert_eq!(first["speakers"], serde_json::json!(["Bjarte S. Karlsen"]));
    assert_eq!(first["event"], "KubeCon + CloudNativeCon Europe 2018");
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores[0] >= scores[1], "{scores:?}");
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["event", "excerpt", "score", "speakers", "title", "url"]
    );
    let pieces = first["excerpt"].as_array().expect("the excerpt's pieces");
    assert!(
        pieces.iter().any(|p| p["matched"] == true),
        "the excerpt marks a word of the query: {pieces:?}"
    );
}

#[test]
fn results_show_the_passage_that_matched() {
    let filler = "Nothing to see in this sentence at all. ".repeat(60);
    let site = Site::new().file(
        "content/talks/deep.md",
        &format!("+++\ntitle = \"A long talk\"\n+++\n\n{filler}\n\nThe admission webhook failed.\n\n{filler}\n"),
    );
    let run = Run::of(
        talkbook()
            .args(["search", "webhook", "--root"])
            .arg(site.root()),
    )
    .ok();
    assert_has(&run.stdout, "…");
    assert_has(&run.stdout, "The admission **webhook** failed.");
}

#[test]
fn limit_caps_the_results() {
    let run = search(&["kubernetes", "--json", "--limit", "3"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(answer["results"].as_array().unwrap().len(), 3);
    assert!(answer["total"].as_u64().unwrap() > 3, "{answer}");
}

#[test]
fn a_word_being_typed_matches_as_a_prefix() {
    let run = search(&["telepre", "--json", "--limit", "1"]).ok();
    assert_has(
        &run.stdout,
        "/talks/telepresence-seamless-dev-environments/",
    );
}

#[test]
fn a_word_being_typed_finds_every_note_the_whole_word_finds() {
    // `kubernetes` is indexed as `kubernete`, which sorts before the
    // prefix `kubernetes`: the typed word must still stand for it.
    let total = |query: &str| {
        let run = search(&[query, "--json"]).ok();
        let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        answer["total"].as_u64().unwrap()
    };
    let whole = total("kubernetes ");
    assert!(whole > 3, "{whole}");
    assert!(total("kubernetes") >= whole);
}

#[test]
fn no_match_says_so() {
    let run = search(&["zzzzqqqq"]).ok();
    assert_has(&run.stdout, "No notes match");
    let run = search(&["zzzzqqqq", "--json"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(answer["results"], serde_json::json!([]));
    assert_eq!(answer["total"], 0);
}

#[test]
fn odd_queries_do_not_crash() {
    for query in [
        "",
        "\"",
        "\"unclosed phrase",
        "<script>",
        "***",
        "a\"b\"c",
        "😀",
    ] {
        search(&[query, "--json"]).ok();
    }
}

#[test]
fn a_broken_site_reports_its_errors() {
    let site = Site::new().file("content/talks/a.md", "+++\ntitle = \n+++\n");
    let run = Run::of(talkbook().args(["search", "x", "--root"]).arg(site.root())).failed();
    assert_has(&run.stderr, "content/talks/a.md:2:");
}

#[test]
fn a_word_no_note_has_gets_the_nearest_term() {
    let run = search(&["kubernets"]).ok();
    assert_has(
        &run.stdout,
        "No note has “kubernets”: did you mean “kubernetes”?",
    );
    let run = search(&["kubernets", "--json"]).ok();
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        answer["suggestions"],
        serde_json::json!([{"word": "kubernets", "nearest": "kubernetes"}])
    );
}

#[test]
fn when_no_note_has_every_word_it_says_so() {
    let run = search(&["telepresence zzyzx "]).ok();
    assert_has(
        &run.stdout,
        "Note: no note has every word; showing notes with any.",
    );
    assert_has(&run.stdout, "Telepresence");
    let run = search(&["telepresence kubernetes "]).ok();
    assert!(!run.stdout.contains("every word"), "{}", run.stdout);
}
