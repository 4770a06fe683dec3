//! Writing the site to disk without ever losing the previous one.
//!
//! The new site is written to a fresh folder beside the output folder, then
//! swapped in with one atomic rename; until then the old output is untouched,
//! so a failed or interrupted build leaves it whole. talkbook only ever
//! replaces a folder that is empty or carries its marker file: a folder it did
//! not make is refused, never deleted.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// The file that marks a folder as talkbook's output.
pub const MARKER: &str = ".talkbook-output";

/// Writes `files` (relative path → bytes) as the new contents of `output`.
pub fn write_site(output: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), Diagnostic> {
    check_replaceable(output)?;
    let staging =
        staging_dir(output).map_err(|err| failed(output, "create a folder beside", err))?;
    if let Err(err) = write_files(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(failed(output, "write", err));
    }
    swap_in(&staging, output).map_err(|err| {
        let _ = std::fs::remove_dir_all(&staging);
        failed(output, "replace", err)
    })
}

fn failed(output: &Path, what: &str, err: io::Error) -> Diagnostic {
    Diagnostic::site_wide(format!(
        "cannot {what} the output folder {}: {err}",
        output.display()
    ))
    .with_hint("check the disk space and permissions; the previous output was left as it was")
}

/// Refuses to replace a folder talkbook did not make.
pub fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::site_wide(format!(
            "refusing to write the site into {}: {why}",
            output.display()
        ))
        .with_hint(
            "choose another folder with --output or [build] output, or empty that folder yourself",
        )
    };
    match std::fs::symlink_metadata(output) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => Err(refuse("it is not a folder")),
        Ok(_) if output.join(MARKER).is_file() => Ok(()),
        Ok(_) => match std::fs::read_dir(output).map(|mut entries| entries.next().is_none()) {
            Ok(true) => Ok(()),
            Ok(false) => Err(refuse("it is not empty and was not made by talkbook")),
            Err(err) => Err(refuse(&err.to_string())),
        },
    }
}

/// A new, uniquely named folder beside `output`.
fn staging_dir(output: &Path) -> io::Result<PathBuf> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = output
        .file_name()
        .map_or("output".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(
        ".{name}.talkbook-{}-{}",
        std::process::id(),
        nanos()
    ));
    std::fs::create_dir(&staging)?;
    Ok(staging)
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn write_files(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> io::Result<()> {
    let mut folders: Vec<PathBuf> = files
        .keys()
        .filter_map(|f| Path::new(f).parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    files
        .par_iter()
        .try_for_each(|(path, bytes)| std::fs::write(dir.join(path), bytes))?;
    std::fs::write(
        dir.join(MARKER),
        "This folder is written by talkbook and replaced by each build.\n",
    )
}

/// Puts `staging` at `output`, atomically when the system allows, and removes
/// the previous output (now in `staging`'s place).
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    if exchange(staging, output).is_ok() {
        return std::fs::remove_dir_all(staging);
    }
    // No atomic exchange here (another OS or file system): two renames.
    let old = staging.with_extension("old");
    std::fs::rename(output, &old)?;
    if let Err(err) = std::fs::rename(staging, output) {
        std::fs::rename(&old, output)?;
        return Err(err);
    }
    std::fs::remove_dir_all(old)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_then_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &files(&[("a/index.html", "one"), ("old.html", "x")])).unwrap();
        write_site(&out, &files(&[("a/index.html", "two")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("old.html").exists());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "staging folders left behind: {left:?}");
    }

    #[test]
    fn refuses_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(dir.path(), &files(&[("index.html", "x")])).unwrap_err();
        assert!(err.message.contains("not made by talkbook"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn an_empty_folder_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("empty");
        std::fs::create_dir(&out).unwrap();
        write_site(&out, &files(&[("index.html", "x")])).unwrap();
        assert!(out.join(MARKER).is_file());
    }
}
