//! Sessionize's "All data" JSON (`/api/v2/<id>/view/All`): `sessions`,
//! `speakers`, `categories` and `rooms`, joined by id. It names no event:
//! the import's `--event` does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::frab_event::non_empty;
use super::input;
use super::model::{EventRecord, Imported, Link, Reason, SpeakerRecord, Start, TalkRecord};
use super::not_a_talk;
use crate::diagnostics::Diagnostic;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AllData {
    #[serde(default)]
    sessions: Vec<Session>,
    #[serde(default)]
    speakers: Vec<Speaker>,
    #[serde(default)]
    categories: Vec<Category>,
    #[serde(default)]
    rooms: Vec<Room>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    id: Value,
    title: String,
    description: Option<String>,
    starts_at: Option<String>,
    #[serde(default)]
    is_service_session: bool,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(default)]
    category_items: Vec<Value>,
    room_id: Option<Value>,
    recording_url: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Speaker {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    bio: Option<String>,
    tag_line: Option<String>,
    profile_picture: Option<String>,
    #[serde(default)]
    links: Vec<SpeakerLink>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpeakerLink {
    title: Option<String>,
    url: String,
    link_type: Option<String>,
}

#[derive(Deserialize)]
struct Category {
    #[serde(default)]
    items: Vec<Named>,
}

#[derive(Deserialize)]
struct Room {
    id: Value,
    name: String,
}

#[derive(Deserialize)]
struct Named {
    id: Value,
    name: String,
}

/// The statuses of sessions that are on the programme.
const ACCEPTED: &[&str] = &["accepted", "confirmed"];

/// Reads Sessionize's All-data JSON from `text` (the file at `path`).
pub fn read(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let data: AllData = serde_json::from_str(text)
        .map_err(|err| input::json_error(path, &err, "Sessionize's All-data JSON"))?;
    let rooms = names_by_id(data.rooms.into_iter().map(|r| Named {
        id: r.id,
        name: r.name,
    }));
    let categories = names_by_id(data.categories.into_iter().flat_map(|c| c.items));
    let mut imported = Imported::default();
    let mut speaking = BTreeSet::new();
    for session in data.sessions {
        if let Some(reason) = left_out(&session) {
            imported
                .left_out
                .push((session.title.trim().to_string(), reason));
            continue;
        }
        speaking.extend(session.speakers.iter().cloned());
        imported.talks.push(talk(session, &rooms, &categories));
    }
    imported.speakers = data
        .speakers
        .into_iter()
        .filter(|s| speaking.contains(&s.id))
        .filter_map(speaker)
        .collect();
    imported.event = event_dates(&imported.talks);
    Ok(imported)
}

/// Why `session` is not a talk, if it is not.
fn left_out(session: &Session) -> Option<Reason> {
    if session.is_service_session {
        return Some(Reason::Service);
    }
    if let Some(status) = session.status.as_deref()
        && !ACCEPTED.iter().any(|s| status.eq_ignore_ascii_case(s))
    {
        return Some(Reason::NotAccepted);
    }
    not_a_talk::break_reason(&session.title, None)
}

/// The names of `items` by their ids (numbers or strings), as text.
fn names_by_id(items: impl Iterator<Item = Named>) -> BTreeMap<String, String> {
    items.map(|n| (id_text(&n.id), n.name)).collect()
}

/// An id as text: `12` and `"12"` alike.
fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `session` as a talk, its room and categories named.
fn talk(
    session: Session,
    rooms: &BTreeMap<String, String>,
    categories: &BTreeMap<String, String>,
) -> TalkRecord {
    let links = non_empty(session.recording_url)
        .map(|url| Link {
            title: "Recording".into(),
            url,
        })
        .into_iter()
        .collect();
    TalkRecord {
        id: id_text(&session.id),
        title: session.title.trim().to_string(),
        start: session.starts_at.as_deref().and_then(Start::parse),
        room: session
            .room_id
            .and_then(|id| rooms.get(&id_text(&id)).cloned()),
        tags: session
            .category_items
            .iter()
            .filter_map(|id| categories.get(&id_text(id)).cloned())
            .collect(),
        speakers: session.speakers,
        summary: None,
        description: non_empty(session.description),
        links,
    }
}

/// A Sessionize speaker with a name.
fn speaker(speaker: Speaker) -> Option<SpeakerRecord> {
    let joined = format!(
        "{} {}",
        speaker.first_name.unwrap_or_default().trim(),
        speaker.last_name.unwrap_or_default().trim()
    );
    let name = non_empty(speaker.full_name).or_else(|| non_empty(Some(joined)))?;
    let links = speaker
        .links
        .into_iter()
        .map(|l| Link {
            title: l.link_type.or(l.title).unwrap_or_default(),
            url: l.url,
        })
        .collect();
    Some(SpeakerRecord {
        key: speaker.id,
        name,
        affiliation: None,
        role: non_empty(speaker.tag_line),
        bio: non_empty(speaker.bio),
        avatar: non_empty(speaker.profile_picture),
        links,
    })
}

/// The event's first and last days, from its talks (the name comes from `--event`).
fn event_dates(talks: &[TalkRecord]) -> EventRecord {
    let days = talks.iter().filter_map(|t| t.start.map(Start::date));
    EventRecord {
        start: days.clone().min(),
        end: days.max(),
        ..EventRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &str = r#"{
      "sessions": [
        {"id": "4711", "title": "Rust at scale", "description": "Why we moved.\n\nAnd how.",
         "startsAt": "2023-04-21T09:00:00", "endsAt": "2023-04-21T09:45:00",
         "isServiceSession": false, "isPlenumSession": false,
         "speakers": ["a-1", "b-2"], "categoryItems": [11, 22], "questionAnswers": [],
         "roomId": 5, "liveUrl": null, "recordingUrl": "https://youtu.be/x", "status": "Accepted",
         "isInformed": true, "isConfirmed": true},
        {"id": "sz-1", "title": "Registration", "description": null,
         "startsAt": "2023-04-21T08:00:00", "endsAt": "2023-04-21T09:00:00",
         "isServiceSession": true, "isPlenumSession": false, "speakers": [], "categoryItems": [],
         "roomId": 5, "status": null},
        {"id": "4712", "title": "Withdrawn talk", "description": "",
         "startsAt": null, "endsAt": null, "isServiceSession": false, "isPlenumSession": false,
         "speakers": ["b-2"], "categoryItems": [], "roomId": null, "status": "Declined"}
      ],
      "speakers": [
        {"id": "a-1", "firstName": "Ada", "lastName": "Lovelace", "fullName": "Ada Lovelace",
         "bio": "Counts.", "tagLine": "Engineer at Analytical Engines",
         "profilePicture": "https://x.org/ada.jpg", "isTopSpeaker": false,
         "links": [{"title": "Twitter", "url": "https://twitter.com/ada", "linkType": "Twitter"}],
         "sessions": [4711], "categoryItems": [], "questionAnswers": []},
        {"id": "b-2", "firstName": "Grace", "lastName": "Hopper", "fullName": "Grace Hopper",
         "bio": null, "tagLine": null, "profilePicture": null, "links": [], "sessions": [4711, 4712]},
        {"id": "c-3", "firstName": "Only", "lastName": "Declined", "fullName": "Only Declined",
         "links": [], "sessions": [4712]}
      ],
      "questions": [],
      "categories": [
        {"id": 1, "title": "Track", "items": [{"id": 11, "name": "Systems", "sort": 0}], "sort": 0, "type": "session"},
        {"id": 2, "title": "Level", "items": [{"id": 22, "name": "Advanced", "sort": 0}], "sort": 1, "type": "session"}
      ],
      "rooms": [{"id": 5, "name": "Room A", "sort": 0}]
    }"#;

    #[test]
    fn joins_sessions_to_speakers_rooms_and_categories() {
        let imported = read(Path::new("all.json"), ALL).unwrap();
        assert_eq!(imported.talks.len(), 1);
        let talk = &imported.talks[0];
        assert_eq!(talk.room.as_deref(), Some("Room A"));
        assert_eq!(talk.tags, ["Systems", "Advanced"]);
        assert_eq!(talk.start, Start::parse("2023-04-21T09:00:00"));
        assert_eq!(talk.links[0].url, "https://youtu.be/x");
        let names: Vec<_> = imported.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Ada Lovelace", "Grace Hopper"],
            "no one who only gave a declined talk"
        );
        assert_eq!(
            imported.speakers[0].role.as_deref(),
            Some("Engineer at Analytical Engines")
        );
        let reasons: Vec<_> = imported.left_out.iter().map(|(_, r)| *r).collect();
        assert_eq!(reasons, [Reason::Service, Reason::NotAccepted]);
        assert_eq!(imported.event.start, "2023-04-21".parse().ok());
    }
}
