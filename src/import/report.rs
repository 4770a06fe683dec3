//! What an import did, or would do in a dry run, as the user reads it.

use std::collections::BTreeMap;
use std::fmt;

use super::model::Reason;
use super::plan::{Action, Step};

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The event's name.
    pub event: String,
    /// What happened to each file.
    pub steps: Vec<Step>,
    /// Schedule entries that are not talks, and why.
    pub left_out: Vec<(String, Reason)>,
    /// Whether nothing was written (`--dry-run`).
    pub dry_run: bool,
}

impl Report {
    /// The files with `action`'s kind.
    pub fn files(&self, kind: fn(&Action) -> bool) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| kind(&s.action))
            .map(|s| s.rel.as_str())
            .collect()
    }

    /// How many schedule entries were left out for each reason.
    fn left_out_counts(&self) -> BTreeMap<Reason, usize> {
        let mut counts = BTreeMap::new();
        for (_, reason) in &self.left_out {
            *counts.entry(*reason).or_insert(0) += 1;
        }
        counts
    }
}

/// Whether a step writes a whole new file.
pub fn is_write(action: &Action) -> bool {
    matches!(action, Action::Write(_))
}

/// Whether a step refreshes an edited note's front matter.
pub fn is_update(action: &Action) -> bool {
    matches!(action, Action::Update(_))
}

/// Whether a step leaves an already current file.
pub fn is_unchanged(action: &Action) -> bool {
    *action == Action::Unchanged
}

/// Whether a step keeps an edited note as it is.
pub fn is_kept(action: &Action) -> bool {
    *action == Action::Kept
}

/// Whether a step leaves a file import never wrote.
pub fn is_foreign(action: &Action) -> bool {
    *action == Action::Foreign
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (write, update) = if self.dry_run {
            ("would write", "would refresh the front matter of")
        } else {
            ("wrote", "refreshed the front matter of")
        };
        for rel in self.files(is_write) {
            writeln!(f, "{write} {rel}")?;
        }
        for rel in self.files(is_update) {
            writeln!(f, "{update} {rel} (its body kept)")?;
        }
        for rel in self.files(is_kept) {
            writeln!(
                f,
                "kept {rel}: edited since the last import (--update refreshes its front matter and keeps its body)"
            )?;
        }
        for rel in self.files(is_foreign) {
            writeln!(
                f,
                "left {rel} alone: talkbook import did not write it (move it away to import this one)"
            )?;
        }
        for (title, reason) in &self.left_out {
            writeln!(f, "left out {title:?}: {}", reason.describe())?;
        }
        let reasons: Vec<String> = self
            .left_out_counts()
            .iter()
            .map(|(reason, n)| format!("{}: {n}", reason.describe()))
            .collect();
        write!(
            f,
            "{}: {} written, {} front matter refreshed, {} unchanged, {} kept (edited), {} not written by import, {} left out",
            self.event,
            self.files(is_write).len(),
            self.files(is_update).len(),
            self.files(is_unchanged).len(),
            self.files(is_kept).len(),
            self.files(is_foreign).len(),
            self.left_out.len(),
        )?;
        if !reasons.is_empty() {
            write!(f, " ({})", reasons.join("; "))?;
        }
        if self.dry_run {
            write!(f, "\nDry run: nothing was written.")?;
        }
        Ok(())
    }
}
