//! The spend journal: spend rows as JSON lines, appended by the recording
//! task itself (one `write` under a lock: no hop to another thread on the
//! request path), in segments. The writer rotates the segment before it
//! inserts what the old one holds, and deletes the old segment only once its
//! rows are in the database, so a crash at any point leaves every
//! acknowledged row in some segment, and opening replays them all (inserts
//! are idempotent by request id).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::spend::SpendRow;

/// The current segment and the number of the next rotated one.
#[derive(Debug)]
struct Current {
    file: File,
    next_segment: u64,
}

/// An append-only, rotating journal at `path` (rotated segments are `path.N`).
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    current: Mutex<Current>,
}

impl Journal {
    /// Opens the journal for appending after reading what a previous run
    /// left in it and in rotated segments. Returns the journal, the rows left
    /// (a torn last line, never acknowledged, is skipped) and the files they
    /// came from; call [`Journal::discard`] on those once the rows are stored.
    pub(crate) fn open(path: &Path) -> io::Result<(Journal, Vec<SpendRow>, Vec<PathBuf>)> {
        let mut leftovers = rotated_segments(path)?;
        let mut rows = Vec::new();
        for segment in &leftovers {
            rows.extend(read_rows(segment)?);
        }
        let mut next_segment = leftovers
            .iter()
            .filter_map(|p| segment_number(path, p))
            .max()
            .map_or(1, |n| n + 1);
        // The current segment's rows are replayed too: rotate it away so new
        // rows never mix with rows that are being replayed.
        if path.exists() {
            let old = segment_path(path, next_segment);
            std::fs::rename(path, &old)?;
            rows.extend(read_rows(&old)?);
            leftovers.push(old);
            next_segment += 1;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let journal = Journal {
            path: path.to_owned(),
            current: Mutex::new(Current { file, next_segment }),
        };
        Ok((journal, rows, leftovers))
    }

    /// Appends `text` (whole lines) to the current segment, then runs
    /// `then` under the same lock: what `then` queues is in journal order,
    /// and a rotation sees every row written before it in its queue.
    pub(crate) fn append<T>(&self, text: &[u8], then: impl FnOnce() -> T) -> io::Result<T> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current.file.write_all(text)?;
        Ok(then())
    }

    /// fdatasync of the current segment (a power cut keeps what it holds).
    pub(crate) fn sync(&self) -> io::Result<()> {
        // A second handle, so appends do not wait for the disk.
        let handle = {
            let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
            current.file.try_clone()?
        };
        handle.sync_data()
    }

    /// Starts a new segment. The old one is synced first, then `drain` runs
    /// under the lock (it takes every row written so far off the queue).
    /// Returns the old segment's path: discard it once its rows are stored.
    pub(crate) fn rotate(&self, drain: impl FnOnce()) -> io::Result<PathBuf> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        current.file.sync_data()?;
        let old = segment_path(&self.path, current.next_segment);
        std::fs::rename(&self.path, &old)?;
        current.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        current.next_segment += 1;
        drain();
        Ok(old)
    }

    /// Deletes segments whose rows are in the database.
    pub(crate) fn discard(segments: &mut Vec<PathBuf>) -> io::Result<()> {
        for segment in segments.drain(..) {
            match std::fs::remove_file(&segment) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

fn segment_path(path: &Path, n: u64) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

fn segment_number(path: &Path, segment: &Path) -> Option<u64> {
    let name = segment.file_name()?.to_str()?;
    let base = path.file_name()?.to_str()?;
    name.strip_prefix(base)?.strip_prefix('.')?.parse().ok()
}

/// `path.N` files beside `path`, oldest first.
fn rotated_segments(path: &Path) -> io::Result<Vec<PathBuf>> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut found: Vec<(u64, PathBuf)> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter_map(|p| segment_number(path, &p).map(|n| (n, p)))
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    found.sort();
    Ok(found.into_iter().map(|(_, p)| p).collect())
}

fn read_rows(path: &Path) -> io::Result<Vec<SpendRow>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    // A torn last line (killed mid-write) was never acknowledged: skip it.
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn row(id: &str) -> SpendRow {
        SpendRow {
            request_id: id.into(),
            ..SpendRow::default()
        }
    }

    fn line(r: &SpendRow) -> Vec<u8> {
        let mut l = serde_json::to_vec(r).unwrap();
        l.push(b'\n');
        l
    }

    #[test]
    fn rotation_keeps_every_row_until_discarded() {
        let dir = std::env::temp_dir().join(format!("llmrelay_journal_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spend.journal");
        let (journal, rows, _) = Journal::open(&path).unwrap();
        assert!(rows.is_empty());
        journal.append(&line(&row("a")), || ()).unwrap();
        let old = journal.rotate(|| ()).unwrap();
        journal.append(&line(&row("b")), || ()).unwrap();
        drop(journal);
        // Crash before `a` was stored: both come back, oldest first.
        let (journal, rows, mut leftovers) = Journal::open(&path).unwrap();
        let ids: Vec<_> = rows.iter().map(|r| r.request_id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(leftovers.contains(&old));
        Journal::discard(&mut leftovers).unwrap();
        drop(journal);
        let (_, rows, _) = Journal::open(&path).unwrap();
        assert!(rows.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn segment_names_are_recognised() {
        let p = Path::new("/x/spend.journal");
        assert_eq!(
            segment_number(p, Path::new("/x/spend.journal.12")),
            Some(12)
        );
        assert_eq!(segment_number(p, Path::new("/x/spend.journal")), None);
        assert_eq!(segment_number(p, Path::new("/x/other.journal.1")), None);
    }
}
