//! What the server's handlers and the threads that rebuild share: the served
//! files, the live-reload hub and the search index. It sits below both the
//! server and the rebuilding threads, which only meet here.

use std::sync::{Arc, PoisonError, RwLock};

use super::limits::SearchSlots;
use super::livereload::Hub;
use super::served::ServedFiles;
use crate::diagnostics::Diagnostic;
use crate::search::{Answer, SearchIndex};

/// What the handlers share.
#[derive(Default)]
pub struct AppState {
    /// The last good site.
    pub files: ServedFiles,
    /// Live-reload messages to open pages.
    pub hub: Arc<Hub>,
    /// The index behind `/api/search`.
    pub search: LiveSearch,
    /// Turns to search, so that only so many searches run at once.
    pub searches: SearchSlots,
}

/// The index `/api/search` reads, once there is one: the server serves the
/// site's pages before its first search index is built.
#[derive(Default)]
pub struct LiveSearch(RwLock<Searchable>);

/// Whether there is an index to search.
#[derive(Default)]
enum Searchable {
    /// The first index is being built.
    #[default]
    Building,
    /// Building the first index failed (an edit of a note tries again).
    Failed,
    /// The last index built.
    Ready(Arc<SearchIndex>),
}

/// Why `/api/search` cannot answer yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoIndex {
    /// The first index is being built: ask again in a moment.
    Building,
    /// The first index could not be built (the terminal says why).
    Failed,
}

impl LiveSearch {
    /// Results `offset..offset + limit` of `query`, or the bug that kept
    /// it from searching; [`NoIndex`] before the first index.
    pub fn answer(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Result<Answer, Diagnostic>, NoIndex> {
        let index = match &*self.0.read().unwrap_or_else(PoisonError::into_inner) {
            Searchable::Building => return Err(NoIndex::Building),
            Searchable::Failed => return Err(NoIndex::Failed),
            Searchable::Ready(index) => index.clone(),
        };
        Ok(index.answer(query, offset, limit))
    }

    /// Makes `index` the one searched; whether it is the first.
    pub fn set(&self, index: SearchIndex) -> bool {
        let mut searchable = self.0.write().unwrap_or_else(PoisonError::into_inner);
        let first = !matches!(*searchable, Searchable::Ready(_));
        *searchable = Searchable::Ready(Arc::new(index));
        first
    }

    /// Records that an index could not be built: an older one stays
    /// searched; with none, `/api/search` says so rather than to wait.
    pub fn failed(&self) {
        let mut searchable = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if !matches!(*searchable, Searchable::Ready(_)) {
            *searchable = Searchable::Failed;
        }
    }
}
