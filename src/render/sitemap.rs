//! `sitemap.xml`: its view is the list of its entries, written as XML by
//! code (no template). Past [`MAX_URLS`] pages, `sitemap.xml` is an index
//! of parts (`sitemap-1.xml`…), each listing at most that many.

use serde::Serialize;

use super::pagination::{page_count, page_of};
use super::{Page, pages};
use crate::content::when::When;
use crate::documents::date_of;
use crate::reads;
use crate::site::Site;
use crate::urls;

/// The most URLs one sitemap file may list (the sitemap protocol's limit).
pub const MAX_URLS: usize = 50_000;

/// One page in the sitemap.
#[derive(Clone, Serialize)]
pub struct Entry {
    /// The page's absolute URL.
    loc: String,
    /// A talk's date.
    lastmod: Option<String>,
}

/// What one sitemap file lists.
#[derive(Serialize)]
pub enum Contents {
    /// Pages.
    Urls(Vec<Entry>),
    /// The absolute URLs of the files that list the pages.
    Parts(Vec<String>),
}

/// Whether `page` is listed in the sitemap: every HTML page but the search
/// page and the 404.
pub fn lists(page: &Page) -> bool {
    match page {
        Page::Home
        | Page::Talk(_)
        | Page::Entity(..)
        | Page::EntityIndex(..)
        | Page::Talks(_)
        | Page::Graph => true,
        Page::Search
        | Page::SiteFeed
        | Page::EntityFeed(..)
        | Page::Sitemap
        | Page::SitemapPart(_)
        | Page::NotFound
        | Page::Previews(..) => false,
    }
}

/// How many parts a sitemap of `urls` URLs has, at most `limit` each:
/// none when `sitemap.xml` lists them itself.
pub fn parts(urls: usize, limit: usize) -> usize {
    if urls <= limit {
        0
    } else {
        page_count(urls, limit)
    }
}

/// What sitemap file `part` lists (`None`: `sitemap.xml` itself), at most
/// `limit` URLs a file. Only the pages the file lists are made entries.
pub fn contents(site: &Site, part: Option<usize>, limit: usize) -> Contents {
    let listed: Vec<Page> = reads::page_list(|| pages(site).into_iter().filter(lists).collect());
    match part {
        None if listed.len() <= limit => Contents::Urls(entries(site, &listed)),
        None => Contents::Parts(
            (1..=parts(listed.len(), limit))
                .map(|n| urls::absolute(&site.config.site.base_url, &urls::sitemap_part(n)))
                .collect(),
        ),
        Some(n) => Contents::Urls(entries(site, page_of(&listed, n, limit))),
    }
}

/// The entries of `pages`, with talk dates as `lastmod`.
fn entries(site: &Site, pages: &[Page]) -> Vec<Entry> {
    let base = &site.config.site.base_url;
    let locs: Vec<String> = reads::page_list(|| {
        let url = |page: &Page| urls::absolute(base, &page.url(site));
        pages.iter().map(url).collect()
    });
    pages
        .iter()
        .zip(locs)
        .map(|(page, loc)| {
            let lastmod = match page {
                Page::Talk(id) => date_of(&site.talks, *id).map(When::day_iso),
                _ => None,
            };
            Entry { loc, lastmod }
        })
        .collect()
}

/// The sitemap file listing `contents`.
pub fn xml(contents: &Contents) -> String {
    match contents {
        Contents::Urls(entries) => urlset(entries),
        Contents::Parts(parts) => index(parts),
    }
}

fn urlset(entries: &[Entry]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&entry.loc));
        xml.push_str("</loc>");
        if let Some(date) = &entry.lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn index(parts: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for loc in parts {
        xml.push_str("  <sitemap><loc>");
        xml.push_str(&xml_escape(loc));
        xml.push_str("</loc></sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
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

    fn locs(contents: &Contents) -> Vec<String> {
        match contents {
            Contents::Urls(entries) => entries.iter().map(|e| e.loc.clone()).collect(),
            Contents::Parts(_) => panic!("an index, not pages"),
        }
    }

    #[test]
    fn past_the_limit_the_sitemap_is_an_index_of_parts_that_list_every_page() {
        // The sample site at the repository's root.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, false).unwrap();
        let all = locs(&contents(&site, None, MAX_URLS));
        let limit = all.len() / 3 + 1;
        let Contents::Parts(files) = contents(&site, None, limit) else {
            panic!("{} URLs at {limit} a file make no index", all.len());
        };
        let base = &site.config.site.base_url;
        assert_eq!(
            files,
            [1, 2, 3].map(|n| format!("{base}sitemap-{n}.xml")),
            "{} URLs at {limit} a file",
            all.len()
        );
        let mut listed = Vec::new();
        for n in 1..=3 {
            let part = locs(&contents(&site, Some(n), limit));
            assert!(part.len() <= limit && !part.is_empty(), "part {n}");
            listed.extend(part);
        }
        assert_eq!(listed, all);
        let index = xml(&Contents::Parts(files));
        assert!(index.contains("<sitemapindex "), "{index}");
        assert!(
            index.contains(&format!(
                "<sitemap><loc>{base}sitemap-3.xml</loc></sitemap>"
            )),
            "{index}"
        );
        assert_eq!(parts(all.len(), all.len()), 0);
    }
}
