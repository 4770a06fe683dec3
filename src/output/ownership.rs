//! Whether a folder is talkbook's to replace, move or delete: a folder is
//! talkbook's only if its marker was written for it (not for a folder it is
//! a copy of) and every file and folder in it is one talkbook wrote there,
//! unchanged since. Anything else is the user's and is never touched.
//!
//! [`survey`] looks at names only (cheap: it refuses a foreign output before
//! the site is rendered); [`Listed::verify`] then reads every file, so that
//! a file changed since talkbook wrote it is found, and the content of each
//! is known for the next build to reuse. A file hard-linked into both the
//! output and its spare (most files, from one build to the next) is read once.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::marker::{Found, MARKER, Marker, is_marker};

/// How many paths a refusal names.
const NAMED: usize = 5;

/// How many threads read the files of an output: enough to keep a disk
/// busy (at 100,000 notes, out of memory, 8 were no faster than 4).
const READERS: usize = 4;

/// What a folder is, judged by names.
#[derive(Debug)]
pub enum Survey {
    /// Nothing there.
    Missing,
    /// An empty folder: nothing in it can be lost.
    Empty,
    /// Talkbook's by its names; [`Listed::verify`] checks the contents.
    Listed(Listed),
    /// Not talkbook's, and why.
    Foreign(Foreign),
}

/// A folder whose marker is its own and lists everything in it.
#[derive(Debug)]
pub struct Listed {
    dir: PathBuf,
    marker: Marker,
    files: Vec<String>,
    folders: Vec<String>,
}

/// Content hashes of files read, by device and inode number.
pub type Inodes = HashMap<(u64, u64), blake3::Hash>;

/// A folder talkbook wrote, as it is now.
#[derive(Debug)]
pub struct Contents {
    /// Where.
    pub dir: PathBuf,
    /// Every file in it (relative, `/`-separated) and its content hash.
    pub files: HashMap<String, blake3::Hash>,
    /// Every folder in it (relative, `/`-separated).
    pub folders: Vec<String>,
    /// The same hashes by file, for another tree holding links to these files.
    pub inodes: Inodes,
}

/// Why a folder is not talkbook's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreign {
    /// A file, or a link.
    NotAFolder,
    /// Not empty, and no marker.
    NoMarker,
    /// A marker of an older talkbook, or a damaged one.
    UnreadableMarker,
    /// A marker written for another folder: this one is a copy.
    Copied,
    /// Files or folders the marker does not list.
    Unlisted(Vec<String>),
    /// Files whose content is not what talkbook wrote.
    Changed(Vec<String>),
}

impl Contents {
    /// An empty tree at `dir`.
    pub fn empty(dir: &Path) -> Contents {
        Contents {
            dir: dir.to_path_buf(),
            files: HashMap::new(),
            folders: Vec::new(),
            inodes: Inodes::new(),
        }
    }

    /// Whether the file at `path` holds exactly the content hashed as `hash`.
    pub fn holds(&self, path: &str, hash: &blake3::Hash) -> bool {
        self.files.get(path) == Some(hash)
    }
}

/// Judges `dir` by the names in it and its marker.
pub fn survey(dir: &Path) -> io::Result<Survey> {
    match std::fs::symlink_metadata(dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Survey::Missing),
        Err(err) => return Err(err),
        Ok(meta) if !meta.is_dir() => return Ok(Survey::Foreign(Foreign::NotAFolder)),
        Ok(_) => {}
    }
    let found = Walked::of(dir)?;
    if found.is_empty() {
        return Ok(Survey::Empty);
    }
    let marker = match Marker::read(dir)? {
        Found::None => return Ok(Survey::Foreign(Foreign::NoMarker)),
        Found::Unreadable => return Ok(Survey::Foreign(Foreign::UnreadableMarker)),
        Found::Marker(marker) if !marker.belongs_to(dir) => {
            return Ok(Survey::Foreign(Foreign::Copied));
        }
        Found::Marker(marker) => marker,
    };
    let unlisted = found.unlisted(&marker);
    if !unlisted.is_empty() {
        return Ok(Survey::Foreign(Foreign::Unlisted(unlisted)));
    }
    Ok(Survey::Listed(Listed {
        dir: dir.to_path_buf(),
        marker,
        files: found.files,
        folders: found.folders,
    }))
}

impl Listed {
    /// Reads every file (but those whose hash `known` has): the folder's
    /// contents if each holds what the marker says talkbook wrote (any
    /// content, for a file being written).
    pub fn verify(self, known: &Inodes) -> io::Result<Result<Contents, Foreign>> {
        // Reading waits on the disk when the files are not in memory: on
        // threads of its own, so that the notes are read and rendered
        // meanwhile on the shared ones.
        let readers = rayon::ThreadPoolBuilder::new()
            .num_threads(READERS)
            .thread_name(|i| format!("talkbook-survey-{i}"))
            .build()
            .map_err(io::Error::other)?;
        let read: Vec<(String, (u64, u64), blake3::Hash)> = readers.install(|| {
            self.files
                .into_par_iter()
                .map(|path| {
                    let (inode, hash) = hash_file(&self.dir.join(&path), known)?;
                    Ok((path, inode, hash))
                })
                .collect::<io::Result<_>>()
        })?;
        let mut changed: Vec<String> = read
            .iter()
            .filter(
                |(path, _, hash)| matches!(self.marker.files.get(path), Some(Some(h)) if h != hash),
            )
            .map(|(path, _, _)| path.clone())
            .collect();
        if !changed.is_empty() {
            changed.sort();
            return Ok(Err(Foreign::Changed(changed)));
        }
        let inodes = read
            .iter()
            .map(|(_, inode, hash)| (*inode, *hash))
            .collect();
        let files = read
            .into_iter()
            .map(|(path, _, hash)| (path, hash))
            .collect();
        Ok(Ok(Contents {
            dir: self.dir,
            files,
            folders: self.folders,
            inodes,
        }))
    }
}

/// The inode and content hash of the file at `path`, read unless `known`.
fn hash_file(path: &Path, known: &Inodes) -> io::Result<((u64, u64), blake3::Hash)> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    let inode = (meta.dev(), meta.ino());
    if let Some(hash) = known.get(&inode) {
        return Ok((inode, *hash));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok((inode, blake3::hash(&bytes)))
}

/// Everything in a folder, by kind (relative, `/`-separated paths).
struct Walked {
    files: Vec<String>,
    folders: Vec<String>,
    /// Links, sockets...: talkbook writes none.
    others: Vec<String>,
}

impl Walked {
    fn of(dir: &Path) -> io::Result<Walked> {
        let mut walked = Walked {
            files: Vec::new(),
            folders: Vec::new(),
            others: Vec::new(),
        };
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.map_err(io::Error::other)?;
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().into_owned();
            let kind = entry.file_type();
            if kind.is_dir() {
                walked.folders.push(rel);
            } else if kind.is_file() && !is_marker(&rel) {
                walked.files.push(rel);
            } else if !kind.is_file() {
                walked.others.push(rel);
            }
        }
        Ok(walked)
    }

    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.folders.is_empty() && self.others.is_empty()
    }

    /// What `marker` does not account for: unlisted files, folders holding
    /// no listed file, and anything that is neither file nor folder.
    fn unlisted(&self, marker: &Marker) -> Vec<String> {
        let listed_folders: HashSet<&Path> = marker
            .files
            .keys()
            .flat_map(|f| Path::new(f).ancestors().skip(1))
            .collect();
        let mut unlisted: Vec<String> = self
            .files
            .iter()
            .filter(|f| !marker.lists(f))
            .chain(
                self.folders
                    .iter()
                    .filter(|d| !listed_folders.contains(Path::new(d))),
            )
            .chain(&self.others)
            .cloned()
            .collect();
        unlisted.sort();
        unlisted
    }
}

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Foreign::NotAFolder => write!(f, "it is not a folder"),
            Foreign::NoMarker => write!(f, "it is not empty and was not made by talkbook"),
            Foreign::UnreadableMarker => write!(
                f,
                "its {MARKER} marker is from an older talkbook or damaged, \
                 so talkbook cannot tell which files in it are its own"
            ),
            Foreign::Copied => write!(
                f,
                "its {MARKER} marker was written for another folder: it is a copy \
                 of a talkbook output, not one talkbook made"
            ),
            Foreign::Unlisted(paths) => {
                write!(f, "talkbook did not write {}", named(paths))
            }
            Foreign::Changed(paths) => write!(
                f,
                "{} changed since talkbook wrote {}",
                named(paths),
                if paths.len() == 1 { "it" } else { "them" }
            ),
        }
    }
}

/// The first few of `paths`, and how many more.
fn named(paths: &[String]) -> String {
    let mut text = paths
        .iter()
        .take(NAMED)
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > NAMED {
        text.push_str(&format!(" and {} more", paths.len() - NAMED));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::marker::tmp_path;

    fn tree_with(dir: &Path, files: &[(&str, &str)]) {
        let mut listed = std::collections::BTreeMap::new();
        for (path, text) in files {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, text).unwrap();
            listed.insert(path.to_string(), Some(blake3::hash(text.as_bytes())));
        }
        Marker::new(dir, listed).unwrap().write(dir).unwrap();
    }

    fn verdict(dir: &Path) -> Result<Contents, Foreign> {
        match survey(dir).unwrap() {
            Survey::Listed(listed) => listed.verify(&Inodes::new()).unwrap(),
            Survey::Foreign(why) => Err(why),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_tree_talkbook_wrote_is_its_own() {
        let dir = tempfile::tempdir().unwrap();
        tree_with(dir.path(), &[("a/b/index.html", "x"), ("s.css", "y")]);
        let contents = verdict(dir.path()).unwrap();
        assert!(contents.holds("a/b/index.html", &blake3::hash(b"x")));
        assert_eq!(contents.files.len(), 2);
    }

    #[test]
    fn an_added_file_or_folder_makes_it_foreign() {
        let dir = tempfile::tempdir().unwrap();
        tree_with(dir.path(), &[("a/index.html", "x")]);
        std::fs::create_dir(dir.path().join("uploads")).unwrap();
        std::fs::write(dir.path().join("a/mine.txt"), "mine").unwrap();
        assert_eq!(
            verdict(dir.path()).unwrap_err(),
            Foreign::Unlisted(vec!["a/mine.txt".into(), "uploads".into()])
        );
    }

    #[test]
    fn a_changed_file_makes_it_foreign_even_with_the_same_size() {
        let dir = tempfile::tempdir().unwrap();
        tree_with(dir.path(), &[("a.html", "one")]);
        std::fs::write(dir.path().join("a.html"), "two").unwrap();
        assert_eq!(
            verdict(dir.path()).unwrap_err(),
            Foreign::Changed(vec!["a.html".into()])
        );
    }

    #[test]
    fn a_copy_is_foreign() {
        let dir = tempfile::tempdir().unwrap();
        let (out, copy) = (dir.path().join("out"), dir.path().join("copy"));
        std::fs::create_dir(&out).unwrap();
        tree_with(&out, &[("a.html", "one")]);
        std::fs::create_dir(&copy).unwrap();
        for name in [MARKER, "a.html"] {
            std::fs::copy(out.join(name), copy.join(name)).unwrap();
        }
        assert_eq!(verdict(&copy).unwrap_err(), Foreign::Copied);
    }

    #[test]
    fn files_being_written_are_its_own_whatever_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let listed = [("a.html".to_string(), None)].into_iter().collect();
        Marker::new(dir.path(), listed)
            .unwrap()
            .write(dir.path())
            .unwrap();
        std::fs::write(dir.path().join("a.html"), "half").unwrap();
        std::fs::write(tmp_path(&dir.path().join("a.html")), "ha").unwrap();
        assert_eq!(verdict(dir.path()).unwrap().files.len(), 2);
    }

    #[test]
    fn a_refusal_names_a_few_paths() {
        let paths: Vec<String> = (0..8).map(|i| format!("f{i}")).collect();
        assert_eq!(
            Foreign::Unlisted(paths).to_string(),
            "talkbook did not write `f0`, `f1`, `f2`, `f3`, `f4` and 3 more"
        );
    }
}
