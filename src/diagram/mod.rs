//! Diagrams drawn at build time, as inline SVG: a page's neighbourhood in
//! the graph, the site's map of projects and speakers, talks per year, and
//! the series an event belongs to.
//!
//! Everything here is a pure function of the [`Site`]: the same site makes
//! byte-identical SVG. The SVG carries no colours, only classes that
//! `static/diagram.css` styles (light and dark), and every link in it is
//! relative to the page it is drawn on, like every link in the site.
//!
//! - [`neighbourhood`] and [`site_map`] choose the nodes and edges, bounded,
//! - [`layout`] places them (rings, no label overlapping another),
//! - [`svg`] writes them,
//! - [`timeline`] draws talks per year, and [`series`] groups events.

pub mod layout;
pub mod neighbourhood;
pub mod series;
pub mod site_map;
pub mod svg;
pub mod timeline;

use crate::entity::EntityKind;
use crate::graph::Entity;
use crate::ids::TalkId;
use crate::site::Site;
use crate::urls;
use serde::{Serialize, Serializer};

/// At most this many nodes in a page's neighbourhood.
pub const MAX_NEIGHBOURHOOD_NODES: usize = 30;

/// One node of a diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// Its CSS class: `talk`, or the entity's kind (`speaker`, `project`…).
    pub class: &'static str,
    /// Its full name, shown truncated under it.
    pub name: String,
    /// What its tooltip adds to the name (`tag`, a talk's date), if anything.
    pub detail: Option<String>,
    /// Its page, site-relative.
    pub url: String,
    /// Its circle's radius ([`layout::radius`]): how many talks it stands
    /// for, in a few steps.
    pub radius: u32,
    /// Its ring in the layout: 0 is the centre.
    pub ring: usize,
}

/// An edge between two nodes (by their places in [`Diagram::nodes`]).
///
/// Nodes and edges hold what the SVG shows (a size, a width), not the
/// counts these come from: a diagram, and so a page's fingerprint, changes
/// when a step does, not with every talk added to a big entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// One end.
    pub from: usize,
    /// The other end.
    pub to: usize,
    /// Its width in tenths of the default ([`layout::width`]): how many
    /// talks it stands for, in a few steps.
    pub width: u32,
}

impl Edge {
    /// An edge from `from` to `to` standing for `talks` talks.
    pub fn new(from: usize, to: usize, talks: usize) -> Edge {
        Edge {
            from,
            to,
            width: layout::width(talks),
        }
    }

    /// An edge standing for one talk from `from` to `to`.
    pub fn one(from: usize, to: usize) -> Edge {
        Edge::new(from, to, 1)
    }
}

/// Nodes and edges, before they are placed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    /// What the diagram shows, in words: its accessible name.
    pub summary: String,
    /// How to read it: its accessible description.
    pub description: &'static str,
    /// Whether the first node is the subject: the page's own talk or entity.
    pub subject: bool,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
}

impl Diagram {
    /// The diagram as SVG, for the page at `page_url`.
    pub fn to_svg(&self, page_url: &str) -> String {
        svg::graph(self, &layout::rings(&self.nodes), page_url)
    }
}

/// The node of entity `entity` on ring `ring`; its tooltip names its kind.
fn entity_node(entity: &Entity, ring: usize) -> Node {
    Node {
        class: entity.kind.singular(),
        name: entity.name.clone(),
        detail: Some(entity.kind.singular().to_string()),
        url: urls::entity(entity.kind, &entity.slug),
        radius: layout::radius(entity.talk_count_up_to(layout::RADIUS_FULL_FROM)),
        ring,
    }
}

/// The node of talk `id` on ring `ring`.
fn talk_node(site: &Site, id: TalkId, ring: usize) -> Node {
    let note = &site.talks[id].note;
    Node {
        class: "talk",
        name: note.title.clone(),
        detail: note.date.as_ref().map(|d| d.human()),
        url: site.talk_url(id),
        radius: layout::radius(1),
        ring,
    }
}

/// The kinds of entity, in the order diagrams list them.
const KINDS: [EntityKind; 4] = [
    EntityKind::Speaker,
    EntityKind::Event,
    EntityKind::Project,
    EntityKind::Tag,
];

/// A diagram on the page at `page_url`. Serialized for a template, it is
/// the SVG; for a fingerprint (a serializer that is not human-readable),
/// it is the diagram and the page's URL, of which the SVG is a pure
/// function: `serve` compares pages without laying out every diagram.
#[derive(Debug)]
pub struct Drawing {
    diagram: Diagram,
    page_url: String,
}

impl Serialize for Drawing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.diagram.to_svg(&self.page_url))
        } else {
            (&self.diagram, &self.page_url).serialize(serializer)
        }
    }
}

/// The neighbourhood of talk `id`, drawn for its page; `None` when the
/// talk names no speaker, project, tag or event.
pub fn talk_drawing(site: &Site, id: TalkId) -> Option<Drawing> {
    neighbourhood::of_talk(site, id).map(|diagram| Drawing {
        diagram,
        page_url: site.talk_url(id),
    })
}

/// The neighbourhood of `entity`, drawn for its page; `None` when it has
/// no talks.
pub fn entity_drawing(site: &Site, entity: &Entity) -> Option<Drawing> {
    neighbourhood::of_entity(site, entity).map(|diagram| Drawing {
        diagram,
        page_url: urls::entity(entity.kind, &entity.slug),
    })
}

/// The site's map of projects and speakers, as SVG for the page at `page_url`.
pub fn site_map_svg(site: &Site, page_url: &str) -> String {
    site_map::of_site(site).to_svg(page_url)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Where the README's picture of a graph is.
    const README_GRAPH: &str = "docs/graph.svg";

    /// The README shows the sample site's `/graph/` diagram: the committed
    /// file must be what the sample site draws. To write it again:
    /// `TALKBOOK_WRITE_README_GRAPH=1 cargo test --lib readme_graph`.
    #[test]
    fn the_readme_graph_is_the_sample_sites_map() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, false).unwrap();
        let drawn = svg::standalone(&site_map_svg(&site, urls::GRAPH));
        let path = root.join(README_GRAPH);
        if std::env::var_os("TALKBOOK_WRITE_README_GRAPH").is_some() {
            std::fs::write(&path, &drawn).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == drawn,
            "{README_GRAPH} is not the sample site's map: write it again with \
             TALKBOOK_WRITE_README_GRAPH=1 cargo test --lib readme_graph"
        );
        assert!(drawn.contains("<style><![CDATA["), "styles inline");
    }
}

/// A site to draw, for the tests of this module's parts.
#[cfg(test)]
pub(crate) mod sample {
    use std::path::Path;

    use crate::content::{Content, KeyMap, Note};
    use crate::site::{Markdown, Site};

    /// A site of notes whose TOML front matter is each of `fronts`, in
    /// files `content/t000.md`, `content/t001.md`…
    pub fn site(fronts: &[String]) -> Site {
        let notes = fronts
            .iter()
            .enumerate()
            .map(|(i, front)| {
                let path = format!("content/t{i:03}.md");
                let text = format!("+++\n{front}\n+++\nBody.\n");
                Note::parse(Path::new(&path), &text, &KeyMap::default()).unwrap()
            })
            .collect();
        let content = Content {
            notes,
            profiles: Vec::new(),
            skipped: Vec::new(),
        };
        Site::assemble(Path::new("."), Default::default(), content, Markdown::Keep)
    }

    /// Front matter: `title`, `date` and TOML lines `more`.
    pub fn talk(title: &str, date: &str, more: &str) -> String {
        format!("title = \"{title}\"\ndate = {date}\n{more}")
    }
}
