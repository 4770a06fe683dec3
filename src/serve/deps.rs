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
//! Other pages see a note only through its card and feed entry
//! ([`NoteHash::shown_elsewhere`]) and through the graph. So when an edit
//! changed neither of those for any note, nor the graph, nor a profile, no
//! other page's fingerprint can have changed, and only the edited notes'
//! own pages need fingerprints ([`talk_fingerprints`]): that is what keeps
//! a body edit in a big site cheap.
//!
//! The structs are taken apart field by field, so that a field added to a
//! note, entity or profile fails to compile here until it is accounted for.

use std::collections::HashMap;
use std::ffi::OsString;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::content::{Note, Profile, Speaker};
use crate::entity::EntityKind;
use crate::graph::{Entity, TalkLinks};
use crate::ids::TalkId;
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

/// What a note shows, hashed: on its own page, and (without what the
/// graph adds) in lists and in feeds.
#[derive(Debug, Clone, Copy)]
pub struct NoteHash {
    page: u64,
    card: u64,
    entry: u64,
}

impl NoteHash {
    /// The hash of what pages other than the note's own show of it (its
    /// card and feed entry).
    pub fn shown_elsewhere(&self) -> (u64, u64) {
        (self.card, self.entry)
    }

    fn of(note: &Note, body: &Rendered) -> NoteHash {
        let summary = note.summary.as_deref().unwrap_or(&body.excerpt);
        let speakers: Vec<&str> = note.speakers.iter().map(|s| s.name.as_str()).collect();
        let mut card = DefaultHasher::new();
        (&note.title, &note.slug, note.date, summary, &speakers).hash(&mut card);
        let mut entry = card.clone();
        note.tags.hash(&mut entry);
        NoteHash {
            page: note_page_hash(note, body),
            card: card.finish(),
            entry: entry.finish(),
        }
    }
}

/// The [`NoteHash`] of each note, by source path: hashing a body is the
/// costly part, so each version of a note is hashed once. (Keyed by the
/// path's bytes: a source path is always spelled the same, and hashing a
/// `Path` component by component is slow.)
#[derive(Debug, Default)]
pub struct NoteHashes(HashMap<OsString, NoteHash>);

impl NoteHashes {
    /// Takes out the hash of the note at `source`, which changed.
    pub fn take(&mut self, source: &Path) -> Option<NoteHash> {
        self.0.remove(source.as_os_str())
    }

    /// The hash of every note of `site`, by talk id; hashes the new ones.
    pub fn of_all(&mut self, site: &Site) -> Vec<NoteHash> {
        let missing: Vec<(OsString, NoteHash)> = site
            .talks
            .par_iter()
            .map(|talk| (&talk.note, &talk.body))
            .filter(|(note, _)| !self.0.contains_key(note.source.as_os_str()))
            .map(|(note, body)| {
                (
                    note.source.clone().into_os_string(),
                    NoteHash::of(note, body),
                )
            })
            .collect();
        self.0.extend(missing);
        site.notes()
            .iter()
            .map(|n| self.0[n.source.as_os_str()])
            .collect()
    }
}

/// Every page of `site` with its fingerprint; `notes` from [`NoteHashes::of_all`].
pub fn fingerprints(site: &Site, notes: &[NoteHash]) -> Vec<PageFingerprint> {
    let shown = Shown::new(site, notes);
    let pages: Vec<(Page, String)> = render::pages(site)
        .into_par_iter()
        .map(|page| {
            let url = page.url(site);
            (page, url)
        })
        .collect();
    let sitemap = sitemap_hash(site, &pages);
    pages
        .into_par_iter()
        .map(|(page, url)| {
            let fingerprint = match &page {
                Page::Talk(id) => talk_page(site, *id, notes[id.index()].page, &shown),
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
                page,
                url,
                fingerprint,
            }
        })
        .collect()
}

/// The talk pages of the notes `ids` with their fingerprints.
pub fn talk_fingerprints(site: &Site, notes: &[NoteHash], ids: &[TalkId]) -> Vec<PageFingerprint> {
    let shown = Shown::new(site, notes);
    ids.iter()
        .map(|&id| PageFingerprint {
            page: Page::Talk(id),
            url: site.talk_url(id),
            fingerprint: talk_page(site, id, notes[id.index()].page, &shown),
        })
        .collect()
}

/// What other pages show of each talk and entity.
struct Shown<'a> {
    /// Each entity's name, by kind and slug.
    names: HashMap<(EntityKind, &'a str), &'a str>,
    /// A talk's card in lists (title, URL, date, event, speakers' names,
    /// summary), hashed, by talk id.
    cards: Vec<u64>,
    /// A talk's feed entry (title, URL, date, summary, speakers' names,
    /// tags), hashed, by talk id.
    entries: Vec<u64>,
}

impl<'a> Shown<'a> {
    fn new(site: &'a Site, notes: &[NoteHash]) -> Shown<'a> {
        let names: HashMap<(EntityKind, &str), &str> = site
            .graph
            .entities
            .values()
            .map(|e| ((e.kind, e.slug.as_str()), e.name.as_str()))
            .collect();
        // Cards and entries show the speakers' names from the graph (a
        // profile's `name`), which the notes' own hashes do not cover.
        let speakers: Vec<&[String]> = TalkId::all(notes.len())
            .map(|id| site.graph.speaker_names(id))
            .collect();
        let cards = notes
            .iter()
            .zip(&site.graph.talks)
            .zip(&speakers)
            .map(|((note, links), speakers)| {
                let event = links
                    .event
                    .as_deref()
                    .and_then(|slug| names.get(&(EntityKind::Event, slug)));
                let mut h = DefaultHasher::new();
                (note.card, event, speakers).hash(&mut h);
                h.finish()
            })
            .collect();
        let entries = notes
            .iter()
            .zip(&speakers)
            .map(|(note, speakers)| {
                let mut h = DefaultHasher::new();
                (note.entry, speakers).hash(&mut h);
                h.finish()
            })
            .collect();
        Shown {
            names,
            cards,
            entries,
        }
    }

    /// The name of the `kind` entity `slug`, as links to it show it.
    fn name(&self, kind: EntityKind, slug: &str) -> Option<&'a str> {
        self.names.get(&(kind, slug)).copied()
    }

    /// Hashes the cards of talks `ids`, in order (as one slice: hashing
    /// many small values one by one is slow).
    fn cards(&self, ids: &[TalkId], hasher: &mut DefaultHasher) {
        let cards: Vec<u64> = ids.iter().map(|&id| self.cards[id.index()]).collect();
        cards.hash(hasher);
    }

    /// Hashes the feed entries of the first talks of `ids`, as feeds list.
    fn entries(&self, ids: &[TalkId], hasher: &mut DefaultHasher) {
        let ids = &ids[..ids.len().min(LATEST)];
        let entries: Vec<u64> = ids.iter().map(|&id| self.entries[id.index()]).collect();
        entries.hash(hasher);
    }
}

/// Everything a talk's own page shows of its note.
fn note_page_hash(note: &Note, body: &Rendered) -> u64 {
    let Note {
        source,
        slug,
        // How the slug was made; the page shows the slug itself.
        own_slug: _,
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
        warnings: _,
    } = note;
    let Rendered {
        html,
        toc,
        excerpt,
        anchors: _,
        links: _,
        // Shown as links in `html`; the pages they lead to list them.
        entities: _,
        wikilinks: _,
        text: _,
        problems: _,
        // Copied as files, not shown in the page: the page shows `html`.
        files: _,
        broken: _,
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
    note.hash(&mut h);
    let named = [
        (EntityKind::Speaker, speakers.as_slice()),
        (EntityKind::Project, projects.as_slice()),
        (EntityKind::Tag, tags.as_slice()),
        (EntityKind::Event, event.as_slice()),
    ];
    for (kind, slugs) in named {
        for slug in slugs {
            (slug, shown.name(kind, slug)).hash(&mut h);
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
        role,
        profile,
        // Listed on its own page: see `entity_page`.
        mentioned_in: _,
    } = entity;
    (kind, slug, name, talks.len(), affiliation, role).hash(h);
    if let Some(index) = profile {
        profile_hash(
            &site.profiles[*index].profile,
            &site.profiles[*index].body,
            h,
        );
    }
}

fn profile_hash(profile: &Profile, body: &Rendered, h: &mut DefaultHasher) {
    let Profile {
        kind,
        slug,
        source,
        name,
        aliases,
        affiliation,
        role,
        links,
        photo,
        data,
        body: _,
        body_line: _,
        warnings: _,
    } = profile;
    (kind, slug, source, name, aliases, affiliation, role).hash(h);
    (links, photo, &body.html).hash(h);
    serde_json::to_string(data).ok().hash(h);
}

fn entity_page(site: &Site, entity: &Entity, shown: &Shown) -> u64 {
    let mut h = DefaultHasher::new();
    entity_hash(site, entity, &mut h);
    shown.cards(&entity.talks, &mut h);
    shown.cards(&entity.mentioned_in, &mut h);
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
    site.talks.len().hash(&mut h);
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
fn sitemap_hash(site: &Site, pages: &[(Page, String)]) -> u64 {
    let mut h = DefaultHasher::new();
    for (page, url) in pages {
        url.hash(&mut h);
        if let Page::Talk(id) = page {
            site.talks[*id].note.date.hash(&mut h);
        }
    }
    h.finish()
}
