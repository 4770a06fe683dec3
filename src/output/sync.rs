//! Bringing a tree talkbook wrote up to date with the new site in place: a
//! file that already holds the right content is kept, one the live output
//! holds is hard-linked from there, any other is written new and renamed
//! over the old (so a file shared with the live output is never written
//! into), and what the site no longer has is removed.
//!
//! Before touching anything, the tree's marker is rewritten to list every
//! file the sync may leave there, without a hash: a sync killed half-way
//! leaves a tree the next build still knows as talkbook's.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::marker::{MARKER, Marker, replace_file};
use super::ownership::Contents;
use crate::Files;

/// Makes `next` hold exactly `files`, reusing what it and `live` hold.
pub fn sync(next: &Contents, live: &Contents, files: &Files) -> io::Result<()> {
    let touched = next.files.keys().chain(files.keys());
    let writing = touched.map(|path| (path.clone(), None)).collect();
    Marker::new(&next.dir, writing)?.write(&next.dir)?;

    let mut folders: Vec<&Path> = files.keys().filter_map(|f| Path::new(f).parent()).collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(next.dir.join(folder))?;
    }
    let written: BTreeMap<String, Option<blake3::Hash>> = files
        .par_iter()
        .map(|(path, bytes)| {
            let hash = blake3::hash(bytes);
            place(next, live, path, &hash, bytes)?;
            Ok((path.clone(), Some(hash)))
        })
        .collect::<io::Result<_>>()?;
    remove_stale(&next.dir, files)?;
    Marker::new(&next.dir, written)?.write(&next.dir)
}

/// Makes `next`'s copy of `path` hold `bytes`: keeps it if it already does,
/// links the live output's copy if that does, else writes a new file.
fn place(
    next: &Contents,
    live: &Contents,
    path: &str,
    hash: &blake3::Hash,
    bytes: &[u8],
) -> io::Result<()> {
    if next.holds(path, hash) {
        return Ok(());
    }
    let target = next.dir.join(path);
    if live.holds(path, hash) {
        let _ = std::fs::remove_file(&target);
        if std::fs::hard_link(live.dir.join(path), &target).is_ok() {
            return Ok(());
        }
    }
    replace_file(&target, bytes)
}

/// Removes everything in `dir` that is not one of `files` or the marker.
fn remove_stale(dir: &Path, files: &Files) -> io::Result<()> {
    let keep_folders: HashSet<&Path> = files
        .keys()
        .flat_map(|f| Path::new(f).ancestors().skip(1))
        .collect();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = rel.to_string_lossy();
        if entry.file_type().is_dir() {
            if !keep_folders.contains(rel) {
                std::fs::remove_dir(entry.path())?;
            }
        } else if name != MARKER && !files.contains_key(name.as_ref()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
