//! Ranking the notes that have every word of a query, a window at a time.
//!
//! Each word stands for several terms in several fields (a word being typed
//! for up to 32 terms), so tantivy would intersect unions: for each note one
//! word's union proposes, it seeks the other word's union to it, and that
//! stepping was most of a two-word query's time. [`EveryWord`] instead
//! reads each word's postings for a window of [`WINDOW`] notes into a
//! bitset and a score per note, and intersects the words with one `AND`
//! per 64 notes. A window starts at the first note every word could have,
//! so a rare word makes the others skip ahead.
//!
//! A note's score is the one tantivy gives it: each word's terms are added
//! in the order of its alternatives, as a union does, and the words as an
//! intersection does, the two cheapest first, then the others' sum. For two
//! words that is tantivy's score to the bit. With more, the words' order
//! can differ from tantivy's, whose estimate of a union's cost leaves out
//! the terms it has read to their end, and a score by its last bit.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// How many notes a window spans (tantivy's unions buffer as many).
const WINDOW: u32 = 4096;
/// How many 64-note buckets a window has.
const BUCKETS: usize = (WINDOW / 64) as usize;

/// What one word of the query matches.
#[derive(Debug)]
pub enum Alternatives {
    /// Any of these terms, each scored with its field's boost.
    Terms(Vec<(Term, Score)>),
    /// Whatever this query matches (a phrase in any field), scored by it.
    Other(Box<dyn Query>),
}

impl Clone for Alternatives {
    fn clone(&self) -> Alternatives {
        match self {
            Alternatives::Terms(terms) => Alternatives::Terms(terms.clone()),
            Alternatives::Other(query) => Alternatives::Other(query.box_clone()),
        }
    }
}

/// The notes that match every word, each word one [`Alternatives`].
#[derive(Debug, Clone)]
pub struct EveryWord {
    words: Vec<Alternatives>,
}

impl EveryWord {
    /// The notes matching every one of `words`.
    pub fn new(words: Vec<Alternatives>) -> EveryWord {
        EveryWord { words }
    }
}

impl Query for EveryWord {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let words = self
            .words
            .iter()
            .map(|word| WordWeight::new(word, enable_scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(EveryWordWeight { words }))
    }
}

/// A word's alternatives, with what scoring them needs.
enum WordWeight {
    /// Each term with its BM25 weight, unboosted, and its boost.
    Terms(Vec<(Term, Bm25Weight, Score)>),
    /// The other query's weight.
    Other(Box<dyn Weight>),
}

impl WordWeight {
    fn new(word: &Alternatives, enable_scoring: EnableScoring<'_>) -> tantivy::Result<WordWeight> {
        Ok(match word {
            Alternatives::Terms(terms) => {
                let weigh = |term: &Term| match enable_scoring {
                    EnableScoring::Enabled {
                        statistics_provider,
                        ..
                    } => Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term)),
                    // Counted, not ranked: any weight will do.
                    EnableScoring::Disabled { .. } => Ok(Bm25Weight::for_one_term(1, 1, 1.0)),
                };
                let weighed = terms
                    .iter()
                    .map(|(term, boost)| Ok((term.clone(), weigh(term)?, *boost)))
                    .collect::<tantivy::Result<_>>()?;
                WordWeight::Terms(weighed)
            }
            Alternatives::Other(query) => WordWeight::Other(query.weight(enable_scoring)?),
        })
    }

    /// The word's postings in `reader`, scores multiplied by `boost`.
    fn postings(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<WordPostings> {
        Ok(match self {
            WordWeight::Terms(terms) => {
                let mut postings = Vec::with_capacity(terms.len());
                for (term, weight, term_boost) in terms {
                    if let Some(found) =
                        TermPostings::open(reader, term, weight, boost * term_boost)?
                    {
                        postings.push(found);
                    }
                }
                WordPostings::Terms(postings)
            }
            WordWeight::Other(weight) => WordPostings::Other(weight.scorer(reader, boost)?),
        })
    }
}

struct EveryWordWeight {
    words: Vec<WordWeight>,
}

impl Weight for EveryWordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let words = self
            .words
            .iter()
            .map(|word| word.postings(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(EveryWordScorer::new(words)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "note {doc} does not have every word"
            )));
        }
        Ok(Explanation::new("every word's terms", scorer.score()))
    }
}

/// One term's notes in a segment, read a block of 128 at a time, with
/// what scores them.
struct TermPostings {
    block: BlockSegmentPostings,
    /// Where the current note is in the block.
    at: usize,
    fieldnorms: FieldNormReader,
    weight: Bm25Weight,
}

impl TermPostings {
    /// `term`'s postings in `reader`, if it has any, weighed by `weight`
    /// times `boost`.
    fn open(
        reader: &SegmentReader,
        term: &Term,
        weight: &Bm25Weight,
        boost: Score,
    ) -> tantivy::Result<Option<TermPostings>> {
        let field = term.field();
        let Some(block) = reader
            .inverted_index(field)?
            .read_block_postings(term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
            Some(fieldnorms) => fieldnorms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        Ok(Some(TermPostings {
            block,
            at: 0,
            fieldnorms,
            weight: weight.boost_by(boost),
        }))
    }

    /// The current note, or `TERMINATED` past the last.
    fn doc(&self) -> DocId {
        self.block
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first note from `target` on, skipping whole blocks.
    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at = self.block.seek(target);
        }
        self.doc()
    }

    /// Adds the term's notes in `start..start + WINDOW`, scored, to
    /// `window`, a block at a time.
    fn fill(&mut self, start: DocId, window: &mut Window) {
        let end = start.saturating_add(WINDOW);
        self.seek(start);
        loop {
            let (docs, freqs) = (self.block.docs(), self.block.freqs());
            let mut at = self.at;
            while at < docs.len() && docs[at] < end {
                let fieldnorm = self.fieldnorms.fieldnorm_id(docs[at]);
                window.add(docs[at] - start, self.weight.score(fieldnorm, freqs[at]));
                at += 1;
            }
            self.at = at;
            if at < docs.len() || docs.is_empty() {
                return;
            }
            self.block.advance();
            self.at = 0;
        }
    }
}

/// A word's notes in a segment: its terms', or another query's.
enum WordPostings {
    Terms(Vec<TermPostings>),
    Other(Box<dyn Scorer>),
}

impl WordPostings {
    /// The word's first note from `from` on, moving its postings there.
    fn first_from(&mut self, from: DocId) -> DocId {
        match self {
            WordPostings::Terms(terms) => terms
                .iter_mut()
                .map(|term| term.seek(from))
                .min()
                .unwrap_or(TERMINATED),
            WordPostings::Other(scorer) => seek(scorer.as_mut(), from),
        }
    }

    /// Reads the word's notes in `start..start + WINDOW` into `window`.
    fn fill(&mut self, start: DocId, window: &mut Window) {
        match self {
            WordPostings::Terms(terms) => {
                for term in terms {
                    term.fill(start, window);
                }
            }
            WordPostings::Other(scorer) => read_window(scorer.as_mut(), start, window),
        }
    }

    /// How many notes the word may match at most, summed over its terms.
    fn cost(&self) -> u64 {
        match self {
            WordPostings::Terms(terms) => terms.iter().map(|t| u64::from(t.block.doc_freq())).sum(),
            WordPostings::Other(scorer) => scorer.cost(),
        }
    }
}

/// Reads the notes of another query's `scorer` in `start..start + WINDOW`,
/// with their scores, into `window`.
fn read_window(scorer: &mut dyn Scorer, start: DocId, window: &mut Window) {
    let end = start.saturating_add(WINDOW);
    let mut doc = seek(scorer, start);
    while doc < end {
        window.add(doc - start, scorer.score());
        doc = scorer.advance();
    }
}

/// Moves `scorer` to its first note from `target` on, unless it is there.
fn seek(scorer: &mut dyn Scorer, target: DocId) -> DocId {
    let doc = scorer.doc();
    if doc < target {
        scorer.seek(target)
    } else {
        doc
    }
}

/// One word's notes in the current window: which, and each one's score.
struct Window {
    bits: [u64; BUCKETS],
    scores: Box<[Score]>,
}

impl Window {
    fn new() -> Window {
        Window {
            bits: [0; BUCKETS],
            scores: vec![0.0; WINDOW as usize].into_boxed_slice(),
        }
    }

    /// Adds `score` to the note at `delta` into the window.
    fn add(&mut self, delta: u32, score: Score) {
        self.bits[(delta / 64) as usize] |= 1 << (delta % 64);
        self.scores[delta as usize] += score;
    }

    /// Empties the window, touching only the notes it has.
    fn clear(&mut self) {
        for (bucket, bits) in self.bits.iter_mut().enumerate() {
            let mut left = *bits;
            while left != 0 {
                let bit = left.trailing_zeros() as usize;
                self.scores[bucket * 64 + bit] = 0.0;
                left &= left - 1;
            }
            *bits = 0;
        }
    }
}

/// The notes of a segment that have every word, in order, with scores.
struct EveryWordScorer {
    /// Each word's postings, in tantivy's intersection order.
    words: Vec<WordPostings>,
    /// Each word's notes in the window.
    windows: Vec<Window>,
    /// The window's first note.
    start: DocId,
    /// The window's notes that every word has, not yet visited.
    matched: [u64; BUCKETS],
    /// The bucket of `matched` being visited.
    bucket: usize,
    /// The current note.
    doc: DocId,
}

impl EveryWordScorer {
    fn new(mut words: Vec<WordPostings>) -> EveryWordScorer {
        // Tantivy intersects the cheapest words first (ties in query
        // order), which is also the order it adds their scores in.
        words.sort_by_key(WordPostings::cost);
        let windows = words.iter().map(|_| Window::new()).collect();
        let mut scorer = EveryWordScorer {
            words,
            windows,
            start: 0,
            matched: [0; BUCKETS],
            bucket: BUCKETS,
            doc: 0,
        };
        scorer.fill_from(0);
        scorer
    }

    /// Moves to the first window from `from` on that has a note with every
    /// word, and to that note; or to the end.
    fn fill_from(&mut self, mut from: DocId) {
        loop {
            // No note before the word that starts last has every word.
            let start = self
                .words
                .iter_mut()
                .map(|word| word.first_from(from))
                .max()
                .unwrap_or(TERMINATED);
            if start == TERMINATED {
                self.doc = TERMINATED;
                return;
            }
            for (word, window) in self.words.iter_mut().zip(&mut self.windows) {
                word.fill(start, window);
            }
            self.start = start;
            self.matched = [u64::MAX; BUCKETS];
            for window in &self.windows {
                for (matched, bits) in self.matched.iter_mut().zip(&window.bits) {
                    *matched &= bits;
                }
            }
            self.bucket = 0;
            if self.next_matched() {
                return;
            }
            self.clear_windows();
            from = start.saturating_add(WINDOW);
        }
    }

    /// Moves to the window's next note with every word, if it has one.
    fn next_matched(&mut self) -> bool {
        while self.bucket < BUCKETS {
            let bits = &mut self.matched[self.bucket];
            if *bits != 0 {
                let bit = bits.trailing_zeros();
                *bits &= *bits - 1;
                self.doc = self.start + self.bucket as u32 * 64 + bit;
                return true;
            }
            self.bucket += 1;
        }
        false
    }

    fn clear_windows(&mut self) {
        for window in &mut self.windows {
            window.clear();
        }
    }

    /// Moves past the current window.
    fn next_window(&mut self) -> DocId {
        self.clear_windows();
        self.fill_from(self.start.saturating_add(WINDOW));
        self.doc
    }
}

impl DocSet for EveryWordScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.next_matched() {
            return self.doc;
        }
        self.next_window()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let delta = target - self.start;
        if delta >= WINDOW {
            self.clear_windows();
            self.fill_from(target);
            return self.doc;
        }
        // Forget the window's notes before the target.
        let bucket = (delta / 64) as usize;
        for bits in &mut self.matched[self.bucket..bucket] {
            *bits = 0;
        }
        self.matched[bucket] &= u64::MAX << (delta % 64);
        self.bucket = bucket;
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.words
            .iter()
            .map(|word| word.cost().min(u64::from(u32::MAX)) as u32)
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for EveryWordScorer {
    fn score(&mut self) -> Score {
        let delta = (self.doc - self.start) as usize;
        let mut scores = self.windows.iter().map(|window| window.scores[delta]);
        let first_two = scores.next().unwrap_or(0.0) + scores.next().unwrap_or(0.0);
        first_two + scores.sum::<Score>()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{DocAddress, Index, TantivyDocument};

    use super::*;

    /// Notes per segment: the first segment spans three windows.
    const SEGMENTS: [usize; 2] = [9_000, 700];
    /// Words `w0` (in most notes) to `w38` (in few); `w39` and `w40` in none.
    const VOCABULARY: usize = 40;
    const BOOSTS: [Score; 4] = [1.0, 1.5, 2.0, 3.0];

    struct Fixture {
        index: Index,
        fields: [Field; 2],
    }

    /// Two segments of notes with a title and a body of up to 3 and 39
    /// words, word `wi` drawn about as often as one word in `i + 1`.
    fn fixture() -> &'static Fixture {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        FIXTURE.get_or_init(|| {
            let mut schema = Schema::builder();
            let fields = [
                schema.add_text_field("title", TEXT),
                schema.add_text_field("body", TEXT),
            ];
            let index = Index::create_in_ram(schema.build());
            let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
            let mut rng = StdRng::seed_from_u64(12);
            for notes in SEGMENTS {
                for _ in 0..notes {
                    let mut doc = TantivyDocument::default();
                    for (field, longest) in fields.iter().zip([4, 40]) {
                        let words: Vec<String> = (0..rng.random_range(0..longest))
                            .map(|_| {
                                let exp: f64 = rng.random();
                                format!("w{}", (VOCABULARY as f64).powf(exp) as usize - 1)
                            })
                            .collect();
                        doc.add_text(*field, words.join(" "));
                    }
                    writer.add_document(doc).unwrap();
                }
                writer.commit().unwrap();
            }
            Fixture { index, fields }
        })
    }

    /// A word's alternatives: (word number, field, boost) for terms, or
    /// a phrase of two word numbers in either field.
    #[derive(Debug, Clone)]
    enum Alt {
        Terms(Vec<(usize, usize, usize)>),
        Phrase(usize, usize),
    }

    fn term(fixture: &Fixture, word: usize, field: usize) -> Term {
        Term::from_field_text(fixture.fields[field], &format!("w{word}"))
    }

    /// The word as tantivy's own query: a union of boosted alternatives.
    fn tantivy_word(fixture: &Fixture, alt: &Alt) -> Box<dyn Query> {
        let boosted = |query: Box<dyn Query>, boost: Score| -> (Occur, Box<dyn Query>) {
            (Occur::Should, Box::new(BoostQuery::new(query, boost)))
        };
        let alternatives = match alt {
            Alt::Terms(terms) => terms
                .iter()
                .map(|&(word, field, boost)| {
                    let query =
                        TermQuery::new(term(fixture, word, field), IndexRecordOption::WithFreqs);
                    boosted(Box::new(query), BOOSTS[boost])
                })
                .collect(),
            Alt::Phrase(first, second) => (0..2)
                .map(|field| {
                    let terms = vec![term(fixture, *first, field), term(fixture, *second, field)];
                    boosted(Box::new(PhraseQuery::new(terms)), BOOSTS[field])
                })
                .collect(),
        };
        Box::new(BooleanQuery::new(alternatives))
    }

    fn every_word(fixture: &Fixture, words: &[Alt]) -> EveryWord {
        EveryWord::new(
            words
                .iter()
                .map(|alt| match alt {
                    Alt::Terms(terms) => Alternatives::Terms(
                        terms
                            .iter()
                            .map(|&(word, field, boost)| {
                                (term(fixture, word, field), BOOSTS[boost])
                            })
                            .collect(),
                    ),
                    Alt::Phrase(..) => Alternatives::Other(tantivy_word(fixture, alt)),
                })
                .collect(),
        )
    }

    /// Every match, best first, and how many.
    fn ranked(fixture: &Fixture, query: &dyn Query) -> (usize, Vec<(Score, DocAddress)>) {
        let searcher = fixture.index.reader().unwrap().searcher();
        let all = TopDocs::with_limit(SEGMENTS.iter().sum()).order_by_score();
        searcher.search(query, &(Count, all)).unwrap()
    }

    fn alternative() -> impl Strategy<Value = Alt> {
        prop_oneof![
            8 => prop::collection::vec((0..=VOCABULARY, 0..2usize, 0..BOOSTS.len()), 1..6)
                .prop_map(Alt::Terms),
            1 => (0..VOCABULARY, 0..VOCABULARY).prop_map(|(a, b)| Alt::Phrase(a, b)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn ranks_and_counts_as_tantivy_intersecting_unions(
            words in prop::collection::vec(alternative(), 2..5)
        ) {
            let fixture = fixture();
            let tantivy = BooleanQuery::new(
                words.iter().map(|alt| (Occur::Must, tantivy_word(fixture, alt))).collect(),
            );
            let expected = ranked(fixture, &tantivy);
            let found = ranked(fixture, &every_word(fixture, &words));
            prop_assert_eq!(found.0, expected.0);
            let searcher = fixture.index.reader().unwrap().searcher();
            prop_assert_eq!(every_word(fixture, &words).count(&searcher).unwrap(), expected.0);
            if words.len() == 2 {
                prop_assert_eq!(found.1, expected.1);
            } else {
                // The same notes, each with tantivy's score but for the
                // last bit or two (see the module documentation).
                let by_note = |ranked: &[(Score, DocAddress)]| {
                    let mut notes = ranked.iter().map(|&(s, a)| (a, s)).collect::<Vec<_>>();
                    notes.sort_by_key(|&(address, _)| address);
                    notes
                };
                for ((note, score), (expected_note, expected_score)) in
                    by_note(&found.1).into_iter().zip(by_note(&expected.1))
                {
                    prop_assert_eq!(note, expected_note);
                    prop_assert!((score - expected_score).abs() <= expected_score * 1e-6);
                }
            }
        }

        #[test]
        fn seeks_to_the_first_match_from_a_note_on(
            words in prop::collection::vec(alternative(), 2..4),
            targets in prop::collection::vec(0..SEGMENTS[0] as DocId + 10, 1..20),
        ) {
            let fixture = fixture();
            let searcher = fixture.index.reader().unwrap().searcher();
            let reader = searcher.segment_reader(0);
            let weight = every_word(fixture, &words)
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            let mut all = Vec::new();
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            while scorer.doc() != TERMINATED {
                all.push(scorer.doc());
                scorer.advance();
            }
            // Each match explains its score; a note without every word is an error.
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            if scorer.doc() != TERMINATED {
                let explained = weight.explain(reader, scorer.doc()).unwrap();
                prop_assert_eq!(explained.value(), scorer.score());
            }
            if let Some(missing) = (0..SEGMENTS[0] as DocId).find(|doc| !all.contains(doc)) {
                prop_assert!(weight.explain(reader, missing).is_err());
            }
            let mut targets = targets;
            targets.sort_unstable();
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            for target in targets {
                let first = all.iter().copied().find(|&doc| doc >= target).unwrap_or(TERMINATED);
                let expected = first.max(scorer.doc());
                prop_assert_eq!(scorer.seek(target), expected);
            }
        }
    }
}
