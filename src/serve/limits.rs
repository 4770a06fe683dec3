//! What one `/api/search` request may cost, so that no request, and no
//! number of them at once, can take the server's memory or time: a query is
//! at most [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_WORDS`] words
//! (over that, a 400 that says so), and at most [`MAX_CONCURRENT_SEARCHES`]
//! searches run at once; the others wait up to [`SEARCH_WAIT`] for their
//! turn, then get a 503.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

/// The longest query `/api/search` answers, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most words (separated by spaces) a query may have.
pub const MAX_QUERY_WORDS: usize = 32;
/// How many searches run at once.
pub const MAX_CONCURRENT_SEARCHES: usize = 4;
/// How long a search waits for its turn before the server says it is busy.
pub const SEARCH_WAIT: Duration = Duration::from_secs(5);

/// `Err` with the message for the 400 if `query` is over the limits.
pub fn check_query(query: &str) -> Result<(), String> {
    let chars = query.chars().take(MAX_QUERY_CHARS + 1).count();
    let words = query.split_whitespace().take(MAX_QUERY_WORDS + 1).count();
    if chars > MAX_QUERY_CHARS || words > MAX_QUERY_WORDS {
        return Err(format!(
            "the query is too long: search with at most {MAX_QUERY_WORDS} words \
             and {MAX_QUERY_CHARS} characters\n"
        ));
    }
    Ok(())
}

/// Why a search gave no answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Unanswered {
    /// No turn came within the wait.
    Busy,
    /// The search failed (a bug, reported by its panic).
    Failed,
}

/// Turns to search: each search runs on a blocking thread, at most so many
/// at once.
#[derive(Debug)]
pub struct SearchSlots {
    turns: Arc<Semaphore>,
    wait: Duration,
}

impl Default for SearchSlots {
    fn default() -> Self {
        SearchSlots::new(MAX_CONCURRENT_SEARCHES, SEARCH_WAIT)
    }
}

impl SearchSlots {
    /// `slots` searches at once; a search waits `wait` at most for its turn.
    pub fn new(slots: usize, wait: Duration) -> SearchSlots {
        SearchSlots {
            turns: Arc::new(Semaphore::new(slots)),
            wait,
        }
    }

    /// Runs `search` on a blocking thread when a slot is free. The slot is
    /// held until `search` returns, even if the request is dropped first.
    pub async fn run<T: Send + 'static>(
        &self,
        search: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Unanswered> {
        let turn = tokio::time::timeout(self.wait, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| Unanswered::Busy)?
            .map_err(|_| Unanswered::Busy)?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            search()
        })
        .await
        .map_err(|_| Unanswered::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_over_the_limits_are_refused() {
        let words = |n: usize| vec!["word"; n].join(" ");
        assert!(check_query(&words(MAX_QUERY_WORDS)).is_ok());
        assert!(check_query(&"é".repeat(MAX_QUERY_CHARS)).is_ok());
        assert!(check_query(&words(MAX_QUERY_WORDS + 1)).is_err());
        let long = check_query(&"x".repeat(MAX_QUERY_CHARS + 1)).unwrap_err();
        assert!(long.contains(&MAX_QUERY_CHARS.to_string()), "{long}");
    }

    #[test]
    fn the_readme_gives_these_limits() {
        let readme = include_str!("../../README.md");
        for figure in [
            format!("at most {MAX_QUERY_CHARS} characters and {MAX_QUERY_WORDS} words"),
            format!("at most {MAX_CONCURRENT_SEARCHES} searches at once"),
            format!("waited {} s for its turn", SEARCH_WAIT.as_secs()),
        ] {
            assert!(readme.contains(&figure), "README.md should say {figure:?}");
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn searches_past_the_slots_wait_then_are_busy() {
        let slots = Arc::new(SearchSlots::new(1, Duration::from_millis(200)));
        let (started, has_started) = tokio::sync::oneshot::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let slots = slots.clone();
            let search = move || {
                let _ = started.send(());
                released.recv().is_ok()
            };
            async move { slots.run(search).await }
        });
        has_started.await.unwrap();
        assert_eq!(slots.run(|| ()).await, Err(Unanswered::Busy));
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(true));
        assert_eq!(slots.run(|| 7).await, Ok(7));
    }
}
