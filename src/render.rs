//! Pages: which pages a site has, and each page's HTML.
//!
//! Each page gets a small context of its own (the talk and the few talks it
//! links to, not the whole site), so rendering stays cheap as sites grow.
//! What each context reads is also listed in `serve::deps`, which decides
//! the pages to render again after an edit: keep the two in step.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use tera::{Context, Tera};

use crate::config::SiteConfig;
use crate::content::social::ProfileLink;
use crate::content::when::When;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::documents::Talk;
use crate::entity::EntityKind;
use crate::files::Files;
use crate::graph::Entity;
use crate::ids::TalkId;
use crate::markdown::TOC_MIN_HEADINGS;
use crate::safe_url::SafeUrl;
use crate::site::Site;
use crate::{templates, urls};

/// Talks listed per event on the home page.
pub const HOME_TALKS_PER_EVENT: usize = 5;
/// Projects listed on the home page.
pub const HOME_PROJECTS: usize = 12;
/// Talks listed under "Latest notes" and in each feed.
pub const LATEST: usize = 20;

/// Every kind of page a site has.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// The home page.
    Home,
    /// A talk.
    Talk(TalkId),
    /// A speaker, project, tag or event.
    Entity(EntityKind, String),
    /// The list of all entities of a kind.
    EntityIndex(EntityKind),
    /// The site-wide Atom feed.
    SiteFeed,
    /// The Atom feed of a speaker, project or tag.
    EntityFeed(EntityKind, String),
    /// The sitemap.
    Sitemap,
    /// `404.html`.
    NotFound,
    /// The search page.
    Search,
}

impl Page {
    /// The page's site-relative URL.
    pub fn url(&self, site: &Site) -> String {
        match self {
            Page::Home => urls::HOME.to_string(),
            Page::Talk(id) => site.talk_url(*id),
            Page::Entity(kind, slug) => urls::entity(*kind, slug),
            Page::EntityIndex(kind) => urls::entity_index(*kind),
            Page::SiteFeed => urls::SITE_FEED.to_string(),
            Page::EntityFeed(kind, slug) => urls::entity_feed(*kind, slug),
            Page::Sitemap => urls::SITEMAP.to_string(),
            Page::NotFound => urls::NOT_FOUND.to_string(),
            Page::Search => urls::SEARCH.to_string(),
        }
    }
}

/// Entity kinds that have feeds.
pub fn has_feed(kind: EntityKind) -> bool {
    kind != EntityKind::Event
}

/// Every page of `site`.
pub fn pages(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Home,
        Page::SiteFeed,
        Page::Sitemap,
        Page::NotFound,
        Page::Search,
    ];
    pages.extend(site.notes().ids().map(Page::Talk));
    for kind in EntityKind::ALL {
        pages.push(Page::EntityIndex(kind));
    }
    for entity in site.graph.entities.values() {
        pages.push(Page::Entity(entity.kind, entity.slug.clone()));
        if has_feed(entity.kind) {
            pages.push(Page::EntityFeed(entity.kind, entity.slug.clone()));
        }
    }
    pages
}

/// Renders every page: output file path → bytes. Template errors are
/// reported once per template and message, with how many pages hit them.
pub fn render_all(
    site: &Site,
    tera: &Tera,
    pages: &[Page],
    progress: &(dyn Fn() + Sync),
) -> Result<Files, Diagnostics> {
    let results: Vec<(String, Result<String, Diagnostic>)> = pages
        .par_iter()
        .map(|page| {
            let url = page.url(site);
            let html = render(site, tera, page);
            progress();
            (url, html)
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut errors: BTreeMap<String, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for (url, result) in results {
        match result {
            Ok(html) => {
                files.insert(urls::file_for(&url), html.into_bytes());
            }
            Err(problem) => errors
                .entry(problem.to_string())
                .or_insert_with(|| (problem, Vec::new()))
                .1
                .push(url),
        }
    }
    let mut problems = Diagnostics::default();
    for (_, (mut problem, urls)) in errors {
        let more = if urls.len() > 1 {
            format!(" and {} other pages", urls.len() - 1)
        } else {
            String::new()
        };
        problem.message = format!("{} (rendering /{}{more})", problem.message, urls[0]);
        problems.push(problem);
    }
    problems.into_result(files)
}

/// Renders one page.
pub fn render(site: &Site, tera: &Tera, page: &Page) -> Result<String, Diagnostic> {
    let url = page.url(site);
    let common = Common::new(site, &url);
    let (template, context) = match page {
        Page::Home => ("home.html", home(site, common)),
        Page::Talk(id) => ("talk.html", talk(site, *id, common)),
        Page::Entity(kind, slug) => {
            let Some(entity) = site.graph.entity(*kind, slug) else {
                return Err(Diagnostic::internal(format!(
                    "a page for {} {slug}, which is not in the graph",
                    kind.singular()
                )));
            };
            (template_for(*kind), entity_page(site, entity, common))
        }
        Page::EntityIndex(kind) => ("entities.html", entity_index(site, *kind, common)),
        Page::SiteFeed => ("atom.xml", feed(site, None, common)),
        Page::EntityFeed(kind, slug) => (
            "atom.xml",
            feed(site, site.graph.entity(*kind, slug), common),
        ),
        Page::Sitemap => return Ok(sitemap(site)),
        Page::NotFound => ("404.html", not_found(site, common)),
        Page::Search => (
            "search.html",
            common.into_context("search", "Search", Map::new()),
        ),
    };
    tera.render(template, &context?)
        .map_err(|err| templates::template_error(&site.root, template, &err))
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
        }
    }

    fn into_context(
        self,
        kind: &'static str,
        title: &str,
        rest: impl Serialize,
    ) -> Result<Context, Diagnostic> {
        let mut context = context_of(kind, &rest)?;
        context.extend(context_of(
            kind,
            Common {
                kind,
                title: title.to_string(),
                ..self
            },
        )?);
        Ok(context)
    }
}

/// `data` as a template context. Every page's data is a struct or a map, so
/// a failure here is a bug in talkbook, reported as one for the `kind` page.
fn context_of(kind: &str, data: impl Serialize) -> Result<Context, Diagnostic> {
    Context::from_serialize(data)
        .map_err(|err| Diagnostic::internal(format!("the {kind} page's template context: {err}")))
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

/// A talk as listed on other pages.
#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    url: String,
    date: Option<String>,
    date_human: Option<String>,
    event_name: Option<&'a str>,
    speakers: &'a [String],
    summary: &'a str,
}

fn card(site: &Site, id: TalkId) -> Card<'_> {
    let Talk { note, body } = &site.talks[id];
    let event_name = site.graph.talks[id]
        .event
        .as_deref()
        .and_then(|slug| site.graph.entity(EntityKind::Event, slug))
        .map(|e| e.name.as_str());
    Card {
        title: &note.title,
        url: site.talk_url(id),
        date: note.date.as_ref().map(When::iso),
        date_human: note.date.as_ref().map(When::human),
        event_name,
        speakers: site.graph.speaker_names(id),
        summary: note.summary.as_deref().unwrap_or(&body.excerpt),
    }
}

fn cards<'a>(site: &'a Site, ids: &[TalkId]) -> Vec<Card<'a>> {
    ids.iter().map(|&id| card(site, id)).collect()
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

fn talk(site: &Site, id: TalkId, mut common: Common<'_>) -> Result<Context, Diagnostic> {
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
    #[derive(Serialize)]
    struct TalkPage<'a> {
        talk: TalkView<'a>,
        content: &'a str,
        toc: &'a [crate::markdown::TocEntry],
        related: Vec<Card<'a>>,
        linked_from: Vec<Card<'a>>,
    }
    let page = TalkPage {
        talk: view,
        content: &body.html,
        toc,
        related: cards(site, &links.related),
        linked_from: cards(site, &links.linked_from),
    };
    common.into_context("talk", &note.title, page)
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
}

fn entity_page(
    site: &Site,
    entity: &Entity,
    mut common: Common<'_>,
) -> Result<Context, Diagnostic> {
    let profile = entity
        .profile
        .map(|id| (&site.profiles[id].profile, &site.profiles[id].body));
    let affiliation = entity.affiliation.as_deref();
    let view = EntityView {
        kind: entity.kind,
        kind_plural: entity.kind.folder(),
        index_url: urls::entity_index(entity.kind),
        name: &entity.name,
        slug: &entity.slug,
        url: urls::entity(entity.kind, &entity.slug),
        affiliation,
        role: entity.role.as_deref(),
        count: entity.talks.len(),
        profile: profile.map(|(p, body)| ProfileView {
            data: &p.data,
            links: &p.links,
            photo: p.photo.as_ref().map(|photo| photo.src(&common.root)),
            html: &body.html,
        }),
        feed: has_feed(entity.kind).then(|| urls::entity_feed(entity.kind, &entity.slug)),
    };
    common.edit_url = profile.and_then(|(p, _)| site.edit.url_for(&p.source));
    #[derive(Serialize)]
    struct EntityPage<'a> {
        entity: EntityView<'a>,
        talks: Vec<Card<'a>>,
    }
    let page = EntityPage {
        entity: view,
        talks: cards(site, &entity.talks),
    };
    common.into_context(entity.kind.singular(), &entity.name, page)
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

fn entity_index(site: &Site, kind: EntityKind, common: Common<'_>) -> Result<Context, Diagnostic> {
    let entities: Vec<EntitySummary> = sorted_entities(site, kind)
        .into_iter()
        .map(|e| EntitySummary {
            name: &e.name,
            url: urls::entity(kind, &e.slug),
            count: e.talks.len(),
            affiliation: e.affiliation.as_deref(),
        })
        .collect();
    let mut title = kind.folder().to_string();
    title[..1].make_ascii_uppercase();
    #[derive(Serialize)]
    struct IndexPage<'a> {
        entities: Vec<EntitySummary<'a>>,
    }
    common.into_context("entities", &title, IndexPage { entities })
}

fn home(site: &Site, common: Common<'_>) -> Result<Context, Diagnostic> {
    #[derive(Serialize)]
    struct HomeEvent<'a> {
        name: &'a str,
        url: String,
        count: usize,
        talks: Vec<Card<'a>>,
    }
    #[derive(Serialize)]
    struct HomePage<'a> {
        events: Vec<HomeEvent<'a>>,
        projects: Vec<EntitySummary<'a>>,
        latest: Vec<Card<'a>>,
        counts: BTreeMap<&'static str, usize>,
    }
    let events = sorted_entities(site, EntityKind::Event)
        .into_iter()
        .map(|e| HomeEvent {
            name: &e.name,
            url: urls::entity(EntityKind::Event, &e.slug),
            count: e.talks.len(),
            talks: cards(site, &e.talks[..e.talks.len().min(HOME_TALKS_PER_EVENT)]),
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
        latest: cards(site, &newest[..newest.len().min(LATEST)]),
        counts,
    };
    common.into_context("home", "", page)
}

fn not_found(site: &Site, mut common: Common<'_>) -> Result<Context, Diagnostic> {
    // A host serves 404.html at any depth: its links must be absolute.
    common.root = site.config.base_path().to_string();
    common.into_context("404", "Page not found", Map::new())
}

fn feed(site: &Site, entity: Option<&Entity>, common: Common<'_>) -> Result<Context, Diagnostic> {
    #[derive(Serialize)]
    struct FeedInfo {
        title: String,
        self_url: String,
        alternate_url: String,
        updated: String,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        title: &'a str,
        url: String,
        updated: String,
        summary: &'a str,
        authors: &'a [String],
        categories: Vec<&'a str>,
    }
    #[derive(Serialize)]
    struct FeedPage<'a> {
        feed: FeedInfo,
        entries: Vec<Entry<'a>>,
    }
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
    let timestamp = |date: Option<&When>| {
        date.map_or_else(|| When::on(NaiveDate::default()).rfc3339(), When::rfc3339)
    };
    let entries = ids
        .iter()
        .map(|&id| {
            let Talk { note, body } = &site.talks[id];
            Entry {
                title: &note.title,
                url: urls::absolute(base, &site.talk_url(id)),
                updated: timestamp(note.date.as_ref()),
                summary: note.summary.as_deref().unwrap_or(&body.excerpt),
                authors: site.graph.speaker_names(id),
                categories: note.tags.iter().map(String::as_str).collect(),
            }
        })
        .collect();
    let info = FeedInfo {
        title,
        self_url: urls::absolute(base, &common.path),
        alternate_url: urls::absolute(base, &page_url),
        updated: timestamp(
            ids.iter()
                .filter_map(|&id| site.talks[id].note.date.as_ref())
                .max_by_key(|date| date.instant()),
        ),
    };
    common.into_context(
        "feed",
        "",
        FeedPage {
            feed: info,
            entries,
        },
    )
}

/// `sitemap.xml`: every HTML page, with talk dates as `lastmod`.
fn sitemap(site: &Site) -> String {
    let base = &site.config.site.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages(site) {
        let lastmod = match page {
            Page::Talk(id) => site.talks[id].note.date.as_ref().map(When::day_iso),
            Page::Home | Page::Entity(..) | Page::EntityIndex(_) | Page::Search => None,
            Page::SiteFeed | Page::EntityFeed(..) | Page::Sitemap | Page::NotFound => continue,
        };
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&urls::absolute(base, &page.url(site))));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_that_cannot_be_made_is_an_internal_error() {
        let err = context_of("talk", vec![1, 2]).unwrap_err();
        assert!(
            err.message
                .starts_with("internal error: the talk page's template context: "),
            "{err}"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("this is a bug in talkbook, please report it")
        );
        assert!(context_of("talk", Map::new()).is_ok());
    }
}
