//! Full-text search: one tantivy index, read by the browser (through the
//! static export in [`export`]), the live server and `talkbook search`.
//!
//! Every query word is looked up in six fields, each with a boost: a word in
//! a title counts three times one in the body. All three readers rank with
//! tantivy's BM25 (k1 = 1.2, b = 0.75) over the same terms, so they agree.

pub mod analyzer;
pub mod export;
pub mod query;

use std::collections::BTreeMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use crate::content::when::When;
use crate::diagnostics::Diagnostic;
use crate::documents::Talk;
use crate::entity::EntityKind;
use crate::files::Files;
use crate::ids::TalkId;
use crate::site::Site;
use analyzer::{TOKENIZER, TalkbookTokenizer};
use query::{PREFIX_MAX_TERMS, Word};

/// The searched fields and their boosts, in the order of the static export.
pub const FIELDS: [(&str, f32); 6] = [
    ("title", 3.0),
    ("speakers", 2.0),
    ("projects", 2.0),
    ("tags", 1.5),
    ("event", 1.0),
    ("body", 1.0),
];
/// How much of a note's text the browser gets for result excerpts.
pub const EXCERPT_SOURCE_CHARS: usize = 1200;

/// What a result shows, per note.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    /// The talk's title.
    pub title: String,
    /// Site-relative URL (`talks/x/`).
    pub url: String,
    /// Speakers' names.
    pub speakers: Vec<String>,
    /// The event's name.
    pub event: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The start of the note's text, for excerpts.
    pub text: String,
    /// Slugs of the note's speakers, projects, tags and event, for filters.
    pub facets: BTreeMap<EntityKind, Vec<String>>,
}

/// A result as `talkbook search` and the server's `/api/search` report it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResult {
    /// The talk's title.
    pub title: String,
    /// The page's path: `/talks/<slug>/`.
    pub url: String,
    /// BM25 score.
    pub score: f32,
    /// Speakers' names.
    pub speakers: Vec<String>,
    /// The event's name.
    pub event: Option<String>,
}

/// One ranked result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The talk's index in the site's notes.
    pub id: usize,
    /// BM25 score.
    pub score: f32,
}

/// One page of a query's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The results asked for, best first.
    pub hits: Vec<Hit>,
    /// How many notes match in all.
    pub total: usize,
    /// True if the notes have every word of the query; false if no note
    /// had, and these have any word.
    pub every_word: bool,
}

impl Default for Found {
    fn default() -> Self {
        Found {
            hits: Vec::new(),
            total: 0,
            every_word: true,
        }
    }
}

/// What `talkbook search --json` prints and `/api/search` answers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Answer {
    /// How many notes match in all.
    pub total: usize,
    /// True if the results have every word of the query; false if no note
    /// had, and these have any word.
    pub every_word: bool,
    /// The results asked for, best first.
    pub results: Vec<SearchResult>,
}

/// The search index of a site.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: [Field; 6],
    docs: Vec<DocInfo>,
    /// Display names of facet values, by kind and slug.
    facet_names: BTreeMap<(EntityKind, String), String>,
}

/// What the index is made from, copied out of a site so that it can be
/// indexed on another thread (by `talkbook serve`) while the site changes.
pub struct SearchInput {
    docs: Vec<DocInfo>,
    texts: Vec<[String; 6]>,
    facet_names: BTreeMap<(EntityKind, String), String>,
}

impl SearchInput {
    /// A copy of what `site`'s index needs, to index it on another thread
    /// while the site changes (as [`SearchIndex::build`] would).
    pub fn of(site: &Site) -> SearchInput {
        SearchInput {
            docs: site.notes().ids().map(|id| doc_info(site, id)).collect(),
            texts: site.notes().ids().map(|id| field_texts(site, id)).collect(),
            facet_names: facet_names(site),
        }
    }
}

/// `index` with its static files (under [`export::SEARCH_DIR`]): what
/// `build` writes and `serve` serves.
pub fn with_files(index: SearchIndex) -> Result<(SearchIndex, Files), Diagnostic> {
    let files = export::export(&index)?;
    Ok((index, files))
}

impl SearchIndex {
    /// Indexes every note of `site`, reading its texts in place.
    pub fn build(site: &Site) -> Result<SearchIndex, Diagnostic> {
        let docs = site.notes().ids().map(|id| doc_info(site, id)).collect();
        let texts = site.notes().ids().map(|id| field_texts(site, id));
        Self::make(docs, texts, facet_names(site))
    }

    /// Indexes a copy of a site's notes.
    pub fn from_input(input: SearchInput) -> Result<SearchIndex, Diagnostic> {
        Self::make(input.docs, input.texts.into_iter(), input.facet_names)
    }

    fn make(
        docs: Vec<DocInfo>,
        texts: impl Iterator<Item = [String; 6]>,
        facet_names: BTreeMap<(EntityKind, String), String>,
    ) -> Result<SearchIndex, Diagnostic> {
        Self::try_make(docs, texts, facet_names)
            .map_err(|err| Diagnostic::internal(format!("cannot build the search index: {err}")))
    }

    fn try_make(
        docs: Vec<DocInfo>,
        texts: impl Iterator<Item = [String; 6]>,
        facet_names: BTreeMap<(EntityKind, String), String>,
    ) -> tantivy::Result<SearchIndex> {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = FIELDS.map(|(name, _)| schema.add_text_field(name, text.clone()));
        let id_field = schema.add_u64_field("id", NumericOptions::default().set_fast());
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(TOKENIZER, TalkbookTokenizer);
        // One thread, one segment: the static export reads it directly.
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 1_000_000_000)?;
        for (id, field_texts) in texts.enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_u64(id_field, id as u64);
            for (field, text) in fields.iter().zip(field_texts) {
                doc.add_text(*field, text);
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            docs,
            facet_names,
        })
    }

    /// Results `offset..offset + limit` of `query`, ready to print or
    /// serve, with how many there are in all.
    pub fn answer(&self, query: &str, offset: usize, limit: usize) -> Result<Answer, Diagnostic> {
        let found = self.find(query, offset, limit)?;
        let results = found
            .hits
            .iter()
            .map(|hit| {
                let doc = &self.docs[hit.id];
                SearchResult {
                    title: doc.title.clone(),
                    url: format!("/{}", doc.url),
                    score: hit.score,
                    speakers: doc.speakers.clone(),
                    event: doc.event.clone(),
                }
            })
            .collect();
        Ok(Answer {
            total: found.total,
            every_word: found.every_word,
            results,
        })
    }

    /// The display data of note `id`.
    pub fn doc(&self, id: usize) -> &DocInfo {
        &self.docs[id]
    }

    /// Every note matching `query`, best first (ties by note order). An
    /// error is a bug in talkbook: the index is always made by it.
    pub fn search(&self, query: &str) -> Result<Vec<Hit>, Diagnostic> {
        Ok(self.find(query, 0, self.len())?.hits)
    }

    /// Results `offset..offset + limit` of `query`, best first (ties by
    /// note order), and how many notes match: only the results asked for
    /// are collected, the others only counted. Every word must match; if
    /// no note has every word, any word does.
    pub fn find(&self, query: &str, offset: usize, limit: usize) -> Result<Found, Diagnostic> {
        let words = query::parse(query);
        let clauses: Vec<Box<dyn Query>> = words.iter().map(|w| self.word_query(w)).collect();
        if clauses.is_empty() {
            return Ok(Found::default());
        }
        let found = self.run(&clauses, Occur::Must, offset, limit)?;
        if found.total == 0 && clauses.len() > 1 {
            let any = self.run(&clauses, Occur::Should, offset, limit)?;
            return Ok(Found {
                every_word: false,
                ..any
            });
        }
        Ok(found)
    }

    fn run(
        &self,
        clauses: &[Box<dyn Query>],
        occur: Occur,
        offset: usize,
        limit: usize,
    ) -> Result<Found, Diagnostic> {
        let failed = |err: tantivy::TantivyError| {
            Diagnostic::internal(format!("searching the index failed: {err}"))
        };
        let query = BooleanQuery::new(clauses.iter().map(|c| (occur, c.box_clone())).collect());
        let searcher = self.reader.searcher();
        // TopDocs makes room for offset + limit: no more than the notes.
        let offset = offset.min(self.len());
        let limit = limit.min(self.len() - offset);
        // It wants at least one; the extra one is dropped below.
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .order_by_score();
        let (total, top) = searcher.search(&query, &(Count, top)).map_err(failed)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top.into_iter().take(limit) {
            let reader = searcher.segment_reader(address.segment_ord);
            let ids = reader.fast_fields().u64("id").map_err(failed)?;
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
    fn word_query(&self, word: &Word) -> Box<dyn Query> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |query: Box<dyn Query>, boost: f32| {
            alternatives.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        };
        match word {
            Word::Exact(term) => {
                for (field, (_, boost)) in self.fields.iter().zip(FIELDS) {
                    add(Box::new(self.term_query(*field, term)), boost);
                }
            }
            Word::Prefix { term, prefix } => {
                for expanded in self.expand(term, prefix) {
                    for (field, (_, boost)) in self.fields.iter().zip(FIELDS) {
                        add(Box::new(self.term_query(*field, &expanded)), boost);
                    }
                }
            }
            Word::Phrase(terms) => {
                for (field, (_, boost)) in self.fields.iter().zip(FIELDS) {
                    let terms = terms
                        .iter()
                        .map(|(offset, t)| (*offset, Term::from_field_text(*field, t)))
                        .collect();
                    add(Box::new(PhraseQuery::new_with_offset(terms)), boost);
                }
            }
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    fn term_query(&self, field: Field, term: &str) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        )
    }

    /// The terms a word being typed stands for: its own term, and the
    /// [`PREFIX_MAX_TERMS`] most frequent terms that start with `prefix`
    /// (document frequency summed over fields; ties in term order).
    pub fn expand(&self, term: &str, prefix: &str) -> Vec<String> {
        let searcher = self.reader.searcher();
        let mut frequency: BTreeMap<String, u64> = BTreeMap::new();
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        for segment in searcher.segment_readers() {
            for field in self.fields {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .lt(&upper)
                    .into_stream()
                else {
                    continue;
                };
                while stream.advance() {
                    let Ok(text) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    *frequency.entry(text.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut ranked: Vec<(String, u64)> =
            frequency.into_iter().filter(|(t, _)| t != term).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut terms = vec![term.to_string()];
        terms.extend(
            ranked
                .into_iter()
                .take(PREFIX_MAX_TERMS - 1)
                .map(|(t, _)| t),
        );
        terms
    }

    /// The tantivy index, for the static export.
    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The searched fields, in [`FIELDS`] order.
    pub(crate) fn fields(&self) -> &[Field; 6] {
        &self.fields
    }

    /// Display data of every note, by note index.
    pub(crate) fn docs(&self) -> &[DocInfo] {
        &self.docs
    }

    /// Display names of facet values, by kind and slug.
    pub(crate) fn facet_names(&self) -> &BTreeMap<(EntityKind, String), String> {
        &self.facet_names
    }

    /// Number of indexed notes.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when the site has no notes.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }
}

/// Display names of every speaker, project, tag and event, by kind and slug.
fn facet_names(site: &Site) -> BTreeMap<(EntityKind, String), String> {
    site.graph
        .entities
        .iter()
        .map(|(key, entity)| (key.clone(), entity.name.clone()))
        .collect()
}

/// The text of each of [`FIELDS`] for note `id`.
fn field_texts(site: &Site, id: TalkId) -> [String; 6] {
    let note = &site.talks[id].note;
    let speakers = note
        .speakers
        .iter()
        .flat_map(|s| [Some(&s.name), s.role.as_ref(), s.affiliation.as_ref()])
        .flatten()
        .map(String::as_str);
    let facet = |kind: EntityKind, written: Vec<&str>| -> String {
        let others = other_names(site, id, kind, &written);
        written
            .into_iter()
            .chain(others)
            .collect::<Vec<_>>()
            .join("\n")
    };
    [
        note.title.clone(),
        facet(EntityKind::Speaker, speakers.collect()),
        facet(EntityKind::Project, strs(&note.projects)),
        facet(EntityKind::Tag, strs(&note.tags)),
        facet(
            EntityKind::Event,
            note.event.iter().map(String::as_str).collect(),
        ),
        site.talks[id].body.text.clone(),
    ]
}

/// `names` as `&str`s.
fn strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// The names of the `kind` entities talk `id` names that `written` (the
/// note's own words) lacks: the name their pages show and their profiles'
/// aliases, so that searching for any name of an entity finds its talks.
fn other_names<'a>(site: &'a Site, id: TalkId, kind: EntityKind, written: &[&str]) -> Vec<&'a str> {
    let mut others: Vec<&str> = Vec::new();
    for slug in site.graph.talk_entities(id, kind) {
        let Some(entity) = site.graph.entity(kind, slug) else {
            continue;
        };
        let aliases = entity
            .profile
            .map_or(&[][..], |p| site.profiles[p].profile.aliases.as_slice());
        for name in std::iter::once(&entity.name).chain(aliases) {
            if !written.contains(&name.as_str()) && !others.contains(&name.as_str()) {
                others.push(name);
            }
        }
    }
    others
}

fn doc_info(site: &Site, id: TalkId) -> DocInfo {
    let Talk { note, body } = &site.talks[id];
    let links = &site.graph.talks[id];
    let text = &body.text;
    let cut = text
        .char_indices()
        .nth(EXCERPT_SOURCE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let facets = EntityKind::ALL
        .into_iter()
        .map(|kind| {
            (
                kind,
                site.graph
                    .talk_entities(id, kind)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            )
        })
        .collect();
    DocInfo {
        title: note.title.clone(),
        url: site.talk_url(id),
        speakers: site.graph.speaker_names(id).to_vec(),
        event: links
            .event
            .as_deref()
            .and_then(|slug| site.graph.entity(EntityKind::Event, slug))
            .map(|e| e.name.clone()),
        date: note.date.as_ref().map(When::day_iso),
        text: text[..cut].split_whitespace().collect::<Vec<_>>().join(" "),
        facets,
    }
}
