//! Search in `talkbook serve`: the index behind `/api/search` and the static
//! search files the pages' search box loads. After an edit they are rebuilt
//! on low-priority threads of their own, from a copy of the notes taken
//! once the edits have been quiet for [`QUIET`], so that a page's reload
//! never waits for them nor shares the processor with them: a burst of
//! edits gives one rebuild, after the last.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use super::rebuild::Update;
use super::state::AppState;
use crate::files::Files;
use crate::search::export::SEARCH_DIR;
use crate::search::{SearchIndex, SearchInput, with_files};

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

/// How long the notes must stay unchanged before search is rebuilt: an
/// edit that follows within it is rendered without a search build beside it.
pub const QUIET: Duration = Duration::from_millis(1000);

fn rebuild_on_input(receiver: &Receiver<SearchInput>, state: &AppState) {
    lower_priority();
    // Threads inherit the priority of the thread that starts them; without
    // a pool of its own, indexing would run on the pool that renders pages.
    let pool = match rayon::ThreadPoolBuilder::new().build() {
        Ok(pool) => pool,
        Err(problem) => {
            eprintln!("search is not rebuilt after edits: no threads for it ({problem})");
            return;
        }
    };
    while let Ok(mut input) = receiver.recv() {
        // Only the newest copy matters.
        while let Ok(newer) = receiver.try_recv() {
            input = newer;
        }
        match pool.install(|| SearchIndex::from_input(input).and_then(with_files)) {
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
