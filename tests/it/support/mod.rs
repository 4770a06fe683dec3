//! Helpers shared by the integration tests: a site in a temporary folder
//! and the `talkbook` binary run on it ([`site`], whose items are re-exported
//! here), a headless browser ([`browser`]), a `talkbook serve` to talk to
//! ([`serve`]), the browser's search code under node ([`search`]), the
//! loud skip of tests whose tools are missing, and a turn to run alone.

pub mod browser;
pub mod search;
pub mod serve;
mod site;

pub use site::*;

use std::sync::{Condvar, Mutex, PoisonError};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// True under CI (`CI=true`), where a missing tool fails the test.
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether `what` is available; if not, panics under CI and otherwise
/// prints a loud SKIPPED line.
pub fn require(available: bool, what: &str) -> bool {
    if !available {
        let message = format!("{what} is missing");
        if under_ci() {
            panic!("{message} (required under CI)");
        }
        eprintln!("\n*** SKIPPED test: {message} ***\n");
    }
    available
}

/// A turn at running alone among the tests that call [`alone`]; the next
/// one waits until this is dropped (also when its test panics).
pub struct Alone(());

static TAKEN: Mutex<bool> = Mutex::new(false);
static FREED: Condvar = Condvar::new();

/// Waits for a turn to run alone. All tests share one process, two at a
/// time on a small machine: a test that loads every core (the 1,000-note
/// corpus) calls this, and so does one that times the machine's answers (a
/// burst of writes that must land within one debounce window), so that the
/// two never overlap.
pub fn alone() -> Alone {
    let mut taken = TAKEN.lock().unwrap_or_else(PoisonError::into_inner);
    while *taken {
        taken = FREED.wait(taken).unwrap_or_else(PoisonError::into_inner);
    }
    *taken = true;
    Alone(())
}

impl Drop for Alone {
    fn drop(&mut self) {
        *TAKEN.lock().unwrap_or_else(PoisonError::into_inner) = false;
        FREED.notify_one();
    }
}

/// Seeded random choices, for the tests that make random edits: the same
/// seed makes the same choices, so a failure repeats.
pub struct Dice(StdRng);

impl Dice {
    /// Choices from `seed`.
    pub fn new(seed: u64) -> Dice {
        Dice(StdRng::seed_from_u64(seed))
    }

    /// A number below `sides`.
    pub fn roll(&mut self, sides: usize) -> usize {
        self.0.random_range(0..sides)
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.roll(items.len())]
    }
}
