//! `sitemap.xml`: its view is the list of its entries, written as XML by
//! code (no template).

use serde::Serialize;

use super::{Page, pages};
use crate::content::when::When;
use crate::site::Site;
use crate::urls;

/// One page in the sitemap.
#[derive(Serialize)]
pub struct Entry {
    /// The page's absolute URL.
    loc: String,
    /// A talk's date.
    lastmod: Option<String>,
}

/// Every HTML page but the search page and `404.html`, with talk dates as
/// `lastmod`.
pub fn entries(site: &Site) -> Vec<Entry> {
    let base = &site.config.site.base_url;
    pages(site)
        .into_iter()
        .filter_map(|page| {
            let lastmod = match page {
                Page::Talk(id) => site.talks[id].note.date.as_ref().map(When::day_iso),
                Page::Home | Page::Entity(..) | Page::EntityIndex(_) | Page::Graph => None,
                Page::Search
                | Page::SiteFeed
                | Page::EntityFeed(..)
                | Page::Sitemap
                | Page::NotFound
                | Page::TalkPreview(_)
                | Page::EntityPreview(..) => {
                    return None;
                }
            };
            Some(Entry {
                loc: urls::absolute(base, &page.url(site)),
                lastmod,
            })
        })
        .collect()
}

/// The sitemap listing `entries`.
pub fn xml(entries: &[Entry]) -> String {
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

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
