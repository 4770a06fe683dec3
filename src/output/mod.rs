//! Writing the site to disk without ever losing a file: not the previous
//! output, and not a file talkbook did not write.
//!
//! The new site is written into a folder beside the output folder file by
//! file, as it is rendered ([`Writer`]: no build holds the whole site in
//! memory), then swapped in with one atomic rename; until then the old
//! output is untouched, so a failed or interrupted build leaves it whole. talkbook only ever
//! replaces, moves or deletes a folder that is empty or that it wrote
//! itself, holding only files it wrote there and unchanged since
//! ([`ownership`], by the marker file of [`marker`]): anything else is
//! refused, never touched. Builds of one output run one at a time
//! ([`lock`]), and the output is never among the files talkbook reads
//! ([`placement`]).
//!
//! Creating and deleting tens of thousands of files and folders is most of a
//! large build's time (on ext4, folders most of all). So the folder swapped
//! out is kept beside the output as the *spare* (`.public.talkbook-spare`),
//! and the next build brings it up to date in place ([`sync`]): it rewrites
//! only files whose content changed and hard-links files it lacks from the
//! live output. Whether a file holds the right content is decided by reading
//! it, never by its size or time.

mod lock;
mod marker;
mod ownership;
mod placement;
mod sync;

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
pub use lock::{Lock, lock};
pub use marker::MARKER;
use marker::{Marker, replace_file};
use ownership::{Contents, Foreign, Inodes, Survey, survey};
pub use placement::check_placement;
use sync::Sync;

/// Keeps the spare tree out of the user's git status.
const SPARE_GITIGNORE: &str = ".gitignore";
const SPARE_GITIGNORE_TEXT: &str = "# talkbook's spare copy of the output, for fast rebuilds\n*\n";

/// A new site being written beside the output folder, file by file, and
/// swapped in by [`Writer::finish`]. Dropped unfinished, it leaves the
/// output as it was, and removes its tree if it made it (a spare that was
/// there is kept, for the next build to reuse). The caller holds the
/// output's [`lock`].
pub struct Writer {
    /// The output folder, as it is.
    live: Contents,
    /// The tree the new site is written into.
    next: Sync,
    /// Whether that tree is the spare.
    spare: bool,
    /// Whether this build made that tree.
    made: bool,
    /// What it could not reuse.
    warnings: Vec<Diagnostic>,
    /// Whether the new site was swapped in.
    finished: bool,
}

/// What [`Writer::finish`] wrote.
#[derive(Debug)]
pub struct Written {
    /// How many files the site has.
    pub files: usize,
    /// What it could not reuse.
    pub warnings: Vec<Diagnostic>,
}

impl Writer {
    /// Starts writing a new site for `output`: reads the output folder and
    /// its spare, refusing an output talkbook may not replace.
    pub fn open(output: &Path) -> Result<Writer, Diagnostic> {
        let live = match survey(output).map_err(|err| failed(output, "read", err))? {
            Survey::Missing | Survey::Empty => Contents::empty(output),
            Survey::Listed(listed) => listed
                .verify(&Inodes::new())
                .map_err(|err| failed(output, "read", err))?
                .map_err(|foreign| refuse(output, &foreign))?,
            Survey::Foreign(foreign) => return Err(refuse(output, &foreign)),
        };
        let (next, spare, made, warnings) = next_tree(output, &live)
            .map_err(|err| failed(output, "create a folder beside", err))?;
        Ok(Writer {
            live,
            next: Sync::start(next),
            spare,
            made,
            warnings,
            finished: false,
        })
    }

    /// Announces files of the new site (relative paths): each file is
    /// announced before it is [put](Writer::put).
    pub fn announce(&self, paths: impl IntoIterator<Item = String>) -> Result<(), Diagnostic> {
        self.next
            .announce(paths)
            .map_err(|err| failed(&self.live.dir, "write", err))
    }

    /// Writes one file of the new site, announced before.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.next
            .place(&self.live, path, bytes)
            .map_err(|err| failed(&self.live.dir, "write", err))
    }

    /// Swaps the new site in: the files put are the output's whole content.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        let output = &self.live.dir;
        let files = self
            .next
            .finish()
            .map_err(|err| failed(output, "write", err))?;
        self.finished = true;
        swap_in(self.next.dir(), &self.live, self.spare)
            .map_err(|err| failed(output, "replace", err))?;
        Ok(Written {
            files,
            warnings: std::mem::take(&mut self.warnings),
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.finished && self.made {
            let _ = remove_tree(self.next.dir());
        }
    }
}

/// Refuses an output folder talkbook may not replace, judged by names
/// (cheap, for before the site is rendered; [`write_site`] reads the files).
pub fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    match survey(output) {
        Ok(Survey::Foreign(foreign)) => Err(refuse(output, &foreign)),
        Ok(_) => Ok(()),
        Err(err) => Err(failed(output, "read", err)),
    }
}

fn refuse(output: &Path, why: &Foreign) -> Diagnostic {
    let hint = match why {
        Foreign::NotAFolder | Foreign::NoMarker => {
            "choose another folder with --output or [build] output, or empty that folder yourself"
        }
        _ => {
            "talkbook replaces only a folder it made, holding only files it wrote, as it \
             wrote them: move your files out of it or undo your changes (or delete the folder \
             yourself if you need nothing in it), or choose another folder with --output or \
             [build] output"
        }
    };
    Diagnostic::site_wide(format!(
        "refusing to write the site into {}: {why}",
        output.display()
    ))
    .with_hint(hint)
}

fn failed(output: &Path, what: &str, err: io::Error) -> Diagnostic {
    Diagnostic::site_wide(format!(
        "cannot {what} the output folder {}: {err}",
        output.display()
    ))
    .with_hint("check the disk space and permissions; the previous output was left as it was")
}

/// `.NAME.talkbook-WHAT` beside the output folder NAME.
fn beside(output: &Path, what: &str) -> PathBuf {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = output
        .file_name()
        .map_or("output".into(), |n| n.to_string_lossy());
    parent.join(format!(".{name}.talkbook-{what}"))
}

/// The tree the next site is prepared in: the spare beside `output` if it
/// is missing or talkbook's, else (with a warning) a new uniquely named
/// folder; whether it is the spare, and whether it was made now. Files
/// linked from `live` are not read again.
fn next_tree(
    output: &Path,
    live: &Contents,
) -> io::Result<(Contents, bool, bool, Vec<Diagnostic>)> {
    let spare = beside(output, "spare");
    let foreign = match survey(&spare)? {
        Survey::Missing => {
            std::fs::create_dir_all(&spare)?;
            return Ok((Contents::empty(&spare), true, true, Vec::new()));
        }
        Survey::Empty => return Ok((Contents::empty(&spare), true, false, Vec::new())),
        Survey::Listed(listed) => match listed.verify(&live.inodes)? {
            Ok(contents) => return Ok((contents, true, false, Vec::new())),
            Err(foreign) => foreign,
        },
        Survey::Foreign(foreign) => foreign,
    };
    let fresh = beside(output, &format!("{}-{}", std::process::id(), nanos()));
    std::fs::create_dir(&fresh)?;
    let warning = Diagnostic::site_wide(format!(
        "leaving {} alone: {foreign}; this build wrote its output without it, more slowly",
        spare.display()
    ))
    .with_hint("delete that folder yourself if nothing in it is yours: talkbook keeps its spare copy of the output there, for fast rebuilds")
    .as_warning();
    Ok((Contents::empty(&fresh), false, true, vec![warning]))
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Puts `next` at the output folder `live.dir`, atomically where the system
/// allows. The tree swapped out becomes the spare, or is removed if `next`
/// was not the spare.
fn swap_in(next: &Path, live: &Contents, spare: bool) -> io::Result<()> {
    let output = &live.dir;
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
    if spare {
        keep_as_spare(next, live)
    } else {
        remove_tree(next)
    }
}

/// Makes the tree swapped out (`live`'s contents, now at `dir`) the spare:
/// git-ignored, and its marker naming every file in it (written first, so
/// that a build killed in between leaves no file the marker does not name).
fn keep_as_spare(dir: &Path, live: &Contents) -> io::Result<()> {
    let ignore = SPARE_GITIGNORE_TEXT.as_bytes();
    let mut files: std::collections::BTreeMap<_, _> = live
        .files
        .iter()
        .map(|(path, hash)| (path.clone(), Some(*hash)))
        .collect();
    files.insert(SPARE_GITIGNORE.to_string(), Some(blake3::hash(ignore)));
    Marker::new(dir, files)?.write(dir)?;
    replace_file(&dir.join(SPARE_GITIGNORE), ignore)
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
    use std::collections::BTreeMap;

    use super::*;

    /// Writes `files` as the new site of `output`, the way a build does.
    fn write_site(
        output: &Path,
        files: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Vec<Diagnostic>, Diagnostic> {
        let writer = Writer::open(output)?;
        writer.announce(files.keys().cloned())?;
        for (path, bytes) in files {
            writer.put(path, bytes)?;
        }
        Ok(writer.finish()?.warnings)
    }

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
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
    fn folders_the_site_no_longer_has_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.talkbook-spare");
        let folders = |tree: &Path| -> Vec<String> {
            let mut found: Vec<String> = walkdir::WalkDir::new(tree)
                .min_depth(1)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_dir())
                .map(|e| e.path().strip_prefix(tree).unwrap().display().to_string())
                .collect();
            found.sort();
            found
        };
        let site = files(&[("gone/deep/x.html", "1"), ("kept/y.html", "1")]);
        write_site(&out, &site).unwrap();
        write_site(&out, &site).unwrap();
        // One build announces a file it never puts; one stops half way
        // after announcing: each made a folder that holds nothing.
        let writer = Writer::open(&out).unwrap();
        let announced = ["kept/y.html", "never/put.html"].map(String::from);
        writer.announce(announced).unwrap();
        writer.put("kept/y.html", b"2").unwrap();
        writer.finish().unwrap();
        let writer = Writer::open(&out).unwrap();
        writer.announce(["stopped/a.html".to_string()]).unwrap();
        drop(writer);
        for round in ["3", "4", "5"] {
            write_site(&out, &files(&[("kept/y.html", round)])).unwrap();
            assert_eq!(folders(&out), ["kept"], "round {round}");
            assert_eq!(folders(&spare), ["kept"], "round {round}");
        }
    }

    #[test]
    fn a_file_edited_in_the_output_is_kept_and_the_build_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &files(&[("a.html", "good")])).unwrap();
        std::fs::write(out.join("a.html"), "edited by hand").unwrap();
        let err = write_site(&out, &files(&[("a.html", "good")])).unwrap_err();
        assert!(
            err.message
                .contains("`a.html` changed since talkbook wrote it"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a.html")).unwrap(),
            "edited by hand"
        );
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

    #[test]
    fn a_file_is_listed_in_the_marker_before_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let writer = Writer::open(&out).unwrap();
        let err = writer.put("unlisted.html", b"x").unwrap_err();
        assert!(err.message.contains("without being listed"), "{err}");
        writer.announce(["a/index.html".to_string()]).unwrap();
        let spare = dir.path().join(".public.talkbook-spare");
        let marker = std::fs::read_to_string(spare.join(MARKER)).unwrap();
        assert!(marker.contains("- \"a/index.html\""), "{marker}");
        assert!(!spare.join("a/index.html").exists());
        writer.put("a/index.html", b"x").unwrap();
        assert_eq!(writer.finish().unwrap().files, 1);
        assert!(!out.join("unlisted.html").exists());
    }

    #[test]
    fn a_build_that_stops_half_way_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.talkbook-spare");
        let stop_half_way = || {
            let writer = Writer::open(&out).unwrap();
            writer
                .announce(["a.html".to_string(), "b.html".to_string()])
                .unwrap();
            writer.put("a.html", b"half").unwrap();
        };
        for round in ["one", "two"] {
            let site = files(&[("a.html", round), ("b.html", round)]);
            write_site(&out, &site).unwrap();
            let had_spare = spare.exists();
            stop_half_way();
            for name in ["a.html", "b.html"] {
                assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), round);
            }
            assert_eq!(
                spare.exists(),
                had_spare,
                "round {round}: the spare made or lost"
            );
        }
        write_site(&out, &files(&[("a.html", "three")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a.html")).unwrap(),
            "three"
        );
        assert!(!out.join("b.html").exists());
    }
}
