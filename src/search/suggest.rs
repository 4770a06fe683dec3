//! "Did you mean": for a query word that no note has, the nearest indexed
//! term (`kubernets` → `kubernetes`).
//!
//! The candidates are the indexed terms that start with the same letter as
//! the word's term and are in at least [`SUGGEST_MIN_NOTES`] notes (a
//! term's notes summed over fields, as prefixes count them). The nearest is
//! the one fewest edits away (insertions, deletions, substitutions and
//! swaps of two neighbouring letters, counted in characters), at most
//! [`SUGGEST_MAX_EDITS`] (one for words of [`SUGGEST_SHORT_CHARS`] letters
//! or fewer); ties go to the term in more notes, then to the first in term
//! order. Terms are stemmed, so the suggestion is shown with the word's own
//! plural ending put back when it stems to the term (`kubernets` stems to
//! `kubernet`, whose nearest term `kubernete` is shown as `kubernetes`).
//!
//! `static/search.js` chooses by exactly these rules, from the candidate
//! lists the static export writes per first letter (`export.rs`), with
//! these constants from the manifest.

use super::analyzer::{PLURALS, stem};

/// A suggested term is in at least this many notes.
pub const SUGGEST_MIN_NOTES: u64 = 2;
/// A suggested term is at most this many edits away from the word.
pub const SUGGEST_MAX_EDITS: usize = 2;
/// Words of at most this many letters get suggestions one edit away only.
pub const SUGGEST_SHORT_CHARS: usize = 5;

/// A word no note has, and what to search for instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    /// The word, folded as the analyzer folds it.
    pub word: String,
    /// The nearest indexed term, with the word's plural ending put back.
    pub nearest: String,
}

/// The suggestion for the word whose folded form is `folded` and term
/// `term`, among `candidates` (term, notes) that start with the term's
/// first letter; `None` if none is near enough.
pub fn nearest<'a>(
    folded: &str,
    term: &str,
    candidates: impl IntoIterator<Item = (&'a str, u64)>,
) -> Option<Suggestion> {
    let length = term.chars().count();
    let most = if length <= SUGGEST_SHORT_CHARS {
        1
    } else {
        SUGGEST_MAX_EDITS
    };
    let mut best: Option<(usize, u64, &str)> = None;
    for (candidate, notes) in candidates {
        if notes < SUGGEST_MIN_NOTES
            || candidate == term
            || candidate.chars().count().abs_diff(length) > most
        {
            continue;
        }
        let edits = strsim::osa_distance(term, candidate);
        let better = match best {
            None => true,
            Some((e, n, t)) => {
                (edits, std::cmp::Reverse(notes), candidate) < (e, std::cmp::Reverse(n), t)
            }
        };
        if edits <= most && better {
            best = Some((edits, notes, candidate));
        }
    }
    let (_, _, candidate) = best?;
    Some(Suggestion {
        word: folded.to_string(),
        nearest: with_ending(folded, term, candidate),
    })
}

/// `candidate` with the plural ending the stemmer took from `folded` (to
/// make `term`) put back, if it then stems to `candidate`.
fn with_ending(folded: &str, term: &str, candidate: &str) -> String {
    let rule = PLURALS.iter().find(|rule| {
        folded
            .strip_suffix(rule.ending)
            .map(|base| format!("{base}{}", rule.replacement))
            == Some(term.to_string())
    });
    if let Some(rule) = rule
        && folded != term
        && let Some(base) = candidate.strip_suffix(rule.replacement)
    {
        let shown = format!("{base}{}", rule.ending);
        let mut stemmed = shown.clone();
        stem(&mut stemmed);
        if stemmed == candidate {
            return shown;
        }
    }
    candidate.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggest(folded: &str, term: &str, candidates: &[(&str, u64)]) -> Option<String> {
        nearest(folded, term, candidates.iter().copied()).map(|s| s.nearest)
    }

    #[test]
    fn the_nearest_term_with_the_words_ending() {
        let terms = [("kubernete", 90), ("kubectl", 12), ("kubecon", 40)];
        assert_eq!(
            suggest("kubernets", "kubernet", &terms).as_deref(),
            Some("kubernetes")
        );
        assert_eq!(
            suggest("kuberntes", "kuberntes", &terms).as_deref(),
            Some("kubernete")
        );
        let terms = [("dependency", 9)];
        assert_eq!(
            suggest("dependncies", "dependncy", &terms).as_deref(),
            Some("dependencies")
        );
    }

    #[test]
    fn too_far_rare_or_equal_terms_are_not_suggested() {
        assert_eq!(
            suggest("kubxxxxxes", "kubxxxxxe", &[("kubernete", 90)]),
            None
        );
        assert_eq!(
            suggest("istoi", "istoi", &[("istio", 1)]),
            None,
            "in one note only"
        );
        // Short words: one edit at most.
        assert_eq!(
            suggest("etdc", "etdc", &[("etcd", 5)]).as_deref(),
            Some("etcd")
        );
        assert_eq!(suggest("etxx", "etxx", &[("etcd", 5)]), None);
    }

    #[test]
    fn ties_go_to_the_term_in_more_notes_then_term_order() {
        let terms = [("grpc", 3), ("gopc", 8), ("gapc", 8)];
        assert_eq!(suggest("gppc", "gppc", &terms).as_deref(), Some("gapc"));
    }
}
