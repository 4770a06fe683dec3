//! `talkbook init`: a new site with a config and one example note.

use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;

const BOOK_TOML: &str = r#"# talkbook site configuration. Every key is optional; see the README.
[site]
title = "My conference notes"
description = "Notes on the talks I saw."
base-url = "https://example.org/"
language = "en"

# Uncomment to show "Edit this page" links to your repository.
# [edit]
# repository = "https://github.com/you/your-notes"
# branch = "main"
# site-dir = ""    # where this book.toml sits in the repository

[build]
output = "public"
"#;

const EXAMPLE_NOTE: &str = r#"+++
title = "An example talk"
date = 2024-01-01
event = "Example Conf 2024"
speakers = [{ name = "Ada Lovelace", affiliation = "Analytical Engines" }]
projects = ["talkbook"]
tags = ["example"]
+++

Write what you heard here, in markdown. Link to other notes by their file
name, like [this one](example-talk.md).

## Takeaways

- One markdown file per talk, in `content/`.
- Run `talkbook serve` to see the site as you write.
"#;

/// Creates a site in `dir` (made if missing). Refuses to touch a folder that
/// already has a `book.toml` or `content/`.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    for existing in [CONFIG_FILE, "content"] {
        if dir.join(existing).exists() {
            return Err(Diagnostic::site_wide(format!(
                "{} already has {existing}: not touching it",
                dir.display()
            ))
            .with_hint("run `talkbook init` with a new folder name"));
        }
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("content/talks"))?;
        std::fs::write(dir.join(CONFIG_FILE), BOOK_TOML)?;
        std::fs::write(dir.join("content/talks/example-talk.md"), EXAMPLE_NOTE)
    };
    write().map_err(|err| {
        Diagnostic::site_wide(format!(
            "cannot create the site in {}: {err}",
            dir.display()
        ))
    })
}
