//! The site as served: output path → bytes, read by every request and
//! changed only by the rebuild thread, a few files at a time.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use axum::body::Bytes;

use super::rebuild::Update;
use crate::files::Files;

/// The files of the last good site.
#[derive(Debug, Default)]
pub struct ServedFiles(RwLock<HashMap<String, Bytes>>);

impl ServedFiles {
    /// The file at the output path `path` (`talks/x/index.html`).
    pub fn get(&self, path: &str) -> Option<Bytes> {
        self.read().get(path).cloned()
    }

    /// Whether there is a site yet (the first build may have failed).
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// Publishes `update`; the output paths whose bytes changed, sorted.
    pub fn apply(&self, update: Update) -> Vec<String> {
        let mut files = self.0.write().unwrap_or_else(PoisonError::into_inner);
        let mut changed = Vec::new();
        for (path, bytes) in update.files {
            if files.get(&path).is_none_or(|old| *old != bytes) {
                files.insert(path.clone(), Bytes::from(bytes));
                changed.push(path);
            }
        }
        for path in update.removed {
            if files.remove(&path).is_some() {
                changed.push(path);
            }
        }
        changed.sort();
        changed
    }

    /// The output paths that start with `prefix`.
    pub fn paths_under(&self, prefix: &str) -> Vec<String> {
        self.read()
            .keys()
            .filter(|path| path.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// A copy of every file.
    pub fn snapshot(&self) -> Files {
        self.read()
            .iter()
            .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
            .collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Bytes>> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }
}
