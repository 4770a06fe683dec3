//! Where each page's view is decided: for every [`Page`], the template that
//! makes it and the data that template reads ([`view`]). Rendering and
//! `serve`'s fingerprints both start here, so a field added to a view is
//! shown and fingerprinted alike.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::cards::{self, Card, Entry, Listings, cards};
use super::{HOME_PROJECTS, HOME_TALKS_PER_EVENT, LATEST, MENTIONED_IN_SHOWN, Page, has_feed};
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
    /// The sitemap's entries, written as XML by code.
    Sitemap(Vec<sitemap::Entry>),
    /// A talk's or an entity's hover preview, written as a script by code.
    Preview(previews::Preview<'a>),
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
        Page::Entity(kind, slug) => (
            template_for(*kind),
            entity_page(site, table, entity(site, *kind, slug)?, common),
        ),
        Page::EntityIndex(kind) => ("entities.html", entity_index(site, *kind, common)),
        Page::SiteFeed => ("atom.xml", feed(site, table, None, common)),
        Page::EntityFeed(kind, slug) => (
            "atom.xml",
            feed(site, table, Some(entity(site, *kind, slug)?), common),
        ),
        Page::Sitemap => return Ok(View::Sitemap(sitemap::entries(site))),
        Page::TalkPreview(id) => return Ok(View::Preview(previews::talk(site, *id))),
        Page::EntityPreview(kind, slug) => {
            return Ok(View::Preview(previews::entity(
                site,
                entity(site, *kind, slug)?,
            )));
        }
        Page::NotFound => ("404.html", not_found(site, common)),
        Page::Search => (
            "search.html",
            common.with("search", "Search", PageData::Layout {}),
        ),
        Page::Graph => ("graph.html", graph(site, common)),
    };
    Ok(View::Template(template, Box::new(data)))
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
    /// The name of a page's hover preview file, for `static/preview.js`.
    preview_file: &'static str,
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
            preview_file: urls::PREVIEW_FILE,
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
    content: &'a str,
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
        content: &body.html,
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
    html: &'a str,
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

#[derive(Serialize)]
struct EntityPage<'a> {
    entity: EntityView<'a>,
    talks: Vec<Cow<'a, Card<'a>>>,
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

fn entity_page<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    entity: &'a Entity,
    mut common: Common<'a>,
) -> Data<'a> {
    let profile = entity
        .profile
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
        count: entity.talks.len(),
        profile: profile.map(|(p, body)| ProfileView {
            data: &p.data,
            links: &p.links,
            photo: p.photo.as_ref().map(|photo| photo.src(&common.root)),
            html: &body.html,
        }),
        feed: has_feed(entity.kind).then(|| urls::entity_feed(entity.kind, &entity.slug)),
        dates: profile.and_then(|(p, _)| event_dates(&p.data)),
    };
    common.edit_url = profile.and_then(|(p, _)| site.edit.url_for(&p.source));
    let timeline = (entity.kind != EntityKind::Event)
        .then(|| timeline::svg(site, entity))
        .flatten();
    let page = EntityPage {
        entity: view,
        talks: cards(site, table, &entity.talks),
        mentioned_in: cards(
            site,
            table,
            &entity.mentioned_in[..entity.mentioned_in.len().min(MENTIONED_IN_SHOWN)],
        ),
        mentioned_in_count: entity.mentioned_in.len(),
        neighbourhood: diagram::entity_drawing(site, entity),
        timeline,
        editions: editions(site, entity),
    };
    common.with(entity.kind.singular(), &entity.name, PageData::Entity(page))
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
    let newest = |e: &Entity| e.talks.first().and_then(|&id| site.talks[id].note.date);
    match kind {
        EntityKind::Project | EntityKind::Tag => entities.sort_by(|a, b| {
            b.talks
                .len()
                .cmp(&a.talks.len())
                .then_with(|| a.slug.cmp(&b.slug))
        }),
        EntityKind::Event => {
            entities.sort_by(|a, b| newest(b).cmp(&newest(a)).then_with(|| a.slug.cmp(&b.slug)))
        }
        EntityKind::Speaker => entities.sort_by(|a, b| a.slug.cmp(&b.slug)),
    }
    entities
}

#[derive(Serialize)]
struct IndexPage<'a> {
    entities: Vec<EntitySummary<'a>>,
    /// For events: the same, each series' editions gathered.
    groups: Vec<EventGroup<'a>>,
}

/// A series of events, or one event.
#[derive(Serialize)]
struct EventGroup<'a> {
    series: Option<String>,
    events: Vec<EntitySummary<'a>>,
}

fn entity_summary(entity: &Entity) -> EntitySummary<'_> {
    EntitySummary {
        name: &entity.name,
        url: urls::entity(entity.kind, &entity.slug),
        count: entity.talks.len(),
        affiliation: entity.affiliation.as_deref(),
    }
}

fn entity_index<'a>(site: &'a Site, kind: EntityKind, common: Common<'a>) -> Data<'a> {
    let sorted = sorted_entities(site, kind);
    let groups = match kind {
        EntityKind::Event => series::group(&sorted)
            .into_iter()
            .map(|group| EventGroup {
                series: group.series,
                events: group.events.into_iter().map(entity_summary).collect(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let entities = sorted.into_iter().map(entity_summary).collect();
    let mut title = kind.folder().to_string();
    title[..1].make_ascii_uppercase();
    let page = IndexPage { entities, groups };
    common.with("entities", &title, PageData::Index(page))
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
    events: Vec<HomeEvent<'a>>,
    projects: Vec<EntitySummary<'a>>,
    latest: Vec<Cow<'a, Card<'a>>>,
    counts: BTreeMap<&'static str, usize>,
}

fn home<'a>(site: &'a Site, table: Option<&'a Listings<'a>>, common: Common<'a>) -> Data<'a> {
    let events = sorted_entities(site, EntityKind::Event)
        .into_iter()
        .map(|e| HomeEvent {
            name: &e.name,
            url: urls::entity(EntityKind::Event, &e.slug),
            count: e.talks.len(),
            talks: cards(
                site,
                table,
                &e.talks[..e.talks.len().min(HOME_TALKS_PER_EVENT)],
            ),
        })
        .collect();
    let projects = sorted_entities(site, EntityKind::Project)
        .into_iter()
        .take(HOME_PROJECTS)
        .map(|e| EntitySummary {
            name: &e.name,
            url: urls::entity(EntityKind::Project, &e.slug),
            count: e.talks.len(),
            affiliation: None,
        })
        .collect();
    let newest = &site.graph.newest_first;
    let mut counts = BTreeMap::from([("talks", site.talks.len())]);
    for kind in EntityKind::ALL {
        counts.insert(kind.folder(), site.graph.of_kind(kind).count());
    }
    let page = HomePage {
        events,
        projects,
        latest: cards(site, table, &newest[..newest.len().min(LATEST)]),
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
            e.talks.as_slice(),
            urls::entity(e.kind, &e.slug),
        ),
        None => (
            site.config.site.title.clone(),
            site.graph.newest_first.as_slice(),
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
