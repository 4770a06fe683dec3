//! Graphs and timelines drawn at build time: each talk's and entity's
//! neighbourhood, the site's map at `/graph/`, talks per year, and the
//! editions of an event's series.

use std::path::Path;

use crate::support::*;

/// The page's first inline SVG whose class is `diagram {class}`.
fn diagram<'a>(html: &'a str, class: &str) -> &'a str {
    let start = html
        .find(&format!("class=\"diagram {class}\""))
        .unwrap_or_else(|| panic!("no {class} diagram in:\n{html}"));
    let start = html[..start].rfind("<svg").unwrap();
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

/// The links of an SVG drawn on the page at `page` (site-relative), as
/// site-relative paths, each checked to be a page of the built site `out`.
fn resolved_links(out: &Path, page: &str, svg: &str) -> Vec<String> {
    let depth = page.matches('/').count();
    attr_values(svg, "href")
        .into_iter()
        .map(|href| {
            let up = href.matches("../").count();
            assert_eq!(up, depth, "{href} on {page} is not relative to the root");
            let path = href.trim_start_matches("../").to_string();
            assert!(
                out.join(&path).join("index.html").is_file(),
                "{href} on {page} leads to no page"
            );
            path
        })
        .collect()
}

#[test]
fn the_graph_page_maps_the_top_projects_and_speakers_and_the_navigation_links_it() {
    let (_tmp, out) = build_sample();
    let home = read(&out, "index.html");
    assert_has(&home, "<li><a href=\"graph/\">Graph</a></li>");
    let page = read(&out, "graph/index.html");
    let map = diagram(&page, "graph");
    assert_has(map, "role=\"group\"");
    assert_has(
        map,
        "<title>Map of the site: 27 projects and 26 speakers with the most talks",
    );
    assert_has(map, "<desc>");
    let links = resolved_links(&out, "graph/", map);
    assert_eq!(
        &links[..3],
        [
            "projects/kubernetes/",
            "projects/docker/",
            "projects/istio/"
        ],
        "the projects with the most talks first"
    );
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("projects/") || l.starts_with("speakers/"))
    );
    assert_has(map, "class=\"node project\"><title>Kubernetes · ");
    let edges: usize = map
        .split("<path d=\"")
        .skip(1)
        .map(|path| path.split('"').next().unwrap_or("").matches('L').count())
        .sum();
    assert!(edges > 10, "edges: {map}");
    let sitemap = read(&out, "sitemap.xml");
    assert_has(
        &sitemap,
        "<loc>https://example.org/kubecon-notes/graph/</loc>",
    );
}

#[test]
fn a_talks_neighbourhood_links_its_speakers_projects_tags_and_event() {
    let (_tmp, out) = build_sample();
    let url = "talks/istio-performance-and-scale/";
    let page = read(&out, &format!("{url}index.html"));
    let svg = diagram(&page, "graph");
    assert_has(
        svg,
        "aria-label=\"Neighbourhood of Performance and Scale @ Istio Service Mesh:",
    );
    let links = resolved_links(&out, url, svg);
    assert_eq!(links[0], url, "the talk itself at the centre");
    for entity in [
        "speakers/fawad-khaliq/",
        "speakers/laurent-demailly/",
        "speakers/surya-v-duggirala/",
        "events/kubecon-cloudnativecon-europe-2018/",
        "projects/istio/",
        "projects/haproxy/",
        "tags/service-mesh/",
        "tags/scale/",
    ] {
        assert!(
            links.contains(&entity.to_string()),
            "{entity} not in {links:?}"
        );
    }
    // Each node is a link named by its full name and kind.
    assert_has(
        svg,
        "class=\"node speaker\"><title>Fawad Khaliq · speaker</title>",
    );
    assert!(links.len() <= 30);
    assert!(links.iter().skip(9).all(|l| l.starts_with("talks/")));
}

#[test]
fn entity_pages_show_their_neighbourhood_and_talks_per_year() {
    let (_tmp, out) = build_sample();
    let page = read(&out, "projects/istio/index.html");
    let timeline = diagram(&page, "timeline");
    assert_has(timeline, "role=\"img\"");
    assert_has(timeline, "aria-label=\"Talks per year: 2018: 3\"");
    assert_has(timeline, ">2018</text>");
    let svg = diagram(&page, "graph");
    let links = resolved_links(&out, "projects/istio/", svg);
    assert_eq!(links[0], "projects/istio/");
    assert!(links.contains(&"talks/istio-performance-and-scale/".to_string()));
    let event = read(&out, "events/kubecon-cloudnativecon-europe-2018/index.html");
    assert!(
        !event.contains("class=\"diagram timeline\""),
        "no timeline for an event"
    );
    assert_has(&event, "class=\"diagram graph\"");
}

/// A site with two editions of KubeCon EU, one of KubeCon NA and FOSDEM.
fn series_site() -> Site {
    let note = |event: &str, date: &str| {
        format!(
            "+++\ntitle = \"A talk\"\ndate = {date}\nevent = \"{event}\"\ntags = [\"k8s\"]\n+++\nBody.\n"
        )
    };
    Site::new()
        .file("content/eu18.md", &note("KubeCon EU 2018", "2018-05-02"))
        .file("content/eu19.md", &note("KubeCon EU 2019", "2019-05-21"))
        .file("content/na19.md", &note("KubeCon NA 2019", "2019-11-18"))
        .file("content/fosdem.md", &note("FOSDEM 2020", "2020-02-01"))
}

#[test]
fn editions_of_a_series_link_each_other() {
    let site = series_site();
    site.build().ok();
    let eu18 = site.read("events/kubecon-eu-2018/index.html");
    let editions = between(
        &eu18,
        "<nav class=\"series\" aria-label=\"Editions\">",
        "</nav>",
    );
    assert_has(
        editions,
        "<strong aria-current=\"page\">KubeCon EU 2018</strong>",
    );
    assert_has(
        editions,
        "<a href=\"../../events/kubecon-eu-2019/\">KubeCon EU 2019</a>",
    );
    assert_lacks(editions, "KubeCon NA");
    let eu19 = site.read("events/kubecon-eu-2019/index.html");
    assert_has(
        &eu19,
        "<a href=\"../../events/kubecon-eu-2018/\">KubeCon EU 2018</a>",
    );
    let na19 = site.read("events/kubecon-na-2019/index.html");
    assert_lacks(&na19, "aria-label=\"Editions\"");
}

#[test]
fn the_events_page_groups_editions_by_series() {
    let site = series_site();
    site.build().ok();
    let events = site.read("events/index.html");
    let list = strip_tags(between(&events, "<section class=\"az-section\"", "</main>"));
    let words: Vec<&str> = list.split_whitespace().collect();
    assert_eq!(
        words.join(" "),
        "F FOSDEM 2020 1 talk K KubeCon EU KubeCon EU 2019 1 talk KubeCon EU 2018 1 talk \
         KubeCon NA 2019 1 talk",
        "A to Z, a series by its name, its editions newest first"
    );
    assert_has(
        &events,
        "<li class=\"series-group\"><span class=\"series-name\">KubeCon EU</span>",
    );
}
