//! Pages: which pages a site has, what each shows, and each page's HTML.
//!
//! A page is made in two steps: its **view** ([`view`], in `views.rs`), a
//! typed value holding the template's name and exactly the data the
//! template reads, then the template rendered with that data. Each view is
//! small (the talk and the few talks it links to, not the whole site), so
//! rendering stays cheap as sites grow. `serve` decides which pages to render
//! again from the same views: a page's [`fingerprint`] is the hash of its
//! serialized view (`fingerprint.rs`, `hashing.rs`), so whatever a page
//! shows is in its fingerprint, and what building the view read of the site
//! is recorded as it is built ([`crate::reads`]), so no list of what each
//! page reads is kept anywhere else.
//!
//! Long lists (an entity's talks, `/talks/`, the A-Z index pages) are split
//! into pages ([`pagination`], [`alphabetical`]), each a [`Page`] of its own
//! whose view holds its slice of the list and its links to the others: the
//! pages of a list come and go with the graph, and `serve` adds and drops
//! them as it does any page.
//!
//! The one rule: pages other than a talk's own show the talk only through
//! its card ([`cards::card`], in lists) and its feed entry ([`cards::entry`],
//! in feeds; the site's feed with the note's content), and through the
//! graph (its links, entities and order). Where another page reads a note's
//! field directly (the sitemap's `lastmod`, the order of events by date, the
//! talks a diagram draws: title, URL, date), it is a field the card shows
//! too. `serve`'s fast path relies on this rule: after an edit of a note
//! that changed neither the graph nor its [`shown_elsewhere`] hash, only
//! its own page and the pages [`showing_content`] can have changed, though
//! every page that lists the note read it.

mod alphabetical;
mod cards;
mod fingerprint;
mod hashing;
mod pagination;
mod previews;
mod sitemap;
mod views;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::entity::EntityKind;
use crate::files::Files;
use crate::ids::TalkId;
use crate::site::Site;
use crate::{templates, urls};

pub use fingerprint::{Fingerprint, Fingerprints, fingerprint, shown_elsewhere};
pub use previews::file_of;
pub use views::{Data, View, sorted_entities, view};

/// Talks listed per event on the home page.
pub const HOME_TALKS_PER_EVENT: usize = 5;
/// Events listed on the home page (the newest; `/events/` lists them all).
pub const HOME_EVENTS: usize = 6;
/// How many times more rows an index page lists than a talk list lists
/// talks (`[site] page-size`): a row, a name and a count, is about a tenth
/// of a talk's card.
pub const INDEX_ROWS_PER_TALK: usize = 10;
/// Projects listed on the home page.
pub const HOME_PROJECTS: usize = 12;
/// Talks listed under "Latest notes" and in each feed.
pub const LATEST: usize = 20;

/// The talks whose notes the site's feed shows whole: the newest
/// [`LATEST`].
pub fn site_feed_talks(site: &Site) -> &[TalkId] {
    let newest = site.graph.newest_first();
    &newest[..newest.len().min(LATEST)]
}
/// Talks listed under an entity's "Mentioned in" (the newest; the page
/// says how many more): a name mentioned across a big site would otherwise
/// make its page megabytes long.
pub const MENTIONED_IN_SHOWN: usize = 20;

/// Every kind of page a site has. Lists are split into pages numbered
/// from 1 ([`pagination`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// The home page.
    Home,
    /// A talk.
    Talk(TalkId),
    /// A page of a speaker's, project's, tag's or event's talks (the first
    /// also shows the rest of what the site knows of it).
    Entity(EntityKind, String, usize),
    /// A page of the A-Z list of all entities of a kind.
    EntityIndex(EntityKind, usize),
    /// A page of the list of every talk, newest first.
    Talks(usize),
    /// The site-wide Atom feed.
    SiteFeed,
    /// The Atom feed of a speaker, project or tag.
    EntityFeed(EntityKind, String),
    /// The sitemap, or past [`sitemap::MAX_URLS`] pages the index of its
    /// parts.
    Sitemap,
    /// A part of the sitemap, when it has parts.
    SitemapPart(usize),
    /// `404.html`.
    NotFound,
    /// The search page.
    Search,
    /// The map of the site's projects and speakers.
    Graph,
    /// A file of hover previews, by number, and the pages whose cards it
    /// holds ([`previews`]).
    Previews(usize, previews::Bundle),
}

impl Page {
    /// The page's site-relative URL.
    pub fn url(&self, site: &Site) -> String {
        match self {
            Page::Home => urls::HOME.to_string(),
            Page::Talk(id) => site.talk_url(*id),
            Page::Entity(kind, slug, n) => urls::paged(&urls::entity(*kind, slug), *n),
            Page::EntityIndex(kind, n) => urls::paged(&urls::entity_index(*kind), *n),
            Page::Talks(n) => urls::paged(urls::TALKS, *n),
            Page::SiteFeed => urls::SITE_FEED.to_string(),
            Page::EntityFeed(kind, slug) => urls::entity_feed(*kind, slug),
            Page::Sitemap => urls::SITEMAP.to_string(),
            Page::SitemapPart(n) => urls::sitemap_part(*n),
            Page::NotFound => urls::NOT_FOUND.to_string(),
            Page::Search => urls::SEARCH.to_string(),
            Page::Graph => urls::GRAPH.to_string(),
            Page::Previews(number, _) => urls::previews(*number),
        }
    }
}

/// Entity kinds that have feeds.
pub fn has_feed(kind: EntityKind) -> bool {
    kind != EntityKind::Event
}

/// The pages besides a talk's own that show its note's content: the
/// site's feed, whose entries carry it. A body edit may change them.
pub fn showing_content() -> [Page; 1] {
    [Page::SiteFeed]
}

/// Talks a talk list shows per page.
fn talks_per_page(site: &Site) -> usize {
    site.config.site.page_size
}

/// Rows an index page shows per page.
fn rows_per_page(site: &Site) -> usize {
    site.config
        .site
        .page_size
        .saturating_mul(INDEX_ROWS_PER_TALK)
}

/// Every page of `site`.
pub fn pages(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Home,
        Page::SiteFeed,
        Page::Sitemap,
        Page::NotFound,
        Page::Search,
        Page::Graph,
    ];
    pages.extend(site.notes().ids().map(Page::Talk));
    let talk_pages = pagination::page_count(site.talks.len(), talks_per_page(site));
    pages.extend((1..=talk_pages).map(Page::Talks));
    for kind in EntityKind::ALL {
        let rows = alphabetical::rows(site, kind).len();
        let count = pagination::page_count(rows, rows_per_page(site));
        pages.extend((1..=count).map(|n| Page::EntityIndex(kind, n)));
    }
    for entity in site.graph.entities().values() {
        let count = pagination::page_count(entity.talk_count(), talks_per_page(site));
        pages.extend((1..=count).map(|n| Page::Entity(entity.kind, entity.slug.clone(), n)));
        if has_feed(entity.kind) {
            pages.push(Page::EntityFeed(entity.kind, entity.slug.clone()));
        }
    }
    let bundles = previews::bundles(site).into_iter();
    pages.extend(bundles.map(|(number, bundle)| Page::Previews(number, bundle)));
    let listed = pages.iter().filter(|page| sitemap::lists(page)).count();
    let parts = sitemap::parts(listed, sitemap::MAX_URLS);
    pages.extend((1..=parts).map(Page::SitemapPart));
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
    let files = Mutex::new(Files::new());
    render_each(site, tera, pages, progress, &|_, file, bytes| {
        files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(file, bytes);
        Ok(())
    })?;
    Ok(files
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// Where [`render_each`] hands each page made: the page, its output file
/// path, its bytes.
pub type PutPage<'a> = dyn Fn(&Page, String, Vec<u8>) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders every page in parallel, handing each to `put` (the page, its
/// output file path, bytes) as soon as it is made, so that no more than a few pages are held
/// at once. A page that fails to render is not put; template errors are
/// reported once per template and message, with how many pages hit them.
/// The first error of `put` stops rendering, and is the only one reported.
pub fn render_each(
    site: &Site,
    tera: &Tera,
    pages: &[Page],
    progress: &(dyn Fn() + Sync),
    put: &PutPage<'_>,
) -> Result<(), Diagnostics> {
    let failed: Mutex<Vec<(usize, String, Diagnostic)>> = Mutex::new(Vec::new());
    let put_failed: Mutex<Option<Diagnostic>> = Mutex::new(None);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Every thread takes the next page in order, rather than each a part
    // of the list: the talks' pages, first in a build, are all made early,
    // and their notes' HTML freed early (see `crate::memory`).
    rayon::broadcast(|_| {
        while !stop.load(Ordering::Relaxed) {
            let n = next.fetch_add(1, Ordering::Relaxed);
            let Some(page) = pages.get(n) else {
                break;
            };
            let url = page.url(site);
            let html = render(site, tera, page);
            progress();
            let put = match html {
                Ok(html) => put(page, urls::file_for(&url), html.into_bytes()),
                Err(problem) => {
                    lock(&failed).push((n, url, problem));
                    Ok(())
                }
            };
            if let Err(problem) = put {
                lock(&put_failed).get_or_insert(problem);
                stop.store(true, Ordering::Relaxed);
            }
        }
    });
    if let Some(problem) = lock(&put_failed).take() {
        return Err(problem.into());
    }
    let mut failed = failed
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    failed.sort_by_key(|(n, _, _)| *n);
    template_errors(failed)
}

/// What `mutex` holds, even if a thread panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The problems of the pages that failed to render (in the order of the
/// pages), one per message, naming the first page that hit it.
fn template_errors(failed: Vec<(usize, String, Diagnostic)>) -> Result<(), Diagnostics> {
    let mut errors: BTreeMap<String, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for (_, url, problem) in failed {
        errors
            .entry(problem.to_string())
            .or_insert_with(|| (problem, Vec::new()))
            .1
            .push(url);
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
    problems.into_result(())
}

/// Renders one page: its [`view`], through its template (or, for the
/// sitemap and previews, written by code).
pub fn render(site: &Site, tera: &Tera, page: &Page) -> Result<String, Diagnostic> {
    match view(site, page)? {
        View::Template(template, data) => {
            let context = context_of(data.kind(), &data)?;
            tera.render(template, &context)
                .map_err(|err| templates::template_error(&site.root, template, &err))
        }
        View::Sitemap(contents) => Ok(sitemap::xml(&contents)),
        View::Previews(previews) => previews::script(&previews),
    }
}

/// `data` as a template context. Every page's data is a map, so a failure
/// here is a bug in talkbook, reported as one for the `kind` page.
fn context_of(kind: &str, data: &impl Serialize) -> Result<Context, Diagnostic> {
    Context::from_serialize(data)
        .map_err(|err| Diagnostic::internal(format!("the {kind} page's template context: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_that_cannot_be_made_is_an_internal_error() {
        let err = context_of("talk", &vec![1, 2]).unwrap_err();
        assert!(
            err.message
                .starts_with("internal error: the talk page's template context: "),
            "{err}"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("this is a bug in talkbook, please report it")
        );
        assert!(context_of("talk", &serde_json::Map::new()).is_ok());
    }
}
