//! A talk note: one markdown file, its front matter typed, and what its
//! headings say when the front matter does not.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::front_matter::{self, Format, FrontMatterError, Split};
use super::headings::{self, FromHeadings};
use super::keys::KeyMap;
use super::speaker;
pub use super::speaker::Speaker;
use super::values::{Values, describe};
use super::when::{NotAWhen, When, YEARS};
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
    /// Whether the `slug` key set [`Note::slug`]; else the file name did,
    /// and `[content] slug` may make another.
    pub own_slug: bool,
    /// The talk's title: the `title` key, else the note's first heading (of
    /// any level, as plain text, without the speakers it names), else the
    /// file name made readable.
    pub title: String,
    /// When the talk was given: a day, or a day and a time with its offset.
    pub date: Option<When>,
    /// The conference's name.
    pub event: Option<String>,
    /// Who gave the talk: the `speakers` key, else the people the first
    /// heading or the speaker headings after it name.
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
    /// Front-matter keys talkbook does not know (not in [`KEYS`]), without
    /// empty values, for templates.
    pub extra: Map<String, Value>,
    /// The markdown body, without the headings that gave the title and
    /// speakers when they start it; empty in a build once rendered (see
    /// `Site::drop_markdown`).
    pub body: String,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
    /// What was understood or left out without stopping the build: URLs
    /// that are not safe links, a title made from the file name, keys set
    /// twice through `[keys]`.
    pub warnings: Vec<Diagnostic>,
}

/// talkbook's keys in a note's front matter; any other key goes to
/// [`Note::extra`], and `[keys]` may map a site's own key to one of these.
pub const KEYS: &[&str] = &[
    "title", "slug", "date", "event", "speakers", "projects", "tags", "slides", "video", "authors",
    "summary", "draft",
];

/// An example value of each key, `(YAML, TOML)`, for hints.
fn example(key: &str) -> (&'static str, &'static str) {
    match key {
        "speakers" => (
            "[Ada Lovelace, {name: Bo Smith, affiliation: ACME}]",
            "[\"Ada Lovelace\", { name = \"Bo Smith\", affiliation = \"ACME\" }]",
        ),
        "projects" | "tags" | "authors" => ("[observability, ci]", "[\"observability\", \"ci\"]"),
        "date" => ("2018-05-02", "2018-05-02"),
        "draft" => ("true", "true"),
        "slides" | "video" => ("https://example.org/talk", "\"https://example.org/talk\""),
        _ => ("Some text", "\"Some text\""),
    }
}

/// The keys read from front matter, before the headings are looked at.
struct Keys {
    title: Option<String>,
    slug: Option<String>,
    date: Option<When>,
    event: Option<String>,
    speakers: Vec<Speaker>,
    projects: Vec<String>,
    tags: Vec<String>,
    slides: Option<SafeUrl>,
    video: Option<SafeUrl>,
    authors: Vec<String>,
    summary: Option<String>,
    draft: bool,
}

impl Note {
    /// Parses the note at `source` (relative to the site root) from its
    /// text, with the site's front-matter key names `keys`.
    pub fn parse(source: &Path, text: &str, keys: &KeyMap) -> Result<Note, FrontMatterError> {
        let split = front_matter::split(text)?;
        let (format, fm_text) = split.front_matter.unwrap_or((Format::Toml, ""));
        let map = match split.front_matter {
            Some(_) => front_matter::parse(format, fm_text, split.front_matter_line)?,
            None => Map::new(),
        };
        let mut values = Values::new(
            keys.apply(map),
            format,
            fm_text,
            split.front_matter_line,
            example,
        );
        let mut warnings = values.both_set(source);
        let keys = read_keys(&mut values, source, &mut warnings)?;
        check_names(&values, &keys)?;
        let own_slug = keys.slug.is_some();
        let slug = note_slug(source, keys.slug.as_deref()).map_err(|problem| FrontMatterError {
            line: values.line("slug"),
            message: format!("this note's slug (its file name, or `slug`) {problem}"),
            hint: format!(
                "give the file a short name with letters or digits, or set `{}`",
                values.setting("slug", "my-talk", "\"my-talk\"")
            ),
        })?;
        let wants_speakers = keys.speakers.is_empty();
        let from_headings = (keys.title.is_none() || wants_speakers)
            .then(|| headings::read(split.body, wants_speakers))
            .flatten()
            .filter(|read| !read.title.is_empty());
        let (title, body, body_line) = title_and_body(
            source,
            keys.title,
            from_headings.as_ref(),
            &split,
            &values,
            &mut warnings,
        )?;
        let speakers = match from_headings {
            Some(FromHeadings { speakers, .. }) if wants_speakers => speakers
                .into_iter()
                .filter(|s| urls::slug_problem(&urls::slugify(&s.name)).is_none())
                .collect(),
            _ => keys.speakers,
        };
        Ok(Note {
            source: source.to_path_buf(),
            slug,
            own_slug,
            title,
            date: keys.date,
            event: keys.event,
            speakers,
            projects: keys.projects,
            tags: keys.tags,
            slides: keys.slides,
            video: keys.video,
            authors: keys.authors,
            summary: keys.summary,
            draft: keys.draft,
            extra: values.rest(),
            body: body.to_string(),
            body_line,
            warnings,
        })
    }
}

/// Every key of [`KEYS`], taken out of `values`; unsafe links are left out
/// with a warning in `warnings`.
fn read_keys(
    values: &mut Values,
    source: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Keys, FrontMatterError> {
    let mut unsafe_urls = Vec::new();
    let mut link = |key: &'static str, url: String| {
        SafeUrl::new(url)
            .map_err(|url| unsafe_urls.push((key, url)))
            .ok()
    };
    let slides = values.text("slides")?.and_then(|url| link("slides", url));
    let video = values.text("video")?.and_then(|url| link("video", url));
    let speakers = speaker::read(values, |url| link("speakers", url))?;
    for (key, url) in unsafe_urls {
        let what = match key {
            "speakers" => format!("`{}`: a speaker's `url`", values.written(key)),
            _ => format!("`{}`", values.written(key)),
        };
        let line = values.value_line(key, &url);
        warnings.push(safe_url::warning(source, line, &what, &url));
    }
    Ok(Keys {
        title: values.text("title")?,
        slug: values.text("slug")?,
        date: read_date(values)?,
        event: values.text("event")?,
        speakers,
        projects: values.texts("projects")?,
        tags: values.texts("tags")?,
        slides,
        video,
        authors: values.texts("authors")?,
        summary: values.text("summary")?,
        draft: values.flag("draft")?,
    })
}

/// A date with a time, `(YAML, TOML)`, for hints.
const DATE_WITH_TIME: (&str, &str) = ("2018-05-02 10:00:00 +02:00", "2018-05-02T10:00:00+02:00");

/// The `date` key: a day, or a day and a time ([`When::parse`]).
fn read_date(values: &mut Values) -> Result<Option<When>, FrontMatterError> {
    let problem = match values.take("date") {
        None => return Ok(None),
        Some(Value::String(text)) => match When::parse(&text) {
            Ok(when) => return Ok(Some(when)),
            Err(NotAWhen::NotADate) => format!("\"{text}\" is not a date"),
            Err(NotAWhen::Year(year)) => format!(
                "\"{text}\" is in the year {year}, outside the years {} to {}",
                YEARS.start(),
                YEARS.end()
            ),
        },
        Some(other) => format!(
            "expected a date such as 2018-05-02, found {}",
            describe(&other)
        ),
    };
    let mut err = values.error("date", problem);
    let (yaml, toml) = DATE_WITH_TIME;
    err.hint = format!(
        "{}, or with a time: `{}`",
        err.hint,
        values.setting("date", yaml, toml)
    );
    Err(err)
}

/// The title (the `title` key, else what the headings `read` say, else the
/// file name, with a warning), and the body without the headings that gave
/// it when they start it, with its first line.
fn title_and_body<'t>(
    source: &Path,
    title: Option<String>,
    read: Option<&FromHeadings>,
    split: &Split<'t>,
    values: &Values,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(String, &'t str, usize), FrontMatterError> {
    let (body, body_line) = (split.body, split.body_line);
    match (title, read) {
        (Some(title), _) => Ok((title, body, body_line)),
        (None, Some(read)) => {
            let end = read.leading_end.unwrap_or(0);
            let lines = body[..end].matches('\n').count();
            Ok((read.title.clone(), &body[end..], body_line + lines))
        }
        (None, None) => {
            let (title, warning) = title_from_file_name(source, values, split.front_matter)?;
            warnings.push(warning);
            Ok((title, body, body_line))
        }
    }
}

/// A note with no `title` and no heading: its file name made readable, and
/// a warning saying so.
fn title_from_file_name(
    source: &Path,
    values: &Values,
    front_matter: Option<(Format, &str)>,
) -> Result<(String, Diagnostic), FrontMatterError> {
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let title = headings::readable(stem);
    let set_title = match front_matter {
        Some(_) => format!(
            "`{}`",
            values.setting("title", &title, &format!("\"{title}\""))
        ),
        None => "`title` in front matter".into(),
    };
    if title.is_empty() {
        return Err(FrontMatterError {
            line: Some(1),
            message: "this note has no title".into(),
            hint: format!("start the note with a heading such as `# My talk`, or set {set_title}"),
        });
    }
    let warning = Diagnostic::in_file(
        source,
        format!(
            "this note has no title and no heading: it is called \"{title}\", after its file name"
        ),
    )
    .at_line(1)
    .with_hint(format!(
        "start the note with a heading such as `# {title}`, or set {set_title}"
    ))
    .as_warning();
    Ok((title, warning))
}

/// Every speaker, project, tag and event name must make a URL slug that
/// fits in a file name.
fn check_names(values: &Values, keys: &Keys) -> Result<(), FrontMatterError> {
    let speakers = keys.speakers.iter().map(|s| ("speakers", &s.name));
    let others = [("projects", &keys.projects), ("tags", &keys.tags)]
        .into_iter()
        .flat_map(|(key, names)| names.iter().map(move |name| (key, name)));
    let event = keys.event.iter().map(|name| ("event", name));
    match speakers
        .chain(others)
        .chain(event)
        .find_map(|(key, name)| Some((key, name, urls::slug_problem(&urls::slugify(name))?)))
    {
        None => Ok(()),
        Some((key, name, problem)) => Err(FrontMatterError {
            line: values.line(key),
            message: format!("`{}`: \"{name}\" {problem}", values.written(key)),
            hint: "write names as people write them, e.g. \"Ada Lovelace\"".into(),
        }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Note, FrontMatterError> {
        Note::parse(Path::new("content/a.md"), text, &KeyMap::default())
    }

    fn day(y: i32, m: u32, d: u32) -> Option<When> {
        chrono::NaiveDate::from_ymd_opt(y, m, d).map(When::on)
    }

    fn note(text: &str) -> Note {
        Note::parse(
            Path::new("content/talks/a-talk.md"),
            text,
            &KeyMap::default(),
        )
        .unwrap()
    }

    #[test]
    fn reads_toml_note() {
        let n = note(
            "+++\ntitle = \"T\"\ndate = 2018-05-02\nspeakers = [\"Ada\", { name = \"Bo\", affiliation = \"X\" }]\ntags = \"k8s\"\nmood = \"happy\"\n+++\nBody",
        );
        assert_eq!(n.title, "T");
        assert_eq!(n.slug, "a-talk");
        assert_eq!(n.date, day(2018, 5, 2));
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
        assert_eq!(n.date, day(2018, 5, 2));
    }

    #[test]
    fn title_from_first_heading() {
        let n = note("\n# The Title\n\nText\n");
        assert_eq!(n.title, "The Title");
        assert_eq!(n.body, "\nText\n");
        assert_eq!(n.body_line, 3);
    }

    #[test]
    fn without_title_or_heading_the_file_name_is_the_title_with_a_warning() {
        let n = Note::parse(
            Path::new("content/2016/day-1-keynote.md"),
            "Just text",
            &KeyMap::default(),
        )
        .unwrap();
        assert_eq!(n.title, "Day 1 keynote");
        assert_eq!(n.body, "Just text");
        assert_eq!(n.warnings.len(), 1);
        assert!(!n.warnings[0].is_error());
        assert!(n.warnings[0].message.contains("after its file name"));
        assert!(
            n.warnings[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("`# Day 1 keynote`"),
            "{:?}",
            n.warnings[0]
        );
        let yaml = Note::parse(
            Path::new("content/x_y.md"),
            "---\ntags: [a]\n---\n",
            &KeyMap::default(),
        )
        .unwrap();
        assert_eq!(yaml.title, "X y");
        assert!(
            yaml.warnings[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("`title: X y`")
        );
        let err = Note::parse(
            Path::new("content/--.md"),
            "+++\nslug = \"x\"\n+++\nText",
            &KeyMap::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("no title"), "{}", err.message);
    }

    #[test]
    fn title_from_a_later_heading_of_any_level_as_plain_text() {
        let n = note("Intro.\n\n## [Eric Baer, Formidable](https://x.org) **live**\n\nText\n");
        assert_eq!(n.title, "Eric Baer, Formidable live");
        assert!(
            n.body.starts_with("Intro."),
            "the heading is not first: the body is kept"
        );
        assert!(n.speakers.is_empty());
    }

    #[test]
    fn speakers_from_headings_only_without_a_speakers_key() {
        let n = note("# \"Scaling Teams\" by Ada Lovelace and Bo Smith\n\nText\n");
        assert_eq!(n.title, "Scaling Teams");
        let names: Vec<&str> = n.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Bo Smith"]);
        let n = note("# Scaling Teams\n\n## Ada Lovelace, CTO, ACME\n\nText\n");
        assert_eq!(n.title, "Scaling Teams");
        assert_eq!(n.speakers[0].affiliation.as_deref(), Some("ACME"));
        assert_eq!((n.body.as_str(), n.body_line), ("\nText\n", 4));
        let n = note("---\nspeakers: [Grace Hopper]\n---\n# \"Scaling\" by Ada Lovelace\n");
        assert_eq!(n.title, "\"Scaling\" by Ada Lovelace");
        assert_eq!(n.speakers, [Speaker::named("Grace Hopper")]);
        let n =
            note("---\ntitle: Own title\n---\nText\n\n# Kubernetes - Liz Rice, Aqua Security\n");
        assert_eq!(n.title, "Own title");
        assert_eq!(
            n.speakers,
            [Speaker {
                affiliation: Some("Aqua Security".into()),
                ..Speaker::named("Liz Rice")
            }]
        );
        let n = note("# Kubernetes - the hard way\n");
        assert_eq!(n.title, "Kubernetes - the hard way");
        assert!(n.speakers.is_empty());
    }

    #[test]
    fn empty_values_are_not_set() {
        let n = note(
            "---\ntitle: T\ntags: null\nprojects: []\nauthors: [null, Ada]\nsummary: \"\"\nevent: ~\nspeakers:\n  - name: Ada Lovelace\n    affiliation: null\n  - null\nmood: null\n---\n",
        );
        assert!(n.tags.is_empty() && n.projects.is_empty());
        assert_eq!(n.authors, ["Ada"]);
        assert_eq!((n.summary, n.event), (None, None));
        assert_eq!(n.speakers, [Speaker::named("Ada Lovelace")]);
        assert!(n.extra.is_empty());
        let n = note("---\ntitle: \"\"\n---\n# From the heading\n");
        assert_eq!(n.title, "From the heading");
    }

    #[test]
    fn wrong_values_are_told_without_type_names_in_the_files_syntax() {
        let err = parse("---\ntitle: T\ntags: {a: 1}\n---\n").unwrap_err();
        assert_eq!(
            err.message,
            "`tags`: expected text or a list of text, found a table of keys"
        );
        assert_eq!(err.line, Some(3));
        assert_eq!(err.hint, "write it like `tags: [observability, ci]`");
        let err = parse("+++\ntitle = \"T\"\nspeakers = [[\"Ada\"]]\n+++\n").unwrap_err();
        assert!(
            err.message.starts_with("`speakers`: expected a name"),
            "{}",
            err.message
        );
        assert!(
            err.hint.contains("speakers = [\"Ada Lovelace\""),
            "{}",
            err.hint
        );
        let err = parse("---\ntitle: T\nspeakers:\n  - affiliation: ACME\n---\n").unwrap_err();
        assert!(err.message.contains("without `name`"), "{}", err.message);
        let err = parse("---\ntitle: T\ndate: 2018\n---\n").unwrap_err();
        assert_eq!(
            err.message,
            "`date`: expected a date such as 2018-05-02, found a number (2018)"
        );
        assert_eq!(note("---\ntitle: 1984\ntags: [3]\n---\n").title, "1984");
    }

    #[test]
    fn mapped_keys_are_read_and_named_as_the_file_wrote_them() {
        let keys = KeyMap::new(
            &[
                ("presenter_slugs", "speakers"),
                ("video_url", "video"),
                ("topics", "tags"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .into(),
        );
        let text = "---\ntitle: T\npresenter_slugs: [ada-lovelace]\nvideo: https://a.org\nvideo_url: https://b.org\ntopics: {x: 1}\n---\n";
        let err = Note::parse(Path::new("content/a.md"), text, &keys).unwrap_err();
        assert!(err.message.starts_with("`topics`: "), "{}", err.message);
        assert_eq!(err.line, Some(6));
        assert!(
            err.hint.contains("`topics: [observability, ci]`"),
            "{}",
            err.hint
        );
        let n = Note::parse(
            Path::new("content/a.md"),
            &text.replace("{x: 1}", "k8s"),
            &keys,
        )
        .unwrap();
        assert_eq!(n.speakers, [Speaker::named("ada-lovelace")]);
        assert_eq!(n.video.unwrap().as_str(), "https://b.org");
        assert_eq!(n.tags, ["k8s"]);
        assert_eq!(n.warnings.len(), 1);
        assert_eq!(n.warnings[0].line, Some(4));
        assert!(n.warnings[0].message.contains("`video_url` and `video`"));
    }

    #[test]
    fn every_key_of_keys_is_read_and_the_others_are_extra() {
        let text: String = KEYS
            .iter()
            .map(|key| match *key {
                "date" => "date: 2018-05-02\n".to_string(),
                "draft" => "draft: true\n".to_string(),
                _ => format!("{key}: x1\n"),
            })
            .collect();
        let n = note(&format!("---\n{text}mood: happy\n---\n"));
        assert_eq!(n.extra.keys().collect::<Vec<_>>(), ["mood"]);
    }

    #[test]
    fn bad_date_names_its_line() {
        let err = parse("+++\ntitle = \"T\"\ndate = \"2018-13-45\"\n+++\n").unwrap_err();
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
            let err = parse(front_matter).unwrap_err();
            assert_eq!(err.line, Some(3), "{front_matter}");
            assert!(
                err.message.contains(&said),
                "{front_matter}: {}",
                err.message
            );
        }
        let first = note("+++\ntitle = \"T\"\ndate = 0001-01-01\n+++\n");
        assert_eq!(first.date, day(1, 1, 1));
        let last = note("---\ntitle: T\ndate: 9999-12-31\n---\n");
        assert_eq!(last.date, day(9999, 12, 31));
    }

    #[test]
    fn wrong_type_names_key_and_line() {
        let err = parse("+++\ntitle = \"T\"\ntags = [{ a = 1 }]\n+++\n").unwrap_err();
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
    fn dates_keep_their_time_and_offset() {
        // Found by the fuzz test: a Jekyll date with an offset was rejected.
        let n = note("---\ntitle: T\ndate: 2018-05-02 10:00:00 +0200\n---\n");
        assert_eq!(n.date.unwrap().iso(), "2018-05-02T10:00:00+02:00");
        let n = note("+++\ntitle = \"T\"\ndate = 2023-10-16T09:45:00-04:00\n+++\n");
        assert_eq!(n.date.unwrap().iso(), "2023-10-16T09:45:00-04:00");
        assert_eq!(
            note("+++\ntitle = \"T\"\ndate = 2018-05-02\n+++\n").date,
            day(2018, 5, 2)
        );
    }
}
