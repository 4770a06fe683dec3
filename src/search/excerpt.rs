//! Result excerpts: the passage of a note's text where a query matched,
//! with the matching words marked, as `talkbook search`, `/api/search` and
//! the browser show them.
//!
//! The rule is defined here only: the excerpt is the window of about
//! [`EXCERPT_CHARS`] bytes that holds the most matching words, starting a
//! little before the first of them (at most [`LEAD_CHARS`] bytes, at a word's
//! start) and ending at a word's end; `…` stands for the text cut at either
//! end; runs of white space are one space. The static index stores such
//! windows ready-made (per term, for the notes that term ranks first: see
//! [`super::export`]), so the browser only marks the query's words in them.

use std::ops::Range;

use memchr::memmem::Finder;

use super::analyzer::each_term_starting;
use super::query::Word;

/// About how long an excerpt is, in bytes of text (characters, for ASCII).
pub const EXCERPT_CHARS: usize = 160;
/// At most this much text comes before the first match.
pub const LEAD_CHARS: usize = 40;
/// Stands for text cut off.
pub const ELLIPSIS: &str = "…";

/// A piece of an excerpt: text, and whether it is a matching word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    /// The text, white space made single spaces.
    pub text: String,
    /// True if it is a word the query matched.
    pub matched: bool,
}

/// Which words of a text a query matches: its terms (of every word and
/// phrase), and words starting with the prefix being typed.
pub struct Matcher {
    terms: Vec<String>,
    prefixes: Vec<String>,
    /// What the ASCII words that may match start with (see
    /// [`each_term_starting`]), none the start of another.
    starts: Vec<Finder<'static>>,
}

impl Matcher {
    /// The matcher of a parsed query.
    pub fn new(words: &[Word]) -> Matcher {
        let (mut terms, mut prefixes) = (Vec::new(), Vec::new());
        for word in words {
            match word {
                Word::Exact(term) => terms.push(term.clone()),
                Word::Prefix { term, prefix } => {
                    terms.push(term.clone());
                    prefixes.push(prefix.clone());
                }
                Word::Phrase(phrase) => terms.extend(phrase.iter().map(|(_, t)| t.clone())),
            }
        }
        // An ASCII word whose term is `t` starts with all of `t` but its
        // last letter (`-ies` made `-y`); a one-letter term is never
        // stemmed. Other terms are found among the words past ASCII.
        let ascii = |t: &&String| t.is_ascii();
        let term_starts = terms.iter().filter(ascii).map(|t| match t.len() {
            0 | 1 => t.as_str(),
            n => &t[..n - 1],
        });
        let mut patterns: Vec<&str> = term_starts
            .chain(prefixes.iter().filter(ascii).map(String::as_str))
            .collect();
        // A word starting with `etcd` starts with `etc`: only the shortest
        // of such patterns is looked for.
        patterns.sort_unstable();
        patterns.dedup_by(|longer, shorter| longer.starts_with(*shorter));
        let starts = patterns
            .iter()
            .map(|p| Finder::new(p.as_bytes()).into_owned())
            .collect();
        Matcher {
            terms,
            prefixes,
            starts,
        }
    }

    /// The byte ranges of the words of `text` that match, in order.
    pub fn hits(&self, text: &str) -> Vec<Range<usize>> {
        let mut hits = Vec::new();
        let check = |term: &str, folded: &str, range: Range<usize>| {
            if self.terms.iter().any(|t| t == term)
                || self.prefixes.iter().any(|p| folded.starts_with(p.as_str()))
            {
                hits.push(range);
            }
        };
        each_term_starting(text, &self.starts, check);
        hits
    }
}

/// The excerpt of `text` for `matcher`: pieces, matched words apart.
pub fn excerpt(text: &str, matcher: &Matcher) -> Vec<Piece> {
    let hits = matcher.hits(text);
    let shown = window(text, &hits, EXCERPT_CHARS);
    let mut pieces = Vec::new();
    let mut push = |text: &str, matched: bool| {
        let text = single_spaced(text);
        if !text.is_empty() {
            pieces.push(Piece { text, matched });
        }
    };
    if shown.start > 0 {
        push(ELLIPSIS, false);
    }
    let mut at = shown.start;
    for hit in hits
        .iter()
        .filter(|h| h.start >= shown.start && h.end <= shown.end)
    {
        push(&text[at..hit.start], false);
        push(&text[hit.clone()], true);
        at = hit.end;
    }
    push(&text[at..shown.end], false);
    if shown.end < text.len() {
        push(ELLIPSIS, false);
    }
    pieces
}

/// The excerpt of `text` around `hits` (byte ranges of words, in order) as
/// one string, `…` where cut: what the static index stores.
pub fn passage(text: &str, hits: &[Range<usize>]) -> String {
    let shown = window(text, hits, EXCERPT_CHARS);
    let mut out = String::new();
    if shown.start > 0 {
        out.push_str(ELLIPSIS);
    }
    out.push_str(&single_spaced(&text[shown.clone()]));
    if shown.end < text.len() {
        out.push_str(ELLIPSIS);
    }
    out
}

/// The excerpt as plain text, matched words between `mark`s.
pub fn marked_text(pieces: &[Piece], mark: &str) -> String {
    pieces
        .iter()
        .map(|p| {
            if p.matched {
                format!("{mark}{}{mark}", p.text)
            } else {
                p.text.clone()
            }
        })
        .collect()
}

/// The window of about `size` bytes of `text` with the most `hits`: the
/// whole text if it is shorter; its start if nothing matched.
pub fn window(text: &str, hits: &[Range<usize>], size: usize) -> Range<usize> {
    if text.len() <= size {
        return 0..text.len();
    }
    let (mut best, mut most) = (0, 0);
    let mut j = 0;
    for (i, hit) in hits.iter().enumerate() {
        while j < hits.len() && hits[j].end <= hit.start + size {
            j += 1;
        }
        if j.saturating_sub(i) > most {
            (best, most) = (i, j - i);
        }
    }
    let mut from = 0;
    let mut last = 0;
    if most > 0 {
        let first = hits[best].start;
        last = hits[best + most - 1].end;
        let room = size.saturating_sub(last - first) / 2;
        from = floor_boundary(text, first.saturating_sub(room.min(LEAD_CHARS)));
        if from > 0
            && let Some((space, c)) = text[from..first]
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
        {
            from += space + c.len_utf8();
        }
    }
    let mut to = floor_boundary(text, (from + size).min(text.len()));
    if to < text.len()
        && let Some(space) = text[from..to].rfind(char::is_whitespace)
        && space > 0
        && from + space >= last
    {
        to = from + space;
    }
    from..to.max(from)
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text` with each run of white space made one space (kept at the ends,
/// so that pieces join up).
fn single_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn shown(query: &str, text: &str) -> String {
        marked_text(&excerpt(text, &Matcher::new(&parse(query))), "*")
    }

    /// The ranges of the words whose terms `matcher` matches, found by
    /// analyzing every word of `text`: what [`Matcher::hits`] must find.
    fn hits_of_every_word(matcher: &Matcher, text: &str) -> Vec<Range<usize>> {
        crate::search::analyzer::analyze(text)
            .into_iter()
            .filter(|t| {
                matcher.terms.contains(&t.text)
                    || matcher.prefixes.iter().any(|p| t.folded.starts_with(p))
            })
            .map(|t| t.start..t.end)
            .collect()
    }

    /// Words with plural endings, cases, accents, letters past ASCII that
    /// fold to ASCII and some that do not.
    const WORDS: &[&str] = &[
        "Kubernetes",
        "kubernetes",
        "KUBERNETE",
        "pies",
        "PIES",
        "pie",
        "ties",
        "ty",
        "t",
        "x",
        "etc",
        "the",
        "them",
        "café",
        "Café",
        "cafe",
        "ünïcode",
        "Unicode",
        "ŁÓDŹ",
        "lodz",
        "日本語",
        "日本",
        "straße",
        "strasse",
        "a1b2",
        "Ties",
    ];
    const SEPARATORS: &[&str] = &[" ", ", ", "-", "\u{a0}", "", ".", "\n", "_", "—"];

    proptest::proptest! {
        #[test]
        fn hits_are_the_words_whose_terms_match(
            parts in proptest::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..30),
            query in proptest::collection::vec(0..WORDS.len(), 1..4),
            typing in proptest::bool::ANY,
        ) {
            let text: String = parts.iter().map(|&(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s])).collect();
            let mut query = query.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
            if !typing {
                query.push(' ');
            }
            let matcher = Matcher::new(&parse(&query));
            proptest::prop_assert_eq!(matcher.hits(&text), hits_of_every_word(&matcher, &text));
        }
    }

    #[test]
    fn a_deep_match_is_shown_cut_at_both_ends() {
        let filler = "Nothing to see in this sentence at all. ".repeat(10);
        let text = format!("{filler}Prometheus scrapes metrics here. {filler}");
        let got = shown("metrics ", &text);
        assert!(got.starts_with('…') && got.ends_with('…'), "{got}");
        assert!(got.contains("*metrics*"), "{got}");
        assert!(got.len() <= EXCERPT_CHARS + 2 * ELLIPSIS.len(), "{got}");
    }

    #[test]
    fn no_match_shows_the_start_and_short_texts_whole() {
        let text = "First words. ".repeat(30);
        assert!(shown("xyzzy ", &text).starts_with("First words."));
        assert_eq!(
            shown("metric ", "Short\n metrics text."),
            "Short *metrics* text."
        );
    }

    #[test]
    fn the_window_with_most_matches_wins() {
        let filler = "Nothing to see in this sentence at all. ".repeat(10);
        let text = format!("{filler}One metric. {filler}Metrics, metrics, metrics. {filler}");
        assert!(shown("metric ", &text).contains("*Metrics*, *metrics*, *metrics*"));
    }

    #[test]
    fn passages_cut_at_char_boundaries() {
        let text = "é".repeat(200) + " webhook " + &"ü".repeat(200);
        let hits = Matcher::new(&parse("webhook ")).hits(&text);
        assert!(passage(&text, &hits).contains("webhook"));
    }

    #[test]
    fn a_window_after_a_wide_space_starts_on_a_char_boundary() {
        // A no-break space (two bytes) before the match, and text around.
        let text = format!("{}\u{a0}word {}", "é".repeat(30), "x ".repeat(200));
        let at = text.find("word").unwrap();
        for lead in [1, 2, 3, 5] {
            let hit: Range<usize> = at..at + 4;
            let range = window(
                &text,
                std::slice::from_ref(&hit),
                at + 4 - at.saturating_sub(lead) + 20,
            );
            assert!(text.is_char_boundary(range.start), "{range:?}");
            assert!(text[range].contains("word"));
        }
    }
}
