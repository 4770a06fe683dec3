//! Which files of a site are talk notes, which are profiles, and which are
//! neither: the one answer `build`, `check` and `serve` share, made from
//! `[content]` in `book.toml`.
//!
//! - A file in a notes folder (`[content] notes`, default `content/`) whose
//!   extension is one of `[content] extensions` is a note, unless a glob of
//!   `[content] exclude` matches it.
//! - A file directly inside a profile folder (`[content] speakers`, ...) is
//!   the profile of the entity its name (or `slug` key) names.
//! - With `[content] event = "{folder}"`, a folder's `README`, `index` or
//!   `_index` file is the profile of that folder's event.
//! - Any other file in those folders is skipped, and counted for the
//!   summary. Hidden files, editors' leftovers, `book.toml`, the output
//!   folder, `static/` and `templates/` are never read as notes.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{Skip, headings};
use crate::config::{CONFIG_FILE, Config};
use crate::entity::EntityKind;

/// The folders whose files are never notes, even inside a notes folder
/// that is the site root.
const NEVER_NOTES: &[&str] = &["static", "templates"];

/// The file stems of a folder's index file (any case), which is the folder's
/// event profile under `event = "{folder}"`.
const INDEX_STEMS: &[&str] = &["readme", "index", "_index"];

/// The placeholder that makes each note's event its folder.
pub const FOLDER_EVENT: &str = "{folder}";

/// What a file of the site is to talkbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A talk note.
    Note,
    /// The profile of an entity of this kind.
    Profile(EntityKind),
    /// The index file of a folder of notes: its event's profile.
    EventIndex,
    /// Not part of the site, for this reason.
    Skipped(Skip),
}

/// Where a site's notes and profiles are, from `[content]`.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Folders of notes, relative to the root (empty for the root itself).
    notes: Vec<PathBuf>,
    /// Note file extensions, lowercase, without the dot.
    extensions: Vec<String>,
    /// `[content] exclude`.
    exclude: GlobSet,
    /// The profile folder of each kind, relative to the root.
    profiles: Vec<(EntityKind, PathBuf)>,
    /// Folders never read as notes: the output, `static/`, `templates/`.
    never: Vec<PathBuf>,
    /// Whether each note's event defaults to its folder.
    folder_events: bool,
    /// [`Layout::tops`], derived once from `notes` and `profiles`.
    tops: Vec<PathBuf>,
}

impl Layout {
    /// The layout `config` describes. Its globs and paths were checked
    /// when it was loaded; one that does not parse matches nothing.
    pub fn new(config: &Config) -> Layout {
        let content = &config.content;
        let mut exclude = GlobSetBuilder::new();
        for pattern in &content.exclude {
            if let Ok(glob) = Glob::new(pattern.trim_start_matches("./")) {
                exclude.add(glob);
            }
        }
        let profiles = [
            (EntityKind::Speaker, &content.speakers),
            (EntityKind::Project, &content.projects),
            (EntityKind::Event, &content.events),
            (EntityKind::Tag, &content.tags),
        ];
        let mut never: Vec<PathBuf> = NEVER_NOTES.iter().map(PathBuf::from).collect();
        never.push(normal(&config.build.output));
        let notes: Vec<PathBuf> = content.notes.iter().map(|p| normal(p)).collect();
        let profiles: Vec<(EntityKind, PathBuf)> = profiles
            .into_iter()
            .map(|(kind, path)| (kind, normal(path)))
            .collect();
        Layout {
            tops: outermost(&notes, &profiles),
            notes,
            extensions: content
                .extensions
                .iter()
                .map(|e| e.trim_start_matches('.').to_lowercase())
                .collect(),
            exclude: exclude.build().unwrap_or_else(|_| GlobSet::empty()),
            profiles,
            never,
            folder_events: content.event.as_deref() == Some(FOLDER_EVENT),
        }
    }

    /// The notes folders, relative to the root (empty for the root itself).
    pub fn notes(&self) -> &[PathBuf] {
        &self.notes
    }

    /// The folders to read, relative to the root: the notes folders and the
    /// profile folders, none inside another.
    pub fn tops(&self) -> &[PathBuf] {
        &self.tops
    }

    /// Whether the walk of the site reads `rel` (relative to the root): it
    /// is at or under a folder of [`Layout::tops`], and neither it nor a
    /// folder on its way is hidden, an editor's file, the output, `static/`,
    /// `templates/` or `book.toml`.
    pub fn reads(&self, rel: &Path) -> bool {
        let Some(top) = self.tops.iter().find(|t| rel.starts_with(t)) else {
            return false;
        };
        let Ok(inside) = rel.strip_prefix(top) else {
            return false;
        };
        let hidden = inside
            .components()
            .any(|c| super::is_ignored(&c.as_os_str().to_string_lossy()));
        let never = self
            .never
            .iter()
            .any(|n| !top.starts_with(n) && rel.starts_with(n));
        !hidden && !never && rel != Path::new(CONFIG_FILE)
    }

    /// What the file at `rel` (relative to the root, [read](Layout::reads))
    /// is to the site.
    pub fn role(&self, rel: &Path) -> Role {
        if self.exclude.is_match(rel) {
            return Role::Skipped(Skip::Excluded);
        }
        if !self.has_note_extension(rel) {
            return Role::Skipped(Skip::NotANote);
        }
        let parent = rel.parent().unwrap_or(Path::new(""));
        if let Some((kind, _)) = self.profiles.iter().find(|(_, folder)| folder == parent) {
            return Role::Profile(*kind);
        }
        match self.folder_of(rel) {
            Some(folder) if self.folder_events && is_index(rel) => match folder.as_os_str() {
                f if f.is_empty() => Role::Skipped(Skip::Index),
                _ => Role::EventIndex,
            },
            Some(_) => Role::Note,
            None => Role::Skipped(Skip::NotANote),
        }
    }

    /// The folder of the note at `rel` inside its notes folder
    /// (`2016/djangocon-us`; empty for a note directly in it), or `None` if
    /// `rel` is in no notes folder.
    pub fn folder_of<'a>(&self, rel: &'a Path) -> Option<&'a Path> {
        let top = self
            .notes
            .iter()
            .filter(|n| rel.starts_with(n))
            .max_by_key(|n| n.components().count())?;
        rel.strip_prefix(top).ok()?.parent()
    }

    fn has_note_extension(&self, rel: &Path) -> bool {
        rel.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

/// The notes and profile folders, none inside another, sorted.
fn outermost(notes: &[PathBuf], profiles: &[(EntityKind, PathBuf)]) -> Vec<PathBuf> {
    let all: Vec<&PathBuf> = notes
        .iter()
        .chain(profiles.iter().map(|(_, p)| p))
        .collect();
    let mut tops: Vec<PathBuf> = all
        .iter()
        .filter(|p| !all.iter().any(|q| q != *p && p.starts_with(q)))
        .map(|p| (*p).clone())
        .collect();
    tops.sort();
    tops.dedup();
    tops
}

/// Whether `rel` is named like a folder's index file.
fn is_index(rel: &Path) -> bool {
    rel.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|stem| INDEX_STEMS.iter().any(|i| i.eq_ignore_ascii_case(stem)))
}

/// `path` without `.` parts or a trailing slash (`./notes/` → `notes`,
/// `.` → the empty path).
fn normal(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// A folder path made readable as a name, each part as a file name is
/// ([`headings::readable`]): `2016/djangocon-us` → "2016 Djangocon us".
pub fn readable(folder: &Path) -> String {
    folder
        .iter()
        .map(|part| headings::readable(&part.to_string_lossy()))
        .filter(|part| !part.is_empty())
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(toml: &str) -> Layout {
        Layout::new(&Config::parse(toml).unwrap())
    }

    #[test]
    fn the_default_is_content_with_profile_folders() {
        let l = layout("");
        assert_eq!(l.tops(), [PathBuf::from("content")]);
        assert_eq!(l.role(Path::new("content/talks/a.md")), Role::Note);
        assert_eq!(l.role(Path::new("content/a.markdown")), Role::Note);
        assert_eq!(
            l.role(Path::new("content/speakers/ada.md")),
            Role::Profile(EntityKind::Speaker)
        );
        assert_eq!(l.role(Path::new("content/speakers/x/ada.md")), Role::Note);
        assert_eq!(
            l.role(Path::new("content/talks/photo.png")),
            Role::Skipped(Skip::NotANote)
        );
        assert!(l.reads(Path::new("content/talks/a.md")));
        assert!(!l.reads(Path::new("content/.git/a.md")));
        assert!(!l.reads(Path::new("static/a.md")));
    }

    #[test]
    fn notes_at_the_root_leave_out_output_static_templates_and_book_toml() {
        let l = layout(
            "[content]\nnotes = [\".\"]\nexclude = [\"**/LICENSE*\", \"misc/**\"]\nspeakers = \"people\"\nevent = \"{folder}\"\n",
        );
        assert_eq!(l.tops(), [PathBuf::from("")]);
        for never in [
            "public/talks/x.md",
            "static/a.md",
            "templates/a.md",
            "book.toml",
            ".git/x.md",
        ] {
            assert!(!l.reads(Path::new(never)), "{never}");
        }
        assert!(l.reads(Path::new("2016/djangocon/a.md")));
        assert_eq!(l.role(Path::new("2016/djangocon/a.md")), Role::Note);
        assert_eq!(
            l.role(Path::new("2016/djangocon/README.md")),
            Role::EventIndex
        );
        assert_eq!(l.role(Path::new("README.md")), Role::Skipped(Skip::Index));
        assert_eq!(
            l.role(Path::new("2016/LICENSE.md")),
            Role::Skipped(Skip::Excluded)
        );
        assert_eq!(
            l.role(Path::new("misc/a.md")),
            Role::Skipped(Skip::Excluded)
        );
        assert_eq!(
            l.role(Path::new("people/ada.md")),
            Role::Profile(EntityKind::Speaker)
        );
        assert_eq!(
            l.folder_of(Path::new("2016/djangocon/a.md")),
            Some(Path::new("2016/djangocon"))
        );
    }

    #[test]
    fn profile_folders_outside_the_notes_are_read_too() {
        let l = layout("[content]\nnotes = [\"./talks/\"]\nspeakers = \"_speakers\"\n");
        assert_eq!(
            l.tops(),
            [
                PathBuf::from("_speakers"),
                PathBuf::from("content/events"),
                PathBuf::from("content/projects"),
                PathBuf::from("content/tags"),
                PathBuf::from("talks")
            ]
        );
        assert_eq!(
            l.role(Path::new("_speakers/abigail-dogbe.md")),
            Role::Profile(EntityKind::Speaker)
        );
        assert_eq!(l.role(Path::new("talks/x.md")), Role::Note);
    }

    #[test]
    fn folders_are_made_readable() {
        assert_eq!(
            readable(Path::new("2016/djangocon-us")),
            "2016 Djangocon us"
        );
        assert_eq!(readable(Path::new("kubecon_eu")), "Kubecon eu");
    }
}
