//! What a search query means, before it meets an index.
//!
//! Words are separated by spaces; `"quoted words"` form a phrase. Every word
//! must match (with a fallback to any word when that finds nothing). A word
//! the analyzer splits (`borrow-checker`) is a phrase. The last word, while it
//! is being typed (no space after it), also matches every term it starts, so
//! `metr` finds `metrics`; while it is shorter than [`PREFIX_MIN_CHARS`], it
//! is left out (`kubernetes o` is `kubernetes`), unless it is the only word.
//! Repeated words count once.
//!
//! `static/search.js` parses queries with exactly these rules, and reads
//! the constants below from the static index's manifest (`export.rs`).

use std::collections::HashSet;

use super::analyzer::analyze;

/// The shortest word that is also matched as a prefix.
pub const PREFIX_MIN_CHARS: usize = 3;
/// A prefix matches at most this many terms (the most frequent ones).
pub const PREFIX_MAX_TERMS: usize = 32;

/// One part of a query that a note must match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Word {
    /// One term.
    Exact(String),
    /// The last word as typed: its own term, or any term starting with `prefix`.
    Prefix {
        /// The word's term.
        term: String,
        /// The word's folded, unstemmed form.
        prefix: String,
    },
    /// Terms at these positions relative to the first.
    Phrase(Vec<(usize, String)>),
}

/// Parses a query into the words a note must match, in query order.
pub fn parse(query: &str) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut seen: HashSet<Word> = HashSet::new();
    let parts = split(query);
    let typing_last = !query.ends_with(char::is_whitespace) && !query.ends_with('"');
    let last = parts.len().saturating_sub(1);
    for (i, (text, quoted)) in parts.iter().enumerate() {
        let terms = analyze(text);
        let typed = i == last && typing_last && !quoted;
        let word = match terms.as_slice() {
            [] => continue,
            [term] if typed && term.folded.chars().count() >= PREFIX_MIN_CHARS => Word::Prefix {
                term: term.text.clone(),
                prefix: term.folded.clone(),
            },
            [_] if typed && !words.is_empty() => continue,
            [term] => Word::Exact(term.text.clone()),
            [first, ..] => Word::Phrase(
                terms
                    .iter()
                    .map(|t| (t.position - first.position, t.text.clone()))
                    .collect(),
            ),
        };
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

/// The query's parts: unquoted words and quoted phrases, in order.
fn split(query: &str) -> Vec<(&str, bool)> {
    let mut parts = Vec::new();
    for (i, chunk) in query.split('"').enumerate() {
        if i % 2 == 1 {
            parts.push((chunk, true));
        } else {
            parts.extend(chunk.split_whitespace().map(|w| (w, false)));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(t: &str) -> Word {
        Word::Exact(t.into())
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        assert_eq!(
            parse("prometheus metr"),
            [
                exact("prometheus"),
                Word::Prefix {
                    term: "metr".into(),
                    prefix: "metr".into()
                }
            ]
        );
        assert_eq!(
            parse("prometheus metrics "),
            [exact("prometheus"), exact("metric")]
        );
        assert_eq!(parse("ab"), [exact("ab")]);
    }

    #[test]
    fn a_short_last_word_being_typed_is_left_out() {
        assert_eq!(parse("kubernetes o"), [exact("kubernete")]);
        assert_eq!(parse("kubernetes op"), [exact("kubernete")]);
        assert_eq!(parse("kubernetes op "), [exact("kubernete"), exact("op")]);
        assert_eq!(
            parse("kubernetes \"op\""),
            [exact("kubernete"), exact("op")]
        );
    }

    #[test]
    fn quotes_and_split_words_are_phrases() {
        let phrase = Word::Phrase(vec![(0, "borrow".into()), (1, "checker".into())]);
        assert_eq!(parse("\"borrow checker\""), std::slice::from_ref(&phrase));
        assert_eq!(parse("borrow-checker "), [phrase]);
        assert_eq!(parse("\"istio\""), [exact("istio")]);
    }

    #[test]
    fn repeated_words_count_once() {
        assert_eq!(parse("istio istio "), [exact("istio")]);
    }

    #[test]
    fn many_distinct_words_parse_in_linear_time() {
        // Comparing each word with every earlier one took minutes here.
        let query: String = (0..40_000).map(|i| format!("w{i} ")).collect();
        let started = std::time::Instant::now();
        assert_eq!(parse(&query).len(), 40_000);
        let took = started.elapsed();
        assert!(took.as_secs() < 5, "40,000 words took {took:?}");
    }

    #[test]
    fn anything_parses() {
        for q in ["", "\"", "\"\"", "   ", "!!!", "\"a", "<script>", "a\"b\"c"] {
            let _ = parse(q);
        }
    }
}
