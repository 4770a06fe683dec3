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

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// Every file at or under `target` inside the folder `top` (both relative to
/// `root`, `target` at or under `top`), sorted, with the problems met on the
/// way. Paths (relative to `root`) that `skip` rejects are left out without a word, and so is
/// everything under them; `top` itself is never skipped. A `target` that does
/// not exist, or that the walk from `top` does not reach, has no files; the
/// problems are those at or under `target` (those on the way to it belong to
/// the walk of their own path).
///
/// Sub-folders are read in parallel; what is found comes out in path order
/// all the same, since each folder's entries are taken in name order.
pub fn files(
    root: &Path,
    top: &Path,
    target: &Path,
    skip: &(dyn Fn(&Path) -> bool + Sync),
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut found = Found::default();
    let Ok(top_real) = std::fs::canonicalize(root.join(top)) else {
        return (found.files, found.problems);
    };
    let inside = [
        std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        top_real.clone(),
    ];
    let walk = Walk {
        root,
        skip,
        inside: &inside,
    };
    let mut ancestors = vec![top_real];
    match target.strip_prefix(top) {
        Ok(rest) if rest.as_os_str().is_empty() => walk.folder(top, &ancestors, &mut found),
        Ok(rest) => walk.towards(top, rest, &mut ancestors, &mut found),
        Err(_) => {}
    }
    debug_assert!(found.files.is_sorted(), "a walk reads names in order");
    (found.files, found.problems)
}

/// One walk: the site, what it leaves out, and the real folders whose links
/// it follows.
struct Walk<'a> {
    root: &'a Path,
    skip: &'a (dyn Fn(&Path) -> bool + Sync),
    /// The real paths of the folders whose links are followed.
    inside: &'a [PathBuf],
}

/// What a walk, or the part of it under one folder, found: files in path
/// order, and problems.
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
}

impl Found {
    fn append(&mut self, mut other: Found) {
        self.files.append(&mut other.files);
        self.problems.append(&mut other.problems);
    }
}

/// An entry of a folder being read: its name and, when the listing gives
/// it, its type.
type Entry = (std::ffi::OsString, Option<std::fs::FileType>);

impl Walk<'_> {
    /// Reads the folder at `rel` (its real path last in `ancestors`) and
    /// everything under it into `found`, its sub-folders in parallel.
    fn folder(&self, rel: &Path, ancestors: &[PathBuf], found: &mut Found) {
        let entries = self.entries(rel, found);
        let under: Vec<Option<Found>> = entries
            .par_iter()
            .map(|(name, kind)| {
                let is_folder = kind.is_some_and(|kind| kind.is_dir());
                is_folder.then(|| {
                    let mut found = Found::default();
                    let real = ancestors.last().map(|parent| parent.join(name));
                    self.folder_at(&rel.join(name), real, ancestors, &mut found);
                    found
                })
            })
            .collect();
        for ((name, kind), under) in entries.into_iter().zip(under) {
            match (kind, under) {
                (_, Some(under)) => found.append(under),
                (Some(kind), None) if kind.is_file() => found.files.push(rel.join(name)),
                _ => self.entry(&rel.join(name), ancestors, found),
            }
        }
    }

    /// The entries of the folder at `rel` that the walk takes, in name
    /// order: those `skip` keeps, with a warning for each name that is not
    /// UTF-8.
    fn entries(&self, rel: &Path, found: &mut Found) -> Vec<Entry> {
        let listing = match std::fs::read_dir(self.root.join(rel)) {
            Ok(listing) => listing,
            Err(err) => {
                found.problems.push(cannot_read(rel, &err));
                return Vec::new();
            }
        };
        let mut entries = Vec::new();
        for entry in listing {
            match entry {
                // The type comes with the folder's listing on most file
                // systems: no file is looked at on its own unless a link.
                Ok(entry) => entries.push((entry.file_name(), entry.file_type().ok())),
                Err(err) => found.problems.push(cannot_read(rel, &err)),
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.retain(|(name, _)| {
            let child = rel.join(name);
            if (self.skip)(&child) {
                return false;
            }
            if name.to_str().is_none() {
                found.problems.push(not_utf8(&child));
                return false;
            }
            true
        });
        entries
    }

    /// Reads the folder at `rel`, whose real path is `real`, and what it holds.
    fn folder_at(
        &self,
        rel: &Path,
        real: Option<PathBuf>,
        ancestors: &[PathBuf],
        found: &mut Found,
    ) {
        let Some(real) = real else {
            return self.entry(rel, ancestors, found);
        };
        let mut inner = ancestors.to_vec();
        inner.push(real);
        self.folder(rel, &inner, found);
    }

    /// Follows `rest` (relative to `rel`) down to the walk's target, as
    /// [`Walk::folder`] would reach it, and reads the target.
    fn towards(&self, rel: &Path, rest: &Path, ancestors: &mut Vec<PathBuf>, found: &mut Found) {
        let mut rel = rel.to_path_buf();
        let mut names = rest.iter().peekable();
        while let Some(name) = names.next() {
            rel.push(name);
            if (self.skip)(&rel) {
                return;
            }
            let last = names.peek().is_none();
            match (name.to_str(), last) {
                (Some(_), true) => return self.entry(&rel, ancestors, found),
                (None, true) => return found.problems.push(not_utf8(&rel)),
                (None, false) => return,
                (Some(_), false) => {}
            }
            // A folder on the way: its own problems are reported by the walk
            // that reads it, so here it is only passed or not.
            match self.resolve(&rel, ancestors) {
                Ok(Some((meta, real))) if meta.is_dir() => ancestors.push(real),
                _ => return,
            }
        }
    }

    /// Takes in the entry at `rel`: a file, or a folder and what it holds.
    fn entry(&self, rel: &Path, ancestors: &[PathBuf], found: &mut Found) {
        let (meta, real) = match self.resolve(rel, ancestors) {
            Ok(Some(resolved)) => resolved,
            Ok(None) => return,
            Err(problem) => return found.problems.push(problem),
        };
        if meta.is_dir() {
            self.folder_at(rel, Some(real), ancestors, found);
        } else if meta.is_file() {
            found.files.push(rel.to_path_buf());
        } else {
            found.problems.push(
                Diagnostic::in_file(rel, "neither a file nor a folder: left out")
                    .with_hint("only files and folders are read; remove this one")
                    .as_warning(),
            );
        }
    }

    /// What the entry at `rel` is, and its real path: through a link when
    /// the link may be followed, or why not. `None` when it is gone.
    fn resolve(
        &self,
        rel: &Path,
        ancestors: &[PathBuf],
    ) -> Result<Option<(Metadata, PathBuf)>, Diagnostic> {
        let path = self.root.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return Ok(None);
        };
        let Some(parent) = ancestors.last() else {
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
        if ancestors.iter().any(|folder| folder.starts_with(&real)) {
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
}

/// The error for a folder that cannot be listed.
fn cannot_read(rel: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::in_file(rel, format!("cannot read: {err}"))
        .with_hint("check the folder's permissions")
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
    fn files_of_folders_read_in_parallel_come_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut expected = Vec::new();
        // Names whose byte order is not their path order ("a-b" < "a/x").
        for folder in ["a", "a-b", "a.b", "a0", "b/c", "b/c/d", "b-c", "z"] {
            std::fs::create_dir_all(root.join("content").join(folder)).unwrap();
            for file in ["x.md", "x-1.md", "y.md"] {
                let path = Path::new("content").join(folder).join(file);
                std::fs::write(root.join(&path), "").unwrap();
                expected.push(path);
            }
        }
        // Files beside the folders, between them in path order.
        for file in ["content/a.md", "content/b.md", "content/b/c.md"] {
            std::fs::write(root.join(file), "").unwrap();
            expected.push(PathBuf::from(file));
        }
        expected.sort();
        let (found, problems) = walk_all(root);
        assert_eq!(found, expected);
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
