//! Long lists in pages: an entity's talks and `/talks/` at `[site]
//! page-size`, the A-Z index pages with their jump letters, the home page's
//! recent events and notes, entity pages' descriptions.

use crate::support::*;

/// A note numbered `i` (below 336), dated so that a higher number is
/// newer, with `tags` and `speaker`.
fn note(i: usize, event: &str, speaker: &str, tags: &[&str]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "+++\ntitle = \"Talk {i:03}\"\ndate = 2024-{:02}-{:02}\nevent = \"{event}\"\nspeakers = [\"{speaker}\"]\ntags = [{}]\n+++\nText {i}.\n",
        1 + i / 28,
        1 + i % 28,
        tags.join(", ")
    )
}

/// The site path `href` leads to from the page at `page` (a folder path
/// like `tags/x/page/2/`), its `#fragment` dropped.
fn resolve(page: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            part => parts.push(part),
        }
    }
    let mut path = parts.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    path
}

/// The `href` of the `<link rel="{rel}">` in the page's head, if any.
fn head_link<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let head = between(html, "<head>", "</head>");
    let open = format!("<link rel=\"{rel}\" href=\"");
    let at = head.find(&open)? + open.len();
    Some(&head[at..at + head[at..].find('"').unwrap()])
}

/// The site paths of the pages of the list whose first page is `first`,
/// following each page's `rel=next` (and checking its `rel=prev` and
/// visible links lead back).
fn follow_pages(site: &Site, first: &str) -> Vec<String> {
    let mut pages = vec![first.to_string()];
    loop {
        let page = pages.last().unwrap().clone();
        let html = site.read(&format!("{page}index.html"));
        let prev = head_link(&html, "prev").map(|href| resolve(&page, href));
        assert_eq!(
            prev.as_deref(),
            pages.len().checked_sub(2).map(|i| pages[i].as_str()),
            "rel=prev of /{page}"
        );
        let Some(next) = head_link(&html, "next") else {
            assert_lacks(&html, "rel=\"next\"");
            return pages;
        };
        let nav = between(&html, "<nav class=\"pagination\"", "</nav>");
        assert_has(nav, &format!("<a rel=\"next\" href=\"{next}\">"));
        assert_has(nav, &format!("Page {} of ", pages.len()));
        pages.push(resolve(&page, next));
    }
}

#[test]
fn talk_lists_are_split_at_page_size_with_links_between_pages() {
    // 100 talks: the first 50 tagged "fifty", 51 "fifty-one", all "all".
    let mut site = Site::new();
    for i in 0..100 {
        let mut tags = vec!["all"];
        if i < 50 {
            tags.push("fifty");
        }
        if i < 51 {
            tags.push("fifty-one");
        }
        site = site.file(
            &format!("content/n{i:03}.md"),
            &note(i, "Conf 2024", "Ada", &tags),
        );
    }
    site.build().ok();

    assert_eq!(follow_pages(&site, "tags/fifty/"), ["tags/fifty/"]);
    assert_lacks(&site.read("tags/fifty/index.html"), "class=\"pagination\"");
    assert!(!site.has("tags/fifty/page/2/index.html"));
    assert_eq!(
        follow_pages(&site, "tags/fifty-one/"),
        ["tags/fifty-one/", "tags/fifty-one/page/2/"]
    );
    assert!(!site.has("tags/fifty-one/page/3/index.html"));
    assert_eq!(
        follow_pages(&site, "tags/all/"),
        ["tags/all/", "tags/all/page/2/"]
    );
    assert_eq!(follow_pages(&site, "talks/"), ["talks/", "talks/page/2/"]);

    // Page 1 holds the newest 50, page 2 the 51st; each page says how many
    // talks there are in all.
    let first = site.read("tags/fifty-one/index.html");
    let second = site.read("tags/fifty-one/page/2/index.html");
    let on_first = talk_card_links(main_of(&first));
    assert_eq!(on_first.len(), 50);
    assert_eq!(on_first[0], "../../talks/n050/");
    assert_eq!(
        talk_card_links(main_of(&second)),
        ["../../../../talks/n000/"]
    );
    for page in [&first, &second] {
        assert_has(page, "51 talks</h2>");
    }
    // Page 2 is a page of its own: title, canonical URL, links to the pages.
    assert_has(
        &second,
        "<title>fifty-one, page 2 of 2 · Test notes</title>",
    );
    assert_has(
        &second,
        "<link rel=\"canonical\" href=\"https://example.org/tags/fifty-one/page/2/\">",
    );
    let nav = between(&second, "<nav class=\"pagination\"", "</nav>");
    assert_has(nav, "<a href=\"../../../../tags/fifty-one/\">1</a>");
    assert_has(
        nav,
        "<a aria-current=\"page\" href=\"../../../../tags/fifty-one/page/2/\">2</a>",
    );
    // The rest of what the site knows of the tag is on its first page only.
    assert_has(&first, "Talks per year");
    assert_lacks(&second, "Talks per year");

    // /talks/ lists every talk newest first; the sitemap lists every page.
    let talks = site.read("talks/index.html");
    assert_has(&talks, "100 talks, newest first");
    assert_eq!(talk_card_links(main_of(&talks))[0], "../talks/n099/");
    let sitemap = site.read("sitemap.xml");
    for page in ["tags/fifty-one/page/2/", "talks/page/2/", "tags/fifty/"] {
        assert!(
            sitemap_locs(&sitemap).contains(&format!("https://example.org/{page}").as_str()),
            "{page} not in the sitemap"
        );
    }
    // Feeds keep their latest entries.
    assert_eq!(
        site.read("tags/all/atom.xml").matches("<entry>").count(),
        20
    );
}

#[test]
fn page_size_is_read_from_book_toml() {
    let mut site = Site::empty().file("book.toml", &format!("{BOOK_TOML}page-size = 3\n"));
    for i in 0..7 {
        site = site.file(
            &format!("content/n{i}.md"),
            &note(i, "Conf 2024", "Ada", &["t"]),
        );
    }
    site.build().ok();
    assert_eq!(
        follow_pages(&site, "tags/t/"),
        ["tags/t/", "tags/t/page/2/", "tags/t/page/3/"]
    );
    assert_eq!(
        talk_card_links(main_of(&site.read("tags/t/page/3/index.html"))).len(),
        1
    );
}

/// The jump links of an index page: (letter, count, href).
fn jumps(html: &str) -> Vec<(String, usize, String)> {
    let nav = between(html, "<nav class=\"az-jump\"", "</nav>");
    nav.split("<li>")
        .skip(1)
        .map(|item| {
            let href = attr_values(item, "href")[0].to_string();
            let text = strip_tags(item);
            let mut words = text.split_whitespace();
            let letter = words.next().unwrap().to_string();
            let count = words.next().unwrap().parse().unwrap();
            (letter, count, href)
        })
        .collect()
}

#[test]
fn index_pages_list_a_to_z_with_jump_letters_and_counts() {
    // page-size = 1: an index page lists 10 rows.
    let speakers = [
        "Zoe Zed",
        "Ada Byron",
        "Émile Zola",
        "Bob Bee",
        "3D Artist",
        "Eve Early",
        "Abe Able",
        "Cy Young",
        "Di Fox",
        "Ed Egg",
        "Flo Fig",
        "Gus Gum",
        "Hal Hat",
        "Ivy Ink",
        "Jo Jam",
        "Kai Kite",
        "Lu Lamp",
        "Mo Moss",
        "Ned Nut",
        "Oz Owl",
        "Pia Pen",
        "Quinn Quay",
        "Ray Rope",
        "Sue Sun",
        "Ted Toe",
    ];
    let mut site = Site::empty().file("book.toml", &format!("{BOOK_TOML}page-size = 1\n"));
    for (i, speaker) in speakers.iter().enumerate() {
        site = site.file(
            &format!("content/n{i:02}.md"),
            &note(i, "Conf 2024", speaker, &["t"]),
        );
    }
    site.build().ok();

    let pages = follow_pages(&site, "speakers/");
    assert_eq!(pages, ["speakers/", "speakers/page/2/", "speakers/page/3/"]);
    // Every page lists the same letters; together they list every speaker
    // once, A to Z, accents aside, under the letter's heading.
    let mut names = Vec::new();
    let mut letters = None;
    for page in &pages {
        let html = site.read(&format!("{page}index.html"));
        assert_has(&html, "<p class=\"count\">25 speakers</p>");
        // The same letters, leading to the same places.
        let page_jumps: Vec<_> = jumps(&html)
            .into_iter()
            .map(|(letter, count, href)| {
                let fragment = href.split_once('#').unwrap().1.to_string();
                (
                    letter,
                    count,
                    format!("{}#{fragment}", resolve(page, &href)),
                )
            })
            .collect();
        assert_eq!(*letters.get_or_insert(page_jumps.clone()), page_jumps);
        let lists = main_of(&html);
        for section in lists.split("<section class=\"az-section\"").skip(1) {
            let section = &section[..section.find("</section>").unwrap()];
            let letter = strip_tags(between(section, "<h2", "</h2>"))
                .trim()
                .to_string();
            for item in section.split("<li>").skip(1) {
                let name = strip_tags(&item[..item.find("</a>").unwrap()]);
                names.push((letter.clone(), name.trim().to_string()));
            }
        }
    }
    let listed: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        &listed[..4],
        ["3D Artist", "Abe Able", "Ada Byron", "Bob Bee"]
    );
    assert_eq!(&listed[6..9], ["Ed Egg", "Émile Zola", "Eve Early"]);
    assert_eq!(listed.len(), speakers.len());
    assert!(names.contains(&("E".to_string(), "Émile Zola".to_string())));
    assert!(names.contains(&("#".to_string(), "3D Artist".to_string())));

    // Each jump link counts its letter's speakers and leads to the page
    // holding the first of them, to the letter's heading.
    let letters = letters.unwrap();
    assert_eq!(letters.len(), 22, "{letters:?}");
    let count_of = |letter: &str| names.iter().filter(|(l, _)| l == letter).count();
    for (letter, count, href) in &letters {
        assert_eq!(*count, count_of(letter), "{letter}");
        let (target, fragment) = href.split_once('#').unwrap();
        let html = site.read(&format!("{target}index.html"));
        let section = between(&html, &format!("<h2 id=\"{fragment}\">"), "</section>");
        let first = names.iter().find(|(l, _)| l == letter).unwrap();
        assert_has(section, &first.1);
    }
    let (_, _, to_t) = letters.iter().find(|(l, _, _)| l == "T").unwrap();
    assert_eq!(to_t, "speakers/page/3/#letter-t");
}

#[test]
fn the_home_page_shows_recent_events_and_notes_and_links_to_the_lists() {
    let mut site = Site::new();
    for i in 0..30 {
        let event = format!("Conf {}", 2000 + i / 3);
        site = site.file(
            &format!("content/n{i:02}.md"),
            &note(i, &event, "Ada", &["t"]),
        );
    }
    site.build().ok();
    let home = site.read("index.html");
    let events = between(
        &home,
        "<section aria-labelledby=\"events-heading\">",
        "</section>",
    );
    assert_eq!(events.matches("<article class=\"home-event\">").count(), 6);
    assert_has(events, "Conf 2009");
    assert_lacks(events, "Conf 2003");
    assert_has(events, "<a href=\"events/\">All 10 events →</a>");
    let latest = between(
        &home,
        "<section aria-labelledby=\"latest-heading\">",
        "</section>",
    );
    assert_eq!(talk_card_links(latest).len(), 20);
    assert_has(latest, "<a href=\"talks/\">All 30 talks →</a>");
}

#[test]
fn entity_pages_describe_themselves() {
    let site = Site::new()
        .file("content/a.md", &note(1, "Conf 2024", "Ada Byron", &["web"]))
        .file("content/b.md", &note(2, "Conf 2024", "Ada Byron", &["web"]))
        .file(
            "content/projects/tokio.md",
            "+++\nname = \"Tokio\"\n+++\nAn async runtime for Rust.\n\nMore.\n",
        );
    site.build().ok();
    let description = |path: &str| {
        let html = site.read(path);
        between(&html, "<meta name=\"description\" content=\"", "\">").to_string()
    };
    assert_eq!(
        description("speakers/ada-byron/index.html"),
        "<meta name=\"description\" content=\"Notes on 2 talks by Ada Byron, from Test notes.\">"
    );
    assert_has(
        &description("tags/web/index.html"),
        "Notes on 2 talks tagged web",
    );
    assert_has(
        &description("events/conf-2024/index.html"),
        "Notes on 2 talks at Conf 2024",
    );
    assert_has(
        &description("projects/tokio/index.html"),
        "An async runtime for Rust.",
    );
}
