//! One recording of pyvideo.org's data (`<event>/videos/<name>.json`) as a
//! talk: its speakers by name, its day, its videos (YouTube first) and
//! related links, tags, summary and description.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::frab_event::non_empty;
use super::model::{Link, Start, TalkRecord};
use crate::urls;

/// A recording's JSON, the fields import uses; each may be missing or null.
#[derive(Debug, Deserialize)]
pub struct Recording {
    title: Option<String>,
    speakers: Option<Vec<String>>,
    recorded: Option<String>,
    description: Option<String>,
    summary: Option<String>,
    tags: Option<Vec<String>>,
    videos: Option<Vec<VideoFile>>,
    related_urls: Option<Vec<Related>>,
}

/// One entry of `videos`: where a copy of the recording is, and of what kind.
#[derive(Debug, Deserialize)]
struct VideoFile {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
}

/// One entry of `related_urls`: an address, or one with a label.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Related {
    Url(String),
    Labelled { label: Option<String>, url: String },
}

/// The kind of video preferred as a talk's `video`.
const PREFERRED_VIDEO: &str = "youtube";

/// Speaker names that stand for no one person ("Various speakers").
const NOT_A_PERSON: &[&str] = &["various "];

impl Recording {
    /// The recording's title, trimmed; `None` when it has none.
    pub fn title(&self) -> Option<String> {
        non_empty(self.title.clone())
    }

    /// The names of the people who gave it: spaces tidied, each once,
    /// without names that are no one's ("Various speakers") or hold no
    /// letter or digit.
    pub fn speaker_names(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.speakers
            .iter()
            .flatten()
            .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|name| is_a_person(name) && seen.insert(name.clone()))
            .collect()
    }

    /// The recording as a talk with `title`, known by `id`, given by `speakers` (their keys).
    pub fn into_talk(self, id: String, title: String, speakers: Vec<String>) -> TalkRecord {
        let links = self.links();
        TalkRecord {
            id,
            title,
            start: self.recorded.as_deref().and_then(Start::parse),
            room: None,
            tags: tidy_tags(self.tags.unwrap_or_default()),
            speakers,
            summary: non_empty(self.summary),
            description: non_empty(self.description),
            links,
        }
    }

    /// The videos, those on YouTube first, then the related links; each address once.
    fn links(&self) -> Vec<Link> {
        let mut videos: Vec<&VideoFile> = self.videos.iter().flatten().collect();
        videos.sort_by_key(|v| !is_preferred(v));
        let videos = videos.into_iter().filter_map(|video| {
            let kind = video.kind.as_deref().map(str::trim).unwrap_or_default();
            Some(Link {
                title: if kind.is_empty() {
                    "Video".to_string()
                } else {
                    format!("Video ({kind})")
                },
                url: non_empty(video.url.clone())?,
            })
        });
        let related = self.related_urls.iter().flatten().filter_map(|related| {
            let (label, url) = match related {
                Related::Url(url) => (None, url),
                Related::Labelled { label, url } => (label.clone(), url),
            };
            Some(Link {
                title: non_empty(label).unwrap_or_else(|| "Link".to_string()),
                url: non_empty(Some(url.clone()))?,
            })
        });
        let mut seen = BTreeSet::new();
        videos
            .chain(related)
            .filter(|link| seen.insert(link.url.clone()))
            .collect()
    }
}

/// Whether `video` is of the kind a talk's `video` prefers.
fn is_preferred(video: &VideoFile) -> bool {
    video
        .kind
        .as_deref()
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case(PREFERRED_VIDEO))
}

/// Whether `name` can be a person's: it has a letter or digit to make a
/// page's address from, and is not a stand-in such as "Various speakers".
fn is_a_person(name: &str) -> bool {
    let lower = name.to_lowercase();
    !urls::slugify(name).is_empty() && !NOT_A_PERSON.iter().any(|p| lower.starts_with(p))
}

/// Tags trimmed, without empty ones, each once, in their order.
fn tidy_tags(tags: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    tags.into_iter()
        .filter_map(|tag| non_empty(Some(tag)))
        .filter(|tag| seen.insert(tag.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording(json: &str) -> Recording {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_full_recording_becomes_a_talk_with_youtube_as_its_video() {
        let r = recording(
            r#"{
              "copyright_text": "CC BY", "description": "Why *gears*.\n\nAnd how.",
              "duration": 1805, "id": 4711, "language": "eng", "quality_notes": null,
              "recorded": "2019-05-03", "related_urls": [
                {"label": "Conference schedule", "url": "https://us.pycon.org/2019/schedule/"},
                "https://speakerdeck.com/ada/engines",
                "https://www.youtube.com/watch?v=abc"
              ],
              "slug": "engines", "speakers": ["Ada  Lovelace ", "Grace Hopper", "Ada Lovelace"],
              "summary": "Gears,\nexplained.", "tags": ["history", " history", ""],
              "thumbnail_url": "https://i.ytimg.com/vi/abc/hqdefault.jpg",
              "title": " Engines ",
              "videos": [
                {"type": "archive.org", "url": "https://archive.org/details/engines"},
                {"type": "youtube", "url": "https://www.youtube.com/watch?v=abc"}
              ]
            }"#,
        );
        assert_eq!(r.title().as_deref(), Some("Engines"));
        assert_eq!(r.speaker_names(), ["Ada Lovelace", "Grace Hopper"]);
        let talk = r.into_talk("engines".into(), "Engines".into(), Vec::new());
        assert_eq!(talk.start, Start::parse("2019-05-03"));
        assert_eq!(talk.tags, ["history"]);
        assert_eq!(talk.summary.as_deref(), Some("Gears,\nexplained."));
        let links: Vec<_> = talk
            .links
            .iter()
            .map(|l| (l.title.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("Video (youtube)", "https://www.youtube.com/watch?v=abc"),
                ("Video (archive.org)", "https://archive.org/details/engines"),
                ("Conference schedule", "https://us.pycon.org/2019/schedule/"),
                ("Link", "https://speakerdeck.com/ada/engines"),
            ],
            "YouTube first, each address once"
        );
    }

    #[test]
    fn nulls_and_missing_fields_are_nothing() {
        let r = recording(
            r#"{"title": "Lightning talks", "speakers": [], "recorded": null,
                "description": null, "thumbnail_url": null, "duration": null,
                "videos": [{"type": "mp4", "url": "https://x.org/lt.mp4", "length": null}]}"#,
        );
        assert!(r.speaker_names().is_empty());
        let talk = r.into_talk("lt".into(), "Lightning talks".into(), Vec::new());
        assert_eq!(talk.start, None);
        assert!(talk.tags.is_empty());
        assert_eq!(talk.description, None);
        assert_eq!(talk.links[0].title, "Video (mp4)");

        let bare = recording(r#"{"title": "", "speakers": null}"#);
        assert_eq!(bare.title(), None);
        assert!(bare.links().is_empty());
    }

    #[test]
    fn stand_ins_and_names_without_letters_are_no_one() {
        let r = recording(r#"{"speakers": ["Various speakers", "", "  ", "???", "김도형"]}"#);
        assert_eq!(r.speaker_names(), ["김도형"]);
    }
}
