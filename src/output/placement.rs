//! Where the output folder may be: never among the files talkbook reads.
//!
//! An output inside `static/` is copied into the next output (the site grows
//! with every build); inside a notes folder (`content/`) or `templates/` its
//! pages are read back as notes or templates; an output holding `book.toml`
//! or one of those folders would be swapped out with them. So such an output
//! is refused before anything is read or written. The one exception: when
//! the notes folder is the site root itself (`[content] notes = ["."]`), the
//! output may be inside it, and is never read as notes (see
//! `content::layout`).

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::static_files::SITE_STATIC_DIR;
use crate::templates::TEMPLATES_DIR;

/// The folders talkbook reads, and what it reads there: the notes and
/// profile folders (`notes`, relative to the root), `static/` and `templates/`.
fn read_folders(notes: &[PathBuf]) -> Vec<(PathBuf, &'static str)> {
    let fixed = [
        (SITE_STATIC_DIR, "the static files copied into every build"),
        (TEMPLATES_DIR, "the templates"),
    ];
    notes
        .iter()
        .map(|folder| (folder.clone(), "the notes"))
        .chain(fixed.map(|(name, what)| (PathBuf::from(name), what)))
        .collect()
}

/// Refuses an `output` that is inside a folder talkbook reads from the site
/// at `root` (`notes` are its notes and profile folders), or that holds one
/// of them or `book.toml`. `setting` says where the output was chosen
/// (`--output ...`), for the message.
pub fn check_placement(
    root: &Path,
    notes: &[PathBuf],
    output: &Path,
    setting: &str,
) -> Result<(), Diagnostic> {
    let (root, out) = (resolve(root), resolve(output));
    let folders = read_folders(notes);
    let refuse = |why: String| {
        Diagnostic::site_wide(format!(
            "refusing to write the site into {} ({setting}): {why}",
            output.display()
        ))
        .with_hint(format!(
            "choose an output folder outside {} that does not hold {CONFIG_FILE}, such as `public`",
            read_names(&folders)
        ))
    };
    for (name, what) in &folders {
        let the_root = name.as_os_str().is_empty();
        if !the_root && out.starts_with(resolve(&root.join(name))) {
            return Err(refuse(format!(
                "it is inside {}/, {what} talkbook reads",
                name.display()
            )));
        }
    }
    if root.join(CONFIG_FILE).starts_with(&out) {
        return Err(refuse(format!(
            "it holds {CONFIG_FILE}, which a build would move out of it"
        )));
    }
    for (name, what) in &folders {
        if resolve(&root.join(name)).starts_with(&out) {
            return Err(refuse(format!(
                "it holds {}/, {what} talkbook reads, which a build would move out of it",
                name.display()
            )));
        }
    }
    Ok(())
}

/// The read folders for a message: `content/, static/ and templates/`
/// (the site root, when it is a notes folder, is not listed: the output may
/// be inside it).
fn read_names(folders: &[(PathBuf, &str)]) -> String {
    let names: Vec<String> = folders
        .iter()
        .filter(|(name, _)| !name.as_os_str().is_empty())
        .map(|(name, _)| format!("{}/", name.display()))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// `path` made absolute, links and `..` resolved as far as it exists, and
/// `.`/`..` resolved by name beyond that (a part that does not exist is no link).
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            part => {
                resolved.push(part);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_among_the_inputs_and_accepts_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/talks")).unwrap();
        std::fs::write(root.join("book.toml"), "").unwrap();
        std::os::unix::fs::symlink(root.join("content"), dir.path().join("link")).unwrap();
        let content = [PathBuf::from("content")];
        let check = |out: &Path| check_placement(&root, &content, out, "`--output`");
        for bad in [
            root.join("static"),
            root.join("content/out"),
            root.join("templates/x/.."),
            root.join("public/../content"),
            root.clone(),
            dir.path().to_path_buf(),
            dir.path().join("link/out"),
        ] {
            let err = check(&bad).expect_err(&bad.display().to_string());
            assert!(err.message.contains("(`--output`)"), "{err}");
        }
        for good in [
            root.join("public"),
            root.join("static-site"),
            dir.path().join("out"),
        ] {
            check(&good).unwrap();
        }
    }

    #[test]
    fn notes_at_the_root_let_the_output_be_inside_it_but_not_hold_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "").unwrap();
        let notes = [PathBuf::new(), PathBuf::from("people")];
        check_placement(root, &notes, &root.join("public"), "x").unwrap();
        for bad in [
            root.to_path_buf(),
            root.join("people/out"),
            root.join("static"),
        ] {
            check_placement(root, &notes, &bad, "x").expect_err(&bad.display().to_string());
        }
    }
}
