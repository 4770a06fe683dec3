//! The static search index: the tantivy index written out as files a browser
//! can search on a plain static host, without downloading all of it.
//!
//! Every file is JavaScript that calls `__talkbook(key, payload)`, so it loads
//! with a `<script>` tag, which works from `file://` where `fetch` does not.
//! Binary payloads are base64 strings; *deflated* ones are raw deflate
//! (RFC 1951) before base64, which the browser inflates with
//! `DecompressionStream("deflate-raw")`. Integers marked *varint* are
//! unsigned LEB128 (7 bits per byte, low bits first, high bit set on all but
//! the last). The index has at most one file per [`NOTES_PER_FILE`] notes
//! once a site has a few hundred notes.
//!
//! `search-index/manifest.js`, key `"manifest"`, a JSON object:
//! - `version` (5), `docs` (N, the number of notes), `k1`, `b` (BM25:
//!   [`BM25_K1`], [`BM25_B`]);
//! - `fields`: field names, `boosts`: each field's boost, `tokens`: each
//!   field's total number of terms over all notes. A field's average length is
//!   `f32(tokens) / f32(docs)`, computed in 32-bit floats as tantivy does;
//! - `norms`: 256 numbers, the document length each fieldnorm id stands for;
//! - `dirs`: `[first term, key]` per directory, sorted: the list of shards
//!   is cut into directories of [`DIR_SHARDS`] shards, each in
//!   `search-index/i-<key>.js` (payload key `"i-<key>"`), a JSON array of
//!   `[first term, key, positions]` per shard, sorted. A shard (a directory)
//!   holds every term from its first term up to the next one's first term.
//!   Terms compare by Unicode code point (not UTF-16 unit). A shard's
//!   postings and passages are in `search-index/s-<key>.js` (payload key
//!   `"s-<key>"`), its positions in `search-index/<positions>.js` (payload
//!   key `positions`, which starts with `p-`), a file shared by up to
//!   [`POSITIONS_GROUP`] shards;
//! - `doc_chunk` (C): the notes' display data is in files of C notes;
//! - `docs_version`: append `?v=` and it to a note file's URL;
//! - `facets`: the key of the facets file;
//! - `suggest`: `{letter: key}`: the candidates of [`super::suggest`] whose
//!   term starts with that letter are in `search-index/<key>.js` (payload
//!   key the same), a JSON array of `[term, notes]` in term order (notes
//!   summed over fields);
//! - `any_word`: what to say when no note has every word
//!   ([`ANY_WORD_NOTICE`]);
//! - `analysis`: the constants of [`super::analyzer`] and [`super::query`],
//!   which the browser's analyzer and query parser use (see
//!   [`analysis_rules`]): `{"max_term_chars": MAX_TERM_CHARS, "folds":
//!   {letter: folded} (FOLDS), "stem_min_chars": STEM_MIN_CHARS,
//!   "plurals": [{"ending", "replacement", "unless": [ending]}] (PLURALS),
//!   "prefix_min": PREFIX_MIN_CHARS, "prefix_max": PREFIX_MAX_TERMS,
//!   "suggest_min_notes", "suggest_max_edits", "suggest_short_chars"}` (the
//!   constants of [`super::suggest`]).
//!
//! `search-index/s-<key>.js`, deflated: varint, the length of the entries;
//! the entries; then the passages, a JSON object `{"t": {term: [note,
//! excerpt, note, excerpt, ...]}, "p": {prefix: [note, excerpt, ...]}}`.
//! `"t"`: for each term in the body of notes, the excerpt of the body
//! around it ([`super::excerpt::passage`]) in each of the
//! [`PASSAGES_PER_TERM`] notes it ranks first alone (its score summed over
//! fields, ties by note), ordered by note. The browser shows, for a result,
//! the passage of the rarest query term that has one for the note. `"p"`:
//! for each prefix head, the excerpt each of its notes shows, by the same
//! rule over the prefix's terms.
//!
//! The entries, in key order (terms and prefixes compare alike), each:
//! varint byte length and the key's UTF-8 bytes; one byte of flags: 1, the
//! term's whole postings follow; 2, the term's head follows instead (its
//! postings are more than [`TAIL_BYTES`]); 4, the prefix's head follows
//! (see [`heads`]: a word typed as this prefix matches terms with a head).
//!
//! A term's whole postings: one byte, the number of fields it occurs in;
//! per field: one byte, the field's index, plus 128 if
//! the notes are a bitmap; varint, the number of notes (its document frequency
//! in that field); if a bitmap, ceil(N / 8) bytes where bit `i` (value
//! `1 << i`) of byte `j` is set if note `8j + i` has the term; then per note
//! in id order: unless a bitmap, varint, the note's id minus the previous
//! note's id (the first: the id itself); varint, the term frequency; one byte,
//! the note's fieldnorm id in the field. The bitmap is used when it is
//! shorter than the ids' varints (terms in more than about one note in eight).
//!
//! A term's head: varint, the number of notes that have the term in any
//! field; varint length and the ASCII key of its tail; one byte, the number
//! of fields; per field: one byte, the field's index; varint, its document
//! frequency there; varint, the number of notes listed; per listed note in
//! id order, as above without bitmaps: id difference, term frequency,
//! fieldnorm id. The notes listed are the [`HEAD_NOTES`] notes the term
//! ranks first (by the browser's scores summed over fields, ties by note),
//! with every field they have it in, so that a query of this one word
//! ranks them exactly, and no other note ranks above them.
//!
//! A prefix's head: varint, the number of notes the word typed as the
//! prefix matches; varint, the number of notes listed; per note, best first:
//! varint, its id; 4 bytes, its score (f32, little-endian), as the browser
//! computes it from the whole postings of the prefix's terms.
//!
//! `search-index/t-<key>.js` (payload key `t-<key>`), deflated: a term's
//! tail, its whole postings (as in a shard: fields, then per field).
//!
//! `search-index/p-<key>.js`, a JSON object `{shard key: base64, tail key:
//! base64}`: each shard's positions (of its terms with whole postings), and
//! those of each tail of its terms, loaded only for phrase queries: for
//! each term, field and note in the postings' order, as many varints as the
//! term frequency: positions, each minus the previous (the first: the
//! position itself).
//!
//! `search-index/docs/<k>.js`, key `"d<k>"`, deflated: a JSON array of what
//! the results of notes `k * C` to `k * C + C - 1` show: `{"t": title, "u":
//! site-relative URL, "s": [speakers], "p": [projects], "g": [tags], "e":
//! event or null, "d": "YYYY-MM-DD" or null, "x": the start of the note's
//! text, cut as an excerpt}` (projects and tags by the names their pages
//! show).
//!
//! `search-index/<facets>.js`, where `facets` is the manifest's key: `{"kinds": ["event", "speaker", "project",
//! "tag"], "names": {kind: [[slug, name], ...]}, "docs": base64}`: per note in
//! id order, per kind in `kinds` order: varint count, then that many varint
//! indexes into `names[kind]`. Loaded only when the reader filters.
//!
//! Directories, shards, positions and facets are named by a hash of their
//! content, so a host can cache them forever; note files keep their names
//! (unchanged chunks stay unchanged on disk between builds) and are
//! versioned by `docs_version`.

use std::collections::BTreeMap;
use std::ops::Range;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use serde_json::{Value, json};
use tantivy::DocSet;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;

use rayon::prelude::*;

mod batches;
mod heads;
pub use batches::BATCH_BYTES;
pub use heads::{HEAD_NOTES, TAIL_BYTES};

use super::analyzer::{FOLDS, MAX_TERM_CHARS, PLURALS, STEM_MIN_CHARS, word_ranges};
use super::excerpt;
use super::first_results::FirstResults;
use super::query::{PREFIX_MAX_TERMS, PREFIX_MIN_CHARS};
use super::searcher::ANY_WORD_NOTICE;
use super::suggest::{SUGGEST_MAX_EDITS, SUGGEST_MIN_NOTES, SUGGEST_SHORT_CHARS};
use super::{DocInfo, FIELDS, SearchIndex};
use crate::diagnostics::Diagnostic;
use crate::entity::EntityKind;
use crate::files::Files;
use batches::Batches;
use heads::{Heads, PrefixHead, Scorer, TermHead};

/// The folder of the static index in the site.
pub const SEARCH_DIR: &str = "search-index/";
/// A shard's postings and passages stay under this many bytes (before
/// deflating), unless one term's alone are larger: such a term has a shard
/// of its own.
pub const SHARD_BYTES: usize = 32 * 1024;
/// Shards listed per directory file.
pub const DIR_SHARDS: usize = 64;
/// Shards whose positions share one file (positions are loaded for
/// phrases only, so they may come in larger files).
pub const POSITIONS_GROUP: usize = 4;
/// A term stores excerpts of the body for at most this many notes: those
/// it ranks first (a search page's first page of results).
pub const PASSAGES_PER_TERM: usize = 20;
/// The static index has at most one file per this many notes (once a site
/// has enough notes for its other files): the notes' display data is
/// grouped into chunks as large as that takes.
pub const NOTES_PER_FILE: usize = 4;
/// The index of the body in [`FIELDS`], the field excerpts come from.
const BODY: usize = 5;
/// BM25's term-frequency saturation, as in tantivy (whose own is private).
pub const BM25_K1: f32 = 1.2;
/// BM25's document-length normalization, as in tantivy.
pub const BM25_B: f32 = 0.75;

/// One term's encoded postings and positions in every field.
#[derive(Default)]
struct Encoded {
    postings: Vec<u8>,
    positions: Vec<u8>,
    fields: u8,
    /// Its notes, summed over fields.
    notes: u64,
    /// Its score in each note in the fields before the body: `(note,
    /// score)`, to rank the notes for [`PASSAGES_PER_TERM`].
    scores: Vec<(u32, f32)>,
    /// Excerpts of the body around it, for the notes it ranks first, by note.
    passages: Vec<(u32, String)>,
}

/// An excerpt to cut: note `note`'s body around `positions` of `term`.
struct Wanted {
    note: u32,
    term: String,
    positions: Vec<u32>,
}

/// Writes the static index of `index`, all in memory, with the first
/// results its prefix heads rank (see [`FirstResults`]).
pub fn export(index: &SearchIndex) -> Result<(Files, FirstResults), Diagnostic> {
    export_sized(index, TAIL_BYTES)
}

/// [`export`], where a term whose postings take more than `tail_bytes`
/// keeps only its head in its shard ([`export`] uses [`TAIL_BYTES`]; tests
/// use less, to give a small site heads).
pub fn export_sized(
    index: &SearchIndex,
    tail_bytes: usize,
) -> Result<(Files, FirstResults), Diagnostic> {
    let mut files = Files::new();
    let heads = export_batches(index, tail_bytes, &mut |batch| {
        files.extend(batch);
        Ok(())
    })?;
    Ok((files, heads.first_results()))
}

/// Writes the static index of `index`, handing its files to `hand_on` in
/// batches of about [`BATCH_BYTES`] as they are made (see [`Batches`]).
pub fn export_into(
    index: &SearchIndex,
    hand_on: &mut dyn FnMut(Files) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    export_batches(index, TAIL_BYTES, hand_on).map(|_| ())
}

/// Writes the static index, handing its files on in batches; its heads.
fn export_batches(
    index: &SearchIndex,
    tail_bytes: usize,
    hand_on: &mut dyn FnMut(Files) -> Result<(), Diagnostic>,
) -> Result<Heads, Diagnostic> {
    let (mut terms, tokens, wanted) = encode_terms(index)
        .map_err(|err| Diagnostic::internal(format!("cannot export the search index: {err}")))?;
    cut_passages(index, wanted, &mut terms);
    let heads = Heads::of(&terms, &Scorer::new(index.len(), &tokens), tail_bytes);
    let mut files = Batches::new(BATCH_BYTES, hand_on);
    let suggest = write_suggestions(&terms, &mut files);
    let shards = write_shards(terms, &heads, &mut files);
    let facets = write_facets(index, &mut files);
    let dirs = write_dirs(&shards, &mut files);
    // The manifest is one more file.
    let chunk = doc_chunk(index.len(), files.len() + 1);
    let docs_version = write_docs(index, chunk, &mut files);
    let manifest = json!({
        "version": 5,
        "docs": index.len(),
        "k1": BM25_K1,
        "b": BM25_B,
        "fields": FIELDS.map(|(name, _)| name),
        "boosts": FIELDS.map(|(_, boost)| boost),
        "tokens": tokens,
        "norms": (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect::<Vec<_>>(),
        "dirs": dirs,
        "doc_chunk": chunk,
        "docs_version": docs_version,
        "facets": facets,
        "suggest": suggest,
        "any_word": ANY_WORD_NOTICE,
        "analysis": analysis_rules(),
    });
    files.insert(
        format!("{SEARCH_DIR}manifest.js"),
        script("manifest", &manifest),
    );
    files.finish()?;
    Ok(heads)
}

/// The manifest's `analysis`: every constant by which the browser turns
/// text into terms and a query into words, so that it has one definition.
pub fn analysis_rules() -> Value {
    let folds: serde_json::Map<String, Value> = FOLDS
        .iter()
        .map(|(letter, folded)| (letter.to_string(), Value::from(*folded)))
        .collect();
    json!({
        "max_term_chars": MAX_TERM_CHARS,
        "folds": folds,
        "stem_min_chars": STEM_MIN_CHARS,
        "plurals": PLURALS,
        "prefix_min": PREFIX_MIN_CHARS,
        "prefix_max": PREFIX_MAX_TERMS,
        "suggest_min_notes": SUGGEST_MIN_NOTES,
        "suggest_max_edits": SUGGEST_MAX_EDITS,
        "suggest_short_chars": SUGGEST_SHORT_CHARS,
    })
}

/// The candidates of [`super::suggest`], one file per first letter;
/// returns the manifest's `suggest`: `{letter: key}`.
fn write_suggestions(terms: &BTreeMap<String, Encoded>, files: &mut Batches<'_>) -> Value {
    let mut by_letter: BTreeMap<char, Vec<Value>> = BTreeMap::new();
    for (term, encoded) in terms {
        if encoded.notes < SUGGEST_MIN_NOTES {
            continue;
        }
        if let Some(first) = term.chars().next() {
            by_letter
                .entry(first)
                .or_default()
                .push(json!([term, encoded.notes]));
        }
    }
    let mut keys = serde_json::Map::new();
    for (letter, list) in by_letter {
        let list = Value::Array(list);
        let key = hashed_key("w", list.to_string().as_bytes());
        files.insert(format!("{SEARCH_DIR}{key}.js"), script(&key, &list));
        keys.insert(letter.to_string(), Value::String(key));
    }
    Value::Object(keys)
}

/// Every term's postings and positions, each field's total term count, and
/// the excerpts to cut for each term (see [`PASSAGES_PER_TERM`]).
type EncodedTerms = (BTreeMap<String, Encoded>, Vec<u64>, Vec<Wanted>);

/// A note's id, term frequency, fieldnorm id and range of positions.
type Posting = (u32, u32, u8, Range<usize>);

/// Every term's postings and positions, each field's total term count, and
/// the excerpts to cut.
fn encode_terms(index: &SearchIndex) -> tantivy::Result<EncodedTerms> {
    let searcher = index.reader().searcher();
    let mut terms: BTreeMap<String, Encoded> = BTreeMap::new();
    let mut wanted = Vec::new();
    let mut tokens = vec![0u64; FIELDS.len()];
    for segment in searcher.segment_readers() {
        for (field_index, field) in index.fields().iter().enumerate() {
            tokens[field_index] += segment.inverted_index(*field)?.total_num_tokens();
        }
    }
    let scorer = Scorer::new(index.len(), &tokens);
    for segment in searcher.segment_readers() {
        let ids = segment.fast_fields().u64("id")?;
        let id_of = |doc: u32| ids.first(doc).unwrap_or_default() as u32;
        for (field_index, field) in index.fields().iter().enumerate() {
            let inverted = segment.inverted_index(*field)?;
            let norms = segment.get_fieldnorms_reader(*field)?;
            let mut stream = inverted.terms().stream()?;
            let (mut notes, mut bits) = (Vec::new(), Vec::new());
            let (mut positions, mut all_positions) = (Vec::new(), Vec::new());
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let mut postings = inverted.read_postings_from_terminfo(
                    stream.value(),
                    IndexRecordOption::WithFreqsAndPositions,
                )?;
                notes.clear();
                all_positions.clear();
                while postings.doc() != tantivy::TERMINATED {
                    let doc = postings.doc();
                    postings.positions(&mut positions);
                    let range = all_positions.len()..all_positions.len() + positions.len();
                    all_positions.extend_from_slice(&positions);
                    notes.push((
                        id_of(doc),
                        postings.term_freq(),
                        norms.fieldnorm_id(doc),
                        range,
                    ));
                    postings.advance();
                }
                notes.sort_by_key(|n| n.0);
                let entry = terms.entry(term.to_string()).or_default();
                let scored = notes.iter().map(|(id, tf, norm, _)| {
                    (*id, scorer.score(field_index, notes.len(), *tf, *norm))
                });
                if field_index == BODY {
                    let first = first_ranked(&mut entry.scores, scored, &notes);
                    wanted.extend(first.into_iter().map(|k| Wanted {
                        note: notes[k].0,
                        term: term.to_string(),
                        positions: all_positions[notes[k].3.clone()].to_vec(),
                    }));
                } else {
                    entry.scores.extend(scored);
                }
                entry.fields += 1;
                entry.notes += notes.len() as u64;
                encode_field(
                    entry,
                    field_index,
                    &mut notes,
                    &all_positions,
                    index.len(),
                    &mut bits,
                );
            }
        }
    }
    Ok((terms, tokens, wanted))
}

/// Appends one field's postings of a term to `entry` (see the module
/// documentation), emptying `notes`.
fn encode_field(
    entry: &mut Encoded,
    field_index: usize,
    notes: &mut Vec<Posting>,
    all_positions: &[u32],
    docs: usize,
    bits: &mut Vec<u8>,
) {
    let bitmap = bitmap(notes, docs, bits);
    entry
        .postings
        .push(field_index as u8 | if bitmap { 0x80 } else { 0 });
    varint(&mut entry.postings, notes.len() as u64);
    entry.postings.extend_from_slice(bits);
    let mut previous = 0;
    for (id, tf, norm, range) in notes.drain(..) {
        if !bitmap {
            varint(&mut entry.postings, u64::from(id - previous));
            previous = id;
        }
        varint(&mut entry.postings, u64::from(tf));
        entry.postings.push(norm);
        let mut last = 0;
        for &position in &all_positions[range] {
            varint(&mut entry.positions, u64::from(position - last));
            last = position;
        }
    }
}

/// The indexes in `notes` (the term's body postings) of the
/// [`PASSAGES_PER_TERM`] notes the term alone ranks first: by its score in
/// every field (`earlier`: the other fields'; `body`: the body's, in the
/// order of `notes`), ties by note. Empties `earlier`.
fn first_ranked(
    earlier: &mut Vec<(u32, f32)>,
    body: impl Iterator<Item = (u32, f32)>,
    notes: &[Posting],
) -> Vec<usize> {
    earlier.sort_by_key(|e| e.0);
    let mut ranked: Vec<(f32, u32, usize)> = body
        .enumerate()
        .map(|(k, (id, score))| {
            let from = earlier.partition_point(|e| e.0 < id);
            let others: f32 = earlier[from..]
                .iter()
                .take_while(|e| e.0 == id)
                .map(|e| e.1)
                .sum();
            (score + others, id, k)
        })
        .collect();
    earlier.clear();
    let by_rank =
        |a: &(f32, u32, usize), b: &(f32, u32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if ranked.len() > PASSAGES_PER_TERM {
        ranked.select_nth_unstable_by(PASSAGES_PER_TERM, by_rank);
        ranked.truncate(PASSAGES_PER_TERM);
    }
    debug_assert!(ranked.iter().all(|r| notes[r.2].0 == r.1));
    ranked.into_iter().map(|r| r.2).collect()
}

/// Cuts the excerpts `wanted` asks for from the notes' bodies, each note's
/// words found once, and gives them to their terms.
fn cut_passages(
    index: &SearchIndex,
    mut wanted: Vec<Wanted>,
    terms: &mut BTreeMap<String, Encoded>,
) {
    wanted.sort_by_key(|w| w.note);
    let cut: Vec<(String, u32, String)> = wanted
        .par_chunk_by(|a, b| a.note == b.note)
        .flat_map_iter(|group| {
            let text = &index.docs()[group[0].note as usize].text;
            let words = word_ranges(text);
            group.iter().map(move |w| {
                let hits: Vec<Range<usize>> = w
                    .positions
                    .iter()
                    .filter_map(|&p| words.get(p as usize).cloned())
                    .collect();
                (w.term.clone(), w.note, excerpt::passage(text, &hits))
            })
        })
        .collect();
    for (term, note, passage) in cut {
        if let Some(entry) = terms.get_mut(&term) {
            entry.passages.push((note, passage));
        }
    }
    for entry in terms.values_mut() {
        entry.passages.sort_by_key(|p| p.0);
    }
}

/// Whether the ids of `notes` (sorted) are shorter as a bitmap of `docs`
/// bits than as varint differences; if so, puts the bitmap in `bits`.
fn bitmap(notes: &[Posting], docs: usize, bits: &mut Vec<u8>) -> bool {
    bits.clear();
    let mut previous = 0;
    let varints: usize = notes
        .iter()
        .map(|(id, ..)| {
            let delta = id - previous;
            previous = *id;
            (32 - delta.leading_zeros()).max(1).div_ceil(7) as usize
        })
        .sum();
    if varints <= docs.div_ceil(8) {
        return false;
    }
    bits.resize(docs.div_ceil(8), 0);
    for (id, ..) in notes {
        bits[*id as usize / 8] |= 1 << (id % 8);
    }
    true
}

/// What a shard holds under one key: a term (whole, or its head), the head
/// of the prefix, or both.
#[derive(Default)]
struct Entry<'a> {
    term: Option<Encoded>,
    head: Option<&'a TermHead>,
    prefix: Option<&'a PrefixHead>,
}

impl Entry<'_> {
    /// About how many bytes it takes in a shard file.
    fn bytes(&self, key: &str) -> usize {
        let term = self.term.as_ref().map_or(0, |encoded| {
            let postings = self
                .head
                .map_or(encoded.postings.len(), |h| h.postings.len());
            postings + passages_bytes(&encoded.passages)
        });
        let prefix = self
            .prefix
            .map_or(0, |p| p.hits.len() * 8 + passages_bytes(&p.passages));
        key.len() + term + prefix
    }
}

/// Every term and prefix head under its key, in key order.
fn entries(terms: BTreeMap<String, Encoded>, heads: &Heads) -> BTreeMap<String, Entry<'_>> {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for (prefix, head) in &heads.prefixes {
        entries.entry(prefix.clone()).or_default().prefix = Some(head);
    }
    for (term, encoded) in terms {
        let head = heads.terms.get(&term);
        let entry = entries.entry(term).or_default();
        entry.term = Some(encoded);
        entry.head = head;
    }
    entries
}

/// One shard being filled: its entries, passages and positions, and the
/// tails of its terms that have one.
#[derive(Default)]
struct Shard {
    first: Option<String>,
    postings: Vec<u8>,
    passages: serde_json::Map<String, Value>,
    prefix_passages: serde_json::Map<String, Value>,
    passage_bytes: usize,
    positions: Vec<u8>,
    /// Its terms that have a tail.
    tails: Vec<Tail>,
}

/// A term's tail, its whole postings (a file of its own), and its positions
/// (in the shard group's positions file).
struct Tail {
    key: String,
    postings: Vec<u8>,
    positions: Vec<u8>,
}

impl Shard {
    /// Adds `entry`, and the tail of its term if it has a head.
    fn add(&mut self, key: &str, entry: Entry) {
        self.first.get_or_insert_with(|| key.to_string());
        varint(&mut self.postings, key.len() as u64);
        self.postings.extend_from_slice(key.as_bytes());
        let flags = match (&entry.term, entry.head) {
            (Some(_), None) => WHOLE_TERM,
            (Some(_), Some(_)) => TERM_HEAD,
            _ => 0,
        } | entry.prefix.map_or(0, |_| PREFIX_HEAD);
        self.postings.push(flags);
        if let Some(encoded) = entry.term {
            self.passage_bytes += passages_bytes(&encoded.passages);
            if let Some(list) = passages_json(&encoded.passages) {
                self.passages.insert(key.to_string(), list);
            }
            match entry.head {
                None => {
                    self.postings.push(encoded.fields);
                    self.postings.extend_from_slice(&encoded.postings);
                    self.positions.extend_from_slice(&encoded.positions);
                }
                Some(head) => {
                    let mut postings = vec![encoded.fields];
                    postings.extend_from_slice(&encoded.postings);
                    let tail = hashed_key("t", &postings);
                    varint(&mut self.postings, head.notes);
                    varint(&mut self.postings, tail.len() as u64);
                    self.postings.extend_from_slice(tail.as_bytes());
                    self.postings.push(encoded.fields);
                    self.postings.extend_from_slice(&head.postings);
                    self.tails.push(Tail {
                        key: tail,
                        postings,
                        positions: encoded.positions,
                    });
                }
            }
        }
        if let Some(prefix) = entry.prefix {
            varint(&mut self.postings, prefix.total);
            varint(&mut self.postings, prefix.hits.len() as u64);
            for (note, score) in &prefix.hits {
                varint(&mut self.postings, u64::from(*note));
                self.postings.extend_from_slice(&score.to_le_bytes());
            }
            self.passage_bytes += passages_bytes(&prefix.passages);
            if let Some(list) = passages_json(&prefix.passages) {
                self.prefix_passages.insert(key.to_string(), list);
            }
        }
    }

    fn bytes(&self) -> usize {
        self.postings.len() + self.passage_bytes
    }
}

/// An entry's flag: the term's whole postings follow.
const WHOLE_TERM: u8 = 1;
/// An entry's flag: the term's head follows (its whole postings are in its tail).
const TERM_HEAD: u8 = 2;
/// An entry's flag: the head of the prefix follows.
const PREFIX_HEAD: u8 = 4;

/// `[note, excerpt, note, excerpt, ...]`, or `None` if there are none.
fn passages_json(passages: &[(u32, String)]) -> Option<Value> {
    let list = passages
        .iter()
        .flat_map(|(note, text)| [Value::from(*note), Value::from(text.as_str())]);
    (!passages.is_empty()).then(|| list.collect())
}

/// About how many bytes passages take in a shard file.
fn passages_bytes(passages: &[(u32, String)]) -> usize {
    passages.iter().map(|(_, text)| text.len() + 8).sum()
}

/// Cuts the terms and prefix heads into shards, and writes them soon after
/// they are made, [`GROUPS_AT_ONCE`] groups at a time (each term's postings
/// are freed once written); returns `[first term, key, positions key]` per
/// shard.
fn write_shards(
    terms: BTreeMap<String, Encoded>,
    heads: &Heads,
    files: &mut Batches<'_>,
) -> Vec<Value> {
    let mut written = ShardFiles::new(files);
    let mut shard = Shard::default();
    for (key, entry) in entries(terms, heads) {
        if shard.first.is_some() && shard.bytes() + entry.bytes(&key) > SHARD_BYTES {
            written.push(std::mem::take(&mut shard));
        }
        shard.add(&key, entry);
        if shard.bytes() >= SHARD_BYTES {
            written.push(std::mem::take(&mut shard));
        }
    }
    if shard.first.is_some() {
        written.push(shard);
    }
    written.finish()
}

/// How many groups of shards are compressed at a time, in parallel: 64
/// shards of about [`SHARD_BYTES`], and the tails of their terms.
const GROUPS_AT_ONCE: usize = 16;

/// Full shards on their way to files, a group of [`POSITIONS_GROUP`] per
/// positions file, [`GROUPS_AT_ONCE`] groups written at a time.
struct ShardFiles<'f, 'b> {
    files: &'f mut Batches<'b>,
    group: Vec<Shard>,
    groups: Vec<Vec<Shard>>,
    /// `[first term, key, positions key]` per shard written.
    listed: Vec<Value>,
}

impl<'f, 'b> ShardFiles<'f, 'b> {
    fn new(files: &'f mut Batches<'b>) -> Self {
        ShardFiles {
            files,
            group: Vec::with_capacity(POSITIONS_GROUP),
            groups: Vec::with_capacity(GROUPS_AT_ONCE),
            listed: Vec::new(),
        }
    }

    /// One more shard, the last of those before it.
    fn push(&mut self, shard: Shard) {
        self.group.push(shard);
        if self.group.len() == POSITIONS_GROUP {
            self.groups.push(std::mem::take(&mut self.group));
            if self.groups.len() == GROUPS_AT_ONCE {
                self.write();
            }
        }
    }

    /// Makes the waiting groups' files, in parallel, and inserts them in order.
    fn write(&mut self) {
        let made: Vec<GroupFiles> = std::mem::take(&mut self.groups)
            .into_par_iter()
            .map(group_files)
            .collect();
        for GroupFiles { listed, files } in made {
            self.listed.extend(listed);
            for (path, bytes) in files {
                self.files.insert(path, bytes);
            }
        }
    }

    /// Writes what is left; returns what [`write_shards`] returns.
    fn finish(mut self) -> Vec<Value> {
        if !self.group.is_empty() {
            let group = std::mem::take(&mut self.group);
            self.groups.push(group);
        }
        self.write();
        self.listed
    }
}

/// The files of a group of shards, and how the directory lists its shards.
struct GroupFiles {
    /// `[first term, key, positions key]` per shard.
    listed: Vec<Value>,
    /// `(path, bytes)`.
    files: Vec<(String, Vec<u8>)>,
}

/// The files of shards whose positions share one file: each shard's
/// entries and passages, its terms' tails, and the positions file.
fn group_files(group: Vec<Shard>) -> GroupFiles {
    let mut files = Vec::new();
    let mut positions = serde_json::Map::new();
    let mut keys = Vec::with_capacity(group.len());
    for shard in &group {
        let (key, file) = postings_file(shard);
        files.push(file);
        positions.insert(key.clone(), Value::String(BASE64.encode(&shard.positions)));
        for tail in &shard.tails {
            files.push((
                format!("{SEARCH_DIR}{}.js", tail.key),
                script(&tail.key, &deflated(&tail.postings)),
            ));
            positions.insert(
                tail.key.clone(),
                Value::String(BASE64.encode(&tail.positions)),
            );
        }
        keys.push(key);
    }
    let positions = Value::Object(positions);
    let positions_key = hashed_key("p", positions.to_string().as_bytes());
    files.push((
        format!("{SEARCH_DIR}{positions_key}.js"),
        script(&positions_key, &positions),
    ));
    let listed = keys
        .into_iter()
        .zip(group)
        .map(|(key, shard)| json!([shard.first, key, positions_key]))
        .collect();
    GroupFiles { listed, files }
}

/// A shard's entries and passages: its key, and its file.
fn postings_file(shard: &Shard) -> (String, (String, Vec<u8>)) {
    let mut bytes = Vec::new();
    varint(&mut bytes, shard.postings.len() as u64);
    bytes.extend_from_slice(&shard.postings);
    let passages = json!({"t": shard.passages, "p": shard.prefix_passages});
    bytes.extend_from_slice(passages.to_string().as_bytes());
    let key = blake3::hash(&bytes).to_hex()[..12].to_string();
    let name = format!("s-{key}");
    let file = (
        format!("{SEARCH_DIR}{name}.js"),
        script(&name, &deflated(&bytes)),
    );
    (key, file)
}

/// `bytes` deflated (raw, RFC 1951) and in base64.
fn deflated(bytes: &[u8]) -> Value {
    use std::io::Write;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    // Writing into memory cannot fail.
    let packed = encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default();
    Value::String(BASE64.encode(packed))
}

/// Lists the shards in directory files; returns the manifest's `dirs`.
fn write_dirs(shards: &[Value], files: &mut Batches<'_>) -> Vec<Value> {
    shards
        .chunks(DIR_SHARDS)
        .map(|group| {
            let list = Value::Array(group.to_vec());
            let key = blake3::hash(list.to_string().as_bytes()).to_hex()[..12].to_string();
            let name = format!("i-{key}");
            files.insert(format!("{SEARCH_DIR}{name}.js"), script(&name, &list));
            json!([group[0][0], key])
        })
        .collect()
}

/// How many notes' display data share a file, for a site of `notes` notes
/// whose other index files are `others`: at least [`NOTES_PER_FILE`], and
/// enough that the index has at most one file per [`NOTES_PER_FILE`] notes
/// (all in one file when the other files alone are more).
fn doc_chunk(notes: usize, others: usize) -> usize {
    let budget = (notes / NOTES_PER_FILE).saturating_sub(others);
    if budget == 0 {
        return notes.max(1);
    }
    notes.div_ceil(budget).max(NOTES_PER_FILE)
}

/// The notes' display data, `chunk` notes a file; returns their version.
fn write_docs(index: &SearchIndex, chunk: usize, files: &mut Batches<'_>) -> String {
    let mut all = blake3::Hasher::new();
    let names = |doc: &DocInfo, kind: EntityKind| -> Vec<String> {
        let slugs = doc.facets.get(&kind).map(Vec::as_slice).unwrap_or_default();
        slugs
            .iter()
            .map(|slug| {
                let name = index.facet_names().get(&(kind, slug.clone()));
                name.unwrap_or(slug).clone()
            })
            .collect()
    };
    for (number, docs) in index.docs().chunks(chunk).enumerate() {
        let cards: Vec<Value> = docs
            .iter()
            .map(|doc| {
                let (projects, tags) = (names(doc, EntityKind::Project), names(doc, EntityKind::Tag));
                let start = excerpt::passage(&doc.text, &[]);
                json!({"t": doc.title, "u": doc.url, "s": doc.speakers, "p": projects, "g": tags, "e": doc.event, "d": doc.date, "x": start})
            })
            .collect();
        let cards = Value::Array(cards).to_string();
        let body = script(&format!("d{number}"), &deflated(cards.as_bytes()));
        all.update(&body);
        files.insert(format!("{SEARCH_DIR}docs/{number}.js"), body);
    }
    all.finalize().to_hex()[..12].to_string()
}

/// The facets file; returns its key.
fn write_facets(index: &SearchIndex, files: &mut Batches<'_>) -> String {
    let kinds = [
        EntityKind::Event,
        EntityKind::Speaker,
        EntityKind::Project,
        EntityKind::Tag,
    ];
    let mut names: BTreeMap<EntityKind, BTreeMap<&str, usize>> = BTreeMap::new();
    for doc in index.docs() {
        for (kind, slugs) in &doc.facets {
            for slug in slugs {
                names.entry(*kind).or_default().insert(slug, 0);
            }
        }
    }
    for slugs in names.values_mut() {
        for (i, number) in slugs.values_mut().enumerate() {
            *number = i;
        }
    }
    let mut packed = Vec::new();
    for doc in index.docs() {
        for kind in kinds {
            let slugs = doc.facets.get(&kind).map(Vec::as_slice).unwrap_or_default();
            varint(&mut packed, slugs.len() as u64);
            for slug in slugs {
                varint(&mut packed, names[&kind][slug.as_str()] as u64);
            }
        }
    }
    let display = index.facet_names();
    let names_json: serde_json::Map<String, Value> = kinds
        .iter()
        .map(|kind| {
            let list: Vec<Value> = names
                .get(kind)
                .map(|slugs| {
                    slugs
                        .keys()
                        .map(|slug| {
                            json!([
                                slug,
                                display
                                    .get(&(*kind, slug.to_string()))
                                    .cloned()
                                    .unwrap_or_else(|| slug.to_string())
                            ])
                        })
                        .collect()
                })
                .unwrap_or_default();
            (kind.singular().to_string(), Value::Array(list))
        })
        .collect();
    let value = json!({"kinds": kinds.map(|k| k.singular()), "names": names_json, "docs": BASE64.encode(&packed)});
    let text = value.to_string().into_bytes();
    let key = hashed_key("f", &text);
    files.insert(format!("{SEARCH_DIR}{key}.js"), script(&key, &value));
    key
}

/// `prefix-` and the first 12 hex digits of the content's hash.
fn hashed_key(prefix: &str, content: &[u8]) -> String {
    format!("{prefix}-{}", &blake3::hash(content).to_hex()[..12])
}

/// A file that hands `payload` to the page's search script. `<` is escaped
/// (it only occurs in JSON strings), so no payload can close a script element.
fn script(key: &str, payload: &Value) -> Vec<u8> {
    let mut json = payload.to_string();
    if json.contains('<') {
        json = json.replace('<', "\\u003c");
    }
    format!("__talkbook({},{json});\n", Value::String(key.to_string())).into_bytes()
}

/// Appends `value` as an unsigned LEB128 varint.
fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        for v in [0, 127, 128, 300] {
            varint(&mut out, v);
        }
        assert_eq!(out, [0, 127, 0x80, 1, 0xac, 2]);
    }

    #[test]
    fn bitmaps_only_when_shorter() {
        let notes = |ids: &[u32]| -> Vec<(u32, u32, u8, Range<usize>)> {
            ids.iter().map(|&id| (id, 1, 0, 0..0)).collect()
        };
        let mut bits = Vec::new();
        // 16 notes: a 2-byte bitmap; three ids take three bytes as varints.
        assert!(bitmap(&notes(&[0, 3, 9]), 16, &mut bits));
        assert_eq!(bits, [0b0000_1001, 0b0000_0010]);
        assert!(!bitmap(&notes(&[0, 9]), 16, &mut bits));
        // 1,000 notes: 125 bytes; 0 and 999 take 1 + 2 bytes.
        assert!(!bitmap(&notes(&[0, 999]), 1000, &mut bits));
        // The varint lengths it counts are varint()'s.
        let mut buffer = Vec::new();
        for delta in [0u32, 127, 128, 16383, 16384] {
            buffer.clear();
            varint(&mut buffer, u64::from(delta));
            assert_eq!(
                buffer.len(),
                (32 - delta.leading_zeros()).max(1).div_ceil(7) as usize
            );
        }
    }

    #[test]
    fn bm25_is_tantivys() {
        use tantivy::query::Bm25Weight;
        let (docs, df, average) = (10u64, 2u64, 4.0f32);
        let weight = Bm25Weight::for_one_term(df, docs, average);
        // The body, whose boost is 1.
        let body = FIELDS.len() - 1;
        let mut tokens = vec![0; FIELDS.len()];
        tokens[body] = 40;
        let scorer = Scorer::new(docs as usize, &tokens);
        for (norm_id, tf) in [(1u8, 1u32), (20, 3)] {
            let ours = scorer.score(body, df as usize, tf, norm_id);
            let theirs = weight.score(norm_id, tf);
            assert!((ours - theirs).abs() < 1e-5, "{ours} vs {theirs}");
        }
    }

    #[test]
    fn scripts_escape_their_payload() {
        let text = String::from_utf8(script("d1", &json!({"t": "</script><b>"}))).unwrap();
        assert_eq!(
            text,
            "__talkbook(\"d1\",{\"t\":\"\\u003c/script>\\u003cb>\"});\n"
        );
    }
}
