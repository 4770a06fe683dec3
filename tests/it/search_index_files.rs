//! The static search index of a site of hundreds of notes: few files (at
//! most one per 4 notes, however many notes), and excerpts that show where a
//! word deep in a note matched.

use std::path::Path;

use crate::support::Site;
use crate::support::search::{has_node, js_search, q};

/// Notes in the generated site.
const NOTES: usize = 400;
/// Words the generated notes are made of, so that they differ.
const WORDS: [&str; 12] = [
    "cluster",
    "latency",
    "operator",
    "pipeline",
    "storage",
    "gateway",
    "scheduler",
    "quota",
    "sidecar",
    "registry",
    "tenant",
    "rollout",
];

/// A site of [`NOTES`] notes of about 3,000 characters; every seventh
/// mentions "webhook" once, after 2,000 characters.
fn generated_site() -> Site {
    let mut site = Site::new();
    for i in 0..NOTES {
        let sentence = |k: usize| {
            let word = |n: usize| WORDS[(i * 7 + k * 3 + n) % WORDS.len()];
            format!(
                "The {} team tuned the {} and the {} in week {k}. ",
                word(0),
                word(1),
                word(2)
            )
        };
        let mut body: String = (0..40).map(sentence).collect();
        if i % 7 == 0 {
            body.push_str("Then the admission webhook rejected everything. ");
        }
        body.extend((40..60).map(sentence));
        site = site.file(
            &format!("content/talks/note-{i:03}.md"),
            &format!(
                "+++\ntitle = \"Note {i}\"\ntags = [\"Tag {}\"]\n+++\n\n{body}\n",
                i % 9
            ),
        );
    }
    site
}

/// The files under `dir`, recursively.
fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                count_files(&entry.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn a_large_site_has_one_index_file_per_four_notes_and_deep_excerpts() {
    let site = generated_site();
    site.build();
    let files = count_files(&site.out().join("search-index"));
    assert!(
        files <= NOTES / 4,
        "{files} search index files for {NOTES} notes"
    );
    if !has_node() {
        return;
    }
    let found = &js_search(&site.out(), &[q("webhook")])[0];
    assert_eq!(found.total, NOTES.div_ceil(7));
    assert_eq!(found.excerpts.len(), 10);
    for excerpt in &found.excerpts {
        assert!(
            excerpt.starts_with('…') && excerpt.ends_with('…'),
            "cut at both ends: {excerpt}"
        );
        assert!(
            excerpt.contains("admission webhook rejected"),
            "the passage that matched: {excerpt}"
        );
    }
}
