//! Full-text search: one tantivy index, read by the browser (through the
//! static export in [`export`]), the live server and `talkbook search`.
//!
//! Every query word is looked up in six fields, each with a boost: a word in
//! a title counts three times one in the body. All three readers rank with
//! tantivy's BM25 (k1 = 1.2, b = 0.75) over the same terms, so they agree.

pub mod analyzer;
pub mod every_word;
pub mod excerpt;
pub mod export;
pub mod first_results;
pub mod query;
pub mod saved;
pub mod searcher;
pub mod stamp;
pub mod suggest;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::directory::RamDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexSettings, TantivyDocument};

use crate::content::when::When;
use crate::diagnostics::Diagnostic;
use crate::documents::Talk;
use crate::entity::EntityKind;
use crate::files::Files;
use crate::ids::TalkId;
use crate::site::Site;
use analyzer::{TOKENIZER, TalkbookTokenizer};
use first_results::FirstResults;
use searcher::Searcher;

/// The searched fields and their boosts, in the order of the static export.
pub const FIELDS: [(&str, f32); 6] = [
    ("title", 3.0),
    ("speakers", 2.0),
    ("projects", 2.0),
    ("tags", 1.5),
    ("event", 1.0),
    ("body", 1.0),
];

/// The memory the indexer fills before it writes a segment: a 100,000-note
/// site would need about 1 GB to make one segment in one go.
const INDEXING_MEMORY: usize = 256 * 1024 * 1024;

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
    /// The note's text, for excerpts (shared with the site's).
    pub text: Arc<str>,
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
    /// The passage of the note's text that matched (see [`excerpt`]).
    pub excerpt: Vec<excerpt::Piece>,
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
    /// For each word no note has, the nearest term some notes have.
    pub suggestions: Vec<suggest::Suggestion>,
}

/// The search index of a site.
pub struct SearchIndex {
    searcher: Searcher,
    /// The index's files as tantivy wrote them (footers and all), shared
    /// with the index, not copied.
    files: RamDirectory,
    docs: Vec<DocInfo>,
    /// Display names of facet values, by kind and slug.
    facet_names: BTreeMap<(EntityKind, String), String>,
}

/// What the index is made from, copied out of a site so that it can be
/// indexed on another thread (by `talkbook serve`) while the site changes.
pub struct SearchInput {
    docs: Vec<DocInfo>,
    texts: Vec<[Arc<str>; 6]>,
    facet_names: BTreeMap<(EntityKind, String), String>,
}

impl SearchInput {
    /// A copy of what `site`'s index needs, to index it on another thread
    /// while the site changes (as [`SearchIndex::build`] would).
    ///
    /// `serve` takes it between two edits, so it is quick: the notes' texts
    /// are shared, not copied, and the notes are read in parallel (at
    /// 100,000 notes a copy took 1.7-5.8 s, while the next edit waited;
    /// now 0.7-1.1 s).
    pub fn of(site: &Site) -> SearchInput {
        let ids: Vec<TalkId> = site.notes().ids().collect();
        SearchInput {
            docs: ids.par_iter().map(|&id| doc_info(site, id)).collect(),
            texts: ids.par_iter().map(|&id| field_texts(site, id)).collect(),
            facet_names: facet_names(site),
        }
    }
}

/// `index` with its static files (under [`export::SEARCH_DIR`]): what
/// `build` writes and `serve` serves. The index then answers the first
/// pages of frequent words being typed as the files rank them.
pub fn with_files(index: SearchIndex) -> Result<(SearchIndex, Files), Diagnostic> {
    let (files, first) = export::export(&index)?;
    Ok((index.with_first_results(first), files))
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
        texts: impl Iterator<Item = [Arc<str>; 6]>,
        facet_names: BTreeMap<(EntityKind, String), String>,
    ) -> Result<SearchIndex, Diagnostic> {
        Self::try_make(docs, texts, facet_names)
            .map_err(|err| Diagnostic::internal(format!("cannot build the search index: {err}")))
    }

    fn try_make(
        docs: Vec<DocInfo>,
        texts: impl Iterator<Item = [Arc<str>; 6]>,
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
        let files = RamDirectory::create();
        let index = Index::create(files.clone(), schema.build(), IndexSettings::default())?;
        index.tokenizers().register(TOKENIZER, TalkbookTokenizer);
        // One thread; its segments are merged into one at the end, which
        // the static export reads directly.
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, INDEXING_MEMORY)?;
        for (id, field_texts) in texts.enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_u64(id_field, id as u64);
            for (field, text) in fields.iter().zip(field_texts) {
                doc.add_text(*field, &*text);
            }
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        Ok(SearchIndex {
            searcher: Searcher::new(index)?,
            files,
            docs,
            facet_names,
        })
    }

    /// Results `offset..offset + limit` of `query`, ready to print or
    /// serve, with how many there are in all.
    pub fn answer(&self, query: &str, offset: usize, limit: usize) -> Result<Answer, Diagnostic> {
        let matcher = excerpt::Matcher::new(&query::parse(query));
        self.searcher.answer(query, offset, limit, |hit| {
            let doc = &self.docs[hit.id];
            Ok(SearchResult {
                title: doc.title.clone(),
                url: format!("/{}", doc.url),
                score: hit.score,
                speakers: doc.speakers.clone(),
                event: doc.event.clone(),
                excerpt: excerpt::excerpt(&doc.text, &matcher),
            })
        })
    }

    /// This index, answering the first pages of frequent words being typed
    /// from `first`: the rankings of its static export's prefix heads.
    pub fn with_first_results(mut self, first: FirstResults) -> SearchIndex {
        self.searcher.set_first_results(first);
        self
    }

    /// The display data of note `id`.
    pub fn doc(&self, id: usize) -> &DocInfo {
        &self.docs[id]
    }

    /// Every note matching `query`, best first (ties by note order). An
    /// error is a bug in talkbook: the index is always made by it.
    pub fn search(&self, query: &str) -> Result<Vec<Hit>, Diagnostic> {
        Ok(self.searcher.find(query, 0, self.len())?.hits)
    }

    /// How queries are ranked over this index.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The tantivy index, for the static export.
    pub(crate) fn reader(&self) -> &IndexReader {
        self.searcher.reader()
    }

    /// The searched fields, in [`FIELDS`] order.
    pub(crate) fn fields(&self) -> &[Field; 6] {
        self.searcher.fields()
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

    /// The tantivy index's files, as tantivy wrote them.
    pub(crate) fn files(&self) -> &RamDirectory {
        &self.files
    }
}

/// Display names of every speaker, project, tag and event, by kind and slug.
fn facet_names(site: &Site) -> BTreeMap<(EntityKind, String), String> {
    site.graph
        .entities()
        .iter()
        .map(|(key, entity)| (key.clone(), entity.name.clone()))
        .collect()
}

/// The text of each of [`FIELDS`] for note `id`.
fn field_texts(site: &Site, id: TalkId) -> [Arc<str>; 6] {
    let note = &site.talks[id].note;
    let speakers = note
        .speakers
        .iter()
        .flat_map(|s| [Some(&s.name), s.role.as_ref(), s.affiliation.as_ref()])
        .flatten()
        .map(String::as_str);
    let facet = |kind: EntityKind, written: Vec<&str>| -> Arc<str> {
        let others = other_names(site, id, kind, &written);
        let names: Vec<&str> = written.into_iter().chain(others).collect();
        Arc::from(names.join("\n"))
    };
    [
        Arc::from(note.title.as_str()),
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
        text: body.text.clone(),
        facets,
    }
}
