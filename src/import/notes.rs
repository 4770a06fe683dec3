//! The files of an import: a note per talk, a profile per speaker, one for
//! the event; their front matter serialised by the `toml` crate.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use toml::value::Datetime;

use super::html;
use super::links::{self, TalkLinks};
use super::model::{EventRecord, Imported, Link, SpeakerRecord, TalkRecord};
use crate::diagnostics::Diagnostic;
use crate::urls;

/// One file an import writes: its front matter and body apart, so that an
/// update can keep a body the user edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The path under the site root, with `/` (`content/talks/x/y.md`).
    pub rel: String,
    /// The TOML front matter, without fences.
    pub front: String,
    /// The markdown body.
    pub body: String,
}

impl Generated {
    /// The whole file: fenced front matter, then the body.
    pub fn text(&self) -> String {
        with_front_matter(&self.front, &self.body)
    }
}

/// A file's text from its TOML front matter and its body.
pub fn with_front_matter(front: &str, body: &str) -> String {
    let body = body.trim_start_matches('\n');
    if body.is_empty() {
        format!("+++\n{front}+++\n")
    } else {
        format!("+++\n{front}+++\n\n{body}")
    }
}

#[derive(Serialize)]
struct TalkFront<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Datetime>,
    event: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    room: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slides: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    video: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    speakers: Vec<SpeakerEntry<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkEntry<'a>>,
}

#[derive(Serialize)]
struct SpeakerEntry<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
}

#[derive(Serialize)]
struct LinkEntry<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct EventFront<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<&'a str>,
}

/// Every file of `imported`, in path order; talks sorted by time, room and title.
pub fn generate(imported: &Imported) -> Result<Vec<Generated>, Diagnostic> {
    let event_slug = slug_or(&imported.event.name, "event");
    let speakers: BTreeMap<&str, &SpeakerRecord> = imported
        .speakers
        .iter()
        .map(|s| (s.key.as_str(), s))
        .collect();
    let mut files = vec![event_profile(&imported.event, &event_slug)?];
    let mut talks: Vec<&TalkRecord> = imported.talks.iter().collect();
    talks.sort_by(|a, b| {
        (a.start, &a.room, &a.title, &a.id).cmp(&(b.start, &b.room, &b.title, &b.id))
    });
    let mut taken = BTreeMap::new();
    for talk in talks {
        let slug = unique(&mut taken, slug_or(&talk.title, "talk"));
        let rel = format!("{TALKS}{event_slug}/{slug}.md");
        files.push(talk_note(talk, &imported.event.name, &speakers, rel)?);
    }
    let mut profiles = BTreeMap::new();
    for speaker in &imported.speakers {
        profiles
            .entry(slug_or(&speaker.name, "speaker"))
            .or_insert(speaker);
    }
    for (slug, speaker) in profiles {
        files.push(speaker_profile(speaker, &slug)?);
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}

/// Every file of several events' imports, in path order. A person named in
/// several events has one profile (the first event's); a talk whose file
/// name a talk of another event shares gets `slug = "<event>-<talk>"`, so
/// that each has its own page.
pub fn generate_all(events: &[Imported]) -> Result<Vec<Generated>, Diagnostic> {
    let mut files: BTreeMap<String, (Generated, &str)> = BTreeMap::new();
    for imported in events {
        let name = imported.event.name.as_str();
        for file in generate(imported)? {
            match files.entry(file.rel.clone()) {
                Entry::Vacant(slot) => {
                    slot.insert((file, name));
                }
                Entry::Occupied(_) if file.rel.starts_with(SPEAKERS) => {}
                Entry::Occupied(taken) => return Err(clash(&file.rel, taken.get().1, name)),
            }
        }
    }
    let mut files: Vec<Generated> = files.into_values().map(|(file, _)| file).collect();
    slug_shared_stems(&mut files);
    Ok(files)
}

/// The error of two events, `first` and `second`, whose names give the same file names.
fn clash(rel: &str, first: &str, second: &str) -> Diagnostic {
    Diagnostic::site_wide(format!(
        "the events \"{first}\" and \"{second}\" would both write {rel}: their names make the same file name"
    ))
    .with_hint("import them one at a time, or give one of them another name")
}

/// Where speaker profiles are written.
const SPEAKERS: &str = "content/speakers/";

/// Where talk notes are written, one folder per event.
const TALKS: &str = "content/talks/";

/// Gives each talk whose file name is another event's talk's too a `slug`
/// of its event's folder and its file name (numbered when that too is a
/// talk's file name or slug).
fn slug_shared_stems(files: &mut [Generated]) {
    let event_and_stem = |rel: &str| {
        let rest = rel.strip_prefix(TALKS)?.strip_suffix(".md")?;
        rest.split_once('/')
            .map(|(e, s)| (e.to_string(), s.to_string()))
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, stem) in files.iter().filter_map(|f| event_and_stem(&f.rel)) {
        *counts.entry(stem).or_insert(0) += 1;
    }
    let mut taken: BTreeSet<String> = counts.keys().cloned().collect();
    for file in files.iter_mut() {
        let Some((event, stem)) = event_and_stem(&file.rel) else {
            continue;
        };
        if counts.get(&stem).is_some_and(|n| *n > 1) {
            let prefixed = format!("{event}-{stem}");
            let slug = std::iter::once(prefixed.clone())
                .chain((2..).map(|n| format!("{prefixed}-{n}")))
                .find(|slug| !taken.contains(slug))
                .unwrap_or(prefixed);
            // A slug is ASCII letters, digits and dashes: no quoting needed.
            file.front = format!("slug = \"{slug}\"\n{}", file.front);
            taken.insert(slug);
        }
    }
}

/// The slug of `name`, or `fallback` when it has no letters or digits.
fn slug_or(name: &str, fallback: &str) -> String {
    let slug = urls::slugify(name);
    let slug: String = slug.chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

/// `slug`, or `slug-2`, `slug-3`... when an earlier talk took it.
fn unique(taken: &mut BTreeMap<String, usize>, slug: String) -> String {
    let count = taken.entry(slug.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        slug
    } else {
        format!("{slug}-{count}")
    }
}

/// A TOML datetime (or date) from its text.
fn datetime(text: String) -> Result<Datetime, Diagnostic> {
    text.parse()
        .map_err(|err| Diagnostic::internal(format!("the date {text} in TOML: {err}")))
}

/// `value` as TOML front matter.
fn front(value: &impl Serialize) -> Result<String, Diagnostic> {
    toml::to_string(value).map_err(|err| Diagnostic::internal(format!("front matter: {err}")))
}

/// The note of `talk` at `rel`.
fn talk_note(
    talk: &TalkRecord,
    event: &str,
    speakers: &BTreeMap<&str, &SpeakerRecord>,
    rel: String,
) -> Result<Generated, Diagnostic> {
    let TalkLinks {
        slides,
        video,
        other,
    } = links::talk_links(&talk.links);
    let date = talk.start.map(|s| datetime(s.to_toml_text())).transpose()?;
    let speakers = talk
        .speakers
        .iter()
        .filter_map(|key| speakers.get(key.as_str()))
        .map(|s| SpeakerEntry {
            name: &s.name,
            affiliation: s.affiliation.as_deref(),
            role: s.role.as_deref(),
        })
        .collect();
    let summary = talk
        .summary
        .as_deref()
        .map(html::one_paragraph)
        .filter(|s| !s.is_empty());
    let fm = TalkFront {
        title: &talk.title,
        date,
        event,
        room: talk.room.as_deref(),
        tags: talk.tags.iter().map(String::as_str).collect(),
        slides,
        video,
        summary,
        speakers,
        links: other.iter().map(link_entry).collect(),
    };
    Ok(Generated {
        rel,
        front: front(&fm)?,
        body: body(talk.description.as_deref()),
    })
}

/// A link as a `links` table.
fn link_entry(link: &Link) -> LinkEntry<'_> {
    LinkEntry {
        title: &link.title,
        url: &link.url,
    }
}

/// A markdown body from a source text, ending in one newline.
fn body(text: Option<&str>) -> String {
    match text.map(html::to_markdown).filter(|t| !t.is_empty()) {
        Some(markdown) => format!("{markdown}\n"),
        None => String::new(),
    }
}

/// The profile of `event`, its description as body.
fn event_profile(event: &EventRecord, slug: &str) -> Result<Generated, Diagnostic> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| datetime(d.to_string())).transpose();
    let fm = EventFront {
        name: &event.name,
        start: day(event.start)?,
        end: day(event.end)?,
        homepage: event.homepage.as_deref(),
    };
    Ok(Generated {
        rel: format!("content/events/{slug}.md"),
        front: front(&fm)?,
        body: body(event.description.as_deref()),
    })
}

#[derive(Serialize)]
struct SpeakerFront<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar: Option<&'a str>,
    /// `homepage`, `twitter`... (the keys [`links::profile_key`] gives), by name.
    #[serde(flatten)]
    profiles: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkEntry<'a>>,
}

/// The profile of `speaker`: name, role, photo, links by kind, bio as body.
fn speaker_profile(speaker: &SpeakerRecord, slug: &str) -> Result<Generated, Diagnostic> {
    let mut profiles = BTreeMap::new();
    let mut others = Vec::new();
    for link in &speaker.links {
        match links::profile_key(link) {
            Some(key) if !profiles.contains_key(key) => {
                profiles.insert(key, link.url.as_str());
            }
            _ => others.push(link_entry(link)),
        }
    }
    let fm = SpeakerFront {
        name: &speaker.name,
        affiliation: speaker.affiliation.as_deref(),
        role: speaker.role.as_deref(),
        avatar: speaker.avatar.as_deref(),
        profiles,
        links: others,
    };
    Ok(Generated {
        rel: format!("{SPEAKERS}{slug}.md"),
        front: front(&fm)?,
        body: body(speaker.bio.as_deref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Start;

    fn imported() -> Imported {
        let ada = SpeakerRecord {
            key: "p1".into(),
            name: "Ada \"Countess\" Lovelace".into(),
            affiliation: Some("Engines, Inc.".into()),
            bio: Some("<p>Wrote <strong>the</strong> first program.</p>".into()),
            links: vec![Link {
                title: "GitHub".into(),
                url: "https://github.com/ada".into(),
            }],
            ..SpeakerRecord::default()
        };
        let talk = |id: &str, title: &str| TalkRecord {
            id: id.into(),
            title: title.into(),
            start: Start::parse("2023-04-21T09:00:00-04:00"),
            speakers: vec!["p1".into()],
            summary: Some("One\nparagraph.".into()),
            description: Some("<p>Body <em>here</em>.</p>".into()),
            ..TalkRecord::default()
        };
        Imported {
            event: EventRecord {
                name: "Demo Conf 2023".into(),
                ..EventRecord::default()
            },
            talks: vec![talk("2", "Same title"), talk("1", "Same title")],
            speakers: vec![ada],
            left_out: Vec::new(),
        }
    }

    #[test]
    fn front_matter_is_toml_with_datetimes_and_escaped_strings() {
        let files = generate(&imported()).unwrap();
        let rels: Vec<_> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "content/events/demo-conf-2023.md",
                "content/speakers/ada-countess-lovelace.md",
                "content/talks/demo-conf-2023/same-title-2.md",
                "content/talks/demo-conf-2023/same-title.md",
            ]
        );
        let note = &files[3];
        let table: toml::Table = note.front.parse().unwrap();
        assert_eq!(
            table["date"].as_datetime().unwrap().to_string(),
            "2023-04-21T09:00:00-04:00"
        );
        assert_eq!(table["summary"].as_str(), Some("One paragraph."));
        let speaker = &table["speakers"].as_array().unwrap()[0];
        assert_eq!(speaker["name"].as_str(), Some("Ada \"Countess\" Lovelace"));
        assert_eq!(speaker["affiliation"].as_str(), Some("Engines, Inc."));
        assert_eq!(note.body, "Body *here*.\n");
        let profile: toml::Table = files[1].front.parse().unwrap();
        assert_eq!(profile["github"].as_str(), Some("https://github.com/ada"));
        assert_eq!(files[1].body, "Wrote **the** first program.\n");
    }

    #[test]
    fn the_same_input_gives_the_same_files() {
        let mut reversed = imported();
        reversed.talks.reverse();
        assert_eq!(generate(&imported()).unwrap(), generate(&reversed).unwrap());
    }

    #[test]
    fn several_events_share_profiles_and_talks_of_one_name_get_slugs() {
        let event = |name: &str, titles: &[&str]| Imported {
            event: EventRecord {
                name: name.into(),
                ..EventRecord::default()
            },
            talks: titles
                .iter()
                .map(|t| TalkRecord {
                    id: t.to_string(),
                    title: t.to_string(),
                    speakers: vec!["p1".into()],
                    ..TalkRecord::default()
                })
                .collect(),
            ..imported()
        };
        let files = generate_all(&[
            event("A", &["Keynote"]),
            event("B", &["Keynote", "A keynote"]),
        ])
        .unwrap();
        let rels: Vec<_> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "content/events/a.md",
                "content/events/b.md",
                "content/speakers/ada-countess-lovelace.md",
                "content/talks/a/keynote.md",
                "content/talks/b/a-keynote.md",
                "content/talks/b/keynote.md",
            ]
        );
        assert!(
            files[3].front.starts_with("slug = \"a-keynote-2\"\n"),
            "{}",
            files[3].front
        );
        assert!(files[4].front.starts_with("title = "));
        assert!(files[5].front.starts_with("slug = \"b-keynote\"\n"));
        let err = generate_all(&[event("A", &[]), event("a", &[])]).unwrap_err();
        assert!(err.message.contains("\"A\" and \"a\""), "{}", err.message);
    }
}
