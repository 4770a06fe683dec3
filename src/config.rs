//! `book.toml`: the site's configuration, typed, with documented defaults.
//!
//! Unknown keys are errors that name the line and suggest the closest valid
//! key, because a mistyped key silently ignored is a setting the user thinks
//! they have and don't.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, line_of_byte, line_of_offset};
use crate::forge::{self, Forge};

/// The name of a site's configuration file.
pub const CONFIG_FILE: &str = "book.toml";

/// Every valid key, by section. The README's reference documents each.
pub const KEYS: &[(&str, &[&str])] = &[
    (
        "site",
        &["title", "description", "base-url", "language", "page-size"],
    ),
    (
        "edit",
        &["repository", "branch", "site-dir", "url-template", "forge"],
    ),
    ("build", &["output", "broken-links"]),
    ("markdown", &["raw-html"]),
    ("links", &["mentions", "mentions-exclude"]),
    (
        "content",
        &[
            "notes",
            "extensions",
            "exclude",
            "speakers",
            "projects",
            "events",
            "tags",
            "event",
            "slug",
            "only",
        ],
    ),
];

/// Sections whose keys are the user's own names, not talkbook's: any key is valid.
pub const OPEN_SECTIONS: &[&str] = &["keys"];

/// A site's `book.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Config {
    /// `[site]`: what the site is and where it is published.
    pub site: SiteConfig,
    /// `[edit]`: where the "Edit this page" links point.
    pub edit: EditConfig,
    /// `[build]`: where the site is written.
    pub build: BuildConfig,
    /// `[markdown]`: how notes' markdown is rendered.
    pub markdown: MarkdownConfig,
    /// `[content]`: where the notes and profiles are, and which files are notes.
    pub content: ContentConfig,
    /// `[links]`: which names in notes' prose become links.
    pub links: LinksConfig,
    /// `[keys]`: the user's front-matter keys, each mapped to talkbook's key
    /// of the same meaning (`video_url = "video"`).
    pub keys: BTreeMap<String, String>,
    /// The line of each `[section] key` in `book.toml`, for messages about
    /// values only later stages can check.
    #[serde(skip)]
    lines: BTreeMap<(String, String), usize>,
}

/// `[site]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// The site's name, shown in every page's header. Default: "Conference notes".
    pub title: String,
    /// One line about the site, for the home page and feeds. Default: empty.
    pub description: String,
    /// Where the site is published, e.g. `https://example.org/notes/`; feeds and
    /// the sitemap need it absolute. Normalised to end in `/`. Default: `/`.
    pub base_url: String,
    /// The pages' language (`<html lang>`). Default: "en".
    pub language: String,
    /// Talks a list shows per page (an entity's talks, `/talks/`); longer
    /// lists go on to `page/2/` and so on. Default: 50.
    pub page_size: usize,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Conference notes".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            page_size: 50,
        }
    }
}

/// `[edit]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct EditConfig {
    /// The repository's web URL, e.g. `https://github.com/owner/repo`. No edit
    /// links without it (or `url-template`).
    pub repository: Option<String>,
    /// The branch edits are made against. Default: "main".
    pub branch: String,
    /// Where `book.toml` sits inside the repository; "" for the root.
    pub site_dir: String,
    /// Overrides the forge's URL shape; `{path}` is the file's path from the
    /// repository root, `{branch}` the branch.
    pub url_template: Option<String>,
    /// The forge's URL shape when the host does not tell it (self-hosted):
    /// `github`, `gitlab` or `gitea` (also Forgejo and Codeberg).
    pub forge: Option<Forge>,
}

impl Default for EditConfig {
    fn default() -> Self {
        EditConfig {
            repository: None,
            branch: "main".into(),
            site_dir: String::new(),
            url_template: None,
            forge: None,
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// The output directory, relative to the site root. Default: "public".
    pub output: PathBuf,
    /// What a broken link between notes does to the build. Default: `error`.
    pub broken_links: BrokenLinks,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output: PathBuf::from("public"),
            broken_links: BrokenLinks::default(),
        }
    }
}

/// What a broken link between notes (a missing note, a missing heading) does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// It is an error: the build stops and the output is left as it was.
    #[default]
    Error,
    /// It is reported, and the build goes on.
    Warn,
}

/// `[content]`: where a site's notes and profiles are, and which files are notes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct ContentConfig {
    /// Folders holding talk notes, relative to the site root; "." is the
    /// root itself. Default: `["content"]`.
    pub notes: Vec<PathBuf>,
    /// The file extensions of notes, without the dot. Default: `["md", "markdown"]`.
    pub extensions: Vec<String>,
    /// Globs, relative to the site root, of files and folders that are not
    /// notes (`"**/LICENSE*"`, `"drafts/**"`). Default: none.
    pub exclude: Vec<String>,
    /// The folder of speaker profiles. Default: `content/speakers`.
    pub speakers: PathBuf,
    /// The folder of project profiles. Default: `content/projects`.
    pub projects: PathBuf,
    /// The folder of event profiles. Default: `content/events`.
    pub events: PathBuf,
    /// The folder of tag profiles. Default: `content/tags`.
    pub tags: PathBuf,
    /// The event of a note that names none: a fixed name, or `{folder}` for
    /// the note's folder inside its notes folder. Default: none.
    pub event: Option<String>,
    /// A talk's URL slug, made of `{stem}`, `{folder}`, `{event}` and
    /// `{date}`; a note's `slug` key wins. Default: `{stem}`.
    pub slug: String,
    /// Keep only the notes whose front-matter key has one of the listed
    /// values, compared as text without regard to case. Default: all notes.
    pub only: BTreeMap<String, Vec<String>>,
}

/// The placeholders `[content] slug` may use.
pub const SLUG_PLACEHOLDERS: &[&str] = &["stem", "folder", "event", "date"];

impl ContentConfig {
    /// Problems with `[content]` values: globs that do not parse, a slug
    /// template with unknown placeholders, empty lists.
    fn check(&self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for pattern in &self.exclude {
            if let Err(err) = globset::Glob::new(pattern) {
                problems.push(
                    key_problem(text, "content", "exclude", format!("`exclude`: \"{pattern}\" is not a glob: {}", err.kind()))
                        .with_hint("write globs relative to the site root, e.g. \"**/LICENSE*\" or \"misc/**\""),
                );
            }
        }
        for unknown in placeholders(&self.slug).filter(|p| !SLUG_PLACEHOLDERS.contains(p)) {
            problems.push(
                key_problem(
                    text,
                    "content",
                    "slug",
                    format!("`slug`: \"{{{unknown}}}\" is not a placeholder"),
                )
                .with_hint("use {stem}, {folder}, {event} and {date}, e.g. \"{folder}-{stem}\""),
            );
        }
        if let Some(event) = &self.event
            && let Some(unknown) = placeholders(event).find(|p| *p != "folder")
        {
            problems.push(
                key_problem(
                    text,
                    "content",
                    "event",
                    format!("`event`: \"{{{unknown}}}\" is not a placeholder"),
                )
                .with_hint("write a fixed name, or \"{folder}\" for each note's folder"),
            );
        }
        for (key, empty) in [
            ("notes", self.notes.is_empty()),
            ("extensions", self.extensions.is_empty()),
        ] {
            if empty {
                problems.push(
                    key_problem(
                        text,
                        "content",
                        key,
                        format!("`{key}` is empty: no file would be a note"),
                    )
                    .with_hint("leave the key out for the default, or list at least one"),
                );
            }
        }
        problems
    }
}

/// The names between braces in `template`: `"{folder}-{stem}"` → folder, stem.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            notes: vec![PathBuf::from("content")],
            extensions: vec!["md".into(), "markdown".into()],
            exclude: Vec::new(),
            speakers: PathBuf::from("content/speakers"),
            projects: PathBuf::from("content/projects"),
            events: PathBuf::from("content/events"),
            tags: PathBuf::from("content/tags"),
            event: None,
            slug: "{stem}".into(),
            only: BTreeMap::new(),
        }
    }
}

/// `[markdown]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct MarkdownConfig {
    /// What becomes of HTML written in a note or profile. Default: `sanitize`.
    pub raw_html: RawHtml,
}

/// `[links]`: names in notes' prose that become links (see `links::mentions`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct LinksConfig {
    /// Whether the first mention of a project's or speaker's name in a
    /// note links to its page. Default: true.
    pub mentions: bool,
    /// Names that never become links, compared as slugs (`"Go"`). Default: none.
    pub mentions_exclude: Vec<String>,
}

impl Default for LinksConfig {
    fn default() -> Self {
        LinksConfig {
            mentions: true,
            mentions_exclude: Vec::new(),
        }
    }
}

/// What becomes of HTML written in a note or profile (`<details>`, `<script>`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Harmless markup is kept; scripts, event handlers, styles, forms and
    /// unsafe links are removed (see `sanitize`).
    #[default]
    Sanitize,
    /// Passed through as written: only for sites whose every author is trusted.
    Allow,
    /// Shown as text.
    Escape,
}

impl Config {
    /// Reads and checks `<root>/book.toml`, reporting every problem in it.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|err| {
            Diagnostic::in_file(
                CONFIG_FILE,
                format!("cannot read the site's configuration: {err}"),
            )
            .with_hint(format!(
                "is {} a talkbook site? Create one with `talkbook init DIR`, or pass --root DIR",
                root.display()
            ))
        })?;
        Config::parse(utf8(&bytes)?)
    }

    /// Parses the text of a `book.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let mut problems = Diagnostics::default();
        problems.extend(unknown_keys(text));
        problems.extend(arrays_of_sections(text));
        if !problems.is_empty() {
            return problems.into_result(Config::default());
        }
        let mut config: Config = toml::from_str(text).map_err(|err| toml_error(text, &err))?;
        config.lines = key_lines(text);
        problems.extend(config.normalise(text));
        problems.into_result(config)
    }

    /// Checks values serde cannot, and puts them in canonical form.
    fn normalise(&mut self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let base = &mut self.site.base_url;
        if !base.ends_with('/') {
            base.push('/');
        }
        if !(base.starts_with("http://") || base.starts_with("https://") || base.starts_with('/')) {
            problems.push(
                key_problem(
                    text,
                    "site",
                    "base-url",
                    format!("`base-url = \"{base}\"` is not a URL"),
                )
                .with_hint("write the full address, e.g. \"https://example.org/notes/\""),
            );
        }
        if self.site.page_size == 0 {
            problems.push(
                key_problem(
                    text,
                    "site",
                    "page-size",
                    "`page-size = 0` leaves no room for a talk on a page",
                )
                .with_hint("write a number of talks per page, at least 1 (the default is 50)"),
            );
        }
        self.edit.site_dir = self.edit.site_dir.trim_matches('/').to_string();
        let forge_known = self.edit.url_template.is_some()
            || self.edit.forge.is_some()
            || self
                .edit
                .repository
                .as_deref()
                .is_none_or(|r| forge::detect(r).is_some());
        if !forge_known {
            problems.push(
                key_problem(text, "edit", "repository", format!("cannot tell which forge hosts {}", self.edit.repository.as_deref().unwrap_or_default()))
                    .with_hint("add forge = \"github\", \"gitlab\" or \"gitea\" to [edit], or an url-template with {path}"),
            );
        }
        if let Some(template) = &self.edit.url_template
            && !template.contains("{path}")
        {
            problems.push(
                key_problem(
                    text,
                    "edit",
                    "url-template",
                    "`url-template` has no `{path}`",
                )
                .with_hint("put {path} where the file's path in the repository goes"),
            );
        }
        problems.extend(self.content.check(text));
        problems
    }

    /// The line of `key` in `[section]` of `book.toml`, when it is set there.
    pub fn line_of(&self, section: &str, key: &str) -> Option<usize> {
        self.lines
            .get(&(section.to_string(), key.to_string()))
            .copied()
    }

    /// The path part of `base-url` (`https://example.org/notes/` → `/notes/`),
    /// for links that must be absolute on the host, like those of `404.html`.
    pub fn base_path(&self) -> &str {
        let url = &self.site.base_url;
        match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => url,
        }
    }
}

/// The line of every `[section] key` in `text`.
fn key_lines(text: &str) -> BTreeMap<(String, String), usize> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return BTreeMap::new();
    };
    let mut lines = BTreeMap::new();
    for (section, value) in table.get_ref() {
        if let toml::de::DeValue::Table(entries) = value.get_ref() {
            for key in entries.keys() {
                let name = (section.get_ref().to_string(), key.get_ref().to_string());
                lines.insert(name, line_of_offset(text, key.span().start));
            }
        }
    }
    lines
}

/// Every key in `text` that is not in [`KEYS`], with the closest valid one.
fn unknown_keys(text: &str) -> Vec<Diagnostic> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return Vec::new(); // syntax errors are reported by the typed parse
    };
    let mut problems = Vec::new();
    for (section, value) in table.get_ref() {
        let section_name = section.get_ref().as_ref();
        if OPEN_SECTIONS.contains(&section_name) {
            continue;
        }
        let Some((_, keys)) = KEYS.iter().find(|(name, _)| *name == section_name) else {
            let sections: Vec<&str> = KEYS
                .iter()
                .map(|(name, _)| *name)
                .chain(OPEN_SECTIONS.iter().copied())
                .collect();
            problems.push(unknown(
                text,
                section.span().start,
                section_name,
                "section",
                &sections,
            ));
            continue;
        };
        if let toml::de::DeValue::Table(entries) = value.get_ref() {
            for key in entries.keys() {
                let name = key.get_ref().as_ref();
                if !keys.contains(&name) {
                    let what = format!("key in [{section_name}]");
                    problems.push(unknown(text, key.span().start, name, &what, keys));
                }
            }
        }
    }
    problems
}

/// Every section written `[[site]]`, an array of tables, instead of `[site]`.
fn arrays_of_sections(text: &str) -> Vec<Diagnostic> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    table
        .get_ref()
        .iter()
        .filter(|(section, value)| {
            let name = section.get_ref().as_ref();
            (KEYS.iter().any(|(known, _)| *known == name) || OPEN_SECTIONS.contains(&name))
                && matches!(value.get_ref(), toml::de::DeValue::Array(_))
        })
        .map(|(section, _)| {
            let name = section.get_ref().as_ref();
            Diagnostic::in_file(
                CONFIG_FILE,
                format!("[{name}] is a table, not an array of tables: write [{name}]"),
            )
            .at_line(line_of_offset(text, section.span().start))
            .with_hint(format!("one pair of brackets: [{name}], once in the file"))
        })
        .collect()
}

fn unknown(text: &str, offset: usize, name: &str, what: &str, valid: &[&str]) -> Diagnostic {
    let hint = match closest(name, valid) {
        Some(best) => format!("did you mean `{best}`? Valid: {}", valid.join(", ")),
        None => format!("valid: {}", valid.join(", ")),
    };
    Diagnostic::in_file(CONFIG_FILE, format!("unknown {what}: `{name}`"))
        .at_line(line_of_offset(text, offset))
        .with_hint(hint)
}

/// The valid name most like `name`, if any is close enough to be a typo
/// (at most about half of its letters wrong).
pub fn closest<'a>(name: &str, valid: &[&'a str]) -> Option<&'a str> {
    let limit = name.chars().count().max(3) / 2 + 1;
    valid
        .iter()
        .map(|v| (strsim::damerau_levenshtein(name, v), *v))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, v)| v)
}

/// The text of `book.toml`, or an error naming the line of its first byte
/// that is not UTF-8.
fn utf8(bytes: &[u8]) -> Result<&str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        Diagnostic::in_file(
            CONFIG_FILE,
            format!("this file is not UTF-8 text (byte {offset})"),
        )
        .at_line(line_of_byte(bytes, offset))
        .with_hint("save book.toml as UTF-8 in your editor, or retype the characters on that line")
    })
}

fn toml_error(text: &str, err: &toml::de::Error) -> Diagnostics {
    let line = err.span().map(|span| line_of_offset(text, span.start));
    Diagnostic::in_file(CONFIG_FILE, err.message().trim().to_string())
        .at_optional_line(line)
        .with_hint("see the book.toml reference in the README")
        .into()
}

/// A problem with the value of `[section] key`, located when we can find it.
fn key_problem(text: &str, section: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let line = key_lines(text)
        .get(&(section.to_string(), key.to_string()))
        .copied();
    Diagnostic::in_file(CONFIG_FILE, message).at_optional_line(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.site.title, "Conference notes");
        assert_eq!(config.site.base_url, "/");
        assert_eq!(config.build.output, PathBuf::from("public"));
        assert_eq!(config.edit.branch, "main");
    }

    #[test]
    fn every_listed_key_is_accepted() {
        let mut text = String::new();
        for (section, keys) in KEYS {
            text.push_str(&format!("[{section}]\n"));
            for key in *keys {
                let value = match *key {
                    "forge" => "\"github\"",
                    "base-url" => "\"https://example.org/\"",
                    "url-template" => "\"https://x/{path}\"",
                    "raw-html" => "\"escape\"",
                    "broken-links" => "\"warn\"",
                    "mentions" => "false",
                    "page-size" => "10",
                    "notes" | "extensions" | "exclude" | "mentions-exclude" => "[\"x\"]",
                    "only" => "{ category = [\"talks\"] }",
                    _ => "\"x\"",
                };
                text.push_str(&format!("{key} = {value}\n"));
            }
        }
        Config::parse(&text).unwrap();
    }

    #[test]
    fn every_field_is_listed() {
        let mut config = Config::default();
        config.edit.repository = Some("x".into());
        config.edit.url_template = Some("x".into());
        config.edit.forge = Some(Forge::Gitea);
        config.content.event = Some("x".into());
        let value = toml::Table::try_from(&config).unwrap();
        for (section, table) in value {
            if OPEN_SECTIONS.contains(&section.as_str()) {
                continue;
            }
            let (_, keys) = KEYS.iter().find(|(s, _)| *s == section).unwrap();
            for key in table.as_table().unwrap().keys() {
                assert!(keys.contains(&key.as_str()), "{section}.{key} not in KEYS");
            }
        }
    }

    #[test]
    fn a_file_that_is_not_utf8_is_named_as_such_with_its_line() {
        let err = utf8(b"[site]\ntitle = \"Caf\xe9\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("not UTF-8 text"), "{err}");
        assert!(err.hint.unwrap().contains("save book.toml as UTF-8"));
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let err =
            Config::parse("[site]\ntitle = \"x\"\nbase-ulr = \"https://e.org/\"\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("`base-ulr`"), "{}", d.message);
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .contains("did you mean `base-url`")
        );
    }

    #[test]
    fn unknown_section_is_reported() {
        let err = Config::parse("[sight]\ntitle = \"x\"\n").unwrap_err();
        assert!(err.0[0].hint.as_deref().unwrap().contains("`site`"));
    }

    #[test]
    fn an_array_of_site_tables_says_to_write_a_table() {
        let err = Config::parse("# my site\n[[site]]\ntitle = \"x\"\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(d.line, Some(2));
        assert_eq!(
            d.message,
            "[site] is a table, not an array of tables: write [site]"
        );
    }

    #[test]
    fn wrong_type_names_line() {
        let err = Config::parse("[site]\n\ntitle = 3\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
    }

    #[test]
    fn base_path_is_the_url_path() {
        let mut config = Config::default();
        config.site.base_url = "https://example.org/notes/".into();
        assert_eq!(config.base_path(), "/notes/");
        config.site.base_url = "https://example.org/".into();
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn raw_html_is_sanitized_unless_set() {
        assert_eq!(
            Config::parse("").unwrap().markdown.raw_html,
            RawHtml::Sanitize
        );
        let config = Config::parse("[markdown]\nraw-html = \"allow\"\n").unwrap();
        assert_eq!(config.markdown.raw_html, RawHtml::Allow);
    }

    #[test]
    fn wrong_raw_html_names_line_and_values() {
        let err = Config::parse("[markdown]\n\nraw-html = \"strip\"\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("`sanitize`"), "{}", d.message);
    }

    #[test]
    fn any_key_may_be_mapped_and_content_values_are_checked() {
        let config = Config::parse("[keys]\nvideo_url = \"video\"\n").unwrap();
        assert_eq!(config.keys["video_url"], "video");
        assert_eq!(config.line_of("keys", "video_url"), Some(2));
        let err = Config::parse("[content]\nslug = \"{folder}-{name}\"\nexclude = [\"a/[\"]\n")
            .unwrap_err();
        let lines: Vec<_> = err.0.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(2), Some(3)], "{err}");
        assert!(err.0[0].message.contains("{name}"), "{err}");
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let config = Config::parse("[site]\nbase-url = \"https://e.org/x\"\n").unwrap();
        assert_eq!(config.site.base_url, "https://e.org/x/");
    }

    #[test]
    fn page_size_is_fifty_and_at_least_one() {
        assert_eq!(Config::parse("").unwrap().site.page_size, 50);
        let config = Config::parse("[site]\npage-size = 7\n").unwrap();
        assert_eq!(config.site.page_size, 7);
        let err = Config::parse("[site]\ntitle = \"x\"\npage-size = 0\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
        assert!(err.0[0].message.contains("page-size = 0"), "{}", err.0[0]);
        let err = Config::parse("[site]\npage-size = -1\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(2), "{}", err.0[0]);
    }
}
