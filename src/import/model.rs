//! What every schedule format is read into: one event, its talks, their
//! speakers, and what was left out because it is not a talk.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// A whole schedule, read and checked, ready to be written as notes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    /// The conference.
    pub event: EventRecord,
    /// Its talks, in the schedule's order.
    pub talks: Vec<TalkRecord>,
    /// Everyone who gave one of the talks, each once.
    pub speakers: Vec<SpeakerRecord>,
    /// Schedule entries that are not talks: their titles and why.
    pub left_out: Vec<(String, Reason)>,
}

/// The conference a schedule belongs to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventRecord {
    /// Its name, e.g. "PyCon US 2023".
    pub name: String,
    /// The first day.
    pub start: Option<NaiveDate>,
    /// The last day.
    pub end: Option<NaiveDate>,
    /// Its web site.
    pub homepage: Option<String>,
    /// What the source says about it (markdown or HTML), the profile's body.
    pub description: Option<String>,
}

/// When a talk starts: with the offset from UTC when the source gives one,
/// or only the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Start {
    /// A moment with its UTC offset (`2023-04-21T09:00:00-04:00`).
    Offset(DateTime<FixedOffset>),
    /// A wall-clock time at the venue, offset unknown (`2023-04-21T09:00:00`).
    Local(NaiveDateTime),
    /// Only the day (`2023-04-21`).
    Day(NaiveDate),
}

impl Start {
    /// `2023-04-21T09:00:00-04:00` (or `Z`), an offset-less
    /// `2023-04-21T09:00:00` / `2023-04-21 09:00`, or a day `2023-04-21`;
    /// `None` for anything else.
    pub fn parse(text: &str) -> Option<Start> {
        let text = text.trim();
        if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
            return Some(Start::Offset(moment));
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Start::Day(day));
        }
        [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(Start::Local)
    }

    /// The day at the venue.
    pub fn date(self) -> NaiveDate {
        match self {
            Start::Offset(moment) => moment.date_naive(),
            Start::Local(local) => local.date(),
            Start::Day(day) => day,
        }
    }

    /// As TOML writes it: with the offset when known, to the second; a day alone.
    pub fn to_toml_text(self) -> String {
        match self {
            Start::Offset(moment) => moment.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            Start::Local(local) => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Start::Day(day) => day.to_string(),
        }
    }
}

/// One talk of the schedule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TalkRecord {
    /// The source's own id, to keep the order stable among equal talks.
    pub id: String,
    /// The title.
    pub title: String,
    /// When it starts.
    pub start: Option<Start>,
    /// The room.
    pub room: Option<String>,
    /// Track, type or category names, as tags.
    pub tags: Vec<String>,
    /// Who gave it, by the `key` of their [`SpeakerRecord`].
    pub speakers: Vec<String>,
    /// The abstract (markdown or HTML).
    pub summary: Option<String>,
    /// The long description (markdown or HTML).
    pub description: Option<String>,
    /// Every link the source gives, slides and recordings included.
    pub links: Vec<Link>,
}

/// A titled link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What the source calls it ("Slides", "Twitter", "Recording").
    pub title: String,
    /// Where it points.
    pub url: String,
}

/// A person who gave a talk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeakerRecord {
    /// The source's id for the person, which talks refer to.
    pub key: String,
    /// Their full name.
    pub name: String,
    /// Their company or organisation.
    pub affiliation: Option<String>,
    /// Their job title or tag line.
    pub role: Option<String>,
    /// Their biography (markdown or HTML).
    pub bio: Option<String>,
    /// A URL of their photo.
    pub avatar: Option<String>,
    /// Their links (homepage, social profiles).
    pub links: Vec<Link>,
}

/// Why a schedule entry is not imported as a talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// A break, a lunch, a coffee: by its type or title.
    Break,
    /// Marked by the source as a service session (Sessionize).
    Service,
    /// A submission that was not accepted (rejected, withdrawn, waitlisted...).
    NotAccepted,
    /// A recording with no title (pyvideo).
    Untitled,
    /// A post's photo caption, or a heading with no text under it.
    Caption,
}

impl Reason {
    /// The reason as the report shows it.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Break => "a break or a meal, not a talk",
            Reason::Service => "a service session, not a talk",
            Reason::NotAccepted => "not accepted or confirmed",
            Reason::Untitled => "it has no title",
            Reason::Caption => "a caption or a heading with no text under it, not a talk",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_keep_their_offset_or_say_they_have_none() {
        let with = Start::parse("2023-04-21T09:00:00-04:00").unwrap();
        assert_eq!(with.to_toml_text(), "2023-04-21T09:00:00-04:00");
        let utc = Start::parse("2023-04-21T13:00:00Z").unwrap();
        assert_eq!(utc.to_toml_text(), "2023-04-21T13:00:00+00:00");
        let local = Start::parse("2023-04-21T09:00:00").unwrap();
        assert_eq!(local.to_toml_text(), "2023-04-21T09:00:00");
        assert_eq!(local.date(), NaiveDate::from_ymd_opt(2023, 4, 21).unwrap());
        let day = Start::parse("2023-04-21").unwrap();
        assert_eq!(day.to_toml_text(), "2023-04-21");
        assert_eq!(day.date(), local.date());
        assert_eq!(Start::parse("soon"), None);
    }
}
