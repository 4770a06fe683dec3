//! The search index saved beside the site's output, so that `talkbook
//! search` answers without indexing every note again: `build` saves it,
//! and `talkbook search` saves a new one when the site changed since.
//!
//! It lives in `.<output>.talkbook-search/` beside the output folder
//! (`.public.talkbook-search/` for `public/`): a `.gitignore` that keeps the
//! folder out of git, which also marks the folder as talkbook's (a folder
//! there without it is the user's, and is never written to), and `index`:
//!
//! - [`MAGIC`], then little-endian `u32` lengths before each part;
//! - the [`Stamp`] of the inputs it was made from (read first: a stale
//!   index is never searched);
//! - the number of notes N, N + 1 `u64` offsets into the notes' data (at
//!   the end);
//! - the tantivy index's files: their number, then each one's name and
//!   bytes (`u64` length);
//! - the notes' data: per note the JSON `[title, url, [speakers], event or
//!   null, text]` that results show (the text for the excerpt), then the
//!   `u64` offset in the file where it starts. Only what comes before it is
//!   read when the index is opened; then the data of the results shown.
//!
//! The file is written under a temporary name and renamed into place, so a
//! reader sees a whole index or the one before.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tantivy::Index;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

use super::analyzer::{TOKENIZER, TalkbookTokenizer};
use super::excerpt::{Matcher, excerpt};
use super::query;
use super::searcher::Searcher;
use super::stamp::Stamp;
use super::{Answer, SearchIndex, SearchResult};
use crate::diagnostics::Diagnostic;

/// The first bytes of an index file; the number is the format's version.
pub const MAGIC: &[u8] = b"talkbook search index 3\n";
/// The saved index's file in its folder.
const INDEX_FILE: &str = "index";
/// The folder's `.gitignore`, whose content marks the folder as talkbook's.
const GITIGNORE: &str = ".gitignore";
const GITIGNORE_TEXT: &str = "# talkbook's saved search index, for `talkbook search`\n*\n";

/// The folder of the saved index of the site whose output is `output`.
pub fn folder(output: &Path) -> Option<PathBuf> {
    let name = output.file_name()?.to_str()?;
    Some(output.with_file_name(format!(".{name}.talkbook-search")))
}

/// An index read back from its file.
pub struct Saved {
    searcher: Searcher,
    /// Where each note's display data starts, from `shown_at`.
    offsets: Vec<u64>,
    /// The index file, open: the notes' data is read from it as needed.
    file: Mutex<File>,
    /// Where the notes' data starts in the file.
    shown_at: u64,
}

impl Saved {
    /// The saved index beside `output` if it was made from the site at
    /// `root` as it is now; `None` if there is none, or it is stale, or it
    /// cannot be read.
    pub fn open_current(output: &Path, root: &Path, drafts: bool) -> Option<Saved> {
        let mut file = File::open(folder(output)?.join(INDEX_FILE)).ok()?;
        let length = file.metadata().ok()?.len();
        let mut tail = [0u8; 8];
        file.seek(SeekFrom::Start(length.checked_sub(8)?)).ok()?;
        file.read_exact(&mut tail).ok()?;
        let shown_at = u64::from_le_bytes(tail).min(length - 8);
        let mut head = vec![0u8; usize::try_from(shown_at).ok()?];
        file.seek(SeekFrom::Start(0)).ok()?;
        file.read_exact(&mut head).ok()?;
        let whole = OwnedBytes::new(head);
        let bytes = whole.as_slice();
        let mut parts = Parts::new(bytes.strip_prefix(MAGIC)?);
        let stamp = Stamp::from_bytes(parts.part()?)?;
        if !stamp.is_current(root, drafts) {
            return None;
        }
        let notes = parts.number()? as usize;
        let offsets = (0..=notes)
            .map(|_| parts.u64())
            .collect::<Option<Vec<_>>>()?;
        let mut files = BTreeMap::new();
        for _ in 0..parts.number()? {
            let name = std::str::from_utf8(parts.part()?).ok()?;
            let length = parts.u64()? as usize;
            let start = bytes.len() - parts.rest.len();
            parts.take(length)?;
            files.insert(PathBuf::from(name), whole.slice(start..start + length));
        }
        let index = Index::open(FileBytes(Arc::new(files))).ok()?;
        index.tokenizers().register(TOKENIZER, TalkbookTokenizer);
        Some(Saved {
            searcher: Searcher::new(index).ok()?,
            offsets,
            file: Mutex::new(file),
            shown_at,
        })
    }

    /// Results `offset..offset + limit` of `query`, as
    /// [`SearchIndex::answer`] gives them.
    pub fn answer(&self, query: &str, offset: usize, limit: usize) -> Result<Answer, Diagnostic> {
        let matcher = Matcher::new(&query::parse(query));
        (self.searcher).answer(query, offset, limit, |hit| {
            self.result(hit.id, hit.score, &matcher)
        })
    }

    fn result(&self, id: usize, score: f32, matcher: &Matcher) -> Result<SearchResult, Diagnostic> {
        let broken = || Diagnostic::internal(format!("the saved search index has no note {id}"));
        let (start, end) = (self.offsets.get(id), self.offsets.get(id + 1));
        let (Some(&start), Some(&end)) = (start, end) else {
            return Err(broken());
        };
        let mut bytes =
            vec![0u8; usize::try_from(end.saturating_sub(start)).map_err(|_| broken())?];
        let mut file = self.file.lock().map_err(|_| broken())?;
        file.seek(SeekFrom::Start(self.shown_at + start))
            .and_then(|_| file.read_exact(&mut bytes))
            .map_err(|_| broken())?;
        type Shown = (String, String, Vec<String>, Option<String>, String);
        let (title, url, speakers, event, text): Shown =
            serde_json::from_slice(&bytes).map_err(|_| broken())?;
        Ok(SearchResult {
            title,
            url: format!("/{url}"),
            score,
            speakers,
            event,
            excerpt: excerpt(&text, matcher),
        })
    }
}

/// Saves `index`, made from the inputs `stamp` describes, beside `output`;
/// an error says why it could not (the site is fine: searches index again).
pub fn save(output: &Path, stamp: &Stamp, index: &SearchIndex) -> Result<(), String> {
    let folder = folder(output).ok_or("the output folder has no name")?;
    claim(&folder)?;
    let temporary = folder.join(format!("{INDEX_FILE}.{}.tmp", std::process::id()));
    let written = File::create_new(&temporary)
        .map_err(|err| err.to_string())
        .and_then(|file| write_index(file, stamp, index))
        .and_then(|()| {
            std::fs::rename(&temporary, folder.join(INDEX_FILE)).map_err(|err| err.to_string())
        });
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!("cannot write into {}: {err}", folder.display()));
    }
    Ok(())
}

/// Makes `folder` if it is missing; an error if it is not talkbook's.
fn claim(folder: &Path) -> Result<(), String> {
    let gitignore = folder.join(GITIGNORE);
    match std::fs::create_dir(folder) {
        Ok(()) => std::fs::write(&gitignore, GITIGNORE_TEXT)
            .map_err(|err| format!("cannot write {}: {err}", gitignore.display())),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            match std::fs::read_to_string(&gitignore) {
                Ok(text) if text == GITIGNORE_TEXT => Ok(()),
                _ => Err(format!(
                    "{} is not talkbook's (it lacks talkbook's {GITIGNORE}): left alone",
                    folder.display()
                )),
            }
        }
        Err(err) => Err(format!("cannot make {}: {err}", folder.display())),
    }
}

/// Writes the index file (see the module documentation) into `file` as it
/// goes, copying none of the index's files: the notes' offsets are written
/// last, in the room left for them.
fn write_index(file: File, stamp: &Stamp, index: &SearchIndex) -> Result<(), String> {
    let io = |err: std::io::Error| err.to_string();
    let mut out = std::io::BufWriter::new(file);
    out.write_all(MAGIC).map_err(io)?;
    put_part(&mut out, &stamp.to_bytes()).map_err(io)?;
    put_number(&mut out, index.len()).map_err(io)?;
    let offsets_at = out.stream_position().map_err(io)?;
    let mut offsets = vec![0u64; index.len() + 1];
    for offset in &offsets {
        out.write_all(&offset.to_le_bytes()).map_err(io)?;
    }
    let directory = index.files();
    let managed = directory
        .atomic_read(Path::new(".managed.json"))
        .map_err(|err| err.to_string())?;
    let mut names: BTreeSet<PathBuf> =
        serde_json::from_slice(&managed).map_err(|err| err.to_string())?;
    names.insert(PathBuf::from("meta.json"));
    let names: Vec<PathBuf> = names
        .into_iter()
        .filter(|name| directory.exists(name).unwrap_or(false))
        .collect();
    put_number(&mut out, names.len()).map_err(io)?;
    for name in names {
        // The biggest is some 100 MB at 100,000 notes, and this runs while
        // the site is rendered.
        let bytes = directory
            .open_read(&name)
            .map_err(|err| err.to_string())?
            .read_bytes()
            .map_err(io)?;
        put_part(&mut out, name.to_string_lossy().as_bytes()).map_err(io)?;
        out.write_all(&(bytes.len() as u64).to_le_bytes())
            .map_err(io)?;
        out.write_all(&bytes).map_err(io)?;
    }
    let shown_at = out.stream_position().map_err(io)?;
    let mut written = 0u64;
    for (doc, offset) in index.docs().iter().zip(&mut offsets[1..]) {
        let value: Value = json!([doc.title, doc.url, doc.speakers, doc.event, &*doc.text]);
        let bytes = serde_json::to_vec(&value).map_err(|err| err.to_string())?;
        out.write_all(&bytes).map_err(io)?;
        written += bytes.len() as u64;
        *offset = written;
    }
    out.write_all(&shown_at.to_le_bytes()).map_err(io)?;
    out.seek(SeekFrom::Start(offsets_at)).map_err(io)?;
    for offset in &offsets {
        out.write_all(&offset.to_le_bytes()).map_err(io)?;
    }
    let file = out.into_inner().map_err(|err| err.to_string())?;
    file.sync_data().map_err(io)
}

fn put_number(out: &mut impl Write, number: usize) -> std::io::Result<()> {
    out.write_all(&(number as u32).to_le_bytes())
}

fn put_part(out: &mut impl Write, part: &[u8]) -> std::io::Result<()> {
    put_number(out, part.len())?;
    out.write_all(part)
}

/// The tantivy files of a saved index, each a slice of the index file read
/// into memory once (not copied); read-only.
#[derive(Debug, Clone)]
struct FileBytes(Arc<BTreeMap<PathBuf, OwnedBytes>>);

impl FileBytes {
    fn get(&self, path: &Path) -> Result<&OwnedBytes, OpenReadError> {
        (self.0.get(path)).ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

impl Directory for FileBytes {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        Ok(Arc::new(self.get(path)?.clone()))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::FileDoesNotExist(path.to_path_buf()))
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.0.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::FileAlreadyExists(path.to_path_buf()))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        Ok(self.get(path)?.as_slice().to_vec())
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other("a saved search index is read-only"))
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    /// Nothing writes: a lock guards nothing.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// Reads an index file's parts in order; `None` once it is cut short.
struct Parts<'a> {
    rest: &'a [u8],
}

impl<'a> Parts<'a> {
    fn new(bytes: &'a [u8]) -> Parts<'a> {
        Parts { rest: bytes }
    }

    fn take(&mut self, length: usize) -> Option<&'a [u8]> {
        if self.rest.len() < length {
            return None;
        }
        let (part, rest) = self.rest.split_at(length);
        self.rest = rest;
        Some(part)
    }

    fn number(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn part(&mut self) -> Option<&'a [u8]> {
        let length = self.number()? as usize;
        self.take(length)
    }
}

/// The index `talkbook search` searches: the saved one, or one just made.
pub enum Opened {
    /// The saved index, current.
    Saved(Saved),
    /// No current index was saved: one made from the site, and whether it
    /// could be saved (if not, why).
    Made(SearchIndex, Result<(), String>),
}

impl Opened {
    /// The index of the site at `root`: the saved one if it is current,
    /// otherwise a new one, which is saved for the next search. Reports the
    /// site's problems if it has errors.
    pub fn of(root: &Path, drafts: bool) -> Result<Opened, crate::diagnostics::Diagnostics> {
        let output = crate::config::Config::load(root)
            .ok()
            .map(|config| root.join(config.build.output));
        if let Some(saved) = output
            .as_deref()
            .and_then(|output| Saved::open_current(output, root, drafts))
        {
            return Ok(Opened::Saved(saved));
        }
        let stamp = Stamp::take(root, drafts);
        let site = crate::site::Site::load(root, drafts)?;
        let index = SearchIndex::build(&site)?;
        let saved = match (output, stamp) {
            (Some(output), Some(stamp)) => save(&output, &stamp, &index),
            _ => Err("book.toml could not be read".to_string()),
        };
        Ok(Opened::Made(index, saved))
    }

    /// Results `offset..offset + limit` of `query`.
    pub fn answer(&self, query: &str, offset: usize, limit: usize) -> Result<Answer, Diagnostic> {
        match self {
            Opened::Saved(saved) => saved.answer(query, offset, limit),
            Opened::Made(index, _) => index.answer(query, offset, limit),
        }
    }
}
