//! Heads: what a one-word query needs of a frequent term or a prefix.
//!
//! A term in many notes has postings of tens or hundreds of kilobytes, but
//! a query of that one word shows only its first results and their number.
//! So a term whose postings take more than [`TAIL_BYTES`] keeps in its shard
//! only its *head*: its document frequency in each field, the number of
//! notes that have it, and its postings in the [`HEAD_NOTES`] notes it ranks
//! first. Its whole postings go to a *tail* file, which the browser loads
//! when a query needs more (a second word, a phrase, filters, the search
//! page).
//!
//! A word being typed also matches as a prefix, through up to
//! [`PREFIX_MAX_TERMS`] terms; their summed scores cannot be ranked from
//! each term's head. So every prefix whose expansion has a term with a tail
//! gets a *prefix head*: the notes its query ranks first, with their scores
//! and excerpts, and the number of notes it matches.
//!
//! Ranks here are the browser's (`static/search.js`, `Engine.add`), in the
//! same 32-bit arithmetic and order, so that the notes a head lists are
//! exactly the first the browser would rank from the whole postings.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;

use super::{BM25_B, BM25_K1, Encoded, varint};
use crate::search::analyzer::{PLURALS, stem};
use crate::search::first_results::{FirstResults, Ranked};
use crate::search::query::{PREFIX_MAX_TERMS, PREFIX_MIN_CHARS};
use crate::search::{FIELDS, Hit};

/// A term whose postings take more than this many bytes keeps only its head
/// in its shard (see the module documentation).
pub const TAIL_BYTES: usize = 8 * 1024;
/// The notes a head lists: more than the header's dropdown shows, so that a
/// tie just past what it shows cannot change what it shows.
pub const HEAD_NOTES: usize = 12;

/// BM25 as the browser computes it, in 32-bit floats, operation by
/// operation: `static/search.js`'s `Engine` (`manifest`, `idf`, `add`).
pub struct Scorer {
    docs: usize,
    /// `1 + k1`.
    weight1: f32,
    /// Per field, per fieldnorm id: `k1 * (1 - b + b * length / average)`.
    cache: Vec<[f32; 256]>,
}

impl Scorer {
    /// The scorer of an index of `docs` notes with `tokens` terms in each
    /// field.
    pub fn new(docs: usize, tokens: &[u64]) -> Scorer {
        let cache = tokens
            .iter()
            .map(|&tokens| {
                let average = tokens as f32 / docs as f32;
                std::array::from_fn(|id| {
                    let length = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
                    BM25_K1 * ((1.0 - BM25_B) + (BM25_B * length) / average)
                })
            })
            .collect();
        Scorer {
            docs,
            weight1: 1.0 + BM25_K1,
            cache,
        }
    }

    /// The weight of a term in `field` that `df` notes have there.
    fn weight(&self, field: usize, df: usize) -> f32 {
        let ratio = ((self.docs - df.min(self.docs)) as f32 + 0.5) / (df as f32 + 0.5);
        let idf = (f64::from(1.0 + ratio)).ln() as f32;
        (idf * self.weight1) * FIELDS[field].1
    }

    /// The score in `field` of a term that `df` notes have there, in a note
    /// where it occurs `tf` times and whose fieldnorm id there is `norm`.
    pub fn score(&self, field: usize, df: usize, tf: u32, norm: u8) -> f32 {
        self.scaled(self.weight(field, df), field, tf, norm)
    }

    fn scaled(&self, weight: f32, field: usize, tf: u32, norm: u8) -> f32 {
        let tf = tf as f32;
        weight * (tf / (tf + self.cache[field][usize::from(norm)]))
    }

    /// Adds the scores of `postings` to `scores`.
    fn add(&self, postings: &FieldPostings, scores: &mut Scores) {
        let weight = self.weight(postings.field, postings.df);
        for &(id, tf, norm) in &postings.notes {
            scores.add(id, self.scaled(weight, postings.field, tf, norm));
        }
    }
}

/// Scores summed per note, and the notes that have one.
struct Scores {
    score: Vec<f32>,
    hit: Vec<bool>,
    touched: Vec<u32>,
}

impl Scores {
    fn new(docs: usize) -> Scores {
        Scores {
            score: vec![0.0; docs],
            hit: vec![false; docs],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, id: u32, score: f32) {
        let at = id as usize;
        if !self.hit[at] {
            self.hit[at] = true;
            self.touched.push(id);
        }
        self.score[at] += score;
    }

    /// The [`HEAD_NOTES`] first notes (by score, ties by note) and the
    /// number of notes scored; empties the scores for the next use.
    fn take_first(&mut self) -> (Vec<(u32, f32)>, u64) {
        let mut ranked: Vec<(u32, f32)> = self
            .touched
            .iter()
            .map(|&id| (id, self.score[id as usize]))
            .collect();
        let by_rank = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > HEAD_NOTES {
            ranked.select_nth_unstable_by(HEAD_NOTES, by_rank);
            ranked.truncate(HEAD_NOTES);
        }
        ranked.sort_by(by_rank);
        let total = self.touched.len() as u64;
        for id in self.touched.drain(..) {
            self.score[id as usize] = 0.0;
            self.hit[id as usize] = false;
        }
        (ranked, total)
    }
}

/// One field's postings of a term, decoded: `(note, term frequency,
/// fieldnorm id)` in note order.
#[derive(Debug, PartialEq)]
pub struct FieldPostings {
    field: usize,
    df: usize,
    notes: Vec<(u32, u32, u8)>,
}

/// Decodes a term's postings in its `fields` fields (the format of the
/// module documentation of `export`) in an index of `docs` notes.
pub fn decode(mut bytes: &[u8], fields: u8, docs: usize) -> Vec<FieldPostings> {
    let mut out = Vec::with_capacity(usize::from(fields));
    for _ in 0..fields {
        let flags = take_byte(&mut bytes);
        let df = take_varint(&mut bytes) as usize;
        let mut ids = Vec::with_capacity(df);
        if flags & 0x80 != 0 {
            let (bits, rest) = bytes.split_at(docs.div_ceil(8).min(bytes.len()));
            for (j, byte) in bits.iter().enumerate() {
                ids.extend(
                    (0..8)
                        .filter(|i| byte & (1 << i) != 0)
                        .map(|i| (j * 8 + i) as u32),
                );
            }
            bytes = rest;
        }
        let mut notes = Vec::with_capacity(df);
        let mut id = 0;
        for k in 0..df {
            id = match ids.get(k) {
                Some(&listed) => listed,
                None => id + take_varint(&mut bytes) as u32,
            };
            let tf = take_varint(&mut bytes) as u32;
            notes.push((id, tf, take_byte(&mut bytes)));
        }
        out.push(FieldPostings {
            field: usize::from(flags & 0x7f),
            df,
            notes,
        });
    }
    out
}

fn take_byte(bytes: &mut &[u8]) -> u8 {
    let (&first, rest) = bytes.split_first().unwrap_or((&0, &[]));
    *bytes = rest;
    first
}

fn take_varint(bytes: &mut &[u8]) -> u64 {
    let (mut value, mut shift) = (0u64, 0);
    loop {
        let byte = take_byte(bytes);
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 || shift >= 64 {
            return value;
        }
    }
}

/// A term's head: see the module documentation.
pub struct TermHead {
    /// The notes that have the term, in any field.
    pub notes: u64,
    /// Per field: one byte, the field's index; varint, its document
    /// frequency; varint, how many notes follow; per note in id order:
    /// varint, the id minus the previous one's; varint, the term
    /// frequency; one byte, the fieldnorm id.
    pub postings: Vec<u8>,
}

/// A prefix's head: see the module documentation.
pub struct PrefixHead {
    /// The notes its query matches.
    pub total: u64,
    /// The first notes, best first: `(note, score)`.
    pub hits: Vec<(u32, f32)>,
    /// For each of them that has one, the excerpt the browser would show:
    /// the passage of the expansion's term in fewest notes that has one.
    pub passages: Vec<(u32, String)>,
}

/// The heads of the terms whose postings take more than `tail_bytes`, and
/// of the prefixes whose expansion has one of those terms.
pub struct Heads {
    /// By term.
    pub terms: BTreeMap<String, TermHead>,
    /// By prefix (folded, as typed).
    pub prefixes: BTreeMap<String, PrefixHead>,
}

impl Heads {
    /// The heads of `terms` (every term of the index).
    pub fn of(terms: &BTreeMap<String, Encoded>, scorer: &Scorer, tail_bytes: usize) -> Heads {
        let tailed: Vec<&str> = terms
            .iter()
            .filter(|(_, encoded)| encoded.postings.len() > tail_bytes)
            .map(|(term, _)| term.as_str())
            .collect();
        let term_heads = tailed
            .par_iter()
            .map_init(
                || Scores::new(scorer.docs),
                |scores, term| (term.to_string(), term_head(&terms[*term], scorer, scores)),
            )
            .collect();
        let is_tailed = |term: &str| {
            terms
                .get(term)
                .is_some_and(|encoded| encoded.postings.len() > tail_bytes)
        };
        // Prefixes that share an expansion share its head.
        let mut expansions: HashMap<Vec<&str>, Vec<String>> = HashMap::new();
        for prefix in prefixes_of(&tailed) {
            let expansion = expand(terms, &prefix);
            if expansion.iter().any(|term| is_tailed(term)) {
                expansions.entry(expansion).or_default().push(prefix);
            }
        }
        let prefixes = expansions
            .into_par_iter()
            .map_init(
                || Scores::new(scorer.docs),
                |scores, (expansion, prefixes)| {
                    let (hits, total) = prefix_head(terms, &expansion, scorer, scores);
                    let passages = passages_of(terms, &expansion, &hits);
                    prefixes
                        .into_iter()
                        .map(|prefix| {
                            let head = PrefixHead {
                                total,
                                hits: hits.clone(),
                                passages: passages.clone(),
                            };
                            (prefix, head)
                        })
                        .collect::<Vec<_>>()
                },
            )
            .flatten()
            .collect();
        Heads {
            terms: term_heads,
            prefixes,
        }
    }

    /// The prefix heads' rankings, for a searcher to answer a word being
    /// typed from.
    pub fn first_results(&self) -> FirstResults {
        FirstResults::new(self.prefixes.iter().map(|(prefix, head)| {
            let hits = head
                .hits
                .iter()
                .map(|&(id, score)| Hit {
                    id: id as usize,
                    score,
                })
                .collect();
            let total = head.total as usize;
            (prefix.clone(), Ranked { total, hits })
        }))
    }
}

/// The head of one term.
fn term_head(encoded: &Encoded, scorer: &Scorer, scores: &mut Scores) -> TermHead {
    let fields = decode(&encoded.postings, encoded.fields, scorer.docs);
    for postings in &fields {
        scorer.add(postings, scores);
    }
    let (first, notes) = scores.take_first();
    let mut listed: Vec<u32> = first.into_iter().map(|(id, _)| id).collect();
    listed.sort_unstable();
    let mut bytes = Vec::new();
    for postings in &fields {
        bytes.push(postings.field as u8);
        varint(&mut bytes, postings.df as u64);
        let kept: Vec<_> = postings
            .notes
            .iter()
            .filter(|n| listed.binary_search(&n.0).is_ok())
            .collect();
        varint(&mut bytes, kept.len() as u64);
        let mut previous = 0;
        for &&(id, tf, norm) in &kept {
            varint(&mut bytes, u64::from(id - previous));
            previous = id;
            varint(&mut bytes, u64::from(tf));
            bytes.push(norm);
        }
    }
    TermHead {
        notes,
        postings: bytes,
    }
}

/// The first notes of the query that `expansion`'s terms make, and how many
/// notes it matches.
fn prefix_head(
    terms: &BTreeMap<String, Encoded>,
    expansion: &[&str],
    scorer: &Scorer,
    scores: &mut Scores,
) -> (Vec<(u32, f32)>, u64) {
    for term in expansion {
        if let Some(encoded) = terms.get(*term) {
            for postings in decode(&encoded.postings, encoded.fields, scorer.docs) {
                scorer.add(&postings, scores);
            }
        }
    }
    scores.take_first()
}

/// For each of `hits`, the passage the browser shows for it (`Engine.passage`):
/// that of the term of `expansion` in fewest notes (the first of equals)
/// that has one for it.
fn passages_of(
    terms: &BTreeMap<String, Encoded>,
    expansion: &[&str],
    hits: &[(u32, f32)],
) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for &(id, _) in hits {
        let mut best: Option<(u64, &str)> = None;
        for term in expansion {
            let Some(encoded) = terms.get(*term) else {
                continue;
            };
            let Ok(at) = encoded.passages.binary_search_by_key(&id, |p| p.0) else {
                continue;
            };
            if best.is_none_or(|(fewest, _)| encoded.notes < fewest) {
                best = Some((encoded.notes, &encoded.passages[at].1));
            }
        }
        if let Some((_, text)) = best {
            out.push((id, text.to_string()));
        }
    }
    out.sort_by_key(|p| p.0);
    out
}

/// What a word typed as `prefix` (folded) searches: its stemmed form, then
/// the [`PREFIX_MAX_TERMS`] - 1 terms starting with it in most notes (ties
/// by term), as `Searcher::expand` (`searcher.rs`) and the browser's
/// `expand`; only the terms the index has.
fn expand<'a>(terms: &'a BTreeMap<String, Encoded>, prefix: &str) -> Vec<&'a str> {
    let mut term = prefix.to_string();
    stem(&mut term);
    let mut others: Vec<(&str, u64)> = terms
        .range::<str, _>((
            std::ops::Bound::Included(prefix),
            std::ops::Bound::Unbounded,
        ))
        .take_while(|(t, _)| t.starts_with(prefix))
        .filter(|(t, _)| **t != term)
        .map(|(t, encoded)| (t.as_str(), encoded.notes))
        .collect();
    others.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let own = terms.get_key_value(term.as_str()).map(|(t, _)| t.as_str());
    own.into_iter()
        .chain(others.into_iter().take(PREFIX_MAX_TERMS - 1).map(|o| o.0))
        .collect()
}

/// The prefixes a word can be typed as whose expansion may hold one of
/// `tailed`: every prefix of at least [`PREFIX_MIN_CHARS`] characters of
/// each, and each plural form that stems to one.
fn prefixes_of(tailed: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for term in tailed {
        let ends = term.char_indices().map(|(at, _)| at).skip(1);
        for end in ends.chain([term.len()]).skip(PREFIX_MIN_CHARS - 1) {
            out.push(term[..end].to_string());
        }
        for rule in PLURALS {
            if let Some(base) = term.strip_suffix(rule.replacement) {
                let plural = format!("{base}{}", rule.ending);
                let mut stemmed = plural.clone();
                stem(&mut stemmed);
                if stemmed == *term && plural.chars().count() >= PREFIX_MIN_CHARS {
                    out.push(plural);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_those_of_at_least_three_letters_and_plurals() {
        let found = prefixes_of(&["policy", "ész"]);
        assert_eq!(
            found,
            [
                "pol", "poli", "polic", "policies", "policy", "policys", "ész", "észs"
            ]
        );
    }

    #[test]
    fn the_first_notes_are_by_score_then_note() {
        let mut scores = Scores::new(40);
        for id in 0..30u32 {
            scores.add(id, (id % 3) as f32);
        }
        let (first, total) = scores.take_first();
        assert_eq!(total, 30);
        let ids: Vec<u32> = first.iter().map(|f| f.0).collect();
        assert_eq!(ids, [2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 1, 4]);
        // Emptied for the next use.
        assert_eq!(scores.take_first(), (vec![], 0));
    }

    #[test]
    fn postings_decode_as_encoded() {
        let mut bytes = Vec::new();
        // A field of ids 3, 10 as varints; a bitmap field (16 notes) of 1, 9.
        bytes.extend([0, 2, 3, 1, 7, 7, 2, 9]);
        bytes.extend([0x85, 2, 0b10, 0b10, 1, 4, 3, 5]);
        let fields = decode(&bytes, 2, 16);
        assert_eq!(
            fields,
            [
                FieldPostings {
                    field: 0,
                    df: 2,
                    notes: vec![(3, 1, 7), (10, 2, 9)]
                },
                FieldPostings {
                    field: 5,
                    df: 2,
                    notes: vec![(1, 1, 4), (9, 3, 5)]
                },
            ]
        );
    }
}
