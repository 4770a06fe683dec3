//! `talkbook serve`: the site from memory, rebuilt on every edit, with live
//! reload in the browser.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// What `talkbook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Include notes marked `draft = true`.
    pub drafts: bool,
}

/// Serves the site until interrupted.
pub fn run(options: &ServeOptions) -> Result<(), Diagnostics> {
    let _ = options;
    Err(Diagnostic::site_wide("talkbook serve is not built yet").into())
}
