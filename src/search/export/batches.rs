//! The static index's files as the export makes them, handed on in
//! batches: at 100,000 notes the index is some 350 MB of files, which a
//! build then writes as it goes instead of holding them all until the end.

use crate::diagnostics::Diagnostic;
use crate::files::Files;

/// About how many bytes of files a batch holds before it is handed on.
/// Each batch the output is told of rewrites its list of files being
/// written, so batches are few (about six at 100,000 notes).
pub const BATCH_BYTES: usize = 64 * 1024 * 1024;

/// Files made, kept until they are a batch's worth, then handed on.
pub struct Batches<'a> {
    batch: Files,
    bytes: usize,
    batch_bytes: usize,
    made: usize,
    hand_on: &'a mut dyn FnMut(Files) -> Result<(), Diagnostic>,
    failed: Option<Diagnostic>,
}

impl<'a> Batches<'a> {
    /// Batches of about `batch_bytes`, handed to `hand_on`.
    pub fn new(
        batch_bytes: usize,
        hand_on: &'a mut dyn FnMut(Files) -> Result<(), Diagnostic>,
    ) -> Batches<'a> {
        Batches {
            batch: Files::new(),
            bytes: 0,
            batch_bytes,
            made: 0,
            hand_on,
            failed: None,
        }
    }

    /// One more file. Once handing a batch on has failed, files are
    /// dropped: [`Batches::finish`] gives the failure.
    pub fn insert(&mut self, path: String, bytes: Vec<u8>) {
        if self.failed.is_some() {
            return;
        }
        self.made += 1;
        self.bytes += bytes.len();
        self.batch.insert(path, bytes);
        if self.bytes >= self.batch_bytes {
            self.hand_on_batch();
        }
    }

    /// How many files were made so far.
    pub fn len(&self) -> usize {
        self.made
    }

    /// Hands on the last batch; the first failure to hand one on, if any.
    pub fn finish(mut self) -> Result<(), Diagnostic> {
        self.hand_on_batch();
        self.failed.map_or(Ok(()), Err)
    }

    fn hand_on_batch(&mut self) {
        if self.failed.is_some() || self.batch.is_empty() {
            return;
        }
        self.bytes = 0;
        let batch = std::mem::take(&mut self.batch);
        if let Err(failed) = (self.hand_on)(batch) {
            self.failed = Some(failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_handed_on_in_batches_once_big_enough_and_at_the_end() {
        let mut handed: Vec<Vec<String>> = Vec::new();
        let mut hand_on = |batch: Files| {
            handed.push(batch.into_keys().collect());
            Ok(())
        };
        let mut files = Batches::new(10, &mut hand_on);
        files.insert("a".into(), vec![0; 9]);
        files.insert("b".into(), vec![0; 1]);
        files.insert("c".into(), vec![0; 10]);
        assert_eq!(files.len(), 3);
        files.finish().unwrap();
        assert_eq!(handed, [vec!["a", "b"], vec!["c"]]);
    }

    #[test]
    fn a_batch_that_cannot_be_handed_on_fails_the_export_and_stops_the_rest() {
        let mut calls = 0;
        let mut hand_on = |_: Files| {
            calls += 1;
            Err(Diagnostic::site_wide("disk full".to_string()))
        };
        let mut files = Batches::new(10, &mut hand_on);
        files.insert("a".into(), vec![0; 10]);
        files.insert("b".into(), vec![0; 10]);
        let failed = files.finish().unwrap_err();
        assert!(failed.to_string().contains("disk full"), "{failed}");
        assert_eq!(calls, 1);
    }
}
