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

/// The index `/api/search` reads, once there is one.
#[derive(Default)]
pub struct LiveSearch(RwLock<Option<Arc<SearchIndex>>>);

impl LiveSearch {
    /// Results `offset..offset + limit` of `query`, or the bug that kept
    /// it from searching; `None` before the first index.
    pub fn answer(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
    ) -> Option<Result<Answer, Diagnostic>> {
        let index = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        Some(index.answer(query, offset, limit))
    }

    /// Makes `index` the one searched.
    pub fn set(&self, index: SearchIndex) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(index));
    }
}
