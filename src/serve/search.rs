//! Search in `talkbook serve`: the index behind `/api/search` and the static
//! search files the pages' search box loads, built on low-priority threads
//! of their own from a copy of the notes, so that neither the first pages
//! nor a page's reload after an edit wait for them or share the processor
//! with them. The first index is built as soon as the first site is
//! rendered (its pages are served meanwhile); after an edit, once the edits
//! have been quiet for [`QUIET`]: a burst of edits gives one rebuild, after
//! the last.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::rebuild::Update;
use super::state::AppState;
use crate::files::Files;
use crate::search::export::SEARCH_DIR;
use crate::search::{SearchIndex, SearchInput, with_files};

/// Makes `index` and `files` the live search: files of an older index that
/// the new one lacks are removed. The files go first, so that once
/// `/api/search` answers, the browser's files are there too. Whether it is
/// the first index.
fn publish(state: &AppState, index: SearchIndex, files: Files) -> bool {
    let keep: BTreeSet<&String> = files.keys().collect();
    let removed = state
        .files
        .paths_under(SEARCH_DIR)
        .into_iter()
        .filter(|path| !keep.contains(path))
        .collect();
    state.files.apply(Update { files, removed });
    state.search.set(index)
}

/// The thread that builds search: send it a copy of the site's notes, at
/// start and after edits. Dropping the sender stops it once the index it
/// is building, if any, is done; nothing waits for that (at 100,000 notes
/// an index takes tens of seconds, which stopping the server need not).
pub fn spawn(state: Arc<AppState>) -> Sender<SearchInput> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || rebuild_on_input(&receiver, &state));
    sender
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
            eprintln!("search is not built: no threads for it ({problem})");
            state.search.failed();
            return;
        }
    };
    while let Ok(mut input) = receiver.recv() {
        // Only the newest copy matters.
        while let Ok(newer) = receiver.try_recv() {
            input = newer;
        }
        let started = Instant::now();
        match pool.install(|| SearchIndex::from_input(input).and_then(with_files)) {
            Ok((index, files)) => {
                if publish(state, index, files) {
                    eprintln!(
                        "search ready: indexed in {} ms",
                        started.elapsed().as_millis()
                    );
                }
            }
            Err(problem) => {
                eprintln!("{problem}");
                state.search.failed();
            }
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
