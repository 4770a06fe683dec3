//! Helpers shared by the integration tests: a site in a temporary folder
//! and the `talkbook` binary run on it ([`site`], whose items are re-exported
//! here), a headless browser ([`browser`]), a `talkbook serve` to talk to
//! ([`serve`]), the browser's search code under node ([`search`]), and the
//! loud skip of tests whose tools are missing.

pub mod browser;
pub mod search;
pub mod serve;
mod site;

pub use site::*;

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
