//! How text becomes search terms, for notes and queries alike.
//!
//! 1. split into runs of letters and digits (`char::is_alphanumeric`);
//! 2. lowercase;
//! 3. fold accents: NFKD, drop combining marks, then replace the letters
//!    NFKD leaves alone by [`FOLDS`] (`ø→o ß→ss æ→ae`...);
//! 4. drop terms longer than [`MAX_TERM_CHARS`] (their position still counts);
//! 5. strip English plurals from terms of at least [`STEM_MIN_CHARS`]
//!    characters (the effect of Harman's S-stemmer) by the first rule of
//!    [`PLURALS`] that applies: `-ies`→`-y` (but not `-eies`, `-aies`);
//!    otherwise a final `-s` is dropped (but not from `-us`, `-ss`).
//!
//! `static/search.js` implements exactly these steps: the browser must turn a
//! query into the same terms as tantivy, or it would rank differently. It
//! reads the constants from the static index's manifest (`export.rs`), so
//! only the steps themselves are written twice; the stemmer is deliberately
//! simple enough to mirror exactly.

use std::ops::Range;

use memchr::memmem::Finder;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The name the analyzer is registered under in the tantivy index.
pub const TOKENIZER: &str = "talkbook";
/// Longer terms are dropped (base64 blobs, hashes, URLs run together).
pub const MAX_TERM_CHARS: usize = 40;
/// Non-ASCII letters NFKD does not decompose, and what they fold to (step 3).
pub const FOLDS: [(char, &str); 9] = [
    ('ø', "o"),
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ı', "i"),
];
/// The shortest term whose plural ending is stripped (step 5).
pub const STEM_MIN_CHARS: usize = 4;
/// The plural endings, tried in order (step 5): a term ending with
/// `ending`, but with none of `unless`, ends with `replacement` instead.
pub const PLURALS: [Plural; 2] = [
    Plural {
        ending: "ies",
        replacement: "y",
        unless: &["eies", "aies"],
    },
    Plural {
        ending: "s",
        replacement: "",
        unless: &["us", "ss"],
    },
];

/// One rule of the plural stemmer: see [`PLURALS`].
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Plural {
    /// The ending stripped.
    pub ending: &'static str,
    /// What replaces it.
    pub replacement: &'static str,
    /// Endings that keep the rule from applying.
    pub unless: &'static [&'static str],
}

/// A word of the text: its term and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term, as indexed.
    pub text: String,
    /// The word's folded form before stemming (for prefix matching).
    pub folded: String,
    /// Its position among the words of the text (dropped words count).
    pub position: usize,
    /// Byte offsets of the word in the text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

/// The terms of `text`, in order.
pub fn analyze(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    each_term(text, |term, folded, position, range| {
        terms.push(Term {
            text: term.to_string(),
            folded: folded.to_string(),
            position,
            start: range.start,
            end: range.end,
        });
    });
    terms
}

/// Calls `each` with every term of `text`, in order, as [`analyze`] makes
/// them but without a [`Term`] each: the term, the word folded, its
/// position, its byte range.
pub fn each_term(text: &str, mut each: impl FnMut(&str, &str, usize, Range<usize>)) {
    let (mut folded, mut term) = (String::new(), String::new());
    for (position, (start, word)) in words(text).enumerate() {
        if term_into(word, &mut folded, &mut term) {
            each(&term, &folded, position, start..start + word.len());
        }
    }
}

/// Calls `each` with the term, the folded word and the byte range of the
/// words of `text` that may match, in order: the words that start with
/// one of `starts` (lowercase ASCII, matched in any case), and every word
/// with a character past ASCII. For finding a few terms in a note's text
/// (a result's excerpt) without splitting it all into words: an ASCII
/// word's term is the word lowercased, less a plural ending, so it starts
/// with all but the last letter of any term it is.
///
/// The patterns are looked for in a lowercased copy of `text` (the same
/// byte offsets) with a SIMD substring search, pattern by pattern: most
/// of the text is skipped without looking at its words.
pub fn each_term_starting(
    text: &str,
    starts: &[Finder<'_>],
    mut each: impl FnMut(&str, &str, Range<usize>),
) {
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<usize> = starts
        .iter()
        .flat_map(|pattern| pattern.find_iter(lower.as_bytes()))
        .filter(|&at| !text[..at].ends_with(char::is_alphanumeric))
        .collect();
    if !text.is_ascii() {
        found.extend(non_ascii_word_starts(text));
    }
    found.sort_unstable();
    found.dedup();
    let (mut folded, mut term) = (String::new(), String::new());
    for start in found {
        let word = word_at(text, start);
        if term_into(word, &mut folded, &mut term) {
            each(&term, &folded, start..start + word.len());
        }
    }
}

/// The byte range of each word of `text`, by position (the position of
/// its term, if it has one): the words alone, neither folded nor stemmed.
pub fn word_ranges(text: &str) -> Vec<Range<usize>> {
    words(text)
        .map(|(start, word)| start..start + word.len())
        .collect()
}

/// Makes `word`'s folded form and term; false if it has none (too long).
fn term_into(word: &str, folded: &mut String, term: &mut String) -> bool {
    if !fold_into(word, folded) {
        return false;
    }
    term.clear();
    term.push_str(folded);
    stem(term);
    true
}

/// Where the words with a character past ASCII start, in order.
fn non_ascii_word_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(found) = text.as_bytes()[at..].iter().position(|b| !b.is_ascii()) {
        let here = at + found;
        let Some(c) = text[here..].chars().next() else {
            break;
        };
        if c.is_alphanumeric() {
            let start = text[..here]
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric())
                .last()
                .map_or(here, |(i, _)| i);
            starts.push(start);
            at = start + word_at(text, start).len();
        } else {
            at = here + c.len_utf8();
        }
    }
    starts
}

/// The word (run of alphanumeric characters) starting at byte `start`.
fn word_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// Runs of alphanumeric characters, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = at;
        loop {
            let (alphanumeric, length) = char_at(text, start)?;
            if alphanumeric {
                break;
            }
            start += length;
        }
        let mut end = start;
        while let Some((true, length)) = char_at(text, end) {
            end += length;
        }
        at = end;
        Some((start, &text[start..end]))
    })
}

/// Whether the character at byte `at` of `text` (a character boundary) is
/// alphanumeric (`char::is_alphanumeric`), and its length in bytes; `None`
/// at the end. ASCII, most of any note, is looked at byte by byte.
fn char_at(text: &str, at: usize) -> Option<(bool, usize)> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        return Some((byte.is_ascii_alphanumeric(), 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c.is_alphanumeric(), c.len_utf8()))
}

/// Puts `word` lowercased and folded into `out`; false if it is too long.
fn fold_into(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return out.len() <= MAX_TERM_CHARS;
    }
    for c in word
        .to_lowercase()
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
    {
        match FOLDS.iter().find(|(letter, _)| *letter == c) {
            Some((_, folded)) => out.push_str(folded),
            None => out.push(c),
        }
    }
    !out.is_empty() && out.chars().count() <= MAX_TERM_CHARS
}

/// Strips an English plural ending (see the module documentation).
pub fn stem(word: &mut String) {
    let long_enough = if word.is_ascii() {
        word.len() >= STEM_MIN_CHARS
    } else {
        word.chars().count() >= STEM_MIN_CHARS
    };
    if !long_enough {
        return;
    }
    let applies = |rule: &&Plural| {
        word.ends_with(rule.ending) && !rule.unless.iter().any(|u| word.ends_with(u))
    };
    if let Some(rule) = PLURALS.iter().find(applies) {
        word.truncate(word.len() - rule.ending.len());
        word.push_str(rule.replacement);
    }
}

/// The analyzer as a tantivy tokenizer.
#[derive(Debug, Clone, Default)]
pub struct TalkbookTokenizer;

/// The terms of one text, for tantivy, made one at a time in one buffer.
pub struct TermStream<'a> {
    words: Box<dyn Iterator<Item = (usize, &'a str)> + 'a>,
    position: usize,
    token: Token,
}

impl Tokenizer for TalkbookTokenizer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        TermStream {
            words: Box::new(words(text)),
            position: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for TermStream<'_> {
    fn advance(&mut self) -> bool {
        for (start, word) in self.words.by_ref() {
            let position = self.position;
            self.position += 1;
            if fold_into(word, &mut self.token.text) {
                stem(&mut self.token.text);
                self.token.offset_from = start;
                self.token.offset_to = start + word.len();
                self.token.position = position;
                self.token.position_length = 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words as `char::is_alphanumeric` splits them, char by char: what
    /// [`words`] must give, faster.
    fn words_by_char(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, &text[s..i]));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, &text[s..]));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_split_as_char_by_char(text in "[a-zA-Z0-9 ._\\-éÉßøü²½日本\u{300}\u{1F600}\t\n]{0,40}") {
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), words_by_char(&text));
        }
    }

    #[test]
    fn words_split_at_anything_not_alphanumeric() {
        for text in [
            "",
            " ",
            "a",
            "kube-proxy v1.2",
            "naïve café",
            "日本語 text",
            "x²½",
            "e\u{301}t\u{300}",
        ] {
            assert_eq!(
                words(text).collect::<Vec<_>>(),
                words_by_char(text),
                "{text:?}"
            );
        }
    }

    fn texts(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_lowercases_and_folds() {
        assert_eq!(
            texts("Björn Ström's C++ talk"),
            ["bjorn", "strom", "s", "c", "talk"]
        );
        assert_eq!(texts("Straße Øre ÆON"), ["strasse", "ore", "aeon"]);
        assert_eq!(texts("café naïve"), ["cafe", "naive"]);
    }

    #[test]
    fn folds_are_of_letters_the_ascii_path_never_meets() {
        // fold_into skips FOLDS for ASCII words and the browser does not:
        // a fold of an ASCII letter would make them disagree.
        assert!(FOLDS.iter().all(|(letter, _)| !letter.is_ascii()));
    }

    #[test]
    fn strips_plurals() {
        assert_eq!(texts("metrics dashboards"), ["metric", "dashboard"]);
        assert_eq!(
            texts("dependencies classes glass status"),
            ["dependency", "classe", "glass", "status"]
        );
        assert_eq!(
            texts("kubernetes istio bus was"),
            ["kubernete", "istio", "bus", "was"]
        );
    }

    #[test]
    fn long_words_are_dropped_but_keep_their_position() {
        let long = "x".repeat(41);
        let terms = analyze(&format!("a {long} b"));
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[1].position, 2);
    }

    #[test]
    fn the_tantivy_stream_yields_the_same_terms() {
        let text = "Björn's 2 metrics, dependencies; ".to_string() + &"y".repeat(50) + " end";
        let mut tokenizer = TalkbookTokenizer;
        let mut stream = tokenizer.token_stream(&text);
        let mut streamed = Vec::new();
        while stream.advance() {
            let t = stream.token();
            streamed.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        let analyzed: Vec<_> = analyze(&text)
            .into_iter()
            .map(|t| (t.text, t.position, t.start, t.end))
            .collect();
        assert_eq!(streamed, analyzed);
    }

    #[test]
    fn word_ranges_are_the_terms_ranges_by_position() {
        let text = "Björn's 2 metrics, ".to_string() + &"y".repeat(50) + " end";
        let ranges = word_ranges(&text);
        assert_eq!(ranges.len(), 6);
        for term in analyze(&text) {
            assert_eq!(ranges[term.position], term.start..term.end);
        }
        assert_eq!(&text[ranges[4].clone()], "y".repeat(50));
    }

    #[test]
    fn offsets_point_at_the_word() {
        let text = "héllo, wörld";
        let terms = analyze(text);
        assert_eq!(&text[terms[1].start..terms[1].end], "wörld");
    }
}
