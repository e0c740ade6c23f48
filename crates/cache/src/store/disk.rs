//! Entries as files in one directory, shared by every process that opens
//! it: one file per key (named by the SHA-256 of the key, so any key is a
//! safe file name), written to a temporary name and renamed into place so a
//! reader never sees half an entry. The first line of a file is its expiry
//! (Unix milliseconds, or `-` for none); the rest is the value.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::error::CacheError;

/// LiteLLM's default directory for its disk cache.
pub const DEFAULT_DIR: &str = ".litellm_cache";

const SUFFIX: &str = "entry";

/// A directory of entries.
#[derive(Debug, Clone)]
pub struct DiskStore {
    dir: PathBuf,
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

impl DiskStore {
    /// Opens (creating it if needed) the directory `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, CacheError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| CacheError::Disk {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(DiskStore { dir })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &str) -> PathBuf {
        let name = hex::encode(Sha256::digest(key.as_bytes()));
        self.dir.join(format!("{name}.{SUFFIX}"))
    }

    fn io(&self, path: &Path, source: std::io::Error) -> CacheError {
        CacheError::Disk {
            path: path.display().to_string(),
            source,
        }
    }

    /// The value under `key`, unless absent or expired (an expired file is removed).
    pub fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        let path = self.path(key);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(&path, e)),
        };
        let Some((expiry, value)) = text.split_once('\n') else {
            return Ok(None); // not one of ours: a miss
        };
        let expired = match expiry {
            "-" => false,
            ms => ms.parse::<u128>().map_or(true, |at| at <= now_ms()),
        };
        if expired {
            let _ = std::fs::remove_file(&path);
            return Ok(None);
        }
        Ok(Some(value.to_string()))
    }

    /// Stores `value` under `key` for `ttl` (None: until flushed).
    pub fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), CacheError> {
        let path = self.path(key);
        let expiry = ttl.map_or_else(
            || "-".to_string(),
            |t| (now_ms() + t.as_millis()).to_string(),
        );
        let tmp = self.dir.join(format!(
            ".{}.{}.{:x}.tmp",
            std::process::id(),
            now_ms(),
            unique()
        ));
        std::fs::write(&tmp, format!("{expiry}\n{value}")).map_err(|e| self.io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            self.io(&path, e)
        })
    }

    /// Removes `key`.
    pub fn delete(&self, key: &str) -> Result<(), CacheError> {
        let path = self.path(key);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(self.io(&path, e)),
            _ => Ok(()),
        }
    }

    /// Removes every entry (and nothing else) of the directory.
    pub fn flush(&self) -> Result<(), CacheError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| self.io(&self.dir, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == SUFFIX) {
                match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != ErrorKind::NotFound => return Err(self.io(&path, e)),
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// A per-process counter, so two writers of one key never share a temp file.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn entries_survive_reopen_expire_and_flush() {
        let dir = std::env::temp_dir().join(format!("llmrelay-cache-disk-{}", std::process::id()));
        let store = DiskStore::open(&dir).unwrap();
        store.set("ns:k", "v\nwith lines", None).unwrap();
        store
            .set("short", "x", Some(Duration::from_millis(10)))
            .unwrap();
        let again = DiskStore::open(&dir).unwrap();
        assert_eq!(again.get("ns:k").unwrap().as_deref(), Some("v\nwith lines"));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(again.get("short").unwrap(), None);
        std::fs::write(dir.join("keep.txt"), "not an entry").unwrap();
        again.flush().unwrap();
        assert_eq!(again.get("ns:k").unwrap(), None);
        assert!(dir.join("keep.txt").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
