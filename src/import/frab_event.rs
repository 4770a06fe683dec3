//! The event of a frab-style schedule, which frab's XML and pretalx's JSON
//! share, and how a list of them becomes talks and speakers.

use std::collections::BTreeMap;

use super::model::{Imported, Link, SpeakerRecord, Start, TalkRecord};
use super::not_a_talk;

/// One `<event>` (or JSON event) of a frab-style schedule, its fields as read.
#[derive(Debug, Default)]
pub struct FrabEvent {
    /// The `guid`, or another id the source gives.
    pub id: String,
    /// `date`: the start with its offset.
    pub date: Option<String>,
    /// The day's date and the `start` time, for a source without `date`.
    pub day_and_start: Option<String>,
    /// `title`.
    pub title: String,
    /// `track`.
    pub track: Option<String>,
    /// `type`.
    pub kind: Option<String>,
    /// `room`, or the room the event is listed under.
    pub room: Option<String>,
    /// `abstract`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `persons`.
    pub persons: Vec<SpeakerRecord>,
    /// `links` (and attachments).
    pub links: Vec<Link>,
}

/// The talks and speakers of `events`, breaks left out, into `imported`.
pub fn collect(imported: &mut Imported, events: Vec<FrabEvent>) {
    let mut speakers = BTreeMap::new();
    for event in events {
        if let Some(reason) = not_a_talk::break_reason(&event.title, event.kind.as_deref()) {
            imported.left_out.push((event.title, reason));
            continue;
        }
        imported.talks.push(talk(event, &mut speakers));
    }
    imported.speakers.extend(speakers.into_values());
}

/// `event` as a talk; its persons join `speakers`.
fn talk(event: FrabEvent, speakers: &mut BTreeMap<String, SpeakerRecord>) -> TalkRecord {
    let start = event
        .date
        .as_deref()
        .and_then(Start::parse)
        .or_else(|| event.day_and_start.as_deref().and_then(Start::parse));
    let keys = event.persons.iter().map(|p| p.key.clone()).collect();
    for person in event.persons {
        speakers.entry(person.key.clone()).or_insert(person);
    }
    TalkRecord {
        id: event.id,
        title: event.title,
        start,
        room: event.room,
        tags: event.track.into_iter().collect(),
        speakers: keys,
        summary: event.summary,
        description: event.description,
        links: event.links,
    }
}

/// `text` trimmed, or `None` when it is empty.
pub fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Left out, for the tests of the readers: the reasons counted.
#[cfg(test)]
pub fn reasons(imported: &Imported) -> Vec<super::model::Reason> {
    imported.left_out.iter().map(|(_, r)| *r).collect()
}
