//! What a saved search index was made from, and whether the site still
//! holds exactly that: the stamp of its inputs.
//!
//! The inputs are `book.toml` and every file the site's layout reads (notes,
//! profiles, event files), as listed by the same walk that loads them; the
//! stamp also covers talkbook's version, its analyzer's rules and whether
//! drafts are indexed. Each
//! is known by its path, size, modification and change times, inode and
//! device (the change time cannot be set back, so a copy that keeps an old
//! modification time still changes the stamp). A file added, removed,
//! renamed or written changes the stamp, so its index is stale.
//!
//! A file written in the same clock tick as it was stamped could keep all of
//! those: so a file changed less than [`RACY_WINDOW`] before the stamp was
//! taken is *racy*, and its content hash is kept too and compared (git's
//! answer to the same problem). The stamp is taken before the site is read:
//! a file written in between changes it, never the other way round.

use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use super::export::analysis_rules;
use crate::config::{CONFIG_FILE, Config};
use crate::content;

/// Inputs changed this close to the stamp also have their content hashed.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

/// The stamp of a site's inputs; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The hash of every input's path and metadata, and of the options.
    stats: blake3::Hash,
    /// Inputs changed within [`RACY_WINDOW`] of the stamp, with the hash
    /// of their content.
    racy: Vec<(PathBuf, blake3::Hash)>,
}

impl Stamp {
    /// The stamp of the site at `root` as it is now, for an index with
    /// drafts or without; `None` if `book.toml` cannot be read (the site
    /// cannot be indexed then).
    pub fn take(root: &Path, drafts: bool) -> Option<Stamp> {
        let started = SystemTime::now();
        let inputs = inputs(root, drafts)?;
        let racy_since = started.checked_sub(RACY_WINDOW).unwrap_or(UNIX_EPOCH);
        let racy = inputs
            .iter()
            .filter(|(_, metadata)| {
                metadata
                    .as_ref()
                    .is_some_and(|m| changed_since(m, racy_since))
            })
            .map(|(path, _)| (path.clone(), content_hash(root, path)))
            .collect();
        Some(Stamp {
            stats: stats_hash(&inputs, drafts),
            racy,
        })
    }

    /// Whether the site at `root` still holds what this stamp was taken of.
    pub fn is_current(&self, root: &Path, drafts: bool) -> bool {
        let Some(inputs) = inputs(root, drafts) else {
            return false;
        };
        stats_hash(&inputs, drafts) == self.stats
            && self
                .racy
                .iter()
                .all(|(path, hash)| content_hash(root, path) == *hash)
    }

    /// The stamp as bytes, for [`Stamp::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.stats.as_bytes().to_vec();
        for (path, hash) in &self.racy {
            let path = path.to_string_lossy();
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(path.as_bytes());
            out.extend_from_slice(hash.as_bytes());
        }
        out
    }

    /// A stamp written by [`Stamp::to_bytes`]; `None` if `bytes` is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Stamp> {
        let (stats, mut rest) = bytes.split_first_chunk::<32>()?;
        let mut racy = Vec::new();
        while !rest.is_empty() {
            let (length, after) = rest.split_first_chunk::<4>()?;
            let length = u32::from_le_bytes(*length) as usize;
            let path = std::str::from_utf8(after.get(..length)?).ok()?;
            let (hash, after) = after.get(length..)?.split_first_chunk::<32>()?;
            racy.push((PathBuf::from(path), blake3::Hash::from_bytes(*hash)));
            rest = after;
        }
        Some(Stamp {
            stats: blake3::Hash::from_bytes(*stats),
            racy,
        })
    }
}

/// The hash of the inputs' paths and metadata, after what else makes an
/// index: this talkbook, its analyzer's rules, and whether drafts are
/// indexed. The inputs are put in one buffer and hashed at once: hashing
/// each field on its own took a tenth of a search at 35,000 inputs.
fn stats_hash(inputs: &[(PathBuf, Option<Metadata>)], drafts: bool) -> blake3::Hash {
    let mut stats = blake3::Hasher::new();
    stats.update(env!("CARGO_PKG_VERSION").as_bytes());
    stats.update(analysis_rules().to_string().as_bytes());
    stats.update(&[u8::from(drafts)]);
    let mut bytes = Vec::with_capacity(inputs.len() * 128);
    for (path, metadata) in inputs {
        put_input(&mut bytes, path, metadata.as_ref());
    }
    stats.update(&bytes);
    stats.finalize()
}

/// `book.toml` and every file the site's layout reads, relative to `root`,
/// sorted, each with its metadata (following links) if it has any.
fn inputs(root: &Path, drafts: bool) -> Option<Vec<(PathBuf, Option<Metadata>)>> {
    let config = Config::load(root).ok()?;
    let reader = content::Reader::new(&config, drafts);
    let (files, _) = content::list_files(root, &reader);
    let listed: Vec<PathBuf> = std::iter::once(PathBuf::from(CONFIG_FILE))
        .chain(files)
        .collect();
    Some(
        listed
            .into_par_iter()
            .map(|path| {
                let metadata = std::fs::metadata(root.join(&path)).ok();
                (path, metadata)
            })
            .collect(),
    )
}

/// Adds one input to the bytes the stamp hashes.
fn put_input(bytes: &mut Vec<u8>, path: &Path, metadata: Option<&Metadata>) {
    let path = path.to_string_lossy();
    bytes.extend_from_slice(&(path.len() as u64).to_le_bytes());
    bytes.extend_from_slice(path.as_bytes());
    let Some(m) = metadata else {
        bytes.push(0);
        return;
    };
    bytes.push(1);
    for number in [
        m.size(),
        m.mtime() as u64,
        m.mtime_nsec() as u64,
        m.ctime() as u64,
        m.ctime_nsec() as u64,
        m.ino(),
        m.dev(),
    ] {
        bytes.extend_from_slice(&number.to_le_bytes());
    }
}

/// Whether the file was modified or changed at or after `since`.
fn changed_since(m: &Metadata, since: SystemTime) -> bool {
    let since = since.duration_since(UNIX_EPOCH).unwrap_or_default();
    let at = |secs: i64, nanos: i64| {
        Duration::new(secs.max(0) as u64, nanos.clamp(0, 999_999_999) as u32)
    };
    at(m.mtime(), m.mtime_nsec()).max(at(m.ctime(), m.ctime_nsec())) >= since
}

/// The hash of a file's content; of nothing if it cannot be read (then its
/// metadata, in the stamp's hash, is missing too).
fn content_hash(root: &Path, path: &Path) -> blake3::Hash {
    match std::fs::read(root.join(path)) {
        Ok(bytes) => blake3::hash(&bytes),
        Err(_) => blake3::hash(b""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "[site]\ntitle = \"T\"\n").unwrap();
        std::fs::create_dir_all(dir.path().join("content/talks")).unwrap();
        std::fs::write(
            dir.path().join("content/talks/a.md"),
            "+++\ntitle = \"A\"\n+++\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn a_stamp_is_current_until_an_input_changes() {
        let dir = site();
        let stamp = Stamp::take(dir.path(), false).unwrap();
        assert!(stamp.is_current(dir.path(), false));
        assert!(
            !stamp.is_current(dir.path(), true),
            "drafts change the index"
        );
        // Same size, written at once: only the content hash can tell.
        std::fs::write(
            dir.path().join("content/talks/a.md"),
            "+++\ntitle = \"B\"\n+++\n",
        )
        .unwrap();
        assert!(!stamp.is_current(dir.path(), false));
    }

    #[test]
    fn a_new_or_removed_note_makes_it_stale() {
        let dir = site();
        let stamp = Stamp::take(dir.path(), false).unwrap();
        std::fs::write(
            dir.path().join("content/talks/b.md"),
            "+++\ntitle = \"B\"\n+++\n",
        )
        .unwrap();
        assert!(!stamp.is_current(dir.path(), false));
        let stamp = Stamp::take(dir.path(), false).unwrap();
        std::fs::remove_file(dir.path().join("content/talks/b.md")).unwrap();
        assert!(!stamp.is_current(dir.path(), false));
    }

    #[test]
    fn stamps_read_back_as_written() {
        let dir = site();
        let stamp = Stamp::take(dir.path(), false).unwrap();
        assert!(!stamp.racy.is_empty(), "files just written are racy");
        assert_eq!(Stamp::from_bytes(&stamp.to_bytes()), Some(stamp));
        assert_eq!(Stamp::from_bytes(b"short"), None);
    }
}
