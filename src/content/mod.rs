//! Reading `content/`: every talk note and profile file, in parallel.
//!
//! Any `.md` file is a talk note, except those directly inside
//! `content/speakers/`, `content/projects/`, `content/tags/` and
//! `content/events/`, which are profiles of the entity named by their file name.
//! Hidden files and editors' leftovers are not read; links are followed as
//! [`crate::walk`] says, and whatever else is left out is warned about.

pub mod front_matter;
pub mod headings;
pub mod keys;
pub mod note;
mod people;
pub mod profile;
mod speaker;
mod values;
pub mod when;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use note::{Note, Speaker};
pub use profile::Profile;

use crate::diagnostics::{Diagnostic, line_of_byte};
use crate::entity::EntityKind;
use crate::walk;

/// The folder of notes inside a site.
pub const CONTENT_DIR: &str = "content";

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Talk notes, sorted by source path.
    pub notes: Vec<Note>,
    /// Profile files, sorted by source path.
    pub profiles: Vec<Profile>,
    /// Files in the notes folders that are not part of the site, and why:
    /// for the build's summary.
    pub skipped: Vec<Skipped>,
}

/// A file in a notes folder that is not part of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// Why it was left out.
    pub why: Skip,
}

/// Why a file in a notes folder is not part of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skip {
    /// Its extension is not one of `[content] extensions`.
    NotANote,
    /// It matches a glob of `[content] exclude`.
    Excluded,
    /// Its front matter has none of the values `[content] only` asks for.
    NotOnly,
    /// It is a draft, and drafts were not asked for.
    Draft,
}

/// One file under `content/`, parsed.
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "short-lived: each is moved into `Content` at once"
)]
pub enum Parsed {
    /// A talk note.
    Note(Note),
    /// A profile file.
    Profile(Profile),
}

/// Reads every note and profile under `<root>/content`. Drafts are kept only
/// when `drafts` is true. Problems are returned alongside what could be read.
pub fn load(root: &Path, drafts: bool) -> (Content, Vec<Diagnostic>) {
    let (paths, mut problems) = list_files(root);
    let results: Vec<Result<Option<Parsed>, Diagnostic>> = paths
        .par_iter()
        .map(|rel| load_file(root, rel, drafts))
        .collect();
    let mut content = Content::default();
    for result in results {
        match result {
            Ok(None) => {}
            Ok(Some(Parsed::Note(note))) => content.notes.push(note),
            Ok(Some(Parsed::Profile(profile))) => content.profiles.push(profile),
            Err(problem) => problems.push(problem),
        }
    }
    (content, problems)
}

/// Reads the one file at `rel` (relative to `root`, listed by
/// [`files_at`]) as [`load`] does: `None` for a draft left out.
pub fn load_file(root: &Path, rel: &Path, drafts: bool) -> Result<Option<Parsed>, Diagnostic> {
    match read_file(root, rel)? {
        Parsed::Note(note) if note.draft && !drafts => Ok(None),
        parsed => Ok(Some(parsed)),
    }
}

/// Every file under `content/` that is not hidden or an editor's temporary
/// file, relative to `root`, sorted.
fn list_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    if !root.join(CONTENT_DIR).is_dir() {
        let problem = Diagnostic::in_file(CONTENT_DIR, "there is no content/ folder")
            .with_hint("put one markdown file per talk in content/ (see `talkbook init`)");
        return (Vec::new(), vec![problem]);
    }
    files_at(root, Path::new(CONTENT_DIR))
}

/// Whether `rel` (relative to the root) is inside `content/` and neither it
/// nor a folder on its way is hidden or an editor's file.
pub fn is_content_path(rel: &Path) -> bool {
    let Ok(inside) = rel.strip_prefix(CONTENT_DIR) else {
        return false;
    };
    inside
        .components()
        .all(|c| !is_ignored(&c.as_os_str().to_string_lossy()))
}

/// The files [`load`] reads at `rel` (relative to `root`): the file itself,
/// or every file in the folder and its sub-folders, as the walk of the whole
/// `content/` finds them there ([`walk::files`]: links inside the site
/// followed); sorted, as `load` sorts. Nothing when `rel` is missing or not
/// a [content path](is_content_path).
pub fn files_at(root: &Path, rel: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    if !is_content_path(rel) {
        return (Vec::new(), Vec::new());
    }
    walk::files(root, Path::new(CONTENT_DIR), rel, is_ignored)
}

/// Files an editor or the OS leaves beside the user's own: hidden files, swap
/// and backup files (`.x.swp`, `x~`, `.#x`, `#x#`).
pub fn is_ignored(file_name: &str) -> bool {
    file_name.starts_with('.') || is_editor_leftover(file_name)
}

/// Swap, backup and lock files that editors and the OS leave beside the
/// file being edited (`.x.swp`, `x~`, `.#x`, `#x#`, `.DS_Store`): never part
/// of a site, not even in `static/`, where other hidden files (`.well-known/`)
/// are.
pub fn is_editor_leftover(file_name: &str) -> bool {
    file_name.starts_with(".#")
        || file_name.starts_with('#')
        || file_name.ends_with('~')
        || file_name.ends_with(".swp")
        || file_name.ends_with(".swx")
        || file_name.ends_with(".tmp")
        || file_name == ".DS_Store"
}

/// The kind of profile a file at `rel` (relative to the root) is, if any.
pub fn profile_kind(rel: &Path) -> Option<EntityKind> {
    let mut parts = rel.strip_prefix(CONTENT_DIR).ok()?.components();
    let folder = parts.next()?.as_os_str().to_str()?;
    parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    EntityKind::from_folder(folder)
}

fn read_file(root: &Path, rel: &Path) -> Result<Parsed, Diagnostic> {
    if rel.extension().and_then(|e| e.to_str()) != Some("md") {
        return Err(
            Diagnostic::in_file(rel, "not a note: only .md files belong in content/")
                .with_hint("put images and other files in static/, which is copied as is"),
        );
    }
    let bytes = std::fs::read(root.join(rel))
        .map_err(|err| Diagnostic::in_file(rel, format!("cannot read: {err}")))?;
    let text = decode(rel, &bytes)?;
    let parsed = match profile_kind(rel) {
        Some(kind) => Profile::parse(kind, rel, text).map(Parsed::Profile),
        None => Note::parse(rel, text, &keys::KeyMap::default()).map(Parsed::Note),
    };
    parsed.map_err(|err| {
        Diagnostic::in_file(rel, err.message)
            .at_optional_line(err.line)
            .with_hint(err.hint)
    })
}

/// The file's text, or an error naming the line of the first bad byte.
fn decode<'a>(rel: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    let bad = |offset: usize, what: &str| {
        let line = line_of_byte(bytes, offset);
        Diagnostic::in_file(rel, format!("{what} (byte {offset})"))
            .at_line(line)
            .with_hint("save the note as UTF-8 text; binary files do not belong in content/")
    };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(bad(offset, "this is a binary file, not a text note"));
    }
    std::str::from_utf8(bytes).map_err(|err| bad(err.valid_up_to(), "this file is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".talk.md.swp",
            "talk.md~",
            ".#talk.md",
            "#talk.md#",
            ".hidden",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("talk.md"));
    }

    #[test]
    fn profiles_are_direct_children_of_entity_folders() {
        assert_eq!(
            profile_kind(Path::new("content/speakers/ada.md")),
            Some(EntityKind::Speaker)
        );
        assert_eq!(
            profile_kind(Path::new("content/events/x.md")),
            Some(EntityKind::Event)
        );
        assert_eq!(profile_kind(Path::new("content/talks/x.md")), None);
        assert_eq!(profile_kind(Path::new("content/speakers/a/b.md")), None);
        assert_eq!(profile_kind(Path::new("content/x.md")), None);
    }

    #[test]
    fn content_paths_skip_editor_files_at_any_depth() {
        assert!(is_content_path(Path::new("content/talks/a.md")));
        assert!(is_content_path(Path::new("content")));
        assert!(!is_content_path(Path::new("content/.git/a.md")));
        assert!(!is_content_path(Path::new("content/talks/.a.md.swp")));
        assert!(!is_content_path(Path::new("static/a.md")));
    }

    #[test]
    fn files_at_a_folder_a_file_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let talks = dir.path().join("content/talks");
        std::fs::create_dir_all(&talks).unwrap();
        for name in ["b.md", "a.md", ".a.md.swp"] {
            std::fs::write(talks.join(name), "# T\n").unwrap();
        }
        let (files, problems) = files_at(dir.path(), Path::new("content"));
        assert!(problems.is_empty());
        assert_eq!(
            files,
            [
                PathBuf::from("content/talks/a.md"),
                PathBuf::from("content/talks/b.md")
            ]
        );
        let one = files_at(dir.path(), Path::new("content/talks/b.md")).0;
        assert_eq!(one, [PathBuf::from("content/talks/b.md")]);
        assert_eq!(
            files_at(dir.path(), Path::new("content/gone.md")),
            (vec![], vec![])
        );
    }

    #[test]
    fn binary_is_reported_with_line() {
        let err = decode(Path::new("content/a.md"), b"ok\nline\0two").unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = decode(Path::new("content/a.md"), b"a\n\xff").unwrap_err();
        assert!(err.message.contains("not UTF-8"));
    }
}
