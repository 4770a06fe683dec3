//! Writing the site to disk without ever losing the previous one.
//!
//! The new site is prepared in a folder beside the output folder, then
//! swapped in with one atomic rename; until then the old output is untouched,
//! so a failed or interrupted build leaves it whole. talkbook only ever
//! replaces a folder that is empty or carries its marker file: a folder it did
//! not make is refused, never deleted.
//!
//! Creating and deleting tens of thousands of files and folders is most of a
//! large build's time (on ext4, folders most of all). So the folder swapped
//! out is kept beside the output as the *spare* (`.public.talkbook-spare`),
//! and the next build brings it up to date in place: it rewrites only files
//! whose content changed, hard-links files it lacks from the live output, and
//! never writes into an existing file (it writes a new one and renames it, so
//! a file shared with the live output is never modified). The marker file in
//! each tree lists every file's content hash, size and time, so unchanged
//! files are known without reading them.

use std::collections::{HashMap, HashSet};
use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::files::Files;

/// The file that marks a folder as talkbook's output, and lists its files.
pub const MARKER: &str = ".talkbook-output";
const MARKER_HEADER: &str = "talkbook output 1: written and replaced by each build";
/// Keeps the spare tree out of the user's git status; removed before a swap.
const SPARE_GITIGNORE: &str = ".gitignore";

/// What the marker file records of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    hash: String,
    size: u64,
    modified: u128,
}

impl Entry {
    fn of(hash: &str, meta: &Metadata) -> Entry {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Entry {
            hash: hash.to_string(),
            size: meta.len(),
            modified,
        }
    }
}

/// A tree of files on disk, and what its marker says is in it.
struct Tree {
    dir: PathBuf,
    entries: HashMap<String, Entry>,
}

impl Tree {
    fn read(dir: &Path) -> Tree {
        Tree {
            dir: dir.to_path_buf(),
            entries: read_marker(dir),
        }
    }

    /// The recorded entry of `path`, if the file is still as recorded.
    fn unchanged(&self, path: &str, hash: &str) -> Option<Entry> {
        let recorded = self.entries.get(path).filter(|e| e.hash == hash)?;
        let current = Entry::of(hash, &std::fs::symlink_metadata(self.dir.join(path)).ok()?);
        (current == *recorded).then_some(current)
    }
}

/// Writes `files` (relative path → bytes) as the new contents of `output`.
pub fn write_site(output: &Path, files: &Files) -> Result<(), Diagnostic> {
    check_replaceable(output)?;
    let (next, is_spare) =
        next_tree(output).map_err(|err| failed(output, "create a folder beside", err))?;
    let live = Tree::read(output);
    if let Err(err) = sync(&Tree::read(&next), &live, files) {
        if !is_spare {
            let _ = remove_tree(&next);
        }
        return Err(failed(output, "write", err));
    }
    swap_in(&next, output, is_spare).map_err(|err| failed(output, "replace", err))
}

fn failed(output: &Path, what: &str, err: io::Error) -> Diagnostic {
    Diagnostic::site_wide(format!(
        "cannot {what} the output folder {}: {err}",
        output.display()
    ))
    .with_hint("check the disk space and permissions; the previous output was left as it was")
}

/// Refuses to replace a folder talkbook did not make.
pub fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::site_wide(format!(
            "refusing to write the site into {}: {why}",
            output.display()
        ))
        .with_hint(
            "choose another folder with --output or [build] output, or empty that folder yourself",
        )
    };
    match std::fs::symlink_metadata(output) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => Err(refuse("it is not a folder")),
        Ok(_) if is_ours(output) => Ok(()),
        Ok(_) => match std::fs::read_dir(output).map(|mut entries| entries.next().is_none()) {
            Ok(true) => Ok(()),
            Ok(false) => Err(refuse("it is not empty and was not made by talkbook")),
            Err(err) => Err(refuse(&err.to_string())),
        },
    }
}

fn is_ours(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join(MARKER)).is_ok_and(|text| text.starts_with(MARKER_HEADER))
}

/// The tree the next site is prepared in: the spare beside `output` if
/// talkbook made it, else a new uniquely named folder. True if the spare.
fn next_tree(output: &Path) -> io::Result<(PathBuf, bool)> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = output
        .file_name()
        .map_or("output".into(), |n| n.to_string_lossy().into_owned());
    let spare = parent.join(format!(".{name}.talkbook-spare"));
    if is_ours(&spare) {
        return Ok((spare, true));
    }
    if std::fs::create_dir(&spare).is_ok() {
        return Ok((spare, true));
    }
    let fresh = parent.join(format!(
        ".{name}.talkbook-{}-{}",
        std::process::id(),
        nanos()
    ));
    std::fs::create_dir(&fresh)?;
    Ok((fresh, false))
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Brings `next` to exactly `files`, reusing what it and `live` already have.
fn sync(next: &Tree, live: &Tree, files: &Files) -> io::Result<()> {
    let mut folders: Vec<&Path> = files.keys().filter_map(|f| Path::new(f).parent()).collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(next.dir.join(folder))?;
    }
    let entries: Vec<(&String, Entry)> = files
        .par_iter()
        .map(|(path, bytes)| {
            let hash = blake3::hash(bytes).to_hex()[..32].to_string();
            Ok((path, place(next, live, path, &hash, bytes)?))
        })
        .collect::<io::Result<_>>()?;
    remove_stale(&next.dir, files)?;
    let mut marker = format!("{MARKER_HEADER}\n");
    for (path, entry) in entries {
        marker.push_str(&format!(
            "{} {} {} {path}\n",
            entry.hash, entry.size, entry.modified
        ));
    }
    replace_file(&next.dir.join(MARKER), marker.as_bytes())?;
    Ok(())
}

/// Makes `next`'s copy of `path` hold `bytes`: keeps it if it already does,
/// links the live output's copy if that does, else writes a new file.
fn place(next: &Tree, live: &Tree, path: &str, hash: &str, bytes: &[u8]) -> io::Result<Entry> {
    if let Some(entry) = next.unchanged(path, hash) {
        return Ok(entry);
    }
    let target = next.dir.join(path);
    if live.unchanged(path, hash).is_some() {
        let _ = std::fs::remove_file(&target);
        if std::fs::hard_link(live.dir.join(path), &target).is_ok() {
            return Ok(Entry::of(hash, &std::fs::symlink_metadata(&target)?));
        }
    }
    let meta = replace_file(&target, bytes)?;
    Ok(Entry::of(hash, &meta))
}

/// Writes a new file and renames it over `path`: a file `path` may share
/// with the live output (a hard link) is never written into. The new file's
/// name is short, whatever the length of `path`'s, and its own.
fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<Metadata> {
    let name = path.file_name().unwrap_or_default().as_encoded_bytes();
    let tmp = path.with_file_name(format!(
        ".talkbook-tmp-{}",
        &blake3::hash(name).to_hex()[..16]
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    std::fs::symlink_metadata(path)
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

/// Puts `next` at `output`, atomically where the system allows. The tree
/// swapped out becomes the spare, or is removed if `next` was not the spare.
fn swap_in(next: &Path, output: &Path, is_spare: bool) -> io::Result<()> {
    let _ = std::fs::remove_file(next.join(SPARE_GITIGNORE));
    if !output.exists() {
        return std::fs::rename(next, output);
    }
    if exchange(next, output).is_err() {
        // No atomic exchange here (another OS or file system): two renames.
        let old = next.with_extension("old");
        std::fs::rename(output, &old)?;
        if let Err(err) = std::fs::rename(next, output) {
            std::fs::rename(&old, output)?;
            return Err(err);
        }
        std::fs::rename(&old, next)?;
    }
    if is_spare {
        std::fs::write(
            next.join(SPARE_GITIGNORE),
            "# talkbook's spare copy of the output, for fast rebuilds\n*\n",
        )
    } else {
        remove_tree(next)
    }
}

/// Removes a tree talkbook made: files in parallel, then folders deepest first.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().try_for_each(std::fs::remove_file)?;
    folders.iter().try_for_each(std::fs::remove_dir)
}

/// The files a tree's marker lists; empty if it has none.
fn read_marker(dir: &Path) -> HashMap<String, Entry> {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(MARKER_HEADER) {
        return HashMap::new();
    }
    lines
        .filter_map(|line| {
            let mut parts = line.splitn(4, ' ');
            let hash = parts.next()?.to_string();
            let size = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            Some((
                parts.next()?.to_string(),
                Entry {
                    hash,
                    size,
                    modified,
                },
            ))
        })
        .collect()
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_then_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &files(&[("a/index.html", "one"), ("old.html", "x")])).unwrap();
        write_site(&out, &files(&[("a/index.html", "two")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old.html").exists());
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".public.talkbook-spare", "public"],
            "unexpected folders left beside the output"
        );
    }

    #[test]
    fn unchanged_files_are_linked_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &files(&[("same.html", "s"), ("changes.html", "1")])).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, changes) = (inode("same.html"), inode("changes.html"));
        write_site(&out, &files(&[("same.html", "s"), ("changes.html", "2")])).unwrap();
        assert_eq!(inode("same.html"), same, "unchanged file was rewritten");
        assert_ne!(inode("changes.html"), changes);
        assert_eq!(
            std::fs::read_to_string(out.join("changes.html")).unwrap(),
            "2"
        );
    }

    #[test]
    fn many_builds_keep_every_version_exact() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for round in 0..5 {
            let mut site = files(&[("stable.html", "same"), ("gone/x.html", "old")]);
            site.insert(
                format!("r{round}/index.html"),
                format!("round {round}").into_bytes(),
            );
            site.insert("changing.html".into(), format!("v{round}").into_bytes());
            if round % 2 == 1 {
                site.remove("gone/x.html");
            }
            write_site(&out, &site).unwrap();
            let mut on_disk: Vec<String> = walkdir::WalkDir::new(&out)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    e.path()
                        .strip_prefix(&out)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .filter(|p| p != MARKER)
                .collect();
            on_disk.sort();
            let expected: Vec<&String> = site.keys().collect();
            assert_eq!(
                on_disk.iter().collect::<Vec<_>>(),
                expected,
                "round {round}"
            );
            for (path, bytes) in &site {
                assert_eq!(
                    &std::fs::read(out.join(path)).unwrap(),
                    bytes,
                    "round {round}: {path}"
                );
            }
            assert!(
                !dir.path()
                    .join(".public.talkbook-spare")
                    .join(".gitignore")
                    .exists()
                    || round > 0
            );
        }
    }

    #[test]
    fn a_file_edited_in_the_output_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &files(&[("a.html", "good")])).unwrap();
        std::fs::write(out.join("a.html"), "edited by hand").unwrap();
        write_site(&out, &files(&[("a.html", "good")])).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "good");
    }

    #[test]
    fn refuses_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(dir.path(), &files(&[("index.html", "x")])).unwrap_err();
        assert!(err.message.contains("not made by talkbook"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn an_empty_folder_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("empty");
        std::fs::create_dir(&out).unwrap();
        write_site(&out, &files(&[("index.html", "x")])).unwrap();
        assert!(out.join(MARKER).is_file());
    }
}
