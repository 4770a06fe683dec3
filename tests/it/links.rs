//! Links by name: wikilinks (`[[Istio]]`), profiles' aliases and mentions
//! of known names in prose, as a reader of the built site sees them.

use crate::support::*;

const MESH: &str = r#"+++
title = "Service meshes in practice"
date = 2024-03-01
speakers = ["Ada Lovelace"]
projects = ["Kubernetes"]
tags = ["mesh"]
+++
Our notes on meshes.

## Sidecars

Sidecars everywhere.
"#;

const TOUR: &str = r#"+++
title = "A tour"
date = 2024-03-02
speakers = ["Bo Diddley"]
+++
We liked [[Service meshes in practice]] and [[mesh#sidecars|its sidecars]].
[[Ada Lovelace]] spoke there; see [[projects/kubernetes]] and [[k8s|the orchestrator]].
"#;

const KUBERNETES: &str =
    "+++\nname = \"Kubernetes\"\naliases = [\"k8s\", \"kube\"]\n+++\nThe orchestrator.\n";

fn site() -> Site {
    Site::new()
        .file("content/talks/mesh.md", MESH)
        .file("content/talks/tour.md", TOUR)
        .file("content/projects/kubernetes.md", KUBERNETES)
}

/// The `(href, text)` of every `<a class="mention">` in `html`, in order.
fn mention_links(html: &str) -> Vec<(String, String)> {
    const OPEN: &str = "<a class=\"mention\" href=\"";
    html.match_indices(OPEN)
        .map(|(i, _)| {
            let rest = &html[i + OPEN.len()..];
            let href = &rest[..rest.find('"').unwrap()];
            let text = between(rest, "\">", "</a>");
            let text = &text[2..text.len() - 4];
            (href.to_string(), text.to_string())
        })
        .collect()
}

#[test]
fn wikilinks_become_links_to_talks_headings_and_entities() {
    let site = site();
    site.build();
    let tour = site.read("talks/tour/index.html");
    assert_has(
        &tour,
        "We liked <a href=\"../../talks/mesh/\">Service meshes in practice</a> and <a href=\"../../talks/mesh/#sidecars\">its sidecars</a>.",
    );
    assert_has(
        &tour,
        "<a href=\"../../speakers/ada-lovelace/\">Ada Lovelace</a> spoke there; see <a href=\"../../projects/kubernetes/\">Kubernetes</a> and <a href=\"../../projects/kubernetes/\">the orchestrator</a>.",
    );
    assert_lacks(&tour, "[[");
}

#[test]
fn a_wikilink_is_a_backlink() {
    let site = site();
    site.build();
    let mesh = site.read("talks/mesh/index.html");
    let backlinks = backlinks_section(&mesh).expect("a backlinks section");
    assert_has(backlinks, "href=\"../../talks/tour/\"");
}

#[test]
fn unknown_and_ambiguous_wikilinks_name_file_line_candidates_and_the_explicit_form() {
    let site = site().file(
        "content/talks/broken.md",
        "+++\ntitle = \"Broken\"\ntags = [\"kubernetes\"]\n+++\nFirst.\n\nSee [[Nomad]].\n\nAnd [[Kubernetes]].\n",
    );
    let run = site.build_with(&[]).failed();
    assert_has(
        &run.stderr,
        "error: content/talks/broken.md:7: broken wikilink: `[[Nomad]]` names no talk, speaker, project, tag or event",
    );
    assert_has(
        &run.stderr,
        "error: content/talks/broken.md:9: broken wikilink: `[[Kubernetes]]` could name 2: the project Kubernetes ([[projects/kubernetes]]), the tag kubernetes ([[tags/kubernetes]])",
    );
    assert_has(&run.stderr, "write the one you mean in its explicit form");
}

#[test]
fn broken_wikilinks_are_warnings_when_broken_links_warn() {
    let site = site()
        .file(
            "book.toml",
            &format!("{BOOK_TOML}[build]\nbroken-links = \"warn\"\n"),
        )
        .file(
            "content/talks/broken.md",
            "+++\ntitle = \"Broken\"\n+++\nSee [[Nomad]].\n",
        );
    let run = site.build();
    assert_has(
        &run.stderr,
        "warning: content/talks/broken.md:4: broken wikilink",
    );
    assert_has(&site.read("talks/broken/index.html"), "<p>See Nomad.</p>");
}

#[test]
fn an_alias_in_front_matter_names_the_entity() {
    let site = site().file(
        "content/talks/alias.md",
        "+++\ntitle = \"Alias\"\nprojects = [\"k8s\"]\n+++\nText.\n",
    );
    site.build();
    let kubernetes = site.read("projects/kubernetes/index.html");
    assert_eq!(
        talk_card_links(talks_section(&kubernetes)),
        ["../../talks/mesh/", "../../talks/alias/"]
    );
    assert!(!site.has("projects/k8s/index.html"));
}

#[test]
fn searching_an_alias_finds_the_talks_of_its_entity() {
    // One talk names Kubernetes, one its alias; neither in its text.
    let site = Site::new()
        .file("content/talks/mesh.md", MESH)
        .file(
            "content/talks/alias.md",
            "+++\ntitle = \"Alias\"\nprojects = [\"kube\"]\n+++\nText.\n",
        )
        .file("content/projects/kubernetes.md", KUBERNETES);
    let search = |query: &str| {
        let run = Run::of(
            talkbook()
                .args(["search", query, "--json", "--root"])
                .arg(site.root()),
        )
        .ok();
        let answer: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let urls: Vec<String> = answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect();
        urls
    };
    let both = ["/talks/alias/", "/talks/mesh/"];
    for query in ["kubernetes", "k8s", "kube"] {
        let mut found = search(query);
        found.sort();
        assert_eq!(found, both, "searching {query}");
    }
}

#[test]
fn the_first_mention_of_a_known_name_in_prose_links_to_its_page() {
    let site = site().file(
        "content/talks/prose.md",
        "+++\ntitle = \"Prose\"\n+++\n# Kubernetes in a heading\n\nWe run `Kubernetes` and [Kubernetes](https://k8s.io) and\nkubernetes, then Kubernetes with Ada Lovelace; Kubernetes again.\n\n```\nKubernetes\n```\n",
    );
    site.build();
    let prose = site.read("talks/prose/index.html");
    assert_eq!(
        mention_links(&prose),
        [
            ("../../projects/kubernetes/".into(), "Kubernetes".into()),
            ("../../speakers/ada-lovelace/".into(), "Ada Lovelace".into()),
        ]
    );
    assert_has(
        &prose,
        "kubernetes, then <a class=\"mention\" href=\"../../projects/kubernetes/\">Kubernetes</a> with",
    );
}

#[test]
fn mentions_can_be_excluded_or_turned_off_and_unknown_keys_are_errors() {
    let note = "+++\ntitle = \"Prose\"\n+++\nKubernetes, with Ada Lovelace.\n";
    let with = |links: &str| {
        site()
            .file("book.toml", &format!("{BOOK_TOML}[links]\n{links}"))
            .file("content/talks/prose.md", note)
    };
    let excluded = with("mentions-exclude = [\"kubernetes\"]\n");
    excluded.build();
    let links = mention_links(&excluded.read("talks/prose/index.html"));
    assert_eq!(
        links,
        [("../../speakers/ada-lovelace/".into(), "Ada Lovelace".into())]
    );
    let off = with("mentions = false\n");
    off.build();
    assert!(mention_links(&off.read("talks/prose/index.html")).is_empty());
    let run = with("mention = false\n").build_with(&[]).failed();
    assert_has(
        &run.stderr,
        "error: book.toml:5: unknown key in [links]: `mention`",
    );
}

/// The section of an entity page listing the talks that name it.
fn talks_section(html: &str) -> &str {
    between(
        html,
        "<section aria-labelledby=\"talks-heading\"",
        "</section>",
    )
}

/// The "Mentioned in" section of an entity page, if any.
fn mentioned_in_section(html: &str) -> Option<&str> {
    html.contains("<section class=\"mentioned-in\"")
        .then(|| between(html, "<section class=\"mentioned-in\"", "</section>"))
}

#[test]
fn entity_pages_list_the_talks_that_mention_them_without_naming_them() {
    // `mesh` names Kubernetes in its front matter and its text: listed as a
    // talk, not as a mention. `tour` wikilinks to it, `prose` mentions it.
    let site = site()
        .file(
            "content/talks/mesh.md",
            &MESH.replace("Sidecars everywhere.", "Sidecars on Kubernetes."),
        )
        .file(
            "content/talks/prose.md",
            "+++\ntitle = \"Prose\"\n+++\nWe run Kubernetes.\n",
        );
    site.build();
    let kubernetes = site.read("projects/kubernetes/index.html");
    assert_eq!(
        talk_card_links(talks_section(&kubernetes)),
        ["../../talks/mesh/"]
    );
    let mentioned = mentioned_in_section(&kubernetes).expect("a Mentioned in section");
    assert_has(
        mentioned,
        "<h2 id=\"mentioned-in-heading\">Mentioned in</h2>",
    );
    assert_eq!(
        talk_card_links(mentioned),
        ["../../talks/tour/", "../../talks/prose/"]
    );
    // A speaker wikilinked to by a talk they did not give.
    let ada = site.read("speakers/ada-lovelace/index.html");
    let mentioned = mentioned_in_section(&ada).expect("a Mentioned in section");
    assert_eq!(talk_card_links(mentioned), ["../../talks/tour/"]);
    // An entity no talk mentions has no such section.
    let bo = site.read("speakers/bo-diddley/index.html");
    assert_eq!(mentioned_in_section(&bo), None);
}

/// A name mentioned across a big site lists only its newest mentions, and
/// says how many more there are, so its page stays small.
#[test]
fn a_long_mentioned_in_list_shows_the_newest_twenty_and_counts_the_rest() {
    let mut site = Site::new().file("content/projects/kubernetes.md", KUBERNETES);
    for day in 1..=25 {
        site = site.file(
            &format!("content/talks/day-{day:02}.md"),
            &format!(
                "+++\ntitle = \"Day {day}\"\ndate = 2024-01-{day:02}\n+++\nWe run Kubernetes.\n"
            ),
        );
    }
    site.build();
    let kubernetes = site.read("projects/kubernetes/index.html");
    let mentioned = mentioned_in_section(&kubernetes).expect("a Mentioned in section");
    let links = talk_card_links(mentioned);
    assert_eq!(links.len(), 20, "{links:?}");
    assert_eq!(links[0], "../../talks/day-25/");
    assert!(!links.contains(&"../../talks/day-05/"), "{links:?}");
    assert_has(mentioned, "and 5 more talks mention Kubernetes.");
}
