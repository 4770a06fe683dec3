//! Search in `talkbook serve`: the index behind `/api/search` and the static
//! search files the pages' search box loads. After an edit they are rebuilt
//! on a thread of their own, from a copy of the notes, so that a page's
//! reload never waits for them; a burst of edits gives one rebuild.

use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;

use super::rebuild::Update;
use super::server::AppState;
use crate::Files;
use crate::diagnostics::Diagnostic;
use crate::search::export::{SEARCH_DIR, export};
use crate::search::{SearchIndex, SearchInput, SearchResult};

/// The index `/api/search` reads, once there is one.
#[derive(Default)]
pub struct LiveSearch(RwLock<Option<Arc<SearchIndex>>>);

impl LiveSearch {
    /// The best `limit` results for `query`; `None` before the first index.
    pub fn results(&self, query: &str, limit: usize) -> Option<Vec<SearchResult>> {
        let index = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        Some(index.results(query, limit))
    }

    fn set(&self, index: SearchIndex) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(index));
    }
}

/// The index of `input` and its static files.
pub fn build(input: SearchInput) -> Result<(SearchIndex, Files), Diagnostic> {
    let index = SearchIndex::from_input(input)?;
    let files = export(&index)?;
    Ok((index, files))
}

/// Makes `index` and `files` the live search: files of an older index that
/// the new one lacks are removed.
pub fn publish(state: &AppState, index: SearchIndex, files: Files) {
    let keep: BTreeSet<&String> = files.keys().collect();
    let removed = state
        .files
        .paths_under(SEARCH_DIR)
        .into_iter()
        .filter(|path| !keep.contains(path))
        .collect();
    state.files.apply(Update { files, removed });
    state.search.set(index);
}

/// The thread that rebuilds search: send it a copy of the site's notes after
/// each edit; drop the sender, then join the handle, to stop it.
pub fn spawn(state: Arc<AppState>) -> (Sender<SearchInput>, JoinHandle<()>) {
    let (sender, receiver) = channel();
    let thread = std::thread::spawn(move || rebuild_on_input(&receiver, &state));
    (sender, thread)
}

fn rebuild_on_input(receiver: &Receiver<SearchInput>, state: &AppState) {
    lower_priority();
    while let Ok(mut input) = receiver.recv() {
        // Only the newest copy matters.
        while let Ok(newer) = receiver.try_recv() {
            input = newer;
        }
        match build(input) {
            Ok((index, files)) => publish(state, index, files),
            Err(problem) => eprintln!("{problem}"),
        }
    }
}

/// Gives this thread (and the indexing threads it starts) a low priority, so
/// that rebuilding search in the background never slows the next reload.
#[cfg(target_os = "linux")]
fn lower_priority() {
    use rustix::process::setpriority_process;
    let _ = setpriority_process(Some(rustix::thread::gettid()), 10);
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}
