//! What an import does with each file, decided before anything is written:
//! write it, leave it (unchanged, edited, or not import's), or refresh the
//! front matter of an edited note and keep its body.

use std::path::Path;

use super::manifest::{Manifest, Origin};
use super::notes::{Generated, with_front_matter};
use crate::content::front_matter;
use crate::diagnostics::Diagnostic;

/// What happens to one target file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Written: new, or as import left it and now different.
    Write(String),
    /// Edited since the last import: its front matter refreshed, its body kept (`--update`).
    Update(String),
    /// Already as import would write it (recorded as written by import).
    Unchanged,
    /// Edited since the last import, and left as it is.
    Kept,
    /// A file import never wrote, left as it is.
    Foreign,
}

/// One target file and what happens to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The path under the site root.
    pub rel: String,
    /// What happens.
    pub action: Action,
}

/// The steps of writing `files` into the site at `root`, and the manifest
/// as it is after them.
pub fn plan(
    root: &Path,
    files: &[Generated],
    manifest: &Manifest,
    update: bool,
) -> Result<(Vec<Step>, Manifest), Diagnostic> {
    let mut next = manifest.clone();
    let mut steps = Vec::new();
    for file in files {
        let action = action(root, file, manifest, update)?;
        // An updated note is not recorded: its body stays the user's.
        match &action {
            Action::Write(text) => next.record(&file.rel, text.as_bytes()),
            Action::Unchanged => next.record(&file.rel, file.text().as_bytes()),
            _ => {}
        }
        steps.push(Step {
            rel: file.rel.clone(),
            action,
        });
    }
    Ok((steps, next))
}

/// What happens to `file`, given what is at its path now.
fn action(
    root: &Path,
    file: &Generated,
    manifest: &Manifest,
    update: bool,
) -> Result<Action, Diagnostic> {
    let text = file.text();
    let existing = match std::fs::read(root.join(&file.rel)) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Action::Write(text)),
        Err(err) => {
            return Err(Diagnostic::in_file(
                &file.rel,
                format!("cannot read it: {err}"),
            ));
        }
    };
    if existing == text.as_bytes() {
        return Ok(Action::Unchanged);
    }
    Ok(match manifest.origin(&file.rel, &existing) {
        Origin::Written => Action::Write(text),
        Origin::Foreign => Action::Foreign,
        Origin::Edited if update => refreshed(file, &existing),
        Origin::Edited => Action::Kept,
    })
}

/// An edited file with `file`'s front matter and its own body; kept as it
/// is when its front matter is already `file`'s, or cannot be told from its body.
fn refreshed(file: &Generated, existing: &[u8]) -> Action {
    let Ok(existing) = std::str::from_utf8(existing) else {
        return Action::Kept;
    };
    let Ok(split) = front_matter::split(existing) else {
        return Action::Kept;
    };
    let text = with_front_matter(&file.front, split.body);
    if text == existing {
        Action::Kept
    } else {
        Action::Update(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(title: &str) -> Generated {
        Generated {
            rel: "content/talks/e/t.md".into(),
            front: format!("title = \"{title}\"\n"),
            body: "From the schedule.\n".into(),
        }
    }

    fn step(root: &Path, file: &Generated, manifest: &Manifest, update: bool) -> Action {
        let (steps, _) = plan(root, std::slice::from_ref(file), manifest, update).unwrap();
        steps[0].action.clone()
    }

    #[test]
    fn an_edited_note_is_kept_or_gets_new_front_matter_over_its_own_body() {
        let dir = tempfile::tempdir().unwrap();
        let old = note("Old");
        let mut manifest = Manifest::default();
        manifest.record(&old.rel, old.text().as_bytes());
        let path = dir.path().join(&old.rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "+++\ntitle = \"Old\"\n+++\n\nMine.\n").unwrap();

        let new = note("New");
        assert_eq!(step(dir.path(), &new, &manifest, false), Action::Kept);
        assert_eq!(
            step(dir.path(), &new, &manifest, true),
            Action::Update("+++\ntitle = \"New\"\n+++\n\nMine.\n".into())
        );
    }

    #[test]
    fn a_note_as_import_left_it_is_rewritten_and_one_it_never_wrote_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let old = note("Old");
        let path = dir.path().join(&old.rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, old.text()).unwrap();
        let new = note("New");
        assert_eq!(
            step(dir.path(), &new, &Manifest::default(), true),
            Action::Foreign
        );
        let mut manifest = Manifest::default();
        manifest.record(&old.rel, old.text().as_bytes());
        assert_eq!(
            step(dir.path(), &new, &manifest, false),
            Action::Write(new.text())
        );
        assert_eq!(step(dir.path(), &old, &manifest, false), Action::Unchanged);
    }
}
