//! `talkbook import report`: a blog post reporting on several talks (the
//! seed report in plain text, a markdown post, an HTML page) as one note
//! per talk, the rest in the event's profile; the site then builds.

use std::path::{Path, PathBuf};

use crate::support::*;

const EVENT: &str = "KubeCon + CloudNativeCon Europe 2018";
const TALKS: &str = "content/talks/kubecon-cloudnativecon-europe-2018";

/// A markdown post: talk headings of both shapes, a sub-heading inside a
/// talk, a section that is not a talk, a caption.
const MARKDOWN_POST: &str = "# Our week at Demo Conf\n\n\
Three of us went; here is what stuck.\n\n\
## Rust at Scale - Ada Lovelace, CTO, Engines, Inc.\n\n\
She moved the *billing* service.\n\n\
### Kubernetes - the hard way\n\n\
Her closing slide.\n\n\
Photo credit: Bo Smith\n\n\
## \"Mesh networks\" by Grace Hopper and Linus Torvalds\n\n\
Radios on every roof.\n\n\
## Hallway track\n\n\
The coffee was good.\n";

/// An HTML page: talks in bold paragraphs inside its article.
const HTML_POST: &str = "<!doctype html><html><head><title>Blog</title></head><body>\
<nav><a href=\"/\">Home</a></nav><article><h1>Demo Conf, day two</h1>\
<p>A short day.</p>\
<p><strong>Serverless at the Edge - Margaret Hamilton, Director, NASA</strong></p>\
<p>Functions <em>near</em> users.</p>\
<p><strong>Compilers for All - Grace Hopper &amp; Jean Sammet, IBM</strong></p>\
<ul><li>one language</li><li>many machines</li></ul>\
</article><footer>Copyright 2024</footer></body></html>";

/// Writes `input` beside the site and runs `talkbook import report` on it.
fn import(site: &Site, name: &str, input: &str, extra: &[&str]) -> Run {
    let file = site.tmp().join(name);
    std::fs::write(&file, input).unwrap();
    import_file(site, &file, extra)
}

/// Runs `talkbook import report FILE --event EVENT` on the site.
fn import_file(site: &Site, file: &Path, extra: &[&str]) -> Run {
    let extra: Vec<&str> = ["--event", EVENT].iter().chain(extra).copied().collect();
    site.import("report", file, &extra)
}

/// The seed report, from `$TALKBOOK_SHARED` or `../shared` beside the repository.
fn seed_report() -> PathBuf {
    let shared = std::env::var_os("TALKBOOK_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    shared.join("seed/kubecon-2018-copenhagen-day1.txt")
}

/// A speaker as a note's front matter gives it: name, role, affiliation.
type Person = (String, Option<String>, Option<String>);

/// Every imported note's title and speakers, sorted by title.
fn talks(site: &Site) -> Vec<(String, Vec<Person>)> {
    let dir = site.root().join(TALKS);
    let mut talks: Vec<(String, Vec<Person>)> = entries(&dir)
        .iter()
        .map(|name| {
            let text = read(&dir, name);
            let front = text.split("+++\n").nth(1).unwrap();
            let table: toml::Table = front.parse().unwrap();
            let text_of =
                |v: &toml::Value, key: &str| v.get(key).map(|s| s.as_str().unwrap().to_string());
            let speakers = table["speakers"].as_array().unwrap().iter();
            let people = speakers
                .map(|s| {
                    (
                        text_of(s, "name").unwrap(),
                        text_of(s, "role"),
                        text_of(s, "affiliation"),
                    )
                })
                .collect();
            (table["title"].as_str().unwrap().to_string(), people)
        })
        .collect();
    talks.sort();
    talks
}

/// `(name, role, affiliation)` with empty meaning none.
fn person(name: &str, role: &str, affiliation: &str) -> Person {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    (name.to_string(), some(role), some(affiliation))
}

/// The seed report's 16 talks, as the sample site's notes name them.
fn seed_talks() -> Vec<(String, Vec<Person>)> {
    let talk = |title: &str, people: &[(&str, &str, &str)]| {
        let people = people.iter().map(|(n, r, a)| person(n, r, a)).collect();
        (title.to_string(), people)
    };
    let mut talks = vec![
        talk(
            "CNCF Project Update",
            &[
                ("Liz Rice", "Technology Evangelist", "Aqua Security"),
                ("Sugu Sougoumarane", "CTO", "PlanetScale Data"),
                (
                    "Colin Sullivan",
                    "Product Manager",
                    "Synadia Communications, Inc.",
                ),
                ("Andrew Jessup", "Co-founder", "Scytale Inc."),
            ],
        ),
        talk(
            "CERN Experiences with Multi-Cloud Federated Kubernetes",
            &[
                ("Ricardo Rocha", "Staff Member", "CERN"),
                (
                    "Clenimar Filemon",
                    "Software Engineer",
                    "Federal University of Campina Grande",
                ),
            ],
        ),
        talk(
            "Whats Up With All The Different Container Runtimes?",
            &[("Ricardo Aravena", "", "Branch Metrics")],
        ),
        talk(
            "Introduction to Istio Configuration",
            &[("Joy Zhang", "", "Google")],
        ),
        talk(
            "Continuous Delivery Meets Custom Kubernetes Controller: A Declarative Configuration Approach to CI/CD",
            &[
                ("Suneeta Mall", "", "Nearmap"),
                ("Simon Cochrane", "", "Nearmap"),
            ],
        ),
        talk(
            "Practical and Useful Latency Analysis using Istio and OpenCensus",
            &[
                ("Varun Talwar", "", "Stealth Startup"),
                ("Morgan McLean", "", "Google"),
            ],
        ),
        talk(
            "Habitat Builder: Cloud Native Application Automation",
            &[
                ("Elliott Davis", "", "Chef.io (Habitat.sh)"),
                ("Fletcher Nichol", "", "Chef.io (Habitat.sh)"),
            ],
        ),
        talk(
            "Kubernetes and Taxes: Lessons Learned at the Norwegian Tax Administration - A Production Case Study",
            &[("Bjarte S. Karlsen", "", "The Norwegian Tax Administration")],
        ),
        talk(
            "How to Export Prometheus Metrics from Just About Anything",
            &[("Matt Layher", "", "DigitalOcean")],
        ),
        talk(
            "Continuously Deliver your Kubernetes Infrastructure",
            &[("Mikkel Larsen", "", "Zalando SE")],
        ),
        talk(
            "Seamless Development Environments on Kubernetes using Telepresence",
            &[("Ara Pulido", "", "Bitnami")],
        ),
        talk(
            "Performance and Scale @ Istio Service Mesh",
            &[
                ("Fawad Khaliq", "", "VMware Inc"),
                ("Laurent Demailly", "", "Google"),
                ("Surya V Duggirala", "", "IBM"),
            ],
        ),
        talk(
            "From Data Centers to Cloud Native",
            &[
                ("Dave Zolotusky", "", "Spotify"),
                ("James Wen", "", "Spotify"),
            ],
        ),
        talk(
            "Jenkins X: Easy CI/CD for Kubernetes",
            &[("James Strachan", "", "CloudBees")],
        ),
        talk(
            "Keynote: Anatomy of a Production Kubernetes Outage",
            &[("Oliver Beattie", "Head of Engineering", "Monzo Bank")],
        ),
        talk(
            "Keynote: Prometheus 2.0 – The Next Scale of Cloud Native Monitoring",
            &[("Fabian Reinartz", "Software Engineer", "Google")],
        ),
    ];
    talks.sort();
    talks
}

#[test]
fn the_seed_report_gives_its_16_talks_with_their_speakers_and_builds() {
    let seed = seed_report();
    if !require(
        seed.is_file(),
        "../shared/seed/kubecon-2018-copenhagen-day1.txt",
    ) {
        return;
    }
    let site = Site::new();
    let run = import_file(&site, &seed, &["--date", "2018-05-02"]).ok();
    assert_eq!(talks(&site), seed_talks());
    assert_has(
        &run.stdout,
        "left out \"Photo Credit: Pascal Martin\": a caption",
    );
    assert_has(
        &run.stdout,
        "left out \"Waiting for the Keynotes to start\": a caption",
    );
    let cern = read(
        &site.root().join(TALKS),
        "cern-experiences-with-multi-cloud-federated-kubernetes.md",
    );
    assert_has(&cern, "date = 2018-05-02\n");
    assert_lacks(&cern, "Waiting for the Keynotes");
    let event = read(
        &site.root(),
        "content/events/kubecon-cloudnativecon-europe-2018.md",
    );
    assert_has(&event, "start = 2018-05-02\n");
    assert_has(&event, "Bella Center");
    assert_has(&event, "## Welcome reception\n\n");
    assert_lacks(&event, "Photo Credit");
    let prometheus = read(
        &site.root().join(TALKS),
        "keynote-prometheus-2-0-the-next-scale-of-cloud-native-monitoring.md",
    );
    assert_lacks(&prometheus, "Welcome reception");
    let istio = read(
        &site.root().join(TALKS),
        "introduction-to-istio-configuration.md",
    );
    assert_has(&istio, "\n- Mesh config - global Istio config\n");

    site.build();
    let talk = site.read("talks/cncf-project-update/index.html");
    assert_has(&talk, "<a href=\"../../speakers/liz-rice/\">Liz Rice</a>");
    assert_has(&talk, "Synadia Communications, Inc.");
    assert!(site.has("speakers/andrew-jessup/index.html"));
}

#[test]
fn a_markdown_post_becomes_notes_and_its_other_sections_the_events_profile() {
    let site = Site::new();
    let run = import(&site, "post.md", MARKDOWN_POST, &[]).ok();
    assert_has(
        &run.stdout,
        "left out \"Photo credit: Bo Smith\": a caption",
    );
    let rust = read(&site.root().join(TALKS), "rust-at-scale.md");
    assert_has(&rust, "affiliation = \"Engines, Inc.\"");
    assert_has(
        &rust,
        "She moved the *billing* service.\n\n### Kubernetes - the hard way\n\nHer closing slide.\n",
    );
    assert_lacks(&rust, "Photo credit");
    let mesh = read(&site.root().join(TALKS), "mesh-networks.md");
    assert_has(&mesh, "name = \"Linus Torvalds\"");
    assert_lacks(&mesh, "coffee");
    let event = read(
        &site.root(),
        "content/events/kubecon-cloudnativecon-europe-2018.md",
    );
    assert_has(&event, "# Our week at Demo Conf\n\nThree of us went");
    assert_has(&event, "## Hallway track\n\nThe coffee was good.\n");

    site.build();
    let talk = site.read("talks/rust-at-scale/index.html");
    assert_has(&talk, "<em>billing</em>");
    assert_has(&talk, "Ada Lovelace");
    assert!(site.has("speakers/grace-hopper/index.html"));
}

#[test]
fn an_html_post_is_read_from_its_article_as_markdown() {
    let site = Site::new();
    import(&site, "post.html", HTML_POST, &[]).ok();
    assert_eq!(
        talks(&site),
        [
            (
                "Compilers for All".to_string(),
                vec![
                    person("Grace Hopper", "", "IBM"),
                    person("Jean Sammet", "", "IBM")
                ]
            ),
            (
                "Serverless at the Edge".to_string(),
                vec![person("Margaret Hamilton", "Director", "NASA")]
            ),
        ]
    );
    let compilers = read(&site.root().join(TALKS), "compilers-for-all.md");
    assert_has(&compilers, "- one language\n- many machines\n");
    assert_lacks(&compilers, "Copyright");
    let event = read(
        &site.root(),
        "content/events/kubecon-cloudnativecon-europe-2018.md",
    );
    assert_has(&event, "# Demo Conf, day two\n\nA short day.");
    assert_lacks(&event, "Home");
    site.build();
    assert_has(
        &site.read("talks/serverless-at-the-edge/index.html"),
        "<em>near</em>",
    );
}

#[test]
fn importing_a_post_again_changes_nothing() {
    let site = Site::new();
    import(&site, "post.md", MARKDOWN_POST, &[]).ok();
    let before = snapshot(&site.root());
    let run = import(&site, "post.md", MARKDOWN_POST, &[]).ok();
    assert_has(
        &run.stdout,
        "0 written, 0 front matter refreshed, 6 unchanged",
    );
    assert_eq!(snapshot(&site.root()), before);
}

#[test]
fn a_dry_run_of_a_post_writes_nothing() {
    let site = Site::new();
    let before = snapshot(&site.root());
    let run = import(&site, "post.md", MARKDOWN_POST, &["--dry-run"]).ok();
    assert_has(
        &run.stdout,
        &format!("would write {TALKS}/rust-at-scale.md"),
    );
    assert_eq!(snapshot(&site.root()), before);
}

#[test]
fn a_post_without_talks_or_with_a_bad_date_writes_nothing() {
    let site = Site::new();
    let run = import(&site, "post.md", "# Notes\n\nNothing here.\n", &[]).failed();
    assert_has(&run.stderr, "post.md");
    assert_has(&run.stderr, "found no talk in the post");
    let run = import(&site, "post.md", MARKDOWN_POST, &["--date", "May 2"]);
    assert_ne!(run.code, Some(0), "{run}");
    assert_has(&run.stderr, "YYYY-MM-DD");
    assert!(!site.root().join("content").exists());
}
