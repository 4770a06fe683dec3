//! What a note can link to by name, known before any markdown is rendered:
//! every talk (by slug, file stem and title) and every speaker, project,
//! tag and event (by the names notes' front matter write, a profile's
//! `name`, slug and `aliases`). [`wikilinks`] resolves `[[...]]` against
//! it; [`mentions`] finds the names of projects and speakers in prose;
//! [`changes`] tells which markdown a change of them affects.

pub mod changes;
pub mod mentions;
pub mod wikilinks;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::entity::EntityKind;
use crate::urls;
use mentions::Mentions;

/// A talk a wikilink can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkableTalk {
    /// Its note, relative to the site root.
    pub source: PathBuf,
    /// Its URL slug.
    pub slug: String,
    /// Its title.
    pub title: String,
}

/// An entity a wikilink or a mention can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkableEntity {
    /// Which kind.
    pub kind: EntityKind,
    /// Its URL slug.
    pub slug: String,
    /// The name its page shows.
    pub name: String,
    /// Every name it is written as: in notes' front matter, its profile's
    /// `name` and `aliases`; as written (mentions compare case).
    pub spellings: BTreeSet<String>,
    /// Its profile file, if any, relative to the site root.
    pub profile: Option<PathBuf>,
}

impl LinkableEntity {
    /// The site-relative URL of its page.
    pub fn url(&self) -> String {
        urls::entity(self.kind, &self.slug)
    }
}

/// What notes can link to by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linkable {
    talks: Vec<LinkableTalk>,
    entities: Vec<LinkableEntity>,
    /// Talk slugs and file stems (as slugs) → talks.
    by_slug: HashMap<String, Vec<usize>>,
    /// Talk titles (as slugs) → talks.
    by_title: HashMap<String, Vec<usize>>,
    /// Entity slugs and spellings (as slugs) → entities.
    by_name: HashMap<String, Vec<usize>>,
    /// The names prose mentions.
    mentions: Mentions,
}

/// What finds mentions: whether to, and the names never to link.
#[derive(Debug, Clone, Copy)]
pub struct MentionRules<'a> {
    /// `[links] mentions`.
    pub enabled: bool,
    /// `[links] mentions-exclude`.
    pub exclude: &'a [String],
}

impl Linkable {
    /// What `talks` and `entities` (each with its spellings) make linkable;
    /// mentions follow `rules`.
    pub fn new(
        talks: Vec<LinkableTalk>,
        entities: Vec<LinkableEntity>,
        rules: MentionRules<'_>,
    ) -> Linkable {
        let mut by_slug: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, talk) in talks.iter().enumerate() {
            for key in BTreeSet::from([talk.slug.clone(), stem_slug(talk)]) {
                add(&mut by_slug, key, i);
            }
            add(&mut by_title, urls::slugify(&talk.title), i);
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, entity) in entities.iter().enumerate() {
            let spellings = entity.spellings.iter().map(|s| urls::slugify(s));
            let keys: BTreeSet<String> = spellings.chain([entity.slug.clone()]).collect();
            for key in keys {
                add(&mut by_name, key, i);
            }
        }
        let mentions = Mentions::new(&entities, rules);
        Linkable {
            talks,
            entities,
            by_slug,
            by_title,
            by_name,
            mentions,
        }
    }

    /// Gives the talk whose note is `source` the title `title`: the same
    /// as [`Linkable::new`] with the new title. The keys (as slugs) of the
    /// wikilinks that may now lead elsewhere or show other text: the old and
    /// the new title, the talk's slug and file stem; `None` if no talk has
    /// that note.
    pub fn retitle(&mut self, source: &Path, title: &str) -> Option<BTreeSet<String>> {
        let i = self.talks.iter().position(|talk| talk.source == source)?;
        let talk = &mut self.talks[i];
        let old = urls::slugify(&talk.title);
        let new = urls::slugify(title);
        talk.title = title.to_string();
        let stem = stem_slug(talk);
        let keys = BTreeSet::from([old.clone(), new.clone(), talk.slug.clone(), stem]);
        if old != new {
            if let Some(ids) = self.by_title.get_mut(&old) {
                ids.retain(|&id| id != i);
                if ids.is_empty() {
                    self.by_title.remove(&old);
                }
            }
            if !new.is_empty() {
                let ids = self.by_title.entry(new).or_default();
                let at = ids.partition_point(|&id| id < i);
                ids.insert(at, i);
            }
        }
        Some(keys)
    }

    /// The entity of `kind` whose slug is `slug`.
    pub fn entity_with_slug(&self, kind: EntityKind, slug: &str) -> Option<&LinkableEntity> {
        let ids = self.by_name.get(slug).map_or(&[][..], Vec::as_slice);
        ids.iter()
            .map(|&i| &self.entities[i])
            .find(|e| e.kind == kind && e.slug == slug)
    }

    /// The entity at `index` (from a resolution or a mention).
    pub fn entity(&self, index: usize) -> &LinkableEntity {
        &self.entities[index]
    }

    /// The names prose mentions.
    pub fn mentions(&self) -> &Mentions {
        &self.mentions
    }
}

/// The file stem of a talk's note, as a slug.
fn stem_slug(talk: &LinkableTalk) -> String {
    talk.source
        .file_stem()
        .map(|s| urls::slugify(&s.to_string_lossy()))
        .unwrap_or_default()
}

/// Adds `i` to the list at `key`, unless the key is empty.
fn add(map: &mut HashMap<String, Vec<usize>>, key: String, i: usize) {
    if !key.is_empty() {
        map.entry(key).or_default().push(i);
    }
}
