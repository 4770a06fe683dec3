//! A talk note: one markdown file, its front matter typed.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::front_matter::{self, FrontMatterError};
use crate::diagnostics::Diagnostic;
use crate::safe_url::{self, SafeUrl};
use crate::urls;

/// One talk, as its author wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The file, relative to the site root (`content/talks/x.md`).
    pub source: PathBuf,
    /// The URL slug: the `slug` key, or the file name without `.md`.
    pub slug: String,
    /// The talk's title: the `title` key, or the note's first `#` heading.
    pub title: String,
    /// When the talk was given.
    pub date: Option<NaiveDate>,
    /// The conference's name.
    pub event: Option<String>,
    /// Who gave the talk.
    pub speakers: Vec<Speaker>,
    /// The projects the talk discussed.
    pub projects: Vec<String>,
    /// Topics.
    pub tags: Vec<String>,
    /// Link to the slides, if it is a safe one.
    pub slides: Option<SafeUrl>,
    /// Link to the recording, if it is a safe one.
    pub video: Option<SafeUrl>,
    /// Who took the notes.
    pub authors: Vec<String>,
    /// A one-line summary.
    pub summary: Option<String>,
    /// Drafts are left out unless the build asks for them.
    pub draft: bool,
    /// Front-matter keys talkbook does not know, for templates.
    pub extra: Map<String, Value>,
    /// The markdown body.
    pub body: String,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
    /// What was left out without stopping the build: URLs that are not safe links.
    pub warnings: Vec<Diagnostic>,
}

/// A speaker as named in a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// Full name.
    pub name: String,
    /// Company or organisation.
    pub affiliation: Option<String>,
    /// Job title.
    pub role: Option<String>,
    /// Personal page, if it is a safe link.
    pub url: Option<SafeUrl>,
}

/// talkbook's keys in a note's front matter; any other key goes to
/// [`Note::extra`], and `[keys]` may map a site's own key to one of these.
pub const KEYS: &[&str] = &[
    "title", "slug", "date", "event", "speakers", "projects", "tags", "slides", "video", "authors",
    "summary", "draft",
];

/// The keys a note's front matter may have; others go to `extra`.
#[derive(Debug, Deserialize)]
struct NoteFrontMatter {
    title: Option<String>,
    slug: Option<String>,
    date: Option<String>,
    event: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    speakers: Vec<SpeakerEntry>,
    #[serde(default, deserialize_with = "one_or_many")]
    projects: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    tags: Vec<String>,
    slides: Option<String>,
    video: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    authors: Vec<String>,
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `"Liz Rice"` or `{ name = "Liz Rice", affiliation = "Aqua Security" }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SpeakerEntry {
    Name(String),
    Full {
        name: String,
        affiliation: Option<String>,
        role: Option<String>,
        url: Option<String>,
    },
}

/// Accepts one value where a list is expected (`tags = "k8s"`).
fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::Many(items) => items,
        OneOrMany::One(item) => vec![item],
    })
}

/// What to write for each key, for error hints.
fn hint_for(key: &str) -> &'static str {
    match key {
        "speakers" => {
            "write speakers as a list of names, or of tables: speakers = [{ name = \"Ada\", affiliation = \"ACME\" }]"
        }
        "projects" | "tags" | "authors" => {
            "write a list of strings: tags = [\"observability\", \"ci\"]"
        }
        "date" => "write dates as YYYY-MM-DD, e.g. date = 2018-05-02",
        "draft" => "write draft = true or draft = false",
        _ => "write this key's value as a string in quotes",
    }
}

impl Note {
    /// Parses the note at `source` (relative to the site root) from its text.
    pub fn parse(source: &Path, text: &str) -> Result<Note, FrontMatterError> {
        let split = front_matter::split(text)?;
        let (map, fm_text) = match split.front_matter {
            Some((format, fm_text)) => (
                front_matter::parse(format, fm_text, split.front_matter_line)?,
                fm_text,
            ),
            None => (Map::new(), ""),
        };
        let fm: NoteFrontMatter =
            serde_path_to_error::deserialize(Value::Object(map)).map_err(|err| {
                let key = err
                    .path()
                    .iter()
                    .next()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                FrontMatterError {
                    line: front_matter::key_line(fm_text, &key, split.front_matter_line),
                    message: format!("`{}`: {}", err.path(), err.inner()),
                    hint: hint_for(&key).into(),
                }
            })?;
        let date = fm
            .date
            .as_deref()
            .map(|d| {
                checked_date(d).map_err(|message| FrontMatterError {
                    line: front_matter::key_line(fm_text, "date", split.front_matter_line),
                    message,
                    hint: hint_for("date").into(),
                })
            })
            .transpose()?;
        check_names(&fm, fm_text, split.front_matter_line)?;
        let (title, body, body_line) = match fm.title {
            Some(title) => (title, split.body, split.body_line),
            None => take_heading_title(split.body, split.body_line).ok_or_else(|| {
                FrontMatterError {
                    line: Some(1),
                    message: "this note has no title".into(),
                    hint: "add `title = \"...\"` to the front matter, or start the note with a `# Title` line".into(),
                }
            })?,
        };
        let slug = note_slug(source, fm.slug.as_deref()).map_err(|problem| FrontMatterError {
            line: front_matter::key_line(fm_text, "slug", split.front_matter_line),
            message: format!("this note's slug (its file name, or `slug`) {problem}"),
            hint: "give the file a short name with letters or digits, or set `slug = \"...\"`"
                .into(),
        })?;
        let mut warnings = Vec::new();
        let mut link = |what: &str, key: &str, url: Option<String>| {
            SafeUrl::new(url?)
                .map_err(|url| {
                    let line =
                        front_matter::value_line(fm_text, key, &url, split.front_matter_line);
                    warnings.push(safe_url::warning(source, line, what, &url));
                })
                .ok()
        };
        let slides = link("`slides`", "slides", fm.slides);
        let video = link("`video`", "video", fm.video);
        let speakers = fm
            .speakers
            .into_iter()
            .map(|entry| match entry {
                SpeakerEntry::Name(name) => Speaker {
                    name,
                    affiliation: None,
                    role: None,
                    url: None,
                },
                SpeakerEntry::Full {
                    name,
                    affiliation,
                    role,
                    url,
                } => Speaker {
                    url: link("speaker's `url`", "speakers", url),
                    name,
                    affiliation,
                    role,
                },
            })
            .collect();
        Ok(Note {
            source: source.to_path_buf(),
            slug,
            title,
            date,
            event: fm.event,
            speakers,
            projects: fm.projects,
            tags: fm.tags,
            slides,
            video,
            authors: fm.authors,
            summary: fm.summary,
            draft: fm.draft,
            extra: fm.extra,
            body: body.to_string(),
            body_line,
            warnings,
        })
    }
}

/// Every speaker, project, tag and event name must make a URL slug that
/// fits in a file name.
fn check_names(
    fm: &NoteFrontMatter,
    fm_text: &str,
    first_line: usize,
) -> Result<(), FrontMatterError> {
    let speakers = fm.speakers.iter().map(|s| match s {
        SpeakerEntry::Name(name) | SpeakerEntry::Full { name, .. } => ("speakers", name),
    });
    let others = [("projects", &fm.projects), ("tags", &fm.tags)]
        .into_iter()
        .flat_map(|(key, names)| names.iter().map(move |name| (key, name)));
    let event = fm.event.iter().map(|name| ("event", name));
    match speakers
        .chain(others)
        .chain(event)
        .find_map(|(key, name)| Some((key, name, urls::slug_problem(&urls::slugify(name))?)))
    {
        None => Ok(()),
        Some((key, name, problem)) => Err(FrontMatterError {
            line: front_matter::key_line(fm_text, key, first_line),
            message: format!("`{key}`: \"{name}\" {problem}"),
            hint: "write names as people write them, e.g. \"Ada Lovelace\"".into(),
        }),
    }
}

/// The years a date may have: those that feeds (RFC 3339) and sitemaps (W3C
/// dates) can carry, four digits and not year 0.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The `date` key's value as a date in [`YEARS`], or what is wrong with it.
fn checked_date(text: &str) -> Result<NaiveDate, String> {
    let date = parse_date(text).ok_or_else(|| format!("`date`: \"{text}\" is not a date"))?;
    if !YEARS.contains(&date.year()) {
        return Err(format!(
            "`date`: \"{text}\" is in the year {}, outside the years {} to {}",
            date.year(),
            YEARS.start(),
            YEARS.end()
        ));
    }
    Ok(date)
}

/// `2018-05-02`, `2018-05-02T10:00:00Z`, `2018-05-02 10:00:00`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    if let Ok(datetime) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(datetime.date_naive());
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
        .map(|datetime| datetime.date())
}

/// The slug from the `slug` key or the file name, or what is wrong with it.
fn note_slug(source: &Path, slug_key: Option<&str>) -> Result<String, String> {
    let name = slug_key
        .or_else(|| source.file_stem()?.to_str())
        .unwrap_or_default();
    let slug = urls::slugify(name);
    match urls::slug_problem(&slug) {
        None => Ok(slug),
        Some(problem) => Err(problem),
    }
}

/// The first `# Heading` of a body without front matter, and the body after it.
fn take_heading_title(body: &str, body_line: usize) -> Option<(String, &str, usize)> {
    let mut offset = 0;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(title) = trimmed.strip_prefix("# ") {
            let title = title.trim().trim_end_matches('#').trim().to_string();
            let rest = &body[offset + line.len()..];
            return Some((title, rest, body_line + i + 1));
        }
        if !trimmed.is_empty() {
            return None; // the title heading must come first
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> Note {
        Note::parse(Path::new("content/talks/a-talk.md"), text).unwrap()
    }

    #[test]
    fn reads_toml_note() {
        let n = note(
            "+++\ntitle = \"T\"\ndate = 2018-05-02\nspeakers = [\"Ada\", { name = \"Bo\", affiliation = \"X\" }]\ntags = \"k8s\"\nmood = \"happy\"\n+++\nBody",
        );
        assert_eq!(n.title, "T");
        assert_eq!(n.slug, "a-talk");
        assert_eq!(n.date, NaiveDate::from_ymd_opt(2018, 5, 2));
        assert_eq!(n.speakers[1].affiliation.as_deref(), Some("X"));
        assert_eq!(n.tags, ["k8s"]);
        assert_eq!(n.extra["mood"], "happy");
        assert_eq!(n.body, "Body");
    }

    #[test]
    fn reads_yaml_note() {
        let n = note(
            "---\ntitle: T\ndate: 2018-05-02\nspeakers:\n  - name: Ada\n    role: CTO\n---\nBody",
        );
        assert_eq!(n.speakers[0].role.as_deref(), Some("CTO"));
        assert_eq!(n.date, NaiveDate::from_ymd_opt(2018, 5, 2));
    }

    #[test]
    fn title_from_first_heading() {
        let n = note("\n# The Title\n\nText\n");
        assert_eq!(n.title, "The Title");
        assert_eq!(n.body, "\nText\n");
        assert_eq!(n.body_line, 3);
    }

    #[test]
    fn missing_title_is_an_error() {
        let err = Note::parse(Path::new("content/a.md"), "Just text").unwrap_err();
        assert!(err.message.contains("no title"));
    }

    #[test]
    fn bad_date_names_its_line() {
        let err = Note::parse(
            Path::new("content/a.md"),
            "+++\ntitle = \"T\"\ndate = \"2018-13-45\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("not a date"));
    }

    #[test]
    fn dates_outside_the_years_1_to_9999_name_their_line() {
        let outside = |year: &str| format!("is in the year {year}, outside the years 1 to 9999");
        for (front_matter, said) in [
            ("+++\ntitle = \"T\"\ndate = 0000-01-01\n+++\n", outside("0")),
            (
                "+++\ntitle = \"T\"\ndate = \"-0001-01-01\"\n+++\n",
                outside("-1"),
            ),
            ("---\ntitle: T\ndate: -0001-01-01\n---\n", outside("-1")),
            ("---\ntitle: T\ndate: +10000-01-01\n---\n", outside("10000")),
            (
                "---\ntitle: T\ndate: 10000-01-01\n---\n",
                "is not a date".into(),
            ),
        ] {
            let err = Note::parse(Path::new("content/a.md"), front_matter).unwrap_err();
            assert_eq!(err.line, Some(3), "{front_matter}");
            assert!(
                err.message.contains(&said),
                "{front_matter}: {}",
                err.message
            );
        }
        let first = note("+++\ntitle = \"T\"\ndate = 0001-01-01\n+++\n");
        assert_eq!(first.date, NaiveDate::from_ymd_opt(1, 1, 1));
        let last = note("---\ntitle: T\ndate: 9999-12-31\n---\n");
        assert_eq!(last.date, NaiveDate::from_ymd_opt(9999, 12, 31));
    }

    #[test]
    fn wrong_type_names_key_and_line() {
        let err = Note::parse(
            Path::new("content/a.md"),
            "+++\ntitle = \"T\"\ntags = [1]\n+++\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.starts_with("`tags"), "{}", err.message);
    }

    #[test]
    fn slug_key_overrides_file_name() {
        let n = note("+++\ntitle = \"T\"\nslug = \"Other Name\"\n+++\n");
        assert_eq!(n.slug, "other-name");
    }

    #[test]
    fn unsafe_urls_are_left_out_with_a_warning_on_their_line() {
        let n = note(
            "---\ntitle: T\nslides: https://x.org/s.pdf\nvideo: \" JavaScript:alert(1)\"\nspeakers:\n  - name: Ada\n    url: \"data:text/html,x\"\n  - name: Bo\n    url: /bo/\n---\n",
        );
        assert_eq!(n.slides.unwrap().as_str(), "https://x.org/s.pdf");
        assert_eq!(n.video, None);
        assert_eq!(n.speakers[0].url, None);
        assert_eq!(n.speakers[1].url.as_ref().unwrap().as_str(), "/bo/");
        let lines: Vec<_> = n.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(4), Some(7)]);
        assert!(n.warnings.iter().all(|w| !w.is_error()));
        assert!(
            n.warnings[0].message.contains("`video`"),
            "{:?}",
            n.warnings
        );
    }

    #[test]
    fn dates_in_several_shapes() {
        let d = NaiveDate::from_ymd_opt(2018, 5, 2);
        assert_eq!(parse_date("2018-05-02"), d);
        assert_eq!(parse_date("2018-05-02T10:00:00Z"), d);
        assert_eq!(parse_date("2018-05-02 10:00:00"), d);
        assert_eq!(parse_date("May 2"), None);
    }
}
