//! Writing diagrams as SVG: shapes with classes (the colours are in
//! `static/diagram.css`), every text escaped, every link relative to the page.

use std::collections::BTreeMap;
use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use super::Diagram;
use super::layout::{self, FONT_SIZE, Layout};
use crate::static_files::DIAGRAM_STYLESHEET;
use crate::urls;

/// `text`, escaped for SVG text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut escaped, text);
    escaped
}

/// What the opening of an `<svg>` says: its class, its role (`img` for a
/// picture, `group` for a drawing of links), its view box, its accessible
/// name and description.
pub struct Opening<'a> {
    /// Its class besides `diagram`.
    pub class: &'a str,
    /// Its ARIA role.
    pub role: &'a str,
    /// Its view box: left, top, width, height.
    pub view: (i64, i64, i64, i64),
    /// Its accessible name, also its `<title>`.
    pub summary: &'a str,
    /// Its `<desc>`.
    pub description: &'a str,
}

/// The opening `<svg>` tag, its `<title>` and `<desc>`.
pub fn open(opening: &Opening<'_>) -> String {
    let (left, top, width, height) = opening.view;
    let (class, role) = (opening.class, opening.role);
    let summary = escape(opening.summary);
    let description = escape(opening.description);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram {class}\" role=\"{role}\" \
         aria-label=\"{summary}\" viewBox=\"{left} {top} {width} {height}\" \
         width=\"{width}\" height=\"{height}\" font-size=\"{FONT_SIZE}\">\
         <title>{summary}</title><desc>{description}</desc>"
    )
}

/// A diagram of nodes and edges, placed by `layout`, for the page at
/// `page_url`: edges first, then each node as a link holding its circle,
/// its label and a `<title>` with its full name.
pub fn graph(diagram: &Diagram, layout: &Layout, page_url: &str) -> String {
    let root = urls::root_prefix(page_url);
    let mut svg = open(&Opening {
        class: "graph",
        role: "group",
        view: layout.view,
        summary: &diagram.summary,
        description: diagram.description,
    });
    // The edges of one width are one path, a move and a line each: about
    // a third of the bytes of a `<line>` per edge, on every talk page.
    let mut paths: BTreeMap<u32, String> = BTreeMap::new();
    for edge in &diagram.edges {
        let (x1, y1) = layout.points[edge.from];
        let (x2, y2) = layout.points[edge.to];
        let _ = write!(paths.entry(edge.width).or_default(), "M{x1} {y1}L{x2} {y2}");
    }
    svg.push_str("<g class=\"edges\">");
    for (width, path) in &paths {
        let _ = write!(svg, "<path d=\"{path}\"");
        // Width 1 is SVG's default: most edges stand for one talk.
        if *width != 10 {
            let _ = write!(svg, " stroke-width=\"{}.{}\"", width / 10, width % 10);
        }
        svg.push_str("/>");
    }
    svg.push_str("</g><g class=\"nodes\">");
    for (i, (node, &(x, y))) in diagram.nodes.iter().zip(&layout.points).enumerate() {
        let subject = if i == 0 && diagram.subject {
            " subject"
        } else {
            ""
        };
        let title = match &node.detail {
            Some(detail) => format!("{} · {detail}", node.name),
            None => node.name.clone(),
        };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"node {}{subject}\"><title>{}</title>\
             <circle cx=\"{x}\" cy=\"{y}\" r=\"{}\"/>\
             <text x=\"{x}\" y=\"{}\">{}</text></a>",
            escape(&format!("{root}{}", node.url)),
            node.class,
            escape(&title),
            node.radius,
            y + layout::label_y(node) as i64,
            escape(&layout::label(&node.name)),
        );
    }
    svg.push_str("</g></svg>");
    svg
}

/// `svg` as a file of its own: the diagrams' stylesheet inside it, so that
/// it looks as on the site (light and dark) wherever it is shown.
pub fn standalone(svg: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(end + 1);
    format!("{open}<style><![CDATA[\n{DIAGRAM_STYLESHEET}]]></style>{rest}\n")
}

#[cfg(test)]
mod tests {
    use super::super::{Edge, Node};
    use super::*;

    fn node(name: &str, url: &str, ring: usize) -> Node {
        Node {
            class: "tag",
            name: name.into(),
            detail: Some("2 talks".into()),
            url: url.into(),
            radius: 7,
            ring,
        }
    }

    /// The SVG, on the page `talks/x/`, of a diagram of tags whose first
    /// node is its subject.
    fn tags_svg(summary: &str, nodes: Vec<Node>, edges: Vec<Edge>) -> String {
        let diagram = Diagram {
            summary: summary.into(),
            description: "Lines join tags.",
            subject: true,
            nodes,
            edges,
        };
        diagram.to_svg("talks/x/")
    }

    #[test]
    fn text_is_escaped_and_links_are_relative() {
        let nodes = vec![
            node("C++ & \"Rust\"", "tags/c-rust/", 0),
            node("<script>", "tags/script/", 1),
        ];
        let svg = tags_svg("Tags & <talks>", nodes, vec![Edge::new(0, 1, 2)]);
        assert!(
            svg.contains("<title>Tags &amp; &lt;talks&gt;</title>"),
            "{svg}"
        );
        assert!(svg.contains("href=\"../../tags/c-rust/\""), "{svg}");
        assert!(svg.contains("&lt;script&gt;</text>"), "{svg}");
        assert!(
            svg.contains("C++ &amp; &quot;Rust&quot; · 2 talks"),
            "{svg}"
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("class=\"node tag subject\""));
        assert!(svg.contains("stroke-width=\"1.7\""), "{svg}");
    }

    #[test]
    fn edges_of_one_width_are_one_path() {
        let nodes = vec![
            node("a", "tags/a/", 0),
            node("b", "tags/b/", 1),
            node("c", "tags/c/", 1),
        ];
        let edges = vec![Edge::one(0, 1), Edge::new(1, 2, 2), Edge::one(0, 2)];
        let svg = tags_svg("Tags", nodes, edges);
        let paths: Vec<&str> = svg
            .split("<path d=\"")
            .skip(1)
            .map(|path| path.split("/>").next().unwrap_or(""))
            .collect();
        assert_eq!(paths.len(), 2, "{svg}");
        assert_eq!(paths[0].matches('L').count(), 2, "{svg}");
        assert!(!paths[0].contains("stroke-width"), "{svg}");
        assert_eq!(paths[1].matches('L').count(), 1, "{svg}");
        assert!(paths[1].contains("stroke-width=\"1.7\""), "{svg}");
        assert_eq!(svg.matches("<line").count(), 0, "{svg}");
    }
}
