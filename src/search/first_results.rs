//! The first results of a frequent word being typed, ranked when the index
//! is exported.
//!
//! The static index ranks ahead of time, for every prefix a frequent term
//! can be typed as, the notes that word alone ranks first and how many
//! notes it matches (its *prefix heads*, see [`super::export`]): the
//! browser answers such a word without loading thousands of postings. An
//! index that has its static files answers the same queries from the same
//! ranking ([`Searcher::find`](super::searcher::Searcher::find)): the first
//! page of a word like `the` or `kubernetes` typed alone is a lookup, not a
//! ranking of every note that has one of its 32 terms.
//!
//! The heads rank with the browser's BM25, which gives tantivy's scores to
//! the last bit or two of a 32-bit float. So a page is taken from a head
//! only where its edges fall between scores further apart than
//! [`CLEAR_GAP`]: there, tantivy puts the same notes on that page, and
//! pages asked of tantivy (further down, or with another limit) neither
//! repeat nor skip a note. Other pages are ranked by tantivy.

use std::collections::HashMap;

use super::query::Word;
use super::{Found, Hit};

/// Two scores whose difference is under this share of the higher may
/// rank in either order between the heads and tantivy (a head's scores
/// and tantivy's differed by at most 7.6e-6 over the 1,686 prefix heads of
/// the 10,000-note benchmark corpus).
pub const CLEAR_GAP: f32 = 1e-4;

/// One prefix's first notes, best first, and how many notes it matches.
#[derive(Debug, PartialEq)]
pub struct Ranked {
    /// The notes the prefix matches in all.
    pub total: usize,
    /// The first of them, best first.
    pub hits: Vec<Hit>,
}

/// The ranked first results of each prefix that has a head, by the prefix
/// (folded, as typed).
#[derive(Debug, Default)]
pub struct FirstResults {
    by_prefix: HashMap<String, Ranked>,
}

impl FirstResults {
    /// `ranked` by prefix.
    pub fn new(ranked: impl IntoIterator<Item = (String, Ranked)>) -> FirstResults {
        FirstResults {
            by_prefix: ranked.into_iter().collect(),
        }
    }

    /// Results `offset..offset + limit` of `words`, if they are one word
    /// being typed whose prefix has a head and the page's edges are clear
    /// (see the module documentation).
    pub fn page(&self, words: &[Word], offset: usize, limit: usize) -> Option<Found> {
        let [Word::Prefix { prefix, .. }] = words else {
            return None;
        };
        let ranked = self.by_prefix.get(prefix)?;
        let start = offset.min(ranked.total);
        let end = offset.saturating_add(limit).min(ranked.total);
        if !(ranked.is_clear_at(start) && ranked.is_clear_at(end)) {
            return None;
        }
        Some(Found {
            hits: ranked.hits[start..end].to_vec(),
            total: ranked.total,
            every_word: true,
        })
    }
}

impl Ranked {
    /// Whether the notes ranked before `at` are the same whoever ranks:
    /// `at` is the first or past the last match, or the scores on either
    /// side of it, both listed, are clearly apart.
    fn is_clear_at(&self, at: usize) -> bool {
        if at == 0 || at == self.total {
            return at <= self.hits.len();
        }
        match (self.hits.get(at - 1), self.hits.get(at)) {
            (Some(above), Some(below)) => below.score < above.score * (1.0 - CLEAR_GAP),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(total: usize, scores: &[f32]) -> FirstResults {
        let hits = scores
            .iter()
            .enumerate()
            .map(|(id, &score)| Hit { id, score })
            .collect();
        FirstResults::new([("kub".to_string(), Ranked { total, hits })])
    }

    fn typed(prefix: &str) -> Vec<Word> {
        vec![Word::Prefix {
            term: prefix.into(),
            prefix: prefix.into(),
        }]
    }

    fn ids(found: Option<Found>) -> Option<Vec<usize>> {
        found.map(|f| f.hits.iter().map(|h| h.id).collect())
    }

    #[test]
    fn a_page_with_clear_edges_comes_from_the_head() {
        let first = ranked(500, &[9.0, 8.0, 7.0, 6.0, 5.0]);
        assert_eq!(ids(first.page(&typed("kub"), 0, 3)), Some(vec![0, 1, 2]));
        assert_eq!(ids(first.page(&typed("kub"), 1, 2)), Some(vec![1, 2]));
        let found = first.page(&typed("kub"), 0, 3).unwrap();
        assert_eq!((found.total, found.every_word), (500, true));
    }

    #[test]
    fn pages_past_the_head_or_across_a_near_tie_are_left_to_tantivy() {
        let first = ranked(500, &[9.0, 8.0, 8.0 - 1e-6, 6.0]);
        // Past the listed notes: the edge at 5 is not known.
        assert_eq!(first.page(&typed("kub"), 0, 5), None);
        assert_eq!(first.page(&typed("kub"), 4, 2), None);
        // An edge between two near-equal scores.
        assert_eq!(first.page(&typed("kub"), 0, 2), None);
        assert_eq!(first.page(&typed("kub"), 2, 1), None);
        assert_eq!(ids(first.page(&typed("kub"), 0, 3)), Some(vec![0, 1, 2]));
    }

    #[test]
    fn a_head_that_lists_every_match_answers_every_page() {
        let first = ranked(3, &[9.0, 9.0, 9.0]);
        assert_eq!(ids(first.page(&typed("kub"), 0, 10)), Some(vec![0, 1, 2]));
        assert_eq!(ids(first.page(&typed("kub"), 7, 10)), Some(vec![]));
    }

    #[test]
    fn other_queries_are_left_to_tantivy() {
        let first = ranked(500, &[9.0, 8.0, 7.0]);
        assert_eq!(first.page(&typed("prom"), 0, 1), None);
        assert_eq!(first.page(&[Word::Exact("kub".into())], 0, 1), None);
        let two = [typed("kub"), typed("kub")].concat();
        assert_eq!(first.page(&two, 0, 1), None);
    }
}
