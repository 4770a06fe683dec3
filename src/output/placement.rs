//! Where the output folder may be: never among the files talkbook reads.
//!
//! An output inside `static/` is copied into the next output (the site grows
//! with every build); inside `content/` or `templates/` its pages are read
//! back as notes or templates; an output holding `book.toml` or one of those
//! folders would be swapped out with them. So such an output is refused
//! before anything is read or written.

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;
use crate::static_files::SITE_STATIC_DIR;
use crate::templates::TEMPLATES_DIR;

/// The folders talkbook reads, and what it reads there.
const READ_FOLDERS: [(&str, &str); 3] = [
    (CONTENT_DIR, "the notes"),
    (SITE_STATIC_DIR, "the static files copied into every build"),
    (TEMPLATES_DIR, "the templates"),
];

/// Refuses an `output` that is inside a folder talkbook reads from the site
/// at `root`, or that holds one of them or `book.toml`. `setting` says where
/// the output was chosen (`--output ...`), for the message.
pub fn check_placement(root: &Path, output: &Path, setting: &str) -> Result<(), Diagnostic> {
    let (root, out) = (resolve(root), resolve(output));
    let refuse = |why: String| {
        Diagnostic::site_wide(format!(
            "refusing to write the site into {} ({setting}): {why}",
            output.display()
        ))
        .with_hint(format!(
            "choose an output folder outside {CONTENT_DIR}/, {SITE_STATIC_DIR}/ and \
             {TEMPLATES_DIR}/ that does not hold {CONFIG_FILE}, such as `public`"
        ))
    };
    for (name, what) in READ_FOLDERS {
        if out.starts_with(root.join(name)) {
            return Err(refuse(format!(
                "it is inside {name}/, {what} talkbook reads"
            )));
        }
    }
    if root.join(CONFIG_FILE).starts_with(&out) {
        return Err(refuse(format!(
            "it holds {CONFIG_FILE}, which a build would move out of it"
        )));
    }
    for (name, what) in READ_FOLDERS {
        if root.join(name).starts_with(&out) {
            return Err(refuse(format!(
                "it holds {name}/, {what} talkbook reads, which a build would move out of it"
            )));
        }
    }
    Ok(())
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
        let check = |out: &Path| check_placement(&root, out, "`--output`");
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
}
