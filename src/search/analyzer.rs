//! How text becomes search terms, for notes and queries alike.
//!
//! 1. split into runs of letters and digits (`char::is_alphanumeric`);
//! 2. lowercase;
//! 3. fold accents: NFKD, drop combining marks, then `ø→o ß→ss æ→ae œ→oe
//!    ł→l đ→d ð→d þ→th ı→i`;
//! 4. drop terms longer than [`MAX_TERM_CHARS`] (their position still counts);
//! 5. strip English plurals from terms longer than three characters (the
//!    effect of Harman's S-stemmer): `-ies`→`-y` (but not `-eies`, `-aies`);
//!    otherwise a final `-s` is dropped (but not from `-us`, `-ss`).
//!
//! `static/search.js` implements exactly these steps: the browser must turn a
//! query into the same terms as tantivy, or it would rank differently. The
//! stemmer is deliberately simple enough to mirror exactly.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The name the analyzer is registered under in the tantivy index.
pub const TOKENIZER: &str = "talkbook";
/// Longer terms are dropped (base64 blobs, hashes, URLs run together).
pub const MAX_TERM_CHARS: usize = 40;

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
    for (position, (start, word)) in words(text).into_iter().enumerate() {
        let folded = fold(&word.to_lowercase());
        if folded.chars().count() > MAX_TERM_CHARS || folded.is_empty() {
            continue;
        }
        terms.push(Term {
            text: stem(&folded),
            folded,
            position,
            start,
            end: start + word.len(),
        });
    }
    terms
}

/// Runs of alphanumeric characters, with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

/// Accents and ligatures folded to ASCII-like letters.
fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ø' => folded.push('o'),
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'ł' => folded.push('l'),
            'đ' | 'ð' => folded.push('d'),
            'þ' => folded.push_str("th"),
            'ı' => folded.push('i'),
            c => folded.push(c),
        }
    }
    folded
}

/// Strips an English plural ending (see the module documentation).
fn stem(word: &str) -> String {
    if word.chars().count() <= 3 {
        return word.to_string();
    }
    let ends = |suffix: &str| word.ends_with(suffix);
    if ends("ies") && !ends("eies") && !ends("aies") {
        format!("{}y", &word[..word.len() - 3])
    } else if ends("s") && !ends("us") && !ends("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// The analyzer as a tantivy tokenizer.
#[derive(Debug, Clone, Default)]
pub struct TalkbookTokenizer;

/// The terms of one text, for tantivy.
pub struct TermStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for TalkbookTokenizer {
    type TokenStream<'a> = TermStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream {
        let tokens = analyze(text)
            .into_iter()
            .map(|term| Token {
                offset_from: term.start,
                offset_to: term.end,
                position: term.position,
                text: term.text,
                position_length: 1,
            })
            .collect();
        TermStream { tokens, next: 0 }
    }
}

impl TokenStream for TermStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn offsets_point_at_the_word() {
        let text = "héllo, wörld";
        let terms = analyze(text);
        assert_eq!(&text[terms[1].start..terms[1].end], "wörld");
    }
}
