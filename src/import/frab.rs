//! frab's `schedule.xml` (pretalx exports the same shape):
//! `<schedule><conference/><day date><room name><event guid>...`.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;
use serde::Deserialize;

use super::frab_event::{self, FrabEvent, non_empty};
use super::input;
use super::model::{EventRecord, Imported, Link, SpeakerRecord};
use crate::diagnostics::Diagnostic;

#[derive(Deserialize)]
struct Schedule {
    conference: Conference,
    #[serde(default, rename = "day")]
    days: Vec<Day>,
}

#[derive(Deserialize)]
struct Conference {
    title: String,
    start: Option<String>,
    end: Option<String>,
    url: Option<String>,
    baseurl: Option<String>,
}

#[derive(Deserialize)]
struct Day {
    #[serde(rename = "@date")]
    date: Option<String>,
    #[serde(default, rename = "room")]
    rooms: Vec<Room>,
}

#[derive(Deserialize)]
struct Room {
    #[serde(rename = "@name")]
    name: Option<String>,
    #[serde(default, rename = "event")]
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "@guid")]
    guid: Option<String>,
    #[serde(rename = "@id")]
    id: Option<String>,
    date: Option<String>,
    start: Option<String>,
    room: Option<String>,
    title: String,
    track: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "abstract")]
    summary: Option<String>,
    description: Option<String>,
    persons: Option<Persons>,
    links: Option<Links>,
}

#[derive(Deserialize)]
struct Persons {
    #[serde(default)]
    person: Vec<Person>,
}

#[derive(Deserialize)]
struct Person {
    #[serde(rename = "@id")]
    id: Option<String>,
    #[serde(default, rename = "$text")]
    name: String,
}

#[derive(Deserialize)]
struct Links {
    #[serde(default)]
    link: Vec<XmlLink>,
}

#[derive(Deserialize)]
struct XmlLink {
    #[serde(rename = "@href")]
    href: String,
    #[serde(default, rename = "$text")]
    title: String,
}

/// Reads a frab `schedule.xml` from `text` (the file at `path`).
pub fn read(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    check_well_formed(path, text)?;
    let schedule: Schedule = quick_xml::de::from_str(text).map_err(|err| {
        Diagnostic::in_file(path, format!("not a frab schedule: {err}")).with_hint(
            "a frab schedule.xml has <schedule><conference><title> and <day><room><event> elements",
        )
    })?;
    let conference = schedule.conference;
    let mut imported = Imported {
        event: EventRecord {
            name: conference.title.trim().to_string(),
            start: conference.start.and_then(|d| d.parse().ok()),
            end: conference.end.and_then(|d| d.parse().ok()),
            homepage: non_empty(conference.url.or(conference.baseurl)),
            ..EventRecord::default()
        },
        ..Imported::default()
    };
    let mut events = Vec::new();
    for day in schedule.days {
        for room in day.rooms {
            for event in room.events {
                events.push(frab_event(event, day.date.as_deref(), room.name.as_deref()));
            }
        }
    }
    frab_event::collect(&mut imported, events);
    Ok(imported)
}

/// Reads the whole of `text` as XML, to name the line and column of the
/// first place where it is not well formed.
fn check_well_formed(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(XmlEvent::Eof) => return Ok(()),
            Ok(_) => {}
            Err(err) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                let (line, column) = input::line_column(text, offset);
                return Err(input::malformed(path, line, column, err));
            }
        }
    }
}

/// A frab event, listed on `day` in `room`, in the terms both frab formats share.
fn frab_event(event: Event, day: Option<&str>, room: Option<&str>) -> FrabEvent {
    let day_and_start = day
        .zip(event.start.as_deref())
        .map(|(day, start)| format!("{day} {}", start.trim()));
    FrabEvent {
        id: event.guid.or(event.id).unwrap_or_default(),
        date: event.date,
        day_and_start,
        title: event.title.trim().to_string(),
        track: non_empty(event.track),
        kind: non_empty(event.kind),
        room: non_empty(event.room).or_else(|| non_empty(room.map(str::to_string))),
        summary: non_empty(event.summary),
        description: non_empty(event.description),
        persons: event
            .persons
            .map_or_else(Vec::new, |p| p.person)
            .into_iter()
            .filter_map(speaker)
            .collect(),
        links: event
            .links
            .map_or_else(Vec::new, |l| l.link)
            .into_iter()
            .map(|l| Link {
                title: l.title.trim().to_string(),
                url: l.href,
            })
            .collect(),
    }
}

/// A `<person>` with a name, as a speaker.
fn speaker(person: Person) -> Option<SpeakerRecord> {
    let name = non_empty(Some(person.name))?;
    Some(SpeakerRecord {
        key: person.id.unwrap_or_else(|| name.clone()),
        name,
        ..SpeakerRecord::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::{Reason, Start};

    const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <generator name="pretalx" version="2024.1.0"/>
  <version>1.0</version>
  <conference>
    <acronym>demo</acronym>
    <title>Demo Conf 2023</title>
    <start>2023-04-21</start>
    <end>2023-04-22</end>
    <days>2</days>
    <timeslot_duration>00:05</timeslot_duration>
    <base_url>https://pretalx.com/demo/schedule/</base_url>
    <time_zone_name>America/New_York</time_zone_name>
  </conference>
  <day index="1" date="2023-04-21" start="2023-04-21T04:00:00-04:00" end="2023-04-22T03:59:00-04:00">
    <room name="Main Hall" guid="r1">
      <event guid="e1" id="101">
        <date>2023-04-21T09:00:00-04:00</date>
        <start>09:00</start>
        <duration>00:30</duration>
        <room>Main Hall</room>
        <slug>demo-101-rust</slug>
        <url>https://pretalx.com/demo/talk/ABC/</url>
        <title>Rust &amp; friends</title>
        <subtitle/>
        <track>Systems</track>
        <type>Talk</type>
        <language>en</language>
        <abstract>Why we moved.</abstract>
        <description>&lt;p&gt;We moved.&lt;/p&gt;</description>
        <persons><person id="7">Ada Lovelace</person><person id="8">Grace Hopper</person></persons>
        <links><link href="https://x.org/s.pdf">Slides</link></links>
      </event>
      <event guid="e2" id="102">
        <start>12:00</start>
        <duration>01:00</duration>
        <room>Main Hall</room>
        <title>Lunch</title>
        <type>Other</type>
        <persons/>
        <links/>
      </event>
    </room>
  </day>
</schedule>
"#;

    #[test]
    fn reads_events_persons_links_and_leaves_out_lunch() {
        let imported = read(Path::new("schedule.xml"), XML).unwrap();
        assert_eq!(imported.event.name, "Demo Conf 2023");
        assert_eq!(imported.event.start, "2023-04-21".parse().ok());
        assert_eq!(imported.talks.len(), 1);
        let talk = &imported.talks[0];
        assert_eq!(talk.title, "Rust & friends");
        assert_eq!(talk.start, Start::parse("2023-04-21T09:00:00-04:00"));
        assert_eq!(talk.speakers, ["7", "8"]);
        assert_eq!(talk.description.as_deref(), Some("<p>We moved.</p>"));
        assert_eq!(talk.links[0].title, "Slides");
        let names: Vec<_> = imported.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
        assert_eq!(frab_event::reasons(&imported), [Reason::Break]);
    }

    #[test]
    fn an_event_without_date_takes_its_day_and_start() {
        let xml = XML.replace("<date>2023-04-21T09:00:00-04:00</date>", "");
        let imported = read(Path::new("schedule.xml"), &xml).unwrap();
        assert_eq!(imported.talks[0].start, Start::parse("2023-04-21T09:00:00"));
    }

    #[test]
    fn malformed_xml_names_its_line_and_column() {
        let xml = "<schedule>\n  <conference>\n    <title>X</titel>\n</schedule>";
        let err = read(Path::new("schedule.xml"), xml).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.starts_with("column "), "{}", err.message);
    }
}
