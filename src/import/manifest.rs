//! The record of what `talkbook import` wrote, with each file's hash: it
//! tells a file left as import wrote it from one the user edited since, and
//! both from one import never wrote.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// Where the manifest is kept, under the site root (a hidden file, which
/// the build leaves out).
pub const MANIFEST: &str = "content/.talkbook-import.json";

/// The files import wrote, by path under the site root.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Each file's blake3 hash, in hex, as import left it.
    files: BTreeMap<String, String>,
}

/// What a file at a target path is to the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// As import wrote it.
    Written,
    /// Written by import, edited since.
    Edited,
    /// Not written by import.
    Foreign,
}

impl Manifest {
    /// The manifest of the site at `root`; empty if there is none yet.
    pub fn load(root: &Path) -> Result<Manifest, Diagnostic> {
        let text = match std::fs::read_to_string(root.join(MANIFEST)) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Manifest::default());
            }
            Err(err) => {
                return Err(Diagnostic::in_file(
                    MANIFEST,
                    format!("cannot read it: {err}"),
                ));
            }
        };
        serde_json::from_str(&text).map_err(|err| {
            Diagnostic::in_file(
                MANIFEST,
                format!("not a manifest of talkbook import: {err}"),
            )
            .at_line(err.line())
            .with_hint("delete it to import afresh: notes already there are then left alone")
        })
    }

    /// Where the file at `rel`, now holding `bytes`, comes from.
    pub fn origin(&self, rel: &str, bytes: &[u8]) -> Origin {
        match self.files.get(rel) {
            None => Origin::Foreign,
            Some(hash) if *hash == blake3::hash(bytes).to_hex().as_str() => Origin::Written,
            Some(_) => Origin::Edited,
        }
    }

    /// Records that import left `bytes` at `rel`.
    pub fn record(&mut self, rel: &str, bytes: &[u8]) {
        self.files
            .insert(rel.to_string(), blake3::hash(bytes).to_hex().to_string());
    }

    /// The manifest as its file holds it.
    pub fn to_json(&self) -> Result<String, Diagnostic> {
        serde_json::to_string_pretty(self)
            .map(|json| json + "\n")
            .map_err(|err| Diagnostic::internal(format!("the import manifest as JSON: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_written_edited_and_foreign_files_apart() {
        let mut manifest = Manifest::default();
        manifest.record("content/a.md", b"one");
        assert_eq!(manifest.origin("content/a.md", b"one"), Origin::Written);
        assert_eq!(manifest.origin("content/a.md", b"two"), Origin::Edited);
        assert_eq!(manifest.origin("content/b.md", b"one"), Origin::Foreign);
    }
}
