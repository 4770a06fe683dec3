//! pretalx's schedule export (`schedule/export/schedule.json`), which keeps
//! frab's shape: `schedule.conference.days[].rooms{name: [event]}`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::frab_event::{self, FrabEvent, non_empty};
use super::input;
use super::model::{EventRecord, Imported, Link, SpeakerRecord};
use crate::diagnostics::Diagnostic;

#[derive(Deserialize)]
struct Export {
    schedule: Schedule,
}

#[derive(Deserialize)]
struct Schedule {
    base_url: Option<String>,
    conference: Conference,
}

#[derive(Deserialize)]
struct Conference {
    title: String,
    start: Option<String>,
    end: Option<String>,
    url: Option<String>,
    #[serde(default)]
    days: Vec<Day>,
}

#[derive(Deserialize)]
struct Day {
    #[serde(default)]
    rooms: BTreeMap<String, Vec<Event>>,
}

#[derive(Deserialize)]
struct Event {
    guid: Option<String>,
    code: Option<String>,
    date: Option<String>,
    title: String,
    track: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    room: Option<String>,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    description: Option<String>,
    #[serde(default)]
    persons: Vec<Person>,
    #[serde(default)]
    links: Vec<TitledUrl>,
    #[serde(default)]
    attachments: Vec<TitledUrl>,
}

#[derive(Deserialize)]
struct Person {
    code: Option<String>,
    name: Option<String>,
    public_name: Option<String>,
    biography: Option<String>,
    avatar: Option<String>,
}

#[derive(Deserialize)]
struct TitledUrl {
    title: Option<String>,
    url: String,
}

/// Reads pretalx's schedule JSON from `text` (the file at `path`).
pub fn read(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let export: Export = serde_json::from_str(text).map_err(|err| {
        input::json_error(path, &err, "pretalx's schedule export (schedule.json)")
    })?;
    let conference = export.schedule.conference;
    let mut imported = Imported {
        event: EventRecord {
            name: conference.title,
            start: conference.start.and_then(|d| d.parse().ok()),
            end: conference.end.and_then(|d| d.parse().ok()),
            homepage: non_empty(conference.url.or(export.schedule.base_url)),
            ..EventRecord::default()
        },
        ..Imported::default()
    };
    let events = conference
        .days
        .into_iter()
        .flat_map(|day| day.rooms.into_iter())
        .flat_map(|(room, events)| events.into_iter().map(move |e| frab_event(e, &room)))
        .collect();
    frab_event::collect(&mut imported, events);
    Ok(imported)
}

/// A pretalx event, listed under `room`, in frab's terms.
fn frab_event(event: Event, room: &str) -> FrabEvent {
    let links = event
        .links
        .into_iter()
        .chain(event.attachments)
        .map(|l| Link {
            title: l.title.unwrap_or_default(),
            url: l.url,
        })
        .collect();
    FrabEvent {
        id: event.guid.or(event.code).unwrap_or_default(),
        date: event.date,
        day_and_start: None,
        title: event.title.trim().to_string(),
        track: non_empty(event.track),
        kind: non_empty(event.kind),
        room: non_empty(event.room).or_else(|| non_empty(Some(room.to_string()))),
        summary: non_empty(event.summary),
        description: non_empty(event.description),
        persons: event.persons.into_iter().filter_map(speaker).collect(),
        links,
    }
}

/// A person with a name, as a speaker.
fn speaker(person: Person) -> Option<SpeakerRecord> {
    let name = non_empty(person.public_name.or(person.name))?;
    Some(SpeakerRecord {
        key: person.code.unwrap_or_else(|| name.clone()),
        name,
        affiliation: None,
        role: None,
        bio: non_empty(person.biography),
        avatar: non_empty(person.avatar),
        links: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::{Reason, Start};

    const EXPORT: &str = r#"{
      "$schema": "https://c3voc.de/schedule/schema.json",
      "generator": {"name": "pretalx", "version": "2024.1.0"},
      "schedule": {
        "url": "https://pretalx.com/demo/schedule/",
        "version": "1.0",
        "base_url": "https://pretalx.com",
        "conference": {
          "acronym": "demo", "title": "Demo Conf 2023", "start": "2023-04-21", "end": "2023-04-22",
          "daysCount": 2, "timeslot_duration": "00:05", "time_zone_name": "America/New_York",
          "url": "https://demo.example.org/",
          "days": [{
            "index": 1, "date": "2023-04-21",
            "day_start": "2023-04-21T04:00:00-04:00", "day_end": "2023-04-22T03:59:00-04:00",
            "rooms": {
              "Main Hall": [
                {"guid": "a1", "code": "ABC", "id": 1, "logo": "", "date": "2023-04-21T09:00:00-04:00",
                 "start": "09:00", "duration": "00:30", "room": "Main Hall", "slug": "demo-1-rust",
                 "url": "https://pretalx.com/demo/talk/ABC/", "title": "Rust at scale", "subtitle": "",
                 "track": "Systems", "type": "Talk", "language": "en",
                 "abstract": "Why we moved.", "description": "<p>We <em>moved</em>.</p>",
                 "recording_license": "", "do_not_record": false,
                 "persons": [{"code": "P1", "name": "Ada Lovelace", "public_name": "Ada Lovelace",
                              "biography": "Counts.", "avatar": "https://x.org/ada.png", "answers": []}],
                 "links": [{"title": "Slides", "url": "https://x.org/s.pdf", "type": "related"}],
                 "feedback_url": "", "origin_url": "", "attachments": [], "answers": []},
                {"guid": "a2", "code": "BRK", "id": 2, "date": "2023-04-21T10:00:00-04:00",
                 "start": "10:00", "duration": "00:15", "room": "Main Hall", "slug": "demo-2-break",
                 "title": "Coffee break", "subtitle": "", "track": null, "type": "Break", "language": "en",
                 "abstract": "", "description": "", "persons": [], "links": []}
              ]
            }
          }]
        }
      }
    }"#;

    #[test]
    fn reads_talks_speakers_and_leaves_out_breaks() {
        let imported = read(Path::new("schedule.json"), EXPORT).unwrap();
        assert_eq!(imported.event.name, "Demo Conf 2023");
        assert_eq!(
            imported.event.homepage.as_deref(),
            Some("https://demo.example.org/")
        );
        let talk = &imported.talks[0];
        assert_eq!(imported.talks.len(), 1);
        assert_eq!(talk.title, "Rust at scale");
        assert_eq!(
            talk.start,
            Start::parse("2023-04-21T09:00:00-04:00"),
            "the offset is kept"
        );
        assert_eq!(talk.room.as_deref(), Some("Main Hall"));
        assert_eq!(talk.tags, ["Systems"]);
        assert_eq!(talk.speakers, ["P1"]);
        assert_eq!(talk.links[0].url, "https://x.org/s.pdf");
        assert_eq!(imported.speakers[0].name, "Ada Lovelace");
        assert_eq!(imported.speakers[0].bio.as_deref(), Some("Counts."));
        assert_eq!(frab_event::reasons(&imported), [Reason::Break]);
    }

    #[test]
    fn malformed_json_names_its_line() {
        let err = read(
            Path::new("s.json"),
            "{\n\"schedule\": {\n  \"conference\": 3,\n}}",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(3));
    }
}
