//! One build at a time per output folder.
//!
//! Two builds writing one output at once would mix their trees, so a build
//! holds a lock from before it reads the site until its output is swapped
//! in: a second build waits (loading the site only once the first is done,
//! so the last build started writes the newest notes), or with `--no-wait`
//! fails at once. The lock is an advisory `flock` on `.NAME.talkbook-lock`
//! beside the output, which names the build holding it; the system releases
//! it when that process ends, killed or not, so a lock is never stale.
//!
//! The holder removes the file when done, while still holding the lock. A
//! build that was waiting on the removed file then holds a lock on a file
//! no longer there, so after taking the lock each build checks that the
//! file at the path is still the one it locked, and starts again if not.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};
use rustix::io::Errno;

use crate::diagnostics::Diagnostic;

/// A held lock on one output folder; released when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    /// Holds the lock while open.
    file: File,
}

/// Takes the lock on `output`, waiting for another build holding it if
/// `wait` (saying so on stderr), else failing at once.
pub fn lock(output: &Path, wait: bool) -> Result<Lock, Diagnostic> {
    let path = lock_path(output);
    let mut told = false;
    loop {
        let file = open(&path).map_err(|err| cannot(&path, err))?;
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(Errno::WOULDBLOCK) if !wait => return Err(busy(output, &holder(&path))),
            Err(Errno::WOULDBLOCK) => {
                if !told {
                    eprintln!(
                        "waiting for {} to finish writing {} ...",
                        holder(&path),
                        output.display()
                    );
                    told = true;
                }
                block(&file).map_err(|err| cannot(&path, err))?;
            }
            Err(err) => return Err(cannot(&path, err.into())),
        }
        if still_at(&file, &path) {
            let lock = Lock { path, file };
            // Naming the holder only helps the message of a waiting build.
            let _ = lock.name_holder();
            return Ok(lock);
        }
    }
}

impl Lock {
    fn name_holder(&self) -> io::Result<()> {
        let command: Vec<String> = std::env::args().collect();
        let text = format!(
            "talkbook build (pid {}: {})",
            std::process::id(),
            command.join(" ")
        );
        self.file.set_len(0)?;
        self.file.write_all_at(text.as_bytes(), 0)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: see the module documentation.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `.NAME.talkbook-lock` beside the output folder NAME.
fn lock_path(output: &Path) -> PathBuf {
    super::beside(output, "lock")
}

fn open(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Waits for the lock, through signals that interrupt the wait.
fn block(file: &File) -> io::Result<()> {
    loop {
        match flock(file, FlockOperation::LockExclusive) {
            Err(Errno::INTR) => continue,
            result => return result.map_err(io::Error::from),
        }
    }
}

/// Whether the file at `path` is still `file`, not removed or replaced.
fn still_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(locked), Ok(now)) => locked.dev() == now.dev() && locked.ino() == now.ino(),
        _ => false,
    }
}

/// What the lock file at `path` says of the build holding it.
fn holder(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => text.trim().to_string(),
        _ => "another talkbook build".to_string(),
    }
}

fn busy(output: &Path, holder: &str) -> Diagnostic {
    Diagnostic::site_wide(format!(
        "{holder} is writing {} right now; not waiting for it (--no-wait)",
        output.display()
    ))
    .with_hint("build again once it is done, or without --no-wait to wait for it")
}

fn cannot(path: &Path, err: io::Error) -> Diagnostic {
    Diagnostic::site_wide(format!(
        "cannot lock the output folder with {}: {err}",
        path.display()
    ))
    .with_hint("check the permissions of the folder holding the output folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_or_fails_and_the_file_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = lock(&out, false).unwrap();
        let lock_file = dir.path().join(".public.talkbook-lock");
        assert!(
            std::fs::read_to_string(&lock_file)
                .unwrap()
                .starts_with(&format!("talkbook build (pid {}: ", std::process::id()))
        );
        let err = lock(&out, false).unwrap_err();
        assert!(err.message.contains("is writing"), "{err}");
        assert!(err.message.contains("--no-wait"), "{err}");

        let waiter = std::thread::spawn(move || lock(&out, true).map(|_| ()));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!waiter.is_finished(), "the second lock did not wait");
        drop(first);
        waiter.join().unwrap().unwrap();
        assert!(!lock_file.exists(), "lock file left behind");
    }
}
