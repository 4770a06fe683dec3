//! Watching the site's files: its notes and profile folders (`content/`
//! unless `[content]` says otherwise), `templates/`, `static/` and
//! `book.toml`, with a short debounce, turned into batches of [`Changes`].
//!
//! notify-debouncer-full merges the events of one path (an editor's write,
//! rename and chmod of a save) and pairs renames, once the path has been
//! quiet for [`DEBOUNCE`]. That timeout runs per path, so a burst (a `git
//! checkout` of a thousand notes) still comes in many batches:
//! [`Watcher::next_changes`] merges batches until none came for [`SETTLE`],
//! so that a burst gives one rebuild. A change is thus picked up once the
//! site's files have been quiet for about 40-50 ms.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::static_files::SITE_STATIC_DIR;
use crate::templates::TEMPLATES_DIR;

/// How long a path must be quiet before the debouncer reports it.
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(5);
/// A burst is over when no batch came for this long: the pause between two
/// writes of a burst may be this long on a busy machine.
pub const SETTLE: Duration = Duration::from_millis(40);
/// Changes that never stop (a log file in `static/`) still rebuild this often.
const MAX_SETTLE: Duration = Duration::from_secs(2);

/// What changed in a site, by the part of it that changed. Paths are
/// relative to the site's root.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files or folders in the notes and profile folders that were created,
    /// modified, removed or renamed (either name of a rename).
    pub content: BTreeSet<PathBuf>,
    /// Something under `templates/`.
    pub templates: bool,
    /// Something under `static/`.
    pub statics: bool,
    /// `book.toml`.
    pub config: bool,
    /// The watcher lost events: everything must be read again.
    pub rescan: bool,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Records a change of `path` (relative to the root); `folders` are
    /// the notes and profile folders. Paths outside the watched parts of
    /// the site, hidden files and editors' swap files are ignored.
    pub fn add(&mut self, rel: &Path, folders: &[PathBuf]) {
        let Some(Component::Normal(first)) = rel.components().next() else {
            return;
        };
        let hidden = rel
            .components()
            .any(|c| content::is_ignored(c.as_os_str().to_str().unwrap_or(".")));
        if first == TEMPLATES_DIR {
            self.templates |= !hidden;
        } else if first == SITE_STATIC_DIR {
            // Every file in static/ is copied, hidden ones included.
            self.statics = true;
        } else if rel == Path::new(CONFIG_FILE) {
            self.config = true;
        } else if !hidden
            && folders
                .iter()
                .any(|f| rel.starts_with(f) || f.starts_with(rel))
        {
            self.content.insert(rel.to_path_buf());
        }
    }

    /// Adds the changes of `other`.
    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.templates |= other.templates;
        self.statics |= other.statics;
        self.config |= other.config;
        self.rescan |= other.rescan;
    }
}

/// What waiting for changes gave ([`Watcher::next_changes_within`]).
pub enum Next {
    /// A batch of changes.
    Changes(Changes),
    /// None came in the time given.
    Quiet,
    /// The watcher stopped.
    Stopped,
}

/// What the debouncer's thread sends to [`Watcher::next_changes`].
enum Batch {
    Changes(Changes),
    Stop,
}

/// Watches a site; [`Watcher::next_changes`] gives its changes.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    batches: Receiver<Batch>,
    /// The folders watched recursively.
    watched: BTreeSet<PathBuf>,
    /// The notes and profile folders, relative to the root.
    folders: Arc<Mutex<Vec<PathBuf>>>,
}

/// Makes [`Watcher::next_changes`] return `None`.
#[derive(Clone)]
pub struct Stopper(Sender<Batch>);

impl Stopper {
    /// Stops the watcher (after the rebuild under way, if any).
    pub fn stop(&self) {
        let _ = self.0.send(Batch::Stop);
    }
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute, canonical path),
    /// whose notes and profiles are in `folders` (relative to the root).
    pub fn start(root: &Path, folders: Vec<PathBuf>) -> Result<(Watcher, Stopper), Diagnostic> {
        let (sender, batches) = channel();
        let stopper = Stopper(sender.clone());
        let base = root.to_path_buf();
        let folders = Arc::new(Mutex::new(folders));
        let seen = folders.clone();
        let handler = move |result: DebounceEventResult| {
            let folders = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
            let changes = changes_of(&base, &folders, result);
            if !changes.is_empty() {
                let _ = sender.send(Batch::Changes(changes));
            }
        };
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler).map_err(cannot_watch)?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            batches,
            watched: BTreeSet::new(),
            folders,
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(cannot_watch)?;
        watcher.follow_folders(&Changes::default());
        Ok((watcher, stopper))
    }

    /// Waits for the next changes; the changes of a burst come as one.
    /// `None` once stopped.
    pub fn next_changes(&mut self) -> Option<Changes> {
        match self.next_changes_within(None) {
            Next::Changes(changes) => Some(changes),
            Next::Quiet | Next::Stopped => None,
        }
    }

    /// As [`Watcher::next_changes`], but waits at most `quiet` (if given)
    /// for changes to begin.
    pub fn next_changes_within(&mut self, quiet: Option<Duration>) -> Next {
        let first = match quiet {
            Some(quiet) => self.batches.recv_timeout(quiet),
            None => self
                .batches
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
        };
        let mut changes = match first {
            Ok(Batch::Changes(changes)) => changes,
            Err(RecvTimeoutError::Timeout) => return Next::Quiet,
            Ok(Batch::Stop) | Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
        };
        let deadline = Instant::now() + MAX_SETTLE;
        while Instant::now() < deadline {
            match self.batches.recv_timeout(SETTLE) {
                Ok(Batch::Changes(more)) => changes.merge(more),
                Ok(Batch::Stop) | Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        self.follow_folders(&changes);
        Next::Changes(changes)
    }

    /// Watches `folders` as the notes and profile folders from now on (after
    /// `book.toml` changed them).
    pub fn set_folders(&mut self, folders: Vec<PathBuf>) {
        let same = self.folders.lock().is_ok_and(|f| *f == folders);
        if !same {
            if let Ok(mut watched) = self.folders.lock() {
                *watched = folders;
            }
            self.follow_folders(&Changes {
                rescan: true,
                ..Changes::default()
            });
        }
    }

    /// Watches the notes and profile folders, `templates/` and `static/`
    /// when they exist, again when one of them was replaced, and a notes
    /// folder again when a link to a folder appeared in it (the watcher
    /// follows links only as it starts watching a folder).
    fn follow_folders(&mut self, changes: &Changes) {
        let linked_folder = changes.content.iter().any(|rel| {
            let path = self.root.join(rel);
            path.is_symlink() && path.is_dir()
        });
        let folders = self
            .folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let fixed = [TEMPLATES_DIR, SITE_STATIC_DIR].map(PathBuf::from);
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|dir| {
                !folders
                    .iter()
                    .chain(&fixed)
                    .any(|f| **dir == self.root.join(f))
            })
            .cloned()
            .collect();
        for dir in stale {
            let _ = self.debouncer.unwatch(&dir);
            self.watched.remove(&dir);
        }
        for name in folders.iter().chain(&fixed) {
            let dir = self.root.join(name);
            let notes = folders.contains(name);
            let replaced =
                changes.content.contains(name) || changes.rescan || (notes && linked_folder);
            let watched = self.watched.contains(&dir);
            if watched && (replaced || !dir.is_dir()) {
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(&dir);
            }
            if dir.is_dir() && !self.watched.contains(&dir) {
                match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(err) => eprintln!("{}", cannot_watch(err)),
                }
            }
        }
    }
}

/// The changes in a batch of events from the debouncer.
fn changes_of(root: &Path, folders: &[PathBuf], result: DebounceEventResult) -> Changes {
    let mut changes = Changes::default();
    match result {
        Ok(events) => {
            for event in events {
                changes.rescan |= event.need_rescan();
                let reading = matches!(event.kind, EventKind::Access(kind)
                    if kind != AccessKind::Close(AccessMode::Write));
                if reading {
                    continue;
                }
                for path in &event.paths {
                    if let Ok(rel) = path.strip_prefix(root) {
                        changes.add(rel, folders);
                    }
                }
            }
        }
        Err(errors) => {
            for err in errors {
                eprintln!("{}", cannot_watch(err));
            }
            changes.rescan = true;
        }
    }
    changes
}

fn cannot_watch(err: notify_debouncer_full::notify::Error) -> Diagnostic {
    Diagnostic::site_wide(format!("cannot watch the site's files: {err}")).with_hint(
        "on Linux, raise the inotify limits (sysctl fs.inotify.max_user_watches); \
         edits are picked up again once watching works",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(paths: &[&str]) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            changes.add(Path::new(path), &[PathBuf::from("content")]);
        }
        changes
    }

    #[test]
    fn paths_go_to_their_part_of_the_site() {
        let c = changes(&["content/talks/a.md", "templates/talk.html", "book.toml"]);
        assert_eq!(
            c.content,
            BTreeSet::from([PathBuf::from("content/talks/a.md")])
        );
        assert!(c.templates && c.config && !c.statics && !c.rescan);
        assert!(changes(&["static/.x.swp"]).statics);
        assert!(changes(&["public/index.html", ".git/HEAD", "book.toml~"]).is_empty());
    }

    #[test]
    fn notes_anywhere_are_content_when_their_folder_is_watched() {
        let mut c = Changes::default();
        let folders = [PathBuf::from("2016"), PathBuf::from("people")];
        for path in [
            "2016/pycon/a.md",
            "people/ada.md",
            "public/x.html",
            "2016/.x.md.swp",
        ] {
            c.add(Path::new(path), &folders);
        }
        let expected = ["2016/pycon/a.md", "people/ada.md"].map(PathBuf::from);
        assert_eq!(c.content, BTreeSet::from(expected));
    }

    #[test]
    fn editor_files_are_ignored() {
        let c = changes(&[
            "content/talks/.a.md.swp",
            "content/talks/a.md~",
            "content/talks/.#a.md",
            "content/.git/x.md",
            "templates/.talk.html.swp",
        ]);
        assert!(c.is_empty(), "{c:?}");
    }
}
