//! Where every page lives: the one place a URL is decided.
//!
//! Paths here are *site-relative*: no leading slash, folders end in `/`
//! (`talks/istio-config/`). Templates turn them into links relative to the
//! current page with the page's `root` prefix (`../../`), so a site works under
//! any sub-path of its host and from `file://`. Feeds and the sitemap need
//! absolute URLs: [`absolute`] joins a path to the configured `base-url`.

use crate::entity::EntityKind;

/// The home page.
pub const HOME: &str = "";
/// The site-wide Atom feed.
pub const SITE_FEED: &str = "atom.xml";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The page a static host serves for unknown URLs.
pub const NOT_FOUND: &str = "404.html";
/// The search page.
pub const SEARCH: &str = "search/";
/// The map of the site's projects and speakers.
pub const GRAPH: &str = "graph/";
/// The folder of static assets (CSS, scripts) and the generated highlight CSS.
pub const STATIC_DIR: &str = "static/";
/// Every folder at the top of a site (talks, each kind of entity, search,
/// graph, static files, the search index), without their slashes: the
/// `404.html` page finds the site's root in a missing page's URL from them.
pub const TOP_FOLDERS: &[&str] = &[
    "talks",
    "speakers",
    "projects",
    "tags",
    "events",
    "search",
    "graph",
    "static",
    "search-index",
    "previews",
];
/// The folder of the hover previews' files (`static/preview.js` loads them).
pub const PREVIEWS_DIR: &str = "previews/";

/// A URL-safe slug: lowercase ASCII, words joined by `-` (`Björn Ström` →
/// `bjorn-strom`). Empty when `name` has no letters or digits.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

/// The longest slug: each slug is a folder name in the output, and file
/// systems allow names of at most 255 bytes (slugs are ASCII).
pub const MAX_SLUG_LEN: usize = 255;

/// What is wrong with `slug` as a part of URLs and output paths, if anything.
pub fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        Some("has no letters or digits to make a URL from".into())
    } else if slug.len() > MAX_SLUG_LEN {
        Some(format!(
            "makes a URL part of {} characters, and a file name holds at most {MAX_SLUG_LEN}",
            slug.len()
        ))
    } else {
        None
    }
}

/// The file of hover previews number `number` (`previews/12.js`).
pub fn previews(number: usize) -> String {
    format!("{PREVIEWS_DIR}{number}.js")
}

/// The page of the talk whose slug is `slug`.
pub fn talk(slug: &str) -> String {
    talk_parts(slug).concat()
}

/// [`talk`]'s URL in parts, for code that reads it without making it.
pub fn talk_parts(slug: &str) -> [&str; 3] {
    [TALKS, slug, "/"]
}

/// The page of one speaker, project, tag or event.
pub fn entity(kind: EntityKind, slug: &str) -> String {
    entity_parts(kind, slug).concat()
}

/// [`entity`]'s URL in parts, for code that reads it without making it.
pub fn entity_parts(kind: EntityKind, slug: &str) -> [&str; 4] {
    [kind.folder(), "/", slug, "/"]
}

/// The index page listing every entity of `kind`.
pub fn entity_index(kind: EntityKind) -> String {
    format!("{}/", kind.folder())
}

/// The list of every talk, newest first.
pub const TALKS: &str = "talks/";

/// Page `number` (from 1) of the list whose first page is at `first` (a
/// folder): the first page keeps its URL, page 2 of `projects/k8s/` is
/// `projects/k8s/page/2/`.
pub fn paged(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

/// The sitemap's part `number` (from 1), when the sitemap is an index of
/// parts (`sitemap-2.xml`).
pub fn sitemap_part(number: usize) -> String {
    format!("sitemap-{number}.xml")
}

/// The Atom feed of one speaker, project or tag.
pub fn entity_feed(kind: EntityKind, slug: &str) -> String {
    format!("{}atom.xml", entity(kind, slug))
}

/// The file that holds the page at `path`: folders get `index.html`.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The prefix that leads from the page at `path` back to the site root
/// (`talks/x/` → `../../`, the home page → `""`).
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The absolute URL of `path` under `base_url` (which ends in `/`).
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("Björn Ström"), "bjorn-strom");
        assert_eq!(slugify("Open Policy Agent"), "open-policy-agent");
        assert_eq!(slugify("C++ & Rust!"), "c-rust");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn top_folders_hold_every_kind_of_page() {
        let mut tops: Vec<String> = EntityKind::ALL
            .iter()
            .map(|kind| entity_index(*kind))
            .collect();
        tops.extend([talk("x"), SEARCH.into(), GRAPH.into(), STATIC_DIR.into()]);
        tops.push("search-index/".into());
        for top in tops {
            let folder = top.split('/').next().unwrap();
            assert!(TOP_FOLDERS.contains(&folder), "{folder} missing");
        }
    }

    #[test]
    fn pages_live_in_folders() {
        assert_eq!(talk("a"), "talks/a/");
        assert_eq!(
            entity(EntityKind::Speaker, "liz-rice"),
            "speakers/liz-rice/"
        );
        assert_eq!(entity_index(EntityKind::Tag), "tags/");
        assert_eq!(
            entity_feed(EntityKind::Project, "istio"),
            "projects/istio/atom.xml"
        );
        assert_eq!(file_for("talks/a/"), "talks/a/index.html");
        assert_eq!(file_for(HOME), "index.html");
        assert_eq!(file_for(SITEMAP), "sitemap.xml");
    }

    #[test]
    fn later_pages_of_a_list_live_under_its_first() {
        let first = entity(EntityKind::Project, "kubernetes");
        assert_eq!(paged(&first, 1), "projects/kubernetes/");
        assert_eq!(paged(&first, 2), "projects/kubernetes/page/2/");
        assert_eq!(paged(TALKS, 10), "talks/page/10/");
        assert_eq!(root_prefix(&paged(&first, 2)), "../../../../");
        assert_eq!(sitemap_part(3), "sitemap-3.xml");
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix(HOME), "");
        assert_eq!(root_prefix("talks/a/"), "../../");
        assert_eq!(root_prefix("speakers/"), "../");
        assert_eq!(root_prefix("404.html"), "");
    }
}
