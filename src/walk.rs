//! Walking a folder of the site (`content/`, `static/`): its files in path
//! order, through symbolic links that stay inside the site, with a word for
//! everything left out that the user may have meant to include.
//!
//! A link is followed when its target is inside the site's folder, or inside
//! the walked folder itself (a `content/` that is a link to a folder kept
//! elsewhere is followed as a whole). A file reached through a link keeps the
//! path under which it is seen (`content/linked/a.md`): its URL and its edit
//! link are made from that path, as the user expects from the folder they see.
//!
//! Left out with a warning naming the path: a link leading out of the site,
//! a broken link, a link to a folder that holds it (following it would never
//! end), a name that is not UTF-8, anything neither file nor folder.

use std::fs::Metadata;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// Every file at or under `target` inside the folder `top` (both relative to
/// `root`, `target` at or under `top`), sorted, with the problems met on the
/// way. Paths (relative to `root`) that `skip` rejects are left out without a word, and so is
/// everything under them; `top` itself is never skipped. A `target` that does
/// not exist, or that the walk from `top` does not reach, has no files; the
/// problems are those at or under `target` (those on the way to it belong to
/// the walk of their own path).
pub fn files(
    root: &Path,
    top: &Path,
    target: &Path,
    skip: &dyn Fn(&Path) -> bool,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut walk = Walk {
        root,
        skip,
        inside: Vec::new(),
        ancestors: Vec::new(),
        files: Vec::new(),
        problems: Vec::new(),
    };
    let Ok(top_real) = std::fs::canonicalize(root.join(top)) else {
        return (walk.files, walk.problems);
    };
    walk.inside = vec![
        std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        top_real.clone(),
    ];
    walk.ancestors.push(top_real);
    match target.strip_prefix(top) {
        Ok(rest) if rest.as_os_str().is_empty() => walk.folder(top),
        Ok(rest) => walk.towards(top, rest),
        Err(_) => {}
    }
    walk.files.sort();
    (walk.files, walk.problems)
}

/// One walk: what it found so far, and the real folders it is inside of.
struct Walk<'a> {
    root: &'a Path,
    skip: &'a dyn Fn(&Path) -> bool,
    /// The real paths of the folders whose links are followed.
    inside: Vec<PathBuf>,
    /// The real path of each folder from `top` down to the one being read.
    ancestors: Vec<PathBuf>,
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
}

impl Walk<'_> {
    /// Reads the folder at `rel` (its real path last in `ancestors`) and
    /// everything under it.
    fn folder(&mut self, rel: &Path) {
        let entries = match std::fs::read_dir(self.root.join(rel)) {
            Ok(entries) => entries,
            Err(err) => return self.cannot_read(rel, &err),
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                // The type comes with the folder's listing on most file
                // systems: no file is looked at on its own unless a link.
                Ok(entry) => names.push((entry.file_name(), entry.file_type().ok())),
                Err(err) => self.cannot_read(rel, &err),
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in names {
            let child = rel.join(&name);
            if (self.skip)(&child) {
                continue;
            }
            if name.to_str().is_none() {
                self.problems.push(not_utf8(&child));
                continue;
            }
            match kind {
                Some(kind) if kind.is_file() => self.files.push(child),
                Some(kind) if kind.is_dir() => {
                    let real = self.ancestors.last().map(|parent| parent.join(&name));
                    self.folder_at(&child, real);
                }
                _ => self.entry(&child),
            }
        }
    }

    /// Reads the folder at `rel`, whose real path is `real`, and what it holds.
    fn folder_at(&mut self, rel: &Path, real: Option<PathBuf>) {
        let Some(real) = real else {
            return self.entry(rel);
        };
        self.ancestors.push(real);
        self.folder(rel);
        self.ancestors.pop();
    }

    /// Follows `rest` (relative to `rel`) down to the walk's target, as
    /// [`Walk::folder`] would reach it, and reads the target.
    fn towards(&mut self, rel: &Path, rest: &Path) {
        let mut rel = rel.to_path_buf();
        let mut names = rest.iter().peekable();
        while let Some(name) = names.next() {
            rel.push(name);
            if (self.skip)(&rel) {
                return;
            }
            let last = names.peek().is_none();
            match (name.to_str(), last) {
                (Some(_), true) => return self.entry(&rel),
                (None, true) => return self.problems.push(not_utf8(&rel)),
                (None, false) => return,
                (Some(_), false) => {}
            }
            // A folder on the way: its own problems are reported by the walk
            // that reads it, so here it is only passed or not.
            match self.resolve(&rel) {
                Ok(Some((meta, real))) if meta.is_dir() => self.ancestors.push(real),
                _ => return,
            }
        }
    }

    /// Takes in the entry at `rel`: a file, or a folder and what it holds.
    fn entry(&mut self, rel: &Path) {
        let (meta, real) = match self.resolve(rel) {
            Ok(Some(found)) => found,
            Ok(None) => return,
            Err(problem) => return self.problems.push(problem),
        };
        if meta.is_dir() {
            self.folder_at(rel, Some(real));
        } else if meta.is_file() {
            self.files.push(rel.to_path_buf());
        } else {
            self.problems.push(
                Diagnostic::in_file(rel, "neither a file nor a folder: left out")
                    .with_hint("only files and folders are read; remove this one")
                    .as_warning(),
            );
        }
    }

    /// What the entry at `rel` is, and its real path: through a link when
    /// the link may be followed, or why not. `None` when it is gone.
    fn resolve(&self, rel: &Path) -> Result<Option<(Metadata, PathBuf)>, Diagnostic> {
        let path = self.root.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Ok(None);
        };
        let Some(parent) = self.ancestors.last() else {
            return Err(Diagnostic::internal(format!(
                "{} was reached outside any folder of the walk",
                rel.display()
            )));
        };
        if !meta.is_symlink() {
            let name = rel.file_name().unwrap_or_default();
            return Ok(Some((meta, parent.join(name))));
        }
        let to = std::fs::read_link(&path).unwrap_or_default();
        let to = to.display();
        let warning = |message: String, hint: &str| {
            Diagnostic::in_file(rel, message)
                .with_hint(hint)
                .as_warning()
        };
        let Ok(real) = std::fs::canonicalize(&path) else {
            return Err(warning(
                format!("a link to `{to}`, which does not exist: left out"),
                "point the link at a file or folder that exists, or remove it",
            ));
        };
        if !self.inside.iter().any(|folder| real.starts_with(folder)) {
            return Err(warning(
                format!("a link to `{to}`, outside the site: not followed"),
                "links are followed only inside the site's folder: move what it links to into the site",
            ));
        }
        if self
            .ancestors
            .iter()
            .any(|folder| folder.starts_with(&real))
        {
            return Err(warning(
                format!(
                    "a link to `{to}`, a folder that holds this link: not followed, it would never end"
                ),
                "remove the link, or point it at a folder beside this one",
            ));
        }
        match std::fs::metadata(&real) {
            Ok(meta) => Ok(Some((meta, real))),
            Err(err) => Err(Diagnostic::in_file(rel, format!("cannot read: {err}"))
                .with_hint("check the file's permissions")),
        }
    }

    fn cannot_read(&mut self, rel: &Path, err: &std::io::Error) {
        self.problems.push(
            Diagnostic::in_file(rel, format!("cannot read: {err}"))
                .with_hint("check the folder's permissions"),
        );
    }
}

/// The warning for a name that is not UTF-8, which no URL can be made from.
fn not_utf8(rel: &Path) -> Diagnostic {
    Diagnostic::in_file(rel, "this name is not UTF-8 text: left out")
        .with_hint("rename it with UTF-8 characters (what your file manager shows as letters)")
        .as_warning()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn no_skip(_: &Path) -> bool {
        false
    }

    /// A site folder with `content/`, and the walk of all of `content/`.
    fn walk_all(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
        files(root, Path::new("content"), Path::new("content"), &no_skip)
    }

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/talks")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("content/talks/a.md"), "").unwrap();
        std::fs::write(root.join("shared/b.md"), "").unwrap();
        std::fs::write(dir.path().join("outside.md"), "").unwrap();
        dir
    }

    #[test]
    fn links_inside_the_site_are_followed_under_their_own_path() {
        let dir = site();
        let root = dir.path().join("site");
        symlink("../shared", root.join("content/linked")).unwrap();
        symlink("../../shared/b.md", root.join("content/talks/b.md")).unwrap();
        let (found, problems) = walk_all(&root);
        assert_eq!(
            found,
            paths(&[
                "content/linked/b.md",
                "content/talks/a.md",
                "content/talks/b.md"
            ])
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn links_out_broken_and_looping_are_warned_about() {
        let dir = site();
        let root = dir.path().join("site");
        symlink(dir.path().join("outside.md"), root.join("content/out.md")).unwrap();
        symlink("nowhere.md", root.join("content/broken.md")).unwrap();
        symlink("..", root.join("content/talks/up")).unwrap();
        symlink("../..", root.join("content/talks/top")).unwrap();
        let (found, problems) = walk_all(&root);
        assert_eq!(found, paths(&["content/talks/a.md"]));
        let said: Vec<(String, bool)> = problems
            .iter()
            .map(|p| (p.to_string(), p.is_error()))
            .collect();
        assert_eq!(said.len(), 4, "{said:?}");
        assert!(said.iter().all(|(_, error)| !error), "{said:?}");
        let about = |file: &str, words: &str| {
            assert!(
                said.iter().any(
                    |(s, _)| s.starts_with(&format!("warning: {file}: a link to"))
                        && s.contains(words)
                ),
                "{file}: {said:?}"
            );
        };
        about("content/broken.md", "does not exist");
        about("content/out.md", "outside the site");
        about("content/talks/up", "never end");
        about("content/talks/top", "never end");
    }

    #[test]
    fn links_between_two_folders_do_not_loop() {
        let dir = site();
        let root = dir.path().join("site");
        symlink("../shared", root.join("content/there")).unwrap();
        symlink("../content", root.join("shared/back")).unwrap();
        let (found, problems) = walk_all(&root);
        assert_eq!(found, paths(&["content/talks/a.md", "content/there/b.md"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].file.as_deref(),
            Some(Path::new("content/there/back"))
        );
    }

    #[test]
    fn a_name_that_is_not_utf8_is_named() {
        use std::os::unix::ffi::OsStrExt;
        let dir = site();
        let root = dir.path().join("site");
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.md");
        std::fs::write(root.join("content/talks").join(name), "").unwrap();
        let (found, problems) = walk_all(&root);
        assert_eq!(found, paths(&["content/talks/a.md"]));
        assert_eq!(
            problems[0].to_string(),
            "warning: content/talks/bad\\xFF.md: this name is not UTF-8 text: left out\n  \
             hint: rename it with UTF-8 characters (what your file manager shows as letters)"
        );
    }

    #[test]
    fn a_walk_towards_one_path_finds_what_the_whole_walk_finds_there() {
        let dir = site();
        let root = dir.path().join("site");
        symlink("../shared", root.join("content/linked")).unwrap();
        symlink(dir.path(), root.join("content/out")).unwrap();
        symlink("..", root.join("content/talks/up")).unwrap();
        let (all, all_problems) = walk_all(&root);
        for target in [
            "content/linked",
            "content/linked/b.md",
            "content/talks",
            "content/talks/a.md",
            "content/talks/up",
            "content/talks/up/talks/a.md",
            "content/out",
            "content/out/outside.md",
            "content/gone.md",
        ] {
            let target = Path::new(target);
            let (found, problems) = files(root.as_path(), Path::new("content"), target, &no_skip);
            let expected: Vec<PathBuf> = all
                .iter()
                .filter(|f| f.starts_with(target))
                .cloned()
                .collect();
            assert_eq!(found, expected, "{}", target.display());
            let expected: Vec<&Diagnostic> = all_problems
                .iter()
                .filter(|p| p.file.as_deref().is_some_and(|f| f.starts_with(target)))
                .collect();
            assert_eq!(
                problems.iter().collect::<Vec<_>>(),
                expected,
                "{}",
                target.display()
            );
        }
    }
}
