//! What the default theme puts in the built pages for sharing, feeds and
//! readers without JavaScript (the browser checks are in `theme_browser`).

use crate::support::*;

fn built() -> Site {
    let site = Site::new()
        .file(
            "content/talks/kubecon/mesh.md",
            "+++\ntitle = \"Mesh & more\"\ndate = 2024-03-01\nspeakers = [{ name = \"Ada\", affiliation = \"Acme\" }]\n\
             tags = [\"service-mesh\"]\nprojects = [\"Istio\"]\nsummary = \"All about meshes.\"\n+++\n\n\
             A body with [a link](../other/) and **bold** words.\n",
        )
        .file(
            "content/events/kubecon.md",
            "+++\nname = \"KubeCon\"\nstart = 2024-03-01\nend = 2024-03-03\n+++\n",
        );
    site.build().ok();
    site
}

#[test]
fn talk_pages_carry_sharing_tags() {
    let site = built();
    let talk = site.read("talks/mesh/index.html");
    for tag in [
        "<meta property=\"og:title\" content=\"Mesh &amp; more\">",
        "<meta property=\"og:description\" content=\"All about meshes.\">",
        "<meta property=\"og:url\" content=\"https://example.org/talks/mesh/\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:site_name\" content=\"Test notes\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<meta property=\"article:published_time\" content=\"2024-03-01T00:00:00Z\">",
    ] {
        assert_has(&talk, tag);
    }
    let home = site.read("index.html");
    assert_has(&home, "<meta property=\"og:type\" content=\"website\">");
    assert_has(&home, "<meta property=\"og:title\" content=\"Test notes\">");
    assert_lacks(&home, "article:published_time");
}

#[test]
fn site_feed_entries_carry_the_notes_content_with_its_base() {
    let site = built();
    let feed = site.read("atom.xml");
    assert_has(
        &feed,
        "<content type=\"html\" xml:base=\"https://example.org/talks/mesh/\">",
    );
    assert_has(&feed, "&lt;strong&gt;bold&lt;/strong&gt;");
    // An entity's feed links to the notes: a site's many feeds do not
    // each copy every note.
    let tag_feed = site.read("tags/service-mesh/atom.xml");
    assert_has(&tag_feed, "<summary>All about meshes.</summary>");
    assert_lacks(&tag_feed, "<content");
}

#[test]
fn talk_pages_label_projects_and_tags_apart_and_separate_affiliations() {
    let site = built();
    let talk = site.read("talks/mesh/index.html");
    let side = between(&talk, "<aside class=\"talk-side\"", "</aside>");
    assert_has(side, "<h2 id=\"projects-heading\">Projects</h2>");
    assert_has(
        side,
        "<ul class=\"chips project-chips\" aria-label=\"Projects\">",
    );
    assert_has(side, "<h2 id=\"tags-heading\">Tags</h2>");
    assert_has(side, "<ul class=\"chips tag-chips\" aria-label=\"Tags\">");
    assert_has(
        side,
        "<a href=\"../../speakers/ada/\">Ada</a>, <span class=\"affiliation\">Acme</span>",
    );
    assert_has(side, "<time datetime=\"2024-03-01\">1 March 2024</time>");
}

#[test]
fn event_pages_show_human_dates() {
    let site = built();
    let event = site.read("events/kubecon/index.html");
    assert_has(
        &event,
        "<time datetime=\"2024-03-01\">1 March 2024</time> – <time datetime=\"2024-03-03\">3 March 2024</time>",
    );
}

#[test]
fn without_javascript_the_search_gives_way_to_a_list_of_talks() {
    let site = built();
    let home = site.read("index.html");
    assert_has(&home, "<html lang=\"en\" class=\"no-js\">");
    assert_has(&home, "document.documentElement.className = 'js';");
    assert_has(
        &home,
        "<li class=\"no-js-only\"><a href=\"talks/\">All talks</a></li>",
    );
    let css = site.read("static/style.css");
    assert_has(
        &css,
        ".no-js .search-box, .no-js .search-page-form, .no-js .search-layout, .js .no-js-only { display: none; }",
    );
    let search = site.read("search/index.html");
    assert_has(
        &search,
        "<noscript><p>Search needs JavaScript. Browse <a href=\"../talks/\">all talks</a>, the <a href=\"../events/\">events</a>",
    );
}
