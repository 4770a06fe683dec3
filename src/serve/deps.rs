//! What each page depends on, as one fingerprint per page: after an edit,
//! the pages whose fingerprint changed are exactly the pages to render again.
//!
//! A page's fingerprint hashes the data its template context reads (see
//! `render.rs`, and keep the two in step): a talk page hashes its note and
//! rendered body, the names of the entities it links, and the cards of its
//! related talks and backlinks; an entity page hashes the entity and its
//! talks' cards; the home page the events, projects and latest talks it
//! lists; and so on. So a body edit that changes nothing other pages show
//! renders one page again, and a title edit every page that lists the talk.
//! Templates and `book.toml` are in no fingerprint: a change to them renders
//! every page.
//!
//! The structs are taken apart field by field, so that a field added to a
//! note, entity or profile fails to compile here until it is accounted for.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{Note, Profile, Speaker};
use crate::entity::EntityKind;
use crate::graph::{Entity, TalkId, TalkLinks};
use crate::markdown::{Rendered, TocEntry};
use crate::render::{self, HOME_PROJECTS, HOME_TALKS_PER_EVENT, LATEST, Page};
use crate::site::Site;

/// One page: what it is, its site-relative URL and its fingerprint.
pub struct PageFingerprint {
    /// The page.
    pub page: Page,
    /// Its URL (`talks/x/`).
    pub url: String,
    /// The hash of everything it shows.
    pub fingerprint: u64,
}

/// The fingerprints of notes and their rendered bodies, by source path:
/// hashing a body is the costly part, so each is hashed once per version.
#[derive(Debug, Default)]
pub struct NoteHashes(HashMap<PathBuf, u64>);

impl NoteHashes {
    /// Drops the hash of the note at `source`, which changed.
    pub fn forget(&mut self, source: &Path) {
        self.0.remove(source);
    }

    /// The hash of every note of `site`, by talk id; hashes the new ones.
    pub fn of_all(&mut self, site: &Site) -> Vec<u64> {
        let missing: Vec<(PathBuf, u64)> = site
            .notes
            .par_iter()
            .zip(&site.bodies)
            .filter(|(note, _)| !self.0.contains_key(&note.source))
            .map(|(note, body)| (note.source.clone(), note_hash(note, body)))
            .collect();
        self.0.extend(missing);
        site.notes.iter().map(|n| self.0[&n.source]).collect()
    }
}

/// Every page of `site` with its fingerprint; `notes` from [`NoteHashes::of_all`].
pub fn fingerprints(site: &Site, notes: &[u64]) -> Vec<PageFingerprint> {
    let shown = Shown::new(site);
    let pages = render::pages(site);
    let sitemap = sitemap_hash(site, &pages);
    pages
        .into_par_iter()
        .map(|page| {
            let fingerprint = match &page {
                Page::Talk(id) => talk_page(site, *id, notes[*id], &shown),
                Page::Entity(kind, slug) => site
                    .graph
                    .entity(*kind, slug)
                    .map_or(0, |e| entity_page(site, e, &shown)),
                Page::EntityFeed(kind, slug) => site
                    .graph
                    .entity(*kind, slug)
                    .map_or(0, |e| entity_feed(e, &shown)),
                Page::EntityIndex(kind) => entity_index(site, *kind),
                Page::Home => home(site, &shown),
                Page::SiteFeed => site_feed(site, &shown),
                Page::Sitemap => sitemap,
                // Made from the configuration alone.
                Page::NotFound | Page::Search => 0,
            };
            PageFingerprint {
                url: page.url(site),
                page,
                fingerprint,
            }
        })
        .collect()
}

/// What other pages show of each talk, hashed, by talk id.
struct Shown {
    /// A talk's card in lists: title, URL, date, event, speakers, summary.
    cards: Vec<u64>,
    /// A talk's feed entry: title, URL, date, summary, speakers, tags.
    entries: Vec<u64>,
}

impl Shown {
    fn new(site: &Site) -> Shown {
        let (cards, entries) = (0..site.notes.len())
            .into_par_iter()
            .map(|id| (card(site, id), entry(site, id)))
            .unzip();
        Shown { cards, entries }
    }

    fn cards(&self, ids: &[TalkId], hasher: &mut DefaultHasher) {
        ids.len().hash(hasher);
        ids.iter().for_each(|&id| self.cards[id].hash(hasher));
    }

    fn entries(&self, ids: &[TalkId], hasher: &mut DefaultHasher) {
        let ids = &ids[..ids.len().min(LATEST)];
        ids.iter().for_each(|&id| self.entries[id].hash(hasher));
    }
}

/// Everything a talk's own page shows of its note.
fn note_hash(note: &Note, body: &Rendered) -> u64 {
    let Note {
        source,
        slug,
        title,
        date,
        event,
        speakers,
        projects,
        tags,
        slides,
        video,
        authors,
        summary,
        draft,
        extra,
        body: _,
        body_line: _,
    } = note;
    let Rendered {
        html,
        toc,
        excerpt,
        anchors: _,
        links: _,
        text: _,
        problems: _,
    } = body;
    let mut h = DefaultHasher::new();
    (source, slug, title, date, event, projects, tags).hash(&mut h);
    (slides, video, authors, summary, draft).hash(&mut h);
    for Speaker {
        name,
        affiliation,
        role,
        url,
    } in speakers
    {
        (name, affiliation, role, url).hash(&mut h);
    }
    serde_json::to_string(extra).ok().hash(&mut h);
    (html, excerpt).hash(&mut h);
    for TocEntry { level, id, title } in toc {
        (level, id, title).hash(&mut h);
    }
    h.finish()
}

/// The name of the `kind` entity `slug`, as links to it show it.
fn entity_name<'a>(site: &'a Site, kind: EntityKind, slug: &str) -> Option<&'a str> {
    site.graph.entity(kind, slug).map(|e| e.name.as_str())
}

/// The summary lists show: the note's own, else its excerpt.
fn summary(site: &Site, id: TalkId) -> &str {
    let note = &site.notes[id];
    note.summary.as_deref().unwrap_or(&site.bodies[id].excerpt)
}

fn card(site: &Site, id: TalkId) -> u64 {
    let note = &site.notes[id];
    let event = site.graph.talks[id]
        .event
        .as_deref()
        .and_then(|slug| entity_name(site, EntityKind::Event, slug));
    let mut h = DefaultHasher::new();
    (&note.title, &note.slug, note.date, event, summary(site, id)).hash(&mut h);
    note.speakers.iter().for_each(|s| s.name.hash(&mut h));
    h.finish()
}

fn entry(site: &Site, id: TalkId) -> u64 {
    let note = &site.notes[id];
    let mut h = DefaultHasher::new();
    (
        &note.title,
        &note.slug,
        note.date,
        summary(site, id),
        &note.tags,
    )
        .hash(&mut h);
    note.speakers.iter().for_each(|s| s.name.hash(&mut h));
    h.finish()
}

fn talk_page(site: &Site, id: TalkId, note: u64, shown: &Shown) -> u64 {
    let TalkLinks {
        speakers,
        projects,
        tags,
        event,
        related,
        linked_from,
    } = &site.graph.talks[id];
    let mut h = DefaultHasher::new();
    (note, speakers).hash(&mut h);
    let named = [
        (EntityKind::Project, projects.as_slice()),
        (EntityKind::Tag, tags.as_slice()),
        (EntityKind::Event, event.as_slice()),
    ];
    for (kind, slugs) in named {
        for slug in slugs {
            (slug, entity_name(site, kind, slug)).hash(&mut h);
        }
        0xff_u8.hash(&mut h);
    }
    shown.cards(related, &mut h);
    shown.cards(linked_from, &mut h);
    h.finish()
}

/// An entity as its own page and its index show it (not its talks).
fn entity_hash(site: &Site, entity: &Entity, h: &mut DefaultHasher) {
    let Entity {
        kind,
        slug,
        name,
        talks,
        affiliation,
        profile,
    } = entity;
    (kind, slug, name, talks.len(), affiliation).hash(h);
    if let Some(index) = profile {
        profile_hash(&site.profiles[*index], &site.profile_bodies[*index], h);
    }
}

fn profile_hash(profile: &Profile, body: &Rendered, h: &mut DefaultHasher) {
    let Profile {
        kind,
        slug,
        source,
        name,
        data,
        body: _,
        body_line: _,
    } = profile;
    (kind, slug, source, name, &body.html).hash(h);
    serde_json::to_string(data).ok().hash(h);
}

fn entity_page(site: &Site, entity: &Entity, shown: &Shown) -> u64 {
    let mut h = DefaultHasher::new();
    entity_hash(site, entity, &mut h);
    shown.cards(&entity.talks, &mut h);
    h.finish()
}

fn entity_feed(entity: &Entity, shown: &Shown) -> u64 {
    let mut h = DefaultHasher::new();
    (entity.kind, &entity.slug, &entity.name).hash(&mut h);
    shown.entries(&entity.talks, &mut h);
    h.finish()
}

/// Index pages list every entity of their kind, in [`render::sorted_entities`] order.
fn entity_index(site: &Site, kind: EntityKind) -> u64 {
    let mut h = DefaultHasher::new();
    for entity in render::sorted_entities(site, kind) {
        (
            &entity.slug,
            &entity.name,
            entity.talks.len(),
            &entity.affiliation,
        )
            .hash(&mut h);
    }
    h.finish()
}

fn home(site: &Site, shown: &Shown) -> u64 {
    let mut h = DefaultHasher::new();
    for event in render::sorted_entities(site, EntityKind::Event) {
        (&event.slug, &event.name, event.talks.len()).hash(&mut h);
        let talks = &event.talks[..event.talks.len().min(HOME_TALKS_PER_EVENT)];
        shown.cards(talks, &mut h);
    }
    let projects = render::sorted_entities(site, EntityKind::Project);
    for project in projects.iter().take(HOME_PROJECTS) {
        (&project.slug, &project.name, project.talks.len()).hash(&mut h);
    }
    let newest = &site.graph.newest_first;
    shown.cards(&newest[..newest.len().min(LATEST)], &mut h);
    site.notes.len().hash(&mut h);
    for kind in EntityKind::ALL {
        site.graph.of_kind(kind).count().hash(&mut h);
    }
    h.finish()
}

fn site_feed(site: &Site, shown: &Shown) -> u64 {
    let mut h = DefaultHasher::new();
    shown.entries(&site.graph.newest_first, &mut h);
    h.finish()
}

/// The sitemap lists every page, with talks' dates.
fn sitemap_hash(site: &Site, pages: &[Page]) -> u64 {
    let mut h = DefaultHasher::new();
    for page in pages {
        page.url(site).hash(&mut h);
        if let Page::Talk(id) = page {
            site.notes[*id].date.hash(&mut h);
        }
    }
    h.finish()
}
