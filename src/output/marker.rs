//! The marker file: which folder talkbook wrote, and which files in it.
//!
//! Every tree talkbook writes (the output, its spare, a fresh tree) holds a
//! `.talkbook-output` file that names the folder it was written for and lists
//! each file talkbook put there with the hash of its content:
//!
//! ```text
//! talkbook output 2: the files talkbook wrote in this folder
//! folder 1835012-1732543200123456789
//! 5f0c…(64 hex digits) "talks/a/index.html"
//! ```
//!
//! Paths are JSON strings, so any file name (a line break in a static
//! file's name included) stays on its own line.
//!
//! The folder is named by its inode number and creation time: a rename keeps
//! both, a copy (`cp -r public /srv/www`) gets new ones, so a copied marker
//! does not make its new folder talkbook's. Device numbers are left out on
//! purpose: btrfs subvolumes and network file systems number their devices
//! anew at each mount. (talkbook runs on Unix-like systems only, as its file
//! system calls do; where the creation time is unknown, the inode alone.)
//!
//! Before a build writes into a tree, its marker lists every file the build
//! may touch with `-` for a hash: a build killed half-way leaves a tree the
//! next build knows as its own, with files of unknown content. The new copy
//! of a listed file or of the marker, written beside it as
//! `.talkbook-tmp-HASH` (see [`tmp_path`]), is talkbook's too (a build killed
//! while writing it leaves it).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The name of the marker file at the top of each tree talkbook writes.
pub const MARKER: &str = ".talkbook-output";
const HEADER: &str = "talkbook output 2: the files talkbook wrote in this folder";
const FOLDER: &str = "folder ";
const UNKNOWN: &str = "-";
/// How the new file [`replace_file`] writes before renaming it is named.
const TMP_PREFIX: &str = ".talkbook-tmp-";

/// A tree's marker file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The identity of the folder it was written for.
    folder: String,
    /// Each file talkbook wrote (relative path, `/`-separated) and its
    /// content hash; `None` for a file being written.
    pub files: BTreeMap<String, Option<blake3::Hash>>,
}

/// What reading a folder's marker found.
#[derive(Debug)]
pub enum Found {
    /// There is no marker file.
    None,
    /// There is one this talkbook cannot read (an older version's, or damaged).
    Unreadable,
    /// A marker.
    Marker(Marker),
}

impl Marker {
    /// A marker for `dir` as it is now, listing `files`.
    pub fn new(dir: &Path, files: BTreeMap<String, Option<blake3::Hash>>) -> io::Result<Marker> {
        Ok(Marker {
            folder: identity(dir)?,
            files,
        })
    }

    /// Reads `dir`'s marker.
    pub fn read(dir: &Path) -> io::Result<Found> {
        match std::fs::read_to_string(dir.join(MARKER)) {
            Ok(text) => Ok(Marker::parse(&text).map_or(Found::Unreadable, Found::Marker)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Found::None),
            Err(err) if err.kind() == io::ErrorKind::InvalidData => Ok(Found::Unreadable),
            Err(err) => Err(err),
        }
    }

    fn parse(text: &str) -> Option<Marker> {
        let mut lines = text.lines();
        (lines.next()? == HEADER).then_some(())?;
        let folder = lines.next()?.strip_prefix(FOLDER)?.to_string();
        let files = lines
            .map(|line| {
                let (hash, path) = line.split_once(' ')?;
                let hash = match hash {
                    UNKNOWN => None,
                    hex => Some(blake3::Hash::from_hex(hex).ok()?),
                };
                Some((serde_json::from_str(path).ok()?, hash))
            })
            .collect::<Option<_>>()?;
        Some(Marker { folder, files })
    }

    /// Whether this marker was written for `dir` itself, not for a folder
    /// `dir` is a copy of.
    pub fn belongs_to(&self, dir: &Path) -> bool {
        identity(dir).is_ok_and(|id| id == self.folder)
    }

    /// Whether talkbook wrote the file at `path` (relative to the tree):
    /// listed, or the unfinished new copy of a listed file.
    pub fn lists(&self, path: &str) -> bool {
        self.files.contains_key(path)
            || (is_tmp(Path::new(path))
                && self
                    .files
                    .keys()
                    .any(|f| tmp_path(Path::new(f)) == Path::new(path)))
    }

    /// Writes this marker into `dir`, replacing the one there at once.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        // Some 30 MB at 100,000 notes: written with no allocation per file.
        let mut text = Vec::with_capacity(64 + self.files.len() * 128);
        write!(text, "{HEADER}\n{FOLDER}{}\n", self.folder)?;
        for (path, hash) in &self.files {
            match hash {
                Some(hash) => text.extend_from_slice(hash.to_hex().as_bytes()),
                None => text.extend_from_slice(UNKNOWN.as_bytes()),
            }
            text.push(b' ');
            serde_json::to_writer(&mut text, path)?;
            text.push(b'\n');
        }
        replace_file(&dir.join(MARKER), &text)
    }
}

/// Whether `path` (relative to a tree) is its marker, or the unfinished new
/// copy of it a build killed while writing the marker leaves.
pub fn is_marker(path: &str) -> bool {
    path == MARKER || Path::new(path) == tmp_path(Path::new(MARKER))
}

/// The name `path`'s new copy is written under, beside it, before it is
/// renamed over `path`: short whatever the length of `path`'s own name (which
/// may already be as long as a file name can be), and `path`'s alone.
pub(super) fn tmp_path(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().as_encoded_bytes();
    path.with_file_name(format!(
        "{TMP_PREFIX}{}",
        &blake3::hash(name).to_hex()[..16]
    ))
}

/// Whether `path` is named as a new copy [`replace_file`] writes.
fn is_tmp(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().starts_with(TMP_PREFIX.as_bytes()))
}

/// Writes a new file and renames it over `path`: a file `path` may share
/// with the live output (a hard link) is never written into, and a reader
/// sees the old content or the new, never a part.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = tmp_path(path);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// What tells `dir` apart from every other folder, its copies included.
fn identity(dir: &Path) -> io::Result<String> {
    let meta = std::fs::symlink_metadata(dir)?;
    let created = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(UNKNOWN.to_string(), |d| d.as_nanos().to_string());
    Ok(format!("{}-{created}", meta.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(dir: &Path) -> Marker {
        let files = [
            ("a/index.html".to_string(), Some(blake3::hash(b"a"))),
            ("with space.css".to_string(), None),
            ("static/line\nbreak\r \"quoted\" \\.txt".to_string(), None),
        ];
        Marker::new(dir, files.into_iter().collect()).unwrap()
    }

    #[test]
    fn reads_what_it_writes() {
        let dir = tempfile::tempdir().unwrap();
        let written = marker(dir.path());
        written.write(dir.path()).unwrap();
        let Found::Marker(read) = Marker::read(dir.path()).unwrap() else {
            panic!("marker not read back");
        };
        assert_eq!(read, written);
        assert!(read.belongs_to(dir.path()));
    }

    #[test]
    fn a_renamed_folder_keeps_its_marker_a_copy_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let (first, renamed, copy) = (
            dir.path().join("first"),
            dir.path().join("renamed"),
            dir.path().join("copy"),
        );
        std::fs::create_dir(&first).unwrap();
        let written = marker(&first);
        std::fs::rename(&first, &renamed).unwrap();
        assert!(written.belongs_to(&renamed));
        std::fs::create_dir(&copy).unwrap();
        assert!(!written.belongs_to(&copy));
    }

    #[test]
    fn the_temporary_copies_of_listed_files_and_the_marker_are_talkbooks() {
        let dir = tempfile::tempdir().unwrap();
        let marker = marker(dir.path());
        assert!(marker.lists("with space.css"));
        let tmp = |path: &str| tmp_path(Path::new(path)).to_string_lossy().into_owned();
        assert!(marker.lists(&tmp("a/index.html")));
        assert!(is_marker(&tmp(".talkbook-output")));
        assert!(is_marker(".talkbook-output"));
        assert!(!is_marker("a/.talkbook-output"));
        assert!(!marker.lists(&tmp("b.html")));
        assert!(!marker.lists(".talkbook-tmp-0123456789abcdef"));
        assert!(!marker.lists("b.html"));
    }

    #[test]
    fn an_older_or_damaged_marker_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "talkbook output 1: written and replaced by each build\nabc 1 2 a.html\n",
            "talkbook output 2: the files talkbook wrote in this folder\nfolder 1-2\nzz a.html\n",
        ] {
            std::fs::write(dir.path().join(MARKER), text).unwrap();
            assert!(matches!(
                Marker::read(dir.path()).unwrap(),
                Found::Unreadable
            ));
        }
        std::fs::remove_file(dir.path().join(MARKER)).unwrap();
        assert!(matches!(Marker::read(dir.path()).unwrap(), Found::None));
    }
}
