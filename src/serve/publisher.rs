//! Putting a rebuild live: its files into the served site, a word to open
//! pages, and its new warnings to the terminal, remembering what was told.

use std::time::Instant;

use super::livereload::Message;
use super::rebuild::Outcome;
use super::state::AppState;
use crate::diagnostics::Diagnostic;

/// What the rebuilding thread has published and told so far.
#[derive(Debug, Default)]
pub struct Publisher {
    /// The warnings printed so far, so that a rebuild prints only new ones.
    told: Vec<Diagnostic>,
    /// Whether open pages show errors, which a good build must clear.
    showing_errors: bool,
}

impl Publisher {
    /// Puts a rebuild's changed files live (begun at `started`), then tells
    /// open pages; prints each of `warnings` not printed for the site before.
    pub fn publish(
        &mut self,
        state: &AppState,
        outcome: Outcome,
        warnings: &[Diagnostic],
        started: Instant,
    ) {
        let good = matches!(outcome, Outcome::Publish(_));
        self.tell(warnings, good);
        match outcome {
            Outcome::Publish(update) => {
                let changed = state.files.apply(update);
                if !changed.is_empty() || self.showing_errors {
                    state.hub.send(&Message::reload(&changed));
                    eprintln!(
                        "rebuilt in {} ms: {} file{} changed",
                        started.elapsed().as_millis(),
                        changed.len(),
                        if changed.len() == 1 { "" } else { "s" }
                    );
                }
                self.showing_errors = false;
            }
            Outcome::Broken(problems) => {
                eprintln!("{problems}\n(still serving the last good version of the site)");
                state.hub.send(&Message::errors(&problems));
                self.showing_errors = true;
            }
        }
    }

    /// Prints each warning of `now` that was not printed for the site
    /// before, when the site is `good`; a broken site's are printed with its
    /// errors.
    fn tell(&mut self, now: &[Diagnostic], good: bool) {
        let mut told = Vec::with_capacity(now.len());
        for warning in now {
            let new = !self.told.contains(warning) && !told.contains(warning);
            if new && good {
                eprintln!("{warning}");
            }
            told.push(warning.clone());
        }
        self.told = told;
    }
}
