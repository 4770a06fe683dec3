//! Ranking a query over the tantivy index: what `talkbook search`,
//! `/api/search` and the tests ask of an index, whether just built or read
//! back from its cache.
//!
//! Every query word is looked up in each of [`FIELDS`] with the field's
//! boost, by tantivy's BM25; notes must have every word, or, when none has,
//! any word (see [`super::query`] for what a word is).

use std::collections::BTreeMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, IndexReader, Term};

use super::analyzer::analyze;
use super::every_word::{Alternatives, EveryWord};
use super::first_results::FirstResults;
use super::query::{self, PREFIX_MAX_TERMS, Word};
use super::suggest::{self, Suggestion};
use super::{Answer, FIELDS, Found, Hit, SearchResult};
use crate::diagnostics::Diagnostic;

/// What readers are told when no note has every word of a query.
pub const ANY_WORD_NOTICE: &str = "no note has every word; showing notes with any";

/// A query word and the indexed terms it stands for: an exact word its
/// term, a word being typed its [expansions](Searcher::expand), a phrase
/// none (its terms are looked up as a phrase).
struct Resolved<'w> {
    word: &'w Word,
    terms: Vec<Indexed>,
}

/// A term, the fields that have it and in how many notes in all.
#[derive(Debug, Clone, Default, PartialEq)]
struct Indexed {
    /// The term.
    text: String,
    /// Bit `i` is set if field `i` of [`FIELDS`] has the term.
    fields: u8,
    /// How many notes have it, summed over fields.
    notes: u64,
}

impl Indexed {
    /// `text`, in no field yet.
    fn named(text: &str) -> Indexed {
        Indexed {
            text: text.to_string(),
            ..Indexed::default()
        }
    }

    /// Adds field `i`, where `notes` notes have the term.
    fn add(&mut self, i: usize, notes: u64) {
        if notes > 0 {
            self.fields |= 1 << i;
            self.notes += notes;
        }
    }
}

/// A tantivy index of the notes, one document per note, in note order,
/// with a fast field `id` holding the note's index.
pub struct Searcher {
    reader: IndexReader,
    fields: [Field; 6],
    /// The first results of frequent words being typed, once the static
    /// index has ranked them.
    first: FirstResults,
}

impl Searcher {
    /// Searches `index`, whose schema has [`FIELDS`] and `id`, in that order.
    pub fn new(index: Index) -> tantivy::Result<Searcher> {
        let schema = index.schema();
        let mut fields = [Field::from_field_id(0); 6];
        for (field, (name, _)) in fields.iter_mut().zip(FIELDS) {
            *field = schema.get_field(name)?;
        }
        let reader = index.reader()?;
        Ok(Searcher {
            reader,
            fields,
            first: FirstResults::default(),
        })
    }

    /// Answers the first pages of frequent words being typed from `first`,
    /// as ranked by the static export of this index.
    pub(crate) fn set_first_results(&mut self, first: FirstResults) {
        self.first = first;
    }

    /// Results `offset..offset + limit` of `query` as `talkbook search`
    /// and `/api/search` give them; `result` makes a hit a result.
    pub fn answer(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
        result: impl Fn(&Hit) -> Result<SearchResult, Diagnostic>,
    ) -> Result<Answer, Diagnostic> {
        let words = query::parse(query);
        let (found, suggestions) = match self.first.page(&words, offset, limit) {
            // A prefix has a head only if notes have its terms: nothing
            // to suggest.
            Some(found) => (found, Vec::new()),
            None => {
                let resolved = self.resolve(&words);
                let found = self.find_resolved(&resolved, offset, limit)?;
                (found, self.suggest(query, &resolved))
            }
        };
        Ok(Answer {
            total: found.total,
            every_word: found.every_word,
            results: found.hits.iter().map(result).collect::<Result<_, _>>()?,
            suggestions,
        })
    }

    /// Results `offset..offset + limit` of `query`, best first (ties by
    /// note order), and how many notes match: only the results asked for
    /// are collected, the others only counted. Every word must match; if
    /// no note has every word, any word does. The first page of a frequent
    /// word being typed is looked up, if the first results are set.
    pub fn find(&self, query: &str, offset: usize, limit: usize) -> Result<Found, Diagnostic> {
        let words = query::parse(query);
        if let Some(found) = self.first.page(&words, offset, limit) {
            return Ok(found);
        }
        self.find_resolved(&self.resolve(&words), offset, limit)
    }

    fn find_resolved(
        &self,
        words: &[Resolved<'_>],
        offset: usize,
        limit: usize,
    ) -> Result<Found, Diagnostic> {
        let every: Box<dyn Query> = match words {
            [] => return Ok(Found::default()),
            [word] => self.word_query(word),
            _ => Box::new(EveryWord::new(
                words.iter().map(|word| self.alternatives(word)).collect(),
            )),
        };
        let found = self.run(every.as_ref(), words.len() > 1, offset, limit)?;
        if found.total == 0 && words.len() > 1 {
            let any = BooleanQuery::new(
                words
                    .iter()
                    .map(|word| (Occur::Should, self.word_query(word)))
                    .collect(),
            );
            let any = self.run(&any, false, offset, limit)?;
            return Ok(Found {
                every_word: false,
                ..any
            });
        }
        Ok(found)
    }

    /// Each word with the terms it stands for here, looked up once per
    /// query: the results and the suggestions both need them.
    fn resolve<'w>(&self, words: &'w [Word]) -> Vec<Resolved<'w>> {
        words
            .iter()
            .map(|word| Resolved {
                word,
                terms: match word {
                    Word::Exact(term) => vec![self.lookup(term)],
                    Word::Prefix { term, prefix } => self.expand(term, prefix),
                    Word::Phrase(_) => Vec::new(),
                },
            })
            .collect()
    }

    /// Results `offset..offset + limit` of `query`, and how many notes
    /// match; `every_word` if it is an [`EveryWord`] query.
    fn run(
        &self,
        query: &dyn Query,
        every_word: bool,
        offset: usize,
        limit: usize,
    ) -> Result<Found, Diagnostic> {
        let failed = |err: tantivy::TantivyError| {
            Diagnostic::internal(format!("searching the index failed: {err}"))
        };
        let searcher = self.reader.searcher();
        let notes = searcher.num_docs() as usize;
        let offset = offset.min(notes);
        let limit = limit.min(notes - offset);
        let page = || {
            TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score()
        };
        let (total, top) = if every_word && limit > 0 {
            // Every note that has every word is scored, whatever is
            // collected: counted in the same pass.
            searcher.search(query, &(Count, page())).map_err(failed)?
        } else {
            // A union is ranked skipping the notes that cannot make the
            // page (block-WAND), and counted without scores.
            let total = query.count(&searcher).map_err(failed)?;
            let top = if total > offset && limit > 0 {
                searcher.search(query, &page()).map_err(failed)?
            } else {
                Vec::new()
            };
            (total, top)
        };
        let mut hits = Vec::with_capacity(top.len());
        // Each segment's column of note ids, opened once.
        let mut columns = vec![None; searcher.segment_readers().len()];
        for (score, address) in top {
            let ids = match &mut columns[address.segment_ord as usize] {
                Some(ids) => ids,
                empty => {
                    let reader = searcher.segment_reader(address.segment_ord);
                    empty.insert(reader.fast_fields().u64("id").map_err(failed)?)
                }
            };
            let id = ids.first(address.doc_id).ok_or_else(|| {
                Diagnostic::internal(format!("search hit {address:?} has no note id"))
            })?;
            hits.push(Hit {
                id: id as usize,
                score,
            });
        }
        // Notes are indexed in order, so tantivy's ties (by document) are
        // already by note; sorted again in case segments ever split them.
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        Ok(Found {
            hits,
            total,
            every_word: true,
        })
    }

    /// One query word, looked up in every field with the field's boost.
    fn word_query(&self, word: &Resolved<'_>) -> Box<dyn Query> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |query: Box<dyn Query>, boost: f32| {
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        };
        if let Word::Phrase(terms) = word.word {
            for (field, (_, boost)) in self.fields.iter().zip(FIELDS) {
                let terms = terms
                    .iter()
                    .map(|(offset, t)| (*offset, Term::from_field_text(*field, t)))
                    .collect();
                add(Box::new(PhraseQuery::new_with_offset(terms)), boost);
            }
        }
        for (term, boost) in self.boosted_terms(word) {
            add(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                boost,
            );
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    /// What one word of a query of several words matches.
    fn alternatives(&self, word: &Resolved<'_>) -> Alternatives {
        match word.word {
            Word::Phrase(_) => Alternatives::Other(self.word_query(word)),
            _ => Alternatives::Terms(self.boosted_terms(word)),
        }
    }

    /// The word's terms in each field that has them, with the field's
    /// boost. Only the fields that have a term: a prefix can stand for 32
    /// terms, most in one field, and every term looked up costs a lookup
    /// and a table, whether it matches or not.
    fn boosted_terms(&self, word: &Resolved<'_>) -> Vec<(Term, f32)> {
        let mut terms = Vec::new();
        for term in &word.terms {
            for (i, (field, (_, boost))) in self.fields.iter().zip(FIELDS).enumerate() {
                if term.fields & (1 << i) != 0 {
                    terms.push((Term::from_field_text(*field, &term.text), boost));
                }
            }
        }
        terms
    }

    /// The terms a word being typed stands for: its own term, and the
    /// [`PREFIX_MAX_TERMS`] most frequent terms that start with `prefix`
    /// (notes summed over fields; ties in term order).
    fn expand(&self, term: &str, prefix: &str) -> Vec<Indexed> {
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        let mut found = self.terms_between(prefix.as_bytes(), &upper);
        // The term, stemmed, may sort before the prefix: `kubernete`.
        let own = found.remove(term).unwrap_or_else(|| self.lookup(term));
        let mut ranked: Vec<Indexed> = found.into_values().collect();
        ranked.sort_by(|a, b| b.notes.cmp(&a.notes).then_with(|| a.text.cmp(&b.text)));
        let mut terms = vec![own];
        terms.extend(ranked.into_iter().take(PREFIX_MAX_TERMS - 1));
        terms
    }

    /// The indexed terms from `lower` (included) to `upper` (excluded).
    fn terms_between(&self, lower: &[u8], upper: &[u8]) -> BTreeMap<String, Indexed> {
        let searcher = self.reader.searcher();
        let mut found: BTreeMap<String, Indexed> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            for (i, field) in self.fields.iter().enumerate() {
                let Ok(inverted) = segment.inverted_index(*field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().range().ge(lower).lt(upper).into_stream()
                else {
                    continue;
                };
                while stream.advance() {
                    let Ok(text) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    let notes = u64::from(stream.value().doc_freq);
                    found
                        .entry(text.to_string())
                        .or_insert_with_key(|text| Indexed::named(text))
                        .add(i, notes);
                }
            }
        }
        found
    }

    /// `term`, with the fields that have it.
    fn lookup(&self, term: &str) -> Indexed {
        let searcher = self.reader.searcher();
        let mut indexed = Indexed::named(term);
        for (i, field) in self.fields.iter().enumerate() {
            let notes = searcher.doc_freq(&Term::from_field_text(*field, term));
            indexed.add(i, notes.unwrap_or(0));
        }
        indexed
    }

    /// For each word of `query` (not phrases) that no note has, the nearest
    /// indexed term, if one is near enough (see [`suggest`]).
    pub fn suggestions(&self, query: &str) -> Vec<Suggestion> {
        self.suggest(query, &self.resolve(&query::parse(query)))
    }

    fn suggest(&self, query: &str, words: &[Resolved<'_>]) -> Vec<Suggestion> {
        let forms = analyze(query);
        words
            .iter()
            .filter_map(|resolved| {
                let term = match resolved.word {
                    Word::Exact(term) => term,
                    Word::Prefix { term, .. } if resolved.terms.len() == 1 => term,
                    Word::Prefix { .. } | Word::Phrase(_) => return None,
                };
                if resolved.terms.iter().any(|t| t.notes > 0) {
                    return None;
                }
                let folded = forms
                    .iter()
                    .find(|form| &form.text == term)
                    .map_or(term.as_str(), |form| form.folded.as_str());
                let first = term.chars().next()?;
                let next = char::from_u32(first as u32 + 1).unwrap_or(char::MAX);
                let candidates =
                    self.terms_between(first.to_string().as_bytes(), next.to_string().as_bytes());
                suggest::nearest(
                    folded,
                    term,
                    candidates
                        .iter()
                        .map(|(t, found)| (t.as_str(), found.notes)),
                )
            })
            .collect()
    }

    /// The tantivy index's reader.
    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The searched fields, in [`FIELDS`] order.
    pub(crate) fn fields(&self) -> &[Field; 6] {
        &self.fields
    }
}
