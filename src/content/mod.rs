//! Reading `content/`: every talk note and profile file, in parallel.
//!
//! Any `.md` file is a talk note, except those directly inside
//! `content/speakers/`, `content/projects/`, `content/tags/` and
//! `content/events/`, which are profiles of the entity named by their file name.

pub mod front_matter;
pub mod note;
pub mod profile;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use note::{Note, Speaker};
pub use profile::Profile;

use crate::diagnostics::{Diagnostic, line_of_byte};
use crate::entity::EntityKind;

/// The folder of notes inside a site.
pub const CONTENT_DIR: &str = "content";

/// Everything read from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Talk notes, sorted by source path.
    pub notes: Vec<Note>,
    /// Profile files, sorted by source path.
    pub profiles: Vec<Profile>,
}

/// One file under `content/`, parsed.
enum Parsed {
    Note(Note),
    Profile(Profile),
}

/// Reads every note and profile under `<root>/content`. Drafts are kept only
/// when `drafts` is true. Problems are returned alongside what could be read.
pub fn load(root: &Path, drafts: bool) -> (Content, Vec<Diagnostic>) {
    let (paths, mut problems) = list_files(root);
    let results: Vec<Result<Parsed, Diagnostic>> =
        paths.par_iter().map(|rel| read_file(root, rel)).collect();
    let mut content = Content::default();
    for result in results {
        match result {
            Ok(Parsed::Note(note)) if note.draft && !drafts => {}
            Ok(Parsed::Note(note)) => content.notes.push(note),
            Ok(Parsed::Profile(profile)) => content.profiles.push(profile),
            Err(problem) => problems.push(problem),
        }
    }
    (content, problems)
}

/// Every file under `content/` that is not hidden or an editor's temporary
/// file, relative to `root`, sorted.
fn list_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        let problem = Diagnostic::in_file(CONTENT_DIR, "there is no content/ folder")
            .with_hint("put one markdown file per talk in content/ (see `talkbook init`)");
        return (Vec::new(), vec![problem]);
    }
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or(".")));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => paths.push(
                e.path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf(),
            ),
            Ok(_) => {}
            Err(err) => problems.push(
                Diagnostic::in_file(
                    err.path()
                        .and_then(|p| p.strip_prefix(root).ok())
                        .unwrap_or(Path::new(CONTENT_DIR)),
                    format!("cannot read: {err}"),
                )
                .with_hint("check the file's permissions"),
            ),
        }
    }
    (paths, problems)
}

/// Files an editor or the OS leaves beside the user's own: hidden files, swap
/// and backup files (`.x.swp`, `x~`, `.#x`, `#x#`).
pub fn is_ignored(file_name: &str) -> bool {
    file_name.starts_with('.')
        || file_name.starts_with('#')
        || file_name.ends_with('~')
        || file_name.ends_with(".swp")
        || file_name.ends_with(".swx")
        || file_name.ends_with(".tmp")
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
        None => Note::parse(rel, text).map(Parsed::Note),
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
    fn binary_is_reported_with_line() {
        let err = decode(Path::new("content/a.md"), b"ok\nline\0two").unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = decode(Path::new("content/a.md"), b"a\n\xff").unwrap_err();
        assert!(err.message.contains("not UTF-8"));
    }
}
