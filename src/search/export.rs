//! The static search index: the tantivy index written out as files a browser
//! can search on a plain static host, without downloading all of it.
//!
//! Every file is JavaScript that calls `__talkbook(key, payload)`, so it loads
//! with a `<script>` tag, which works from `file://` where `fetch` does not.
//! Binary payloads are base64 strings. Integers marked *varint* are unsigned
//! LEB128 (7 bits per byte, low bits first, high bit set on all but the last).
//!
//! `search-index/manifest.js`, key `"manifest"`, a JSON object:
//! - `version` (3), `docs` (N, the number of notes), `k1`, `b` (BM25:
//!   [`BM25_K1`], [`BM25_B`]);
//! - `fields`: field names, `boosts`: each field's boost, `tokens`: each
//!   field's total number of terms over all notes. A field's average length is
//!   `f32(tokens) / f32(docs)`, computed in 32-bit floats as tantivy does;
//! - `norms`: 256 numbers, the document length each fieldnorm id stands for;
//! - `dirs`: `[first term, key]` per directory, sorted: the list of shards
//!   is cut into directories of [`DIR_SHARDS`] shards, each in
//!   `search-index/i-<key>.js` (payload key `"i-<key>"`), a JSON array of
//!   `[first term, key]` per shard, sorted. A shard (a directory) holds every
//!   term from its first term up to the next one's first term. Terms compare
//!   by Unicode code point (not UTF-16 unit). A shard's postings are in
//!   `search-index/s-<key>.js` (payload key `"s-<key>"`), its positions in
//!   `search-index/p-<key>.js` (payload key `"p-<key>"`);
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
//! `search-index/s-<key>.js`, a base64 string: terms in order, each:
//! varint byte length and the term's UTF-8 bytes; one byte, the number of
//! fields it occurs in; per field: one byte, the field's index, plus 128 if
//! the notes are a bitmap; varint, the number of notes (its document frequency
//! in that field); if a bitmap, ceil(N / 8) bytes where bit `i` (value
//! `1 << i`) of byte `j` is set if note `8j + i` has the term; then per note
//! in id order: unless a bitmap, varint, the note's id minus the previous
//! note's id (the first: the id itself); varint, the term frequency; one byte,
//! the note's fieldnorm id in the field. The bitmap is used when it is
//! shorter than the ids' varints (terms in more than about one note in eight).
//!
//! `search-index/p-<key>.js`, a base64 string: the same shard's positions, loaded only for
//! phrase queries: for each term, field and note in the postings' order, as
//! many varints as the term frequency: positions, each minus the previous
//! (the first: the position itself).
//!
//! `search-index/docs/<id>.js`, key `"d<id>"`: what a result shows:
//! `{"t": title, "u": site-relative URL, "s": [speakers], "p": [projects],
//! "g": [tags], "e": event or null, "d": "YYYY-MM-DD" or null, "x": the start
//! of the note's text}` (projects and tags by the names their pages show).
//!
//! `search-index/<facets>.js`, where `facets` is the manifest's key: `{"kinds": ["event", "speaker", "project",
//! "tag"], "names": {kind: [[slug, name], ...]}, "docs": base64}`: per note in
//! id order, per kind in `kinds` order: varint count, then that many varint
//! indexes into `names[kind]`. Loaded only when the reader filters.
//!
//! Directories, shards, positions and facets are named by a hash of their
//! content, so a host can cache them forever; note files keep their names
//! (unchanged notes stay unchanged on disk between builds) and are versioned
//! by `docs_version`.

use std::collections::BTreeMap;
use std::ops::Range;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use tantivy::DocSet;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;

use super::analyzer::{FOLDS, MAX_TERM_CHARS, PLURALS, STEM_MIN_CHARS};
use super::query::{PREFIX_MAX_TERMS, PREFIX_MIN_CHARS};
use super::searcher::ANY_WORD_NOTICE;
use super::suggest::{SUGGEST_MAX_EDITS, SUGGEST_MIN_NOTES, SUGGEST_SHORT_CHARS};
use super::{DocInfo, FIELDS, SearchIndex};
use crate::diagnostics::Diagnostic;
use crate::entity::EntityKind;
use crate::files::Files;

/// The folder of the static index in the site.
pub const SEARCH_DIR: &str = "search-index/";
/// A shard's postings stay under this many bytes, unless one term's alone
/// are larger: such a term has a shard of its own.
pub const SHARD_BYTES: usize = 8 * 1024;
/// Shards listed per directory file.
pub const DIR_SHARDS: usize = 64;
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
}

/// Writes the static index of `index`.
pub fn export(index: &SearchIndex) -> Result<Files, Diagnostic> {
    let (terms, tokens) = encode_terms(index)
        .map_err(|err| Diagnostic::internal(format!("cannot export the search index: {err}")))?;
    let mut files = Files::new();
    let shards = write_shards(&terms, &mut files);
    let docs_version = write_docs(index, &mut files);
    let facets = write_facets(index, &mut files);
    let suggest = write_suggestions(&terms, &mut files);
    let manifest = json!({
        "version": 3,
        "docs": index.len(),
        "k1": BM25_K1,
        "b": BM25_B,
        "fields": FIELDS.map(|(name, _)| name),
        "boosts": FIELDS.map(|(_, boost)| boost),
        "tokens": tokens,
        "norms": (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect::<Vec<_>>(),
        "dirs": write_dirs(&shards, &mut files),
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
    Ok(files)
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
fn write_suggestions(terms: &BTreeMap<String, Encoded>, files: &mut Files) -> Value {
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

/// Every term's postings and positions, and each field's total term count.
fn encode_terms(index: &SearchIndex) -> tantivy::Result<(BTreeMap<String, Encoded>, Vec<u64>)> {
    let searcher = index.reader().searcher();
    let mut terms: BTreeMap<String, Encoded> = BTreeMap::new();
    let mut tokens = vec![0u64; FIELDS.len()];
    for segment in searcher.segment_readers() {
        let ids = segment.fast_fields().u64("id")?;
        let id_of = |doc: u32| ids.first(doc).unwrap_or_default() as u32;
        for (field_index, field) in index.fields().iter().enumerate() {
            let inverted = segment.inverted_index(*field)?;
            tokens[field_index] += inverted.total_num_tokens();
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
                entry.fields += 1;
                entry.notes += notes.len() as u64;
                let bitmap = bitmap(&notes, index.len(), &mut bits);
                entry
                    .postings
                    .push(field_index as u8 | if bitmap { 0x80 } else { 0 });
                varint(&mut entry.postings, notes.len() as u64);
                entry.postings.extend_from_slice(&bits);
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
        }
    }
    Ok((terms, tokens))
}

/// Whether the ids of `notes` (sorted) are shorter as a bitmap of `docs`
/// bits than as varint differences; if so, puts the bitmap in `bits`.
fn bitmap(notes: &[(u32, u32, u8, Range<usize>)], docs: usize, bits: &mut Vec<u8>) -> bool {
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

/// Cuts the terms into shards; returns `[first term, key]` per shard.
fn write_shards(terms: &BTreeMap<String, Encoded>, files: &mut Files) -> Vec<Value> {
    let mut shards = Vec::new();
    let mut first: Option<&str> = None;
    let (mut postings, mut positions) = (Vec::new(), Vec::new());
    let mut flush =
        |first: &str, postings: &mut Vec<u8>, positions: &mut Vec<u8>, files: &mut Files| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(postings).update(positions);
            let key = hasher.finalize().to_hex()[..12].to_string();
            for (kind, bytes) in [("s", &*postings), ("p", &*positions)] {
                let name = format!("{kind}-{key}");
                files.insert(
                    format!("{SEARCH_DIR}{name}.js"),
                    script(&name, &Value::String(BASE64.encode(bytes))),
                );
            }
            shards.push(json!([first, key]));
            postings.clear();
            positions.clear();
        };
    for (term, encoded) in terms {
        if let Some(first_term) = first
            && postings.len() + term.len() + encoded.postings.len() > SHARD_BYTES
        {
            flush(first_term, &mut postings, &mut positions, files);
            first = None;
        }
        let first_term = *first.get_or_insert(term.as_str());
        varint(&mut postings, term.len() as u64);
        postings.extend_from_slice(term.as_bytes());
        postings.push(encoded.fields);
        postings.extend_from_slice(&encoded.postings);
        positions.extend_from_slice(&encoded.positions);
        if postings.len() >= SHARD_BYTES {
            flush(first_term, &mut postings, &mut positions, files);
            first = None;
        }
    }
    if let Some(first_term) = first {
        flush(first_term, &mut postings, &mut positions, files);
    }
    shards
}

/// Lists the shards in directory files; returns the manifest's `dirs`.
fn write_dirs(shards: &[Value], files: &mut Files) -> Vec<Value> {
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

/// One file per note; returns their version.
fn write_docs(index: &SearchIndex, files: &mut Files) -> String {
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
    for (id, doc) in index.docs().iter().enumerate() {
        let (projects, tags) = (names(doc, EntityKind::Project), names(doc, EntityKind::Tag));
        let value = json!({"t": doc.title, "u": doc.url, "s": doc.speakers, "p": projects, "g": tags, "e": doc.event, "d": doc.date, "x": doc.text});
        let body = script(&format!("d{id}"), &value);
        all.update(&body);
        files.insert(format!("{SEARCH_DIR}docs/{id}.js"), body);
    }
    all.finalize().to_hex()[..12].to_string()
}

/// The facets file; returns its key.
fn write_facets(index: &SearchIndex, files: &mut Files) -> String {
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
    fn bm25_parameters_are_tantivys() {
        use tantivy::query::Bm25Weight;
        let (docs, df, average) = (10u64, 2u64, 4.0f32);
        let weight = Bm25Weight::for_one_term(df, docs, average);
        let idf = (1.0 + ((docs - df) as f32 + 0.5) / (df as f32 + 0.5)).ln();
        for (norm_id, tf) in [(1u8, 1u32), (20, 3)] {
            let length = FieldNormReader::id_to_fieldnorm(norm_id) as f32;
            let norm = BM25_K1 * (1.0 - BM25_B + BM25_B * length / average);
            let ours = idf * (1.0 + BM25_K1) * tf as f32 / (tf as f32 + norm);
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
