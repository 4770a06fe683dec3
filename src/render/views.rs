//! Where each page's view is decided: for every [`Page`], the template that
//! makes it and the data that template reads ([`view`]). Rendering and
//! `serve`'s fingerprints both start here, so a field added to a view is
//! shown and fingerprinted alike.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::alphabetical::{self, Row};
use super::cards::{self, Card, Entry, Listings, cards};
use super::pagination::{Pagination, page_count, page_of};
use super::{
    HOME_EVENTS, HOME_PROJECTS, HOME_TALKS_PER_EVENT, LATEST, MENTIONED_IN_SHOWN, Page, has_feed,
    rows_per_page, talks_per_page,
};
use super::{previews, sitemap};
use crate::config::SiteConfig;
use crate::content::social::ProfileLink;
use crate::content::when::When;
use crate::diagnostics::Diagnostic;
use crate::diagram::{self, series, timeline};
use crate::documents::Talk;
use crate::entity::EntityKind;
use crate::graph::Entity;
use crate::ids::TalkId;
use crate::markdown::{TOC_MIN_HEADINGS, TocEntry};
use crate::safe_url::SafeUrl;
use crate::site::Site;
use crate::urls;

/// What one page shows.
#[derive(Serialize)]
pub enum View<'a> {
    /// A page the named template makes from the data.
    Template(&'static str, Box<Data<'a>>),
    /// A sitemap file's entries, written as XML by code.
    Sitemap(sitemap::Contents),
    /// A file of hover previews, written as a script by code.
    Previews(Vec<previews::Preview<'a>>),
}

/// A template's data: what every page's layout reads, and what its own page
/// reads.
#[derive(Serialize)]
pub struct Data<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    #[serde(flatten)]
    page: PageData<'a>,
}

impl Data<'_> {
    /// The kind of page (`talk`, `speaker`, `home`…), as templates see it.
    pub fn kind(&self) -> &'static str {
        self.common.kind
    }
}

/// The data of one kind of page, besides [`Common`].
#[derive(Serialize)]
#[serde(untagged)]
enum PageData<'a> {
    Talk(TalkPage<'a>),
    Entity(EntityPage<'a>),
    Index(IndexPage<'a>),
    Talks(TalksPage<'a>),
    Home(HomePage<'a>),
    Feed(FeedPage<'a>),
    Graph(GraphPage),
    NotFound(NotFoundPage<'a>),
    /// The layout alone (search).
    Layout {},
}

/// The view of `page`.
pub fn view<'a>(site: &'a Site, page: &Page) -> Result<View<'a>, Diagnostic> {
    view_using(site, None, page)
}

/// The view of `page`, with the talks' cards and feed entries from `table`
/// if there is one (the same ones [`view`] builds).
pub fn view_using<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    page: &Page,
) -> Result<View<'a>, Diagnostic> {
    let url = page.url(site);
    let common = Common::new(site, &url);
    let (template, data) = match page {
        Page::Home => ("home.html", home(site, table, common)),
        Page::Talk(id) => ("talk.html", talk(site, table, *id, common)),
        Page::Entity(kind, slug, number) => (
            template_for(*kind),
            entity_page(site, table, entity(site, *kind, slug)?, *number, common),
        ),
        Page::EntityIndex(kind, number) => {
            ("entities.html", entity_index(site, *kind, *number, common))
        }
        Page::Talks(number) => ("talks.html", talks_list(site, table, *number, common)),
        Page::SiteFeed => ("atom.xml", feed(site, table, None, common)),
        Page::EntityFeed(kind, slug) => (
            "atom.xml",
            feed(site, table, Some(entity(site, *kind, slug)?), common),
        ),
        Page::Sitemap => {
            let contents = sitemap::contents(site, None, sitemap::MAX_URLS);
            return Ok(View::Sitemap(contents));
        }
        Page::SitemapPart(number) => {
            let contents = sitemap::contents(site, Some(*number), sitemap::MAX_URLS);
            return Ok(View::Sitemap(contents));
        }
        Page::Previews(_, bundle) => return previews_view(site, bundle),
        Page::NotFound => ("404.html", not_found(site, common)),
        Page::Search => (
            "search.html",
            common.with("search", "Search", PageData::Layout {}),
        ),
        Page::Graph => ("graph.html", graph(site, common)),
    };
    Ok(View::Template(template, Box::new(data)))
}

/// The view of a file of hover previews: the cards of `bundle`'s pages
/// (when a file holds other pages, it is another [`Page`]).
fn previews_view<'a>(site: &'a Site, bundle: &previews::Bundle) -> Result<View<'a>, Diagnostic> {
    let talks = bundle.talks.iter().map(|&id| previews::talk(site, id));
    let mut cards: Vec<previews::Preview<'a>> = talks.collect();
    for (kind, slug) in &bundle.entities {
        cards.push(previews::entity(site, entity(site, *kind, slug)?));
    }
    Ok(View::Previews(cards))
}

/// The `kind` entity `slug`, which has a page.
fn entity<'a>(site: &'a Site, kind: EntityKind, slug: &str) -> Result<&'a Entity, Diagnostic> {
    site.graph.entity(kind, slug).ok_or_else(|| {
        Diagnostic::internal(format!(
            "a page for {} {slug}, which is not in the graph",
            kind.singular()
        ))
    })
}

/// The title of page `number` of the `count` pages of a list titled `title`.
fn page_title(title: &str, number: usize, count: usize) -> String {
    match number {
        1 => title.to_string(),
        _ => format!("{title}, page {number} of {count}"),
    }
}

fn template_for(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Speaker => "speaker.html",
        EntityKind::Project => "project.html",
        EntityKind::Tag => "tag.html",
        EntityKind::Event => "event.html",
    }
}

/// What every page's layout needs.
#[derive(Serialize)]
struct Common<'a> {
    site: &'a SiteConfig,
    root: String,
    path: String,
    canonical: String,
    title: String,
    description: String,
    kind: &'static str,
    edit_url: Option<String>,
    /// The folder of the hover previews' files, and how many there are
    /// ([`previews::file_count`]), for `static/preview.js`.
    preview_dir: &'static str,
    preview_files: usize,
}

impl<'a> Common<'a> {
    fn new(site: &'a Site, url: &str) -> Common<'a> {
        Common {
            site: &site.config.site,
            root: urls::root_prefix(url),
            path: url.to_string(),
            canonical: urls::absolute(&site.config.site.base_url, url),
            title: String::new(),
            description: site.config.site.description.clone(),
            kind: "page",
            edit_url: None,
            preview_dir: urls::PREVIEWS_DIR,
            preview_files: previews::file_count(site.talks.len()),
        }
    }

    /// The data of a `kind` page titled `title` showing `page`.
    fn with(self, kind: &'static str, title: &str, page: PageData<'a>) -> Data<'a> {
        Data {
            common: Common {
                kind,
                title: title.to_string(),
                ..self
            },
            page,
        }
    }
}

/// A link to an entity.
#[derive(Serialize)]
struct EntityLink<'a> {
    name: &'a str,
    url: String,
}

fn entity_link<'a>(site: &'a Site, kind: EntityKind, slug: &str) -> Option<EntityLink<'a>> {
    let entity = site.graph.entity(kind, slug)?;
    Some(EntityLink {
        name: &entity.name,
        url: urls::entity(kind, slug),
    })
}

#[derive(Serialize)]
struct SpeakerView<'a> {
    name: &'a str,
    url: String,
    affiliation: Option<&'a str>,
    role: Option<&'a str>,
    homepage: Option<&'a SafeUrl>,
}

#[derive(Serialize)]
struct TalkView<'a> {
    title: &'a str,
    url: String,
    date: Option<String>,
    date_human: Option<String>,
    /// The date as an RFC 3339 timestamp, for `article:published_time`.
    published: Option<String>,
    event: Option<EntityLink<'a>>,
    speakers: Vec<SpeakerView<'a>>,
    projects: Vec<EntityLink<'a>>,
    tags: Vec<EntityLink<'a>>,
    slides: Option<&'a SafeUrl>,
    video: Option<&'a SafeUrl>,
    authors: &'a [String],
    summary: Option<&'a str>,
    extra: &'a Map<String, Value>,
}

#[derive(Serialize)]
struct TalkPage<'a> {
    talk: TalkView<'a>,
    content: Arc<str>,
    toc: &'a [TocEntry],
    related: Vec<Cow<'a, Card<'a>>>,
    linked_from: Vec<Cow<'a, Card<'a>>>,
    /// Its neighbourhood in the graph, as SVG.
    neighbourhood: Option<diagram::Drawing>,
}

fn talk<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    id: TalkId,
    mut common: Common<'a>,
) -> Data<'a> {
    let Talk { note, body } = &site.talks[id];
    let links = &site.graph.talks[id];
    let speakers = note
        .speakers
        .iter()
        .zip(&links.speakers)
        .map(|(speaker, slug)| SpeakerView {
            name: site
                .graph
                .entity(EntityKind::Speaker, slug)
                .map_or(&speaker.name, |e| &e.name),
            url: urls::entity(EntityKind::Speaker, slug),
            affiliation: speaker.affiliation.as_deref(),
            role: speaker.role.as_deref(),
            homepage: speaker.url.as_ref(),
        })
        .collect();
    let view = TalkView {
        title: &note.title,
        url: site.talk_url(id),
        date: note.date.as_ref().map(When::iso),
        date_human: note.date.as_ref().map(When::human),
        published: note.date.as_ref().map(When::rfc3339),
        event: links
            .event
            .as_deref()
            .and_then(|slug| entity_link(site, EntityKind::Event, slug)),
        speakers,
        projects: links
            .projects
            .iter()
            .filter_map(|s| entity_link(site, EntityKind::Project, s))
            .collect(),
        tags: links
            .tags
            .iter()
            .filter_map(|s| entity_link(site, EntityKind::Tag, s))
            .collect(),
        slides: note.slides.as_ref(),
        video: note.video.as_ref(),
        authors: &note.authors,
        summary: note.summary.as_deref(),
        extra: &note.extra,
    };
    common.edit_url = site.edit.url_for(&note.source);
    if let Some(summary) = note
        .summary
        .as_deref()
        .or(Some(body.excerpt.as_str()).filter(|e| !e.is_empty()))
    {
        common.description = summary.to_string();
    }
    let toc: &[_] = if body.toc.len() >= TOC_MIN_HEADINGS {
        &body.toc
    } else {
        &[]
    };
    let page = TalkPage {
        talk: view,
        content: body.html.get(),
        toc,
        related: cards(site, table, &links.related),
        linked_from: cards(site, table, &links.linked_from),
        neighbourhood: diagram::talk_drawing(site, id),
    };
    common.with("talk", &note.title, PageData::Talk(page))
}

#[derive(Serialize)]
struct ProfileView<'a> {
    data: &'a Map<String, Value>,
    links: &'a [ProfileLink],
    /// The photo's `src`, relative to the page.
    photo: Option<String>,
    html: Arc<str>,
}

#[derive(Serialize)]
struct EntityView<'a> {
    kind: EntityKind,
    kind_plural: &'static str,
    index_url: String,
    name: &'a str,
    slug: &'a str,
    url: String,
    affiliation: Option<&'a str>,
    role: Option<&'a str>,
    count: usize,
    profile: Option<ProfileView<'a>>,
    feed: Option<String>,
    /// An event's first and last day, from its profile's `start` and `end`.
    dates: Option<EventDates>,
}

/// An event's days, each as an ISO date and for readers.
#[derive(Serialize)]
struct EventDates {
    start: DateView,
    end: Option<DateView>,
}

/// A date for a `<time datetime>` attribute and for readers.
#[derive(Serialize)]
struct DateView {
    iso: String,
    human: String,
}

impl DateView {
    fn of(when: &When) -> DateView {
        DateView {
            iso: when.iso(),
            human: when.human(),
        }
    }
}

/// The dates of an event's profile (`data`): its `start` and `end`, if
/// they read as dates.
fn event_dates(data: &Map<String, Value>) -> Option<EventDates> {
    let day = |key: &str| {
        data.get(key)
            .and_then(Value::as_str)
            .and_then(|text| When::parse(text).ok())
            .map(|when| DateView::of(&when))
    };
    Some(EventDates {
        start: day("start")?,
        end: day("end"),
    })
}

/// A page of an entity's talks. Later pages than the first show its name
/// and its talks only: the rest (profile, diagrams, "Mentioned in",
/// editions) is left empty.
#[derive(Serialize)]
struct EntityPage<'a> {
    entity: EntityView<'a>,
    /// This page's talks.
    talks: Vec<Cow<'a, Card<'a>>>,
    /// Links to the other pages of its talks, if there are more.
    pagination: Option<Pagination>,
    /// The talks that link to it (a mention or a wikilink) without naming
    /// it in their front matter.
    /// The newest [`MENTIONED_IN_SHOWN`] of them.
    mentioned_in: Vec<Cow<'a, Card<'a>>>,
    /// How many there are in all.
    mentioned_in_count: usize,
    /// Its neighbourhood in the graph, as SVG.
    neighbourhood: Option<diagram::Drawing>,
    /// Its talks per year, as SVG (not for events).
    timeline: Option<String>,
    /// An event's series: every edition, itself included, oldest first.
    editions: Vec<Edition<'a>>,
}

/// One edition of an event's series.
#[derive(Serialize)]
struct Edition<'a> {
    name: &'a str,
    url: String,
    /// Whether it is the page's own event.
    current: bool,
}

/// The editions of `entity`'s series, if it is an event that has others.
fn editions<'a>(site: &'a Site, entity: &Entity) -> Vec<Edition<'a>> {
    if entity.kind != EntityKind::Event {
        return Vec::new();
    }
    series::editions(&site.graph, entity)
        .into_iter()
        .map(|e| Edition {
            name: &e.name,
            url: urls::entity(e.kind, &e.slug),
            current: e.slug == entity.slug,
        })
        .collect()
}

/// A page's description of `entity`: its profile's first paragraph, else
/// what the site has of it.
fn entity_description(site: &Site, entity: &Entity) -> String {
    let excerpt = entity.profile.map(|id| &site.profiles[id].body.excerpt);
    if let Some(excerpt) = excerpt.filter(|e| !e.is_empty()) {
        return excerpt.clone();
    }
    let talks = match entity.talk_count() {
        1 => "1 talk".to_string(),
        n => format!("{n} talks"),
    };
    let name = &entity.name;
    let about = match entity.kind {
        EntityKind::Speaker => match &entity.affiliation {
            Some(affiliation) => format!("{talks} by {name} ({affiliation})"),
            None => format!("{talks} by {name}"),
        },
        EntityKind::Project => format!("{talks} on {name}"),
        EntityKind::Tag => format!("{talks} tagged {name}"),
        EntityKind::Event => format!("{talks} at {name}"),
    };
    format!("Notes on {about}, from {}.", site.config.site.title)
}

fn entity_page<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    entity: &'a Entity,
    number: usize,
    mut common: Common<'a>,
) -> Data<'a> {
    let first = number == 1;
    let profile = entity
        .profile
        .filter(|_| first)
        .map(|id| (&site.profiles[id].profile, &site.profiles[id].body));
    let view = EntityView {
        kind: entity.kind,
        kind_plural: entity.kind.folder(),
        index_url: urls::entity_index(entity.kind),
        name: &entity.name,
        slug: &entity.slug,
        url: urls::entity(entity.kind, &entity.slug),
        affiliation: entity.affiliation.as_deref(),
        role: entity.role.as_deref(),
        count: entity.talk_count(),
        profile: profile.map(|(p, body)| ProfileView {
            data: &p.data,
            links: &p.links,
            photo: p.photo.as_ref().map(|photo| photo.src(&common.root)),
            html: body.html.get(),
        }),
        feed: has_feed(entity.kind).then(|| urls::entity_feed(entity.kind, &entity.slug)),
        dates: profile.and_then(|(p, _)| event_dates(&p.data)),
    };
    common.edit_url = profile.and_then(|(p, _)| site.edit.url_for(&p.source));
    common.description = entity_description(site, entity);
    let timeline = (first && entity.kind != EntityKind::Event)
        .then(|| timeline::svg(site, entity))
        .flatten();
    let mentioned_in = if first { &entity.mentioned_in[..] } else { &[] };
    let per_page = talks_per_page(site);
    let count = page_count(entity.talk_count(), per_page);
    let page = EntityPage {
        entity: view,
        talks: cards(
            site,
            table,
            page_of(entity.newest_talks(number * per_page), number, per_page),
        ),
        pagination: Pagination::of(&urls::entity(entity.kind, &entity.slug), number, count),
        mentioned_in: cards(
            site,
            table,
            &mentioned_in[..mentioned_in.len().min(MENTIONED_IN_SHOWN)],
        ),
        mentioned_in_count: mentioned_in.len(),
        neighbourhood: first
            .then(|| diagram::entity_drawing(site, entity))
            .flatten(),
        timeline,
        editions: if first {
            editions(site, entity)
        } else {
            Vec::new()
        },
    };
    let title = page_title(&entity.name, number, count);
    common.with(entity.kind.singular(), &title, PageData::Entity(page))
}

#[derive(Serialize)]
struct EntitySummary<'a> {
    name: &'a str,
    url: String,
    count: usize,
    affiliation: Option<&'a str>,
}

/// Entities of `kind` in the order their index page lists them: projects and
/// tags by talk count, events newest first, speakers by name.
pub fn sorted_entities(site: &Site, kind: EntityKind) -> Vec<&Entity> {
    let mut entities: Vec<&Entity> = site.graph.of_kind(kind).collect();
    let newest = |e: &Entity| {
        e.newest_talks(1)
            .first()
            .and_then(|&id| site.talks[id].note.date)
    };
    match kind {
        EntityKind::Project | EntityKind::Tag => entities.sort_by(|a, b| {
            b.talk_count()
                .cmp(&a.talk_count())
                .then_with(|| a.slug.cmp(&b.slug))
        }),
        EntityKind::Event => {
            entities.sort_by(|a, b| newest(b).cmp(&newest(a)).then_with(|| a.slug.cmp(&b.slug)))
        }
        EntityKind::Speaker => entities.sort_by(|a, b| a.slug.cmp(&b.slug)),
    }
    entities
}

/// A page of the A-Z list of a kind's entities.
#[derive(Serialize)]
struct IndexPage<'a> {
    /// The kind it lists.
    entity_kind: EntityKind,
    /// How many entities the list has, on all its pages.
    count: usize,
    /// Every letter of the list, A to Z, wherever its rows are.
    letters: Vec<Jump>,
    /// This page's rows, by letter.
    sections: Vec<Section<'a>>,
    /// Links to the other pages of the list, if there are more.
    pagination: Option<Pagination>,
}

/// A link to where a letter's rows start.
#[derive(Serialize)]
struct Jump {
    letter: char,
    /// How many entities it lists.
    count: usize,
    /// The page holding its first row, with its heading's id.
    url: String,
}

/// The rows of one letter on one page.
#[derive(Serialize)]
struct Section<'a> {
    letter: char,
    /// Its heading's id.
    id: String,
    rows: Vec<IndexRow<'a>>,
}

/// An entity, or a series of events with its editions.
#[derive(Serialize)]
struct IndexRow<'a> {
    series: Option<String>,
    entities: Vec<EntitySummary<'a>>,
}

fn entity_summary(entity: &Entity) -> EntitySummary<'_> {
    EntitySummary {
        name: &entity.name,
        url: urls::entity(entity.kind, &entity.slug),
        count: entity.talk_count(),
        affiliation: entity.affiliation.as_deref(),
    }
}

/// The jump links of an index listing `rows` at `per_page` a page, whose
/// first page is at `first`.
fn jumps(rows: &[Row], per_page: usize, first: &str) -> Vec<Jump> {
    let mut jumps: Vec<Jump> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if jumps.last().is_none_or(|jump| jump.letter != row.letter) {
            let page = urls::paged(first, index / per_page + 1);
            jumps.push(Jump {
                letter: row.letter,
                count: 0,
                url: format!("{page}#{}", alphabetical::anchor(row.letter)),
            });
        }
        if let Some(jump) = jumps.last_mut() {
            jump.count += row.entities.len();
        }
    }
    jumps
}

/// `rows` in sections, one per letter.
fn sections<'a>(rows: &[Row<'a>]) -> Vec<Section<'a>> {
    let mut sections: Vec<Section> = Vec::new();
    for row in rows {
        if sections.last().is_none_or(|s| s.letter != row.letter) {
            sections.push(Section {
                letter: row.letter,
                id: alphabetical::anchor(row.letter),
                rows: Vec::new(),
            });
        }
        if let Some(section) = sections.last_mut() {
            section.rows.push(IndexRow {
                series: row.series.clone(),
                entities: row.entities.iter().map(|e| entity_summary(e)).collect(),
            });
        }
    }
    sections
}

fn entity_index<'a>(
    site: &'a Site,
    kind: EntityKind,
    number: usize,
    common: Common<'a>,
) -> Data<'a> {
    let rows = alphabetical::rows(site, kind);
    let per_page = rows_per_page(site);
    let first = urls::entity_index(kind);
    let count = page_count(rows.len(), per_page);
    let page = IndexPage {
        entity_kind: kind,
        count: site.graph.of_kind(kind).count(),
        letters: jumps(&rows, per_page, &first),
        sections: sections(page_of(&rows, number, per_page)),
        pagination: Pagination::of(&first, number, count),
    };
    let mut title = kind.folder().to_string();
    title[..1].make_ascii_uppercase();
    let title = page_title(&title, number, count);
    common.with("entities", &title, PageData::Index(page))
}

/// A page of the list of every talk.
#[derive(Serialize)]
struct TalksPage<'a> {
    /// How many talks the site has.
    count: usize,
    /// This page's talks, newest first.
    talks: Vec<Cow<'a, Card<'a>>>,
    /// Links to the other pages of the list, if there are more.
    pagination: Option<Pagination>,
}

fn talks_list<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    number: usize,
    common: Common<'a>,
) -> Data<'a> {
    let newest = site.graph.newest_first();
    let per_page = talks_per_page(site);
    let count = page_count(newest.len(), per_page);
    let page = TalksPage {
        count: newest.len(),
        talks: cards(site, table, page_of(newest, number, per_page)),
        pagination: Pagination::of(urls::TALKS, number, count),
    };
    let title = page_title("Talks", number, count);
    common.with("talks", &title, PageData::Talks(page))
}

#[derive(Serialize)]
struct GraphPage {
    /// The map of projects and speakers, as SVG.
    map: String,
}

fn graph<'a>(site: &'a Site, common: Common<'a>) -> Data<'a> {
    let map = diagram::site_map_svg(site, &common.path);
    common.with("graph", "Graph", PageData::Graph(GraphPage { map }))
}

#[derive(Serialize)]
struct HomeEvent<'a> {
    name: &'a str,
    url: String,
    count: usize,
    talks: Vec<Cow<'a, Card<'a>>>,
}

#[derive(Serialize)]
struct HomePage<'a> {
    /// The newest [`HOME_EVENTS`] events.
    events: Vec<HomeEvent<'a>>,
    /// The page listing every event.
    all_events: String,
    projects: Vec<EntitySummary<'a>>,
    /// The newest [`LATEST`] talks.
    latest: Vec<Cow<'a, Card<'a>>>,
    /// The page listing every talk.
    all_talks: &'static str,
    counts: BTreeMap<&'static str, usize>,
}

fn home<'a>(site: &'a Site, table: Option<&'a Listings<'a>>, common: Common<'a>) -> Data<'a> {
    let events = sorted_entities(site, EntityKind::Event)
        .into_iter()
        .take(HOME_EVENTS)
        .map(|e| HomeEvent {
            name: &e.name,
            url: urls::entity(EntityKind::Event, &e.slug),
            count: e.talk_count(),
            talks: cards(site, table, e.newest_talks(HOME_TALKS_PER_EVENT)),
        })
        .collect();
    let projects = sorted_entities(site, EntityKind::Project)
        .into_iter()
        .take(HOME_PROJECTS)
        .map(|e| EntitySummary {
            name: &e.name,
            url: urls::entity(EntityKind::Project, &e.slug),
            count: e.talk_count(),
            affiliation: None,
        })
        .collect();
    let newest = site.graph.newest_first();
    let mut counts = BTreeMap::from([("talks", site.talks.len())]);
    for kind in EntityKind::ALL {
        counts.insert(kind.folder(), site.graph.of_kind(kind).count());
    }
    let page = HomePage {
        events,
        all_events: urls::entity_index(EntityKind::Event),
        projects,
        latest: cards(site, table, &newest[..newest.len().min(LATEST)]),
        all_talks: urls::TALKS,
        counts,
    };
    common.with("home", "", PageData::Home(page))
}

/// The data of `404.html`, which a host serves at any depth: its links are
/// relative to a `<base>` that `templates/404.html` sets to the site's root
/// (the base path, or where the missing page's URL says the site is).
fn not_found<'a>(site: &'a Site, mut common: Common<'a>) -> Data<'a> {
    common.root = String::new();
    let page = NotFoundPage {
        base_path: site.config.base_path(),
        folders: urls::TOP_FOLDERS,
    };
    common.with("404", "Page not found", PageData::NotFound(page))
}

/// What `404.html` needs to find the site's root from any URL.
#[derive(Serialize)]
struct NotFoundPage<'a> {
    /// The path of `base-url`: the root where the site is published.
    base_path: &'a str,
    /// The site's top folders: a missing page's URL up to one of them is
    /// the site's root wherever the site is served.
    folders: &'static [&'static str],
}

#[derive(Serialize)]
struct FeedInfo {
    title: String,
    self_url: String,
    alternate_url: String,
    updated: String,
}

#[derive(Serialize)]
struct FeedPage<'a> {
    feed: FeedInfo,
    entries: Vec<Cow<'a, Entry<'a>>>,
}

/// The site's feed, or `entity`'s.
fn feed<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    entity: Option<&'a Entity>,
    common: Common<'a>,
) -> Data<'a> {
    let base = &site.config.site.base_url;
    let (title, ids, page_url) = match entity {
        Some(e) => (
            format!("{} · {}", e.name, site.config.site.title),
            e.newest_talks(LATEST),
            urls::entity(e.kind, &e.slug),
        ),
        None => (
            site.config.site.title.clone(),
            super::site_feed_talks(site),
            urls::HOME.to_string(),
        ),
    };
    let ids = &ids[..ids.len().min(LATEST)];
    let info = FeedInfo {
        title,
        self_url: urls::absolute(base, &common.path),
        alternate_url: urls::absolute(base, &page_url),
        updated: cards::timestamp(
            ids.iter()
                .filter_map(|&id| site.talks[id].note.date.as_ref())
                .max_by_key(|date| date.instant()),
        ),
    };
    let entries = match entity {
        Some(_) => cards::entries(site, table, ids),
        None => cards::with_content(site, ids),
    };
    let page = FeedPage {
        feed: info,
        entries,
    };
    common.with("feed", "", PageData::Feed(page))
}
