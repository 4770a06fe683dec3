//! What a note means beyond its own front matter, from `[content]`: its
//! event when it names none (a fixed name, or its folder's), its URL slug
//! (`[content] slug`), and whether `[content] only` keeps it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::headings;
use super::layout::{self, FOLDER_EVENT};
use super::when::When;
use super::{KeyMap, Layout, Note, Profile, Skip, Skipped};
use crate::config::Config;
use crate::urls;

/// How to read a site's notes: the layout of its folders and the rules of
/// `[content]` and `[keys]`.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Which files are notes and profiles.
    pub layout: Layout,
    /// `[keys]`.
    pub keys: KeyMap,
    /// `[content] event`.
    event: Option<String>,
    /// `[content] slug`.
    slug: String,
    /// `[content] only`, values in lowercase.
    only: Vec<(String, Vec<String>)>,
    /// Whether drafts are part of the site.
    drafts: bool,
    /// The line of `[content] notes` in `book.toml`, if it is set.
    pub line_of_notes: Option<usize>,
}

/// Talk slugs are made this way unless `[content] slug` says otherwise.
const STEM_SLUG: &str = "{stem}";

impl Reader {
    /// The reader of the site `config` describes; drafts are kept when
    /// `drafts` is true.
    pub fn new(config: &Config, drafts: bool) -> Reader {
        let only = config
            .content
            .only
            .iter()
            .map(|(key, values)| (key.clone(), values.iter().map(|v| lower(v)).collect()))
            .collect();
        Reader {
            layout: Layout::new(config),
            keys: KeyMap::new(&config.keys),
            event: config.content.event.clone(),
            slug: config.content.slug.clone(),
            only,
            drafts,
            line_of_notes: config.line_of("content", "notes"),
        }
    }

    /// Whether drafts are part of the site.
    pub fn drafts(&self) -> bool {
        self.drafts
    }

    /// The event profile read from the index file of a notes folder: named
    /// by its `name`, else by its first heading (taken out of its body when
    /// it starts it), else by its folder made readable; its slug from its name.
    pub fn event_index(&self, mut profile: Profile) -> Profile {
        if profile.name.is_none() {
            profile.name = match headings::read(&profile.body, false) {
                Some(read) => {
                    let end = read.leading_end.unwrap_or(0);
                    profile.body_line += profile.body[..end].matches('\n').count();
                    profile.body.drain(..end);
                    Some(read.title)
                }
                None => {
                    let folder = self
                        .layout
                        .folder_of(&profile.source)
                        .unwrap_or(Path::new(""));
                    Some(layout::readable(folder))
                }
            };
        }
        let name = profile.name.as_deref().unwrap_or_default();
        profile.slug = urls::slugify(name);
        profile
    }

    /// The event name of each folder that has an index file, under
    /// `event = "{folder}"`: folder (relative to the root) → name.
    pub fn folder_events<'a>(
        &self,
        profiles: impl IntoIterator<Item = &'a Profile>,
    ) -> HashMap<PathBuf, String> {
        if self.event.as_deref() != Some(FOLDER_EVENT) {
            return HashMap::new();
        }
        profiles
            .into_iter()
            .filter(|p| self.layout.role(&p.source) == super::Role::EventIndex)
            .filter_map(|p| Some((p.source.parent()?.to_path_buf(), p.name.clone()?)))
            .collect()
    }

    /// `note` with its event and slug completed, or why it is left out (a
    /// draft, or a note `only` does not keep). `events` from
    /// [`Reader::folder_events`].
    pub fn complete(
        &self,
        mut note: Note,
        events: &HashMap<PathBuf, String>,
    ) -> Result<Note, Skipped> {
        let skip = |why| Skipped {
            source: note.source.clone(),
            why,
        };
        if note.draft && !self.drafts {
            return Err(skip(Skip::Draft));
        }
        if note.event.is_none() {
            note.event = self.default_event(&note.source, events);
        }
        if !self.keeps(&note) {
            return Err(skip(Skip::NotOnly));
        }
        if let Some(slug) = self.templated_slug(&note) {
            note.slug = slug;
        }
        Ok(note)
    }

    fn default_event(&self, source: &Path, events: &HashMap<PathBuf, String>) -> Option<String> {
        let event = self.event.as_deref()?;
        if event != FOLDER_EVENT {
            return Some(event.to_string());
        }
        let parent = source.parent()?;
        if let Some(name) = events.get(parent) {
            return Some(name.clone());
        }
        let name = layout::readable(self.layout.folder_of(source)?);
        (!name.is_empty()).then_some(name)
    }

    /// Whether `[content] only` keeps `note`: for every key it names, one
    /// of the note's values is one of those listed.
    fn keeps(&self, note: &Note) -> bool {
        self.only.iter().all(|(key, wanted)| {
            values_of(note, key)
                .iter()
                .any(|value| wanted.contains(&lower(value)))
        })
    }

    /// The slug `[content] slug` makes for `note`, when it says more than
    /// `{stem}` and the note sets no `slug` of its own.
    fn templated_slug(&self, note: &Note) -> Option<String> {
        let stem = note.source.file_stem()?.to_str()?;
        if self.slug == STEM_SLUG || note.own_slug {
            return None;
        }
        let folder = self.layout.folder_of(&note.source).unwrap_or(Path::new(""));
        let filled = self
            .slug
            .replace("{stem}", stem)
            .replace("{folder}", &folder.to_string_lossy().replace('/', "-"))
            .replace("{event}", note.event.as_deref().unwrap_or_default())
            .replace(
                "{date}",
                &note.date.as_ref().map(When::day_iso).unwrap_or_default(),
            );
        let slug = urls::slugify(&filled);
        urls::slug_problem(&slug).is_none().then_some(slug)
    }
}

/// A note's values for front-matter `key`, as text.
fn values_of(note: &Note, key: &str) -> Vec<String> {
    let one = |v: &Option<String>| v.iter().cloned().collect();
    match key {
        "title" => vec![note.title.clone()],
        "event" => one(&note.event),
        "summary" => one(&note.summary),
        "speakers" => note.speakers.iter().map(|s| s.name.clone()).collect(),
        "projects" => note.projects.clone(),
        "tags" => note.tags.clone(),
        "authors" => note.authors.clone(),
        "draft" => vec![note.draft.to_string()],
        _ => note.extra.get(key).map(texts).unwrap_or_default(),
    }
}

/// A front-matter value as texts: a string, number or boolean, or a list of them.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Null | Value::Object(_) => Vec::new(),
    }
}

fn lower(text: &str) -> String {
    text.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(toml: &str) -> Reader {
        Reader::new(&Config::parse(toml).unwrap(), false)
    }

    fn note(path: &str, text: &str) -> Note {
        Note::parse(Path::new(path), text, &KeyMap::default()).unwrap()
    }

    #[test]
    fn a_note_without_event_takes_its_folder_or_its_index_name() {
        let r = reader(
            "[content]\nnotes = [\"notes\"]\nevent = \"{folder}\"\nslug = \"{folder}-{stem}\"\n",
        );
        let events = HashMap::from([(
            PathBuf::from("notes/2016/djangocon-us"),
            "DjangoCon US 2016".to_string(),
        )]);
        let a = r
            .complete(note("notes/2016/djangocon-us/day-1.md", "# A\n"), &events)
            .unwrap();
        assert_eq!(a.event.as_deref(), Some("DjangoCon US 2016"));
        assert_eq!(a.slug, "2016-djangocon-us-day-1");
        let b = r
            .complete(note("notes/pycon/day-1.md", "# B\n"), &events)
            .unwrap();
        assert_eq!(b.event.as_deref(), Some("Pycon"));
        assert_eq!(b.slug, "pycon-day-1");
        let own = r
            .complete(
                note(
                    "notes/pycon/x.md",
                    "---\ntitle: X\nevent: Mine\nslug: mine\n---\n",
                ),
                &events,
            )
            .unwrap();
        assert_eq!(
            (own.event.as_deref(), own.slug.as_str()),
            (Some("Mine"), "mine")
        );
    }

    #[test]
    fn only_keeps_notes_with_a_listed_value_and_drafts_are_skipped() {
        let r = reader("[content]\nonly = { category = [\"Talks\", \"tutorials\"] }\n");
        let none = HashMap::new();
        let talk = note("content/a.md", "---\ntitle: A\ncategory: talks\n---\n");
        assert!(r.complete(talk, &none).is_ok());
        let lunch = note("content/b.md", "---\ntitle: Lunch\ncategory: break\n---\n");
        assert_eq!(r.complete(lunch, &none).unwrap_err().why, Skip::NotOnly);
        let unset = note("content/c.md", "# C\n");
        assert_eq!(r.complete(unset, &none).unwrap_err().why, Skip::NotOnly);
        let draft = note(
            "content/d.md",
            "---\ntitle: D\ncategory: talks\ndraft: true\n---\n",
        );
        assert_eq!(r.complete(draft, &none).unwrap_err().why, Skip::Draft);
    }
}
