//! Bringing a tree talkbook wrote up to date with the new site in place,
//! file by file as the site is made: a file that already holds the right
//! content is kept, one the live output holds is hard-linked from there,
//! any other is written new and renamed over the old (so a file shared with
//! the live output is never written into), and at the end what the site no
//! longer has is removed.
//!
//! Files are announced before they are placed: the tree's marker is then
//! rewritten to list every file the sync may leave there, without a hash,
//! so a sync killed half-way leaves a tree the next build still knows as
//! talkbook's. A file not announced is refused. A file's folder is made
//! when the file is placed, by the thread placing it, so that the folders
//! of a large site are not made one after another before the first page.
//! A file the tree did not hold is written in place, created new (never
//! into a file already there): the tree is not the live output, so no one
//! reads the file half-written, and a build killed meanwhile leaves a file
//! the marker lists with no hash, which the next build rewrites.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Mutex, RwLock};

use super::marker::{MARKER, Marker, replace_file};
use super::ownership::Contents;

/// A tree being brought up to date with a new site.
pub struct Sync {
    /// The tree, as it was before the sync.
    next: Contents,
    /// Every file of the new site announced so far. A file joins it once
    /// the marker lists it, so that none is placed before; files announced
    /// before are placed meanwhile.
    announced: RwLock<BTreeSet<String>>,
    /// Held while an announcement writes the marker: one at a time.
    announcing: Mutex<()>,
    /// The files placed so far, and their content hashes.
    placed: Mutex<HashMap<String, blake3::Hash>>,
}

impl Sync {
    /// Starts bringing `next` up to date; nothing is touched yet.
    pub fn start(next: Contents) -> Sync {
        Sync {
            next,
            announced: RwLock::new(BTreeSet::new()),
            announcing: Mutex::new(()),
            placed: Mutex::new(HashMap::new()),
        }
    }

    /// The folder of the tree.
    pub fn dir(&self) -> &Path {
        &self.next.dir
    }

    /// Announces files of the new site: the marker lists them (with every
    /// file the tree holds and every file announced before) before any is
    /// placed.
    pub fn announce(&self, paths: impl IntoIterator<Item = String>) -> io::Result<()> {
        let _announcing = self
            .announcing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Only this announcement changes `announced` until it ends.
        let announced = || {
            self.announced
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        let new: BTreeSet<String> = {
            let announced = announced();
            paths
                .into_iter()
                .filter(|path| !announced.contains(path))
                .collect()
        };
        if new.is_empty() {
            return Ok(());
        }
        {
            let announced = announced();
            let touched = self.next.files.keys().chain(announced.iter()).chain(&new);
            let writing = touched.map(|path| (path.clone(), None)).collect();
            Marker::new(&self.next.dir, writing)?.write(&self.next.dir)?;
        }
        self.announced
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend(new);
        Ok(())
    }

    /// Makes the tree's copy of `path`, announced, hold `bytes`: keeps it if
    /// it already does, links `live`'s copy if that does, else writes a new
    /// file (and makes its folder if it is missing).
    pub fn place(&self, live: &Contents, path: &str, bytes: &[u8]) -> io::Result<()> {
        let announced = self
            .announced
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(path);
        if !announced {
            return Err(io::Error::other(format!(
                "`{path}` was about to be written without being listed in {MARKER} first"
            )));
        }
        let hash = blake3::hash(bytes);
        if !self.next.holds(path, &hash) {
            let target = self.next.dir.join(path);
            let held = self.next.files.contains_key(path);
            let linked = live.holds(path, &hash) && {
                if held {
                    let _ = std::fs::remove_file(&target);
                }
                in_folder(&target, || std::fs::hard_link(live.dir.join(path), &target)).is_ok()
            };
            if !linked {
                in_folder(&target, || write_file(&target, bytes, held))?;
            }
        }
        self.placed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.to_string(), hash);
        Ok(())
    }

    /// Ends the sync: removes everything in the tree that was not placed,
    /// and lists what was, with the hash of each. Returns how many files
    /// were placed.
    pub fn finish(&mut self) -> io::Result<usize> {
        let placed = std::mem::take(
            self.placed
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        let announced = self
            .announced
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        remove_stale(&self.next, announced, &placed)?;
        let count = placed.len();
        let listed = placed
            .into_iter()
            .map(|(path, hash)| (path, Some(hash)))
            .collect();
        Marker::new(&self.next.dir, listed)?.write(&self.next.dir)?;
        Ok(count)
    }
}

/// Runs `make`, which makes the file `target`; if `target`'s folder is
/// missing, makes the folder and runs `make` again.
fn in_folder(target: &Path, make: impl Fn() -> io::Result<()>) -> io::Result<()> {
    match make() {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            if let Some(folder) = target.parent() {
                std::fs::create_dir_all(folder)?;
            }
            make()
        }
        done => done,
    }
}

/// Writes `bytes` to `target`: over the file there if the tree `held` one
/// (a new file renamed over it, as it may be shared with the live output),
/// else into a file created new, and over whatever is there after all.
fn write_file(target: &Path, bytes: &[u8], held: bool) -> io::Result<()> {
    if held {
        return replace_file(target, bytes);
    }
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target);
    match created {
        Ok(mut file) => file.write_all(bytes),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => replace_file(target, bytes),
        Err(err) => Err(err),
    }
}

/// Removes the files the tree held before the sync (`next`) that were not
/// `placed`, and the folders it held or placing the files `announced` made
/// that hold none that were: everything else in the tree was placed. The
/// tree is not walked again.
fn remove_stale(
    next: &Contents,
    announced: &BTreeSet<String>,
    placed: &HashMap<String, blake3::Hash>,
) -> io::Result<()> {
    for path in next.files.keys().filter(|path| !placed.contains_key(*path)) {
        if let Err(err) = std::fs::remove_file(next.dir.join(path))
            && err.kind() != io::ErrorKind::NotFound
        {
            return Err(err);
        }
    }
    let keep: HashSet<&Path> = placed.keys().flat_map(|f| folders_of(f)).collect();
    let made: HashSet<&Path> = announced.iter().flat_map(|f| folders_of(f)).collect();
    let mut stale: Vec<&Path> = next
        .folders
        .iter()
        .map(Path::new)
        .chain(made)
        .filter(|folder| !folder.as_os_str().is_empty() && !keep.contains(folder))
        .collect();
    // A folder after those in it.
    stale.sort_unstable_by(|a, b| b.cmp(a));
    stale.dedup();
    for folder in stale {
        // A folder of files announced but never placed was never made.
        if let Err(err) = std::fs::remove_dir(next.dir.join(folder))
            && err.kind() != io::ErrorKind::NotFound
        {
            return Err(err);
        }
    }
    Ok(())
}

/// The folders `file` (relative) is in, innermost first; the last is the
/// tree itself, the empty path.
fn folders_of(file: &str) -> impl Iterator<Item = &Path> {
    Path::new(file).ancestors().skip(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether or not the tree held the file, writing it never writes into
    /// the file that was there: another name for that file (a hard link,
    /// as the live output may have) keeps its content.
    #[test]
    fn a_file_is_replaced_never_written_into() {
        for held in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("page.html");
            std::fs::write(&target, b"old").unwrap();
            let other = dir.path().join("other.html");
            std::fs::hard_link(&target, &other).unwrap();
            write_file(&target, b"new", held).unwrap();
            assert_eq!(std::fs::read(&target).unwrap(), b"new", "held: {held}");
            assert_eq!(std::fs::read(&other).unwrap(), b"old", "held: {held}");
        }
    }

    /// A file whose folder is missing gets the folder.
    #[test]
    fn a_missing_folder_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("talks/a-talk/index.html");
        in_folder(&target, || write_file(&target, b"page", false)).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"page");
    }
}
