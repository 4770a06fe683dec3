//! Reading the site's notes and profiles, in parallel.
//!
//! Which files are notes, profiles or neither is [`layout`]'s answer; what
//! a note means beyond its own front matter (its event from its folder, its
//! slug from `[content] slug`, whether `[content] only` keeps it) is
//! [`rules`]'. Hidden files and editors' leftovers are not read; links are
//! followed as [`crate::walk`] says, and whatever else is left out is
//! warned about or counted for the summary.

pub mod front_matter;
pub mod headings;
pub mod keys;
pub mod layout;
pub mod note;
pub(crate) mod people;
pub mod profile;
pub mod rules;
pub mod social;
mod speaker;
mod values;
pub mod when;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use keys::KeyMap;
pub use layout::{Layout, Role};
pub use note::{Note, Speaker};
pub use profile::Profile;
pub use rules::Reader;

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, line_of_byte};
use crate::entity::EntityKind;
use crate::walk;

/// The default folder of notes inside a site.
pub const CONTENT_DIR: &str = "content";

/// Everything read from the notes and profile folders.
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
    /// It is the index file (`README.md`) of a notes folder itself, under
    /// `event = "{folder}"`: it describes no one event.
    Index,
    /// Its front matter has none of the values `[content] only` asks for.
    NotOnly,
    /// It is a draft, and drafts were not asked for.
    Draft,
}

/// One file of a notes or profile folder, read.
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "short-lived: each is moved into `Content` at once"
)]
pub enum Parsed {
    /// A talk note, its event and slug not yet completed by [`rules`].
    Note(Note),
    /// A profile file (an event's index file too).
    Profile(Profile),
    /// Not part of the site.
    Skipped(Skip),
}

/// Reads every note and profile of the site at `root`, as `reader` says.
/// Problems are returned alongside what could be read.
pub fn load(root: &Path, reader: &Reader) -> (Content, Vec<Diagnostic>) {
    let (paths, mut problems) = list_files(root, reader);
    let results: Vec<(PathBuf, Result<Parsed, Diagnostic>)> = paths
        .into_par_iter()
        .map(|rel| {
            let parsed = read_file(root, &rel, reader);
            (rel, parsed)
        })
        .collect();
    let mut content = Content::default();
    let mut notes = Vec::new();
    for (source, result) in results {
        match result {
            Ok(Parsed::Note(note)) => notes.push(note),
            Ok(Parsed::Profile(profile)) => content.profiles.push(profile),
            Ok(Parsed::Skipped(why)) => content.skipped.push(Skipped { source, why }),
            Err(problem) => problems.push(problem),
        }
    }
    let events = reader.folder_events(&content.profiles);
    for note in notes {
        match reader.complete(note, &events) {
            Ok(note) => content.notes.push(note),
            Err(skipped) => content.skipped.push(skipped),
        }
    }
    (content, problems)
}

/// Reads the one file at `rel` (relative to `root`, listed by
/// [`files_at`]) as [`load`] does; `events` from [`Reader::folder_events`]
/// of the site's profiles.
pub fn load_file(
    root: &Path,
    rel: &Path,
    reader: &Reader,
    events: &HashMap<PathBuf, String>,
) -> Result<Parsed, Diagnostic> {
    Ok(match read_file(root, rel, reader)? {
        Parsed::Note(note) => match reader.complete(note, events) {
            Ok(note) => Parsed::Note(note),
            Err(skipped) => Parsed::Skipped(skipped.why),
        },
        parsed => parsed,
    })
}

/// The notes and profile folders of the site at `root` as its `book.toml`
/// says ([`Layout::tops`]), or `content/` when it cannot be read.
pub fn folders_of(root: &Path) -> Vec<PathBuf> {
    match crate::config::Config::load(root) {
        Ok(config) => Layout::new(&config).tops().to_vec(),
        Err(_) => vec![PathBuf::from(CONTENT_DIR)],
    }
}

/// talkbook's own front-matter keys, of notes and profiles: what `[keys]`
/// may map a site's keys to.
pub fn known_keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = note::KEYS.iter().chain(profile::KEYS).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Every file the site's layout reads, relative to `root`, sorted; a
/// missing notes folder is an error.
pub fn list_files(root: &Path, reader: &Reader) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = missing_folders(root, reader);
    for top in reader.layout.tops() {
        let (found, trouble) = walk::files(root, top, top, &|rel| !reader.layout.reads(rel));
        files.extend(found);
        problems.extend(trouble);
    }
    // The tops are sorted and none is inside another: their files follow
    // one another in path order.
    debug_assert!(files.is_sorted());
    (files, problems)
}

/// An error for each notes folder that does not exist.
pub fn missing_folders(root: &Path, reader: &Reader) -> Vec<Diagnostic> {
    let notes = reader.layout.notes();
    notes
        .iter()
        .filter(|folder| !root.join(folder).is_dir())
        .map(|folder| missing_notes_folder(reader, folder))
        .collect()
}

fn missing_notes_folder(reader: &Reader, folder: &Path) -> Diagnostic {
    if folder == Path::new(CONTENT_DIR) && reader.line_of_notes.is_none() {
        return Diagnostic::in_file(CONTENT_DIR, "there is no content/ folder")
            .with_hint("put one markdown file per talk in content/ (see `talkbook init`), or name your notes folders with [content] notes in book.toml");
    }
    Diagnostic::in_file(
        CONFIG_FILE,
        format!("the notes folder `{}` does not exist", folder.display()),
    )
    .at_optional_line(reader.line_of_notes)
    .with_hint("[content] notes lists folders relative to the site root; \".\" is the root itself")
}

/// The files [`load`] reads at `rel` (relative to `root`): the file itself,
/// or every file in the folder and its sub-folders, as the walk of the
/// whole site finds them there ([`walk::files`]: links inside the site
/// followed); sorted, as `load` sorts. Nothing when `rel` is missing or not
/// [read](Layout::reads).
pub fn files_at(root: &Path, rel: &Path, layout: &Layout) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let Some(top) = layout.tops().iter().find(|t| rel.starts_with(t)) else {
        return (Vec::new(), Vec::new());
    };
    if !layout.reads(rel) {
        return (Vec::new(), Vec::new());
    }
    walk::files(root, top, rel, &|path| !layout.reads(path))
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

fn read_file(root: &Path, rel: &Path, reader: &Reader) -> Result<Parsed, Diagnostic> {
    let role = reader.layout.role(rel);
    if let Role::Skipped(why) = role {
        return Ok(Parsed::Skipped(why));
    }
    let bytes = std::fs::read(root.join(rel))
        .map_err(|err| Diagnostic::in_file(rel, format!("cannot read: {err}")))?;
    let text = decode(rel, &bytes)?;
    let parsed = match role {
        Role::Profile(kind) => Profile::parse(kind, rel, text, &reader.keys)
            .map(|profile| Parsed::Profile(profile.with_photo_checked(root))),
        Role::EventIndex => Profile::parse(EntityKind::Event, rel, text, &reader.keys)
            .map(|p| Parsed::Profile(reader.event_index(p).with_photo_checked(root))),
        _ => Note::parse(rel, text, &reader.keys).map(Parsed::Note),
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
    fn files_at_a_folder_a_file_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let talks = dir.path().join("content/talks");
        std::fs::create_dir_all(&talks).unwrap();
        for name in ["b.md", "a.md", ".a.md.swp"] {
            std::fs::write(talks.join(name), "# T\n").unwrap();
        }
        let layout = Layout::new(&crate::config::Config::default());
        let (files, problems) = files_at(dir.path(), Path::new("content"), &layout);
        assert!(problems.is_empty());
        assert_eq!(
            files,
            [
                PathBuf::from("content/talks/a.md"),
                PathBuf::from("content/talks/b.md")
            ]
        );
        let one = files_at(dir.path(), Path::new("content/talks/b.md"), &layout).0;
        assert_eq!(one, [PathBuf::from("content/talks/b.md")]);
        assert_eq!(
            files_at(dir.path(), Path::new("content/gone.md"), &layout),
            (vec![], vec![])
        );
        let hidden = files_at(dir.path(), Path::new("content/talks/.a.md.swp"), &layout);
        assert_eq!(hidden, (vec![], vec![]));
    }

    #[test]
    fn a_collection_in_its_own_shape_is_read_and_what_is_not_a_note_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "book.toml",
            "[content]\nnotes = [\".\"]\nevent = \"{folder}\"\nexclude = [\"**/LICENSE*\"]\n",
        );
        write("README.md", "# My notes\n");
        write("LICENSE.md", "MIT\n");
        write(
            "2016/pycon/README.md",
            "---\nname: PyCon 2016\n---\nIn Portland.\n",
        );
        write("2016/pycon/keynote.md", "# Keynote\n");
        write("2016/pycon/photo.png", "png");
        write("public/talks/x.md", "# Not read\n");
        let config = crate::config::Config::load(root).unwrap();
        let (content, problems) = load(root, &Reader::new(&config, false));
        assert!(problems.is_empty(), "{problems:?}");
        let sources: Vec<_> = content.notes.iter().map(|n| n.source.clone()).collect();
        assert_eq!(sources, [PathBuf::from("2016/pycon/keynote.md")]);
        assert_eq!(content.notes[0].event.as_deref(), Some("PyCon 2016"));
        assert_eq!(content.profiles[0].kind, EntityKind::Event);
        assert_eq!(content.profiles[0].slug, "pycon-2016");
        let skipped: Vec<_> = content
            .skipped
            .iter()
            .map(|s| (s.source.to_str().unwrap(), s.why))
            .collect();
        assert_eq!(
            skipped,
            [
                ("2016/pycon/photo.png", Skip::NotANote),
                ("LICENSE.md", Skip::Excluded),
                ("README.md", Skip::Index),
            ]
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
