//! Where entries live: in this process, in Redis or in a directory. One
//! enum rather than a trait object: three known stores, static dispatch,
//! and async only where I/O is (Redis; disk work moves to the blocking pool
//! when a runtime is there).

pub mod disk;
pub mod memory;
pub mod redis;

use std::time::Duration;

use crate::error::CacheError;

pub use self::disk::DiskStore;
pub use self::memory::MemoryStore;
pub use self::redis::{RedisStore, RedisTarget};

/// A store of text values under text keys, each with an optional lifetime.
#[derive(Debug)]
pub enum Store {
    /// In this process (bounded, least recently used first out).
    Memory(MemoryStore),
    /// In Redis, shared by every process pointing at it.
    Redis(RedisStore),
    /// In a directory, shared by the processes of one machine.
    Disk(DiskStore),
}

impl Store {
    /// LiteLLM's name of the store's type (`local`, `redis`, `disk`).
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Memory(_) => "local",
            Store::Redis(_) => "redis",
            Store::Disk(_) => "disk",
        }
    }

    /// The value under `key`, if present and not expired.
    pub async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        match self {
            Store::Memory(m) => Ok(m.get(key)),
            Store::Redis(r) => r.get(key).await,
            Store::Disk(d) => {
                let (d, key) = (d.clone(), key.to_string());
                blocking(move || d.get(&key)).await
            }
        }
    }

    /// Stores `value` under `key` for `ttl` (None: no expiry).
    pub async fn set(
        &self,
        key: &str,
        value: String,
        ttl: Option<Duration>,
    ) -> Result<(), CacheError> {
        match self {
            Store::Memory(m) => {
                m.set(key, value, ttl);
                Ok(())
            }
            Store::Redis(r) => r.set(key, &value, ttl).await,
            Store::Disk(d) => {
                let (d, key) = (d.clone(), key.to_string());
                blocking(move || d.set(&key, &value, ttl)).await
            }
        }
    }

    /// Removes `key`.
    pub async fn delete(&self, key: &str) -> Result<(), CacheError> {
        match self {
            Store::Memory(m) => {
                m.delete(key);
                Ok(())
            }
            Store::Redis(r) => r.delete(key).await,
            Store::Disk(d) => {
                let (d, key) = (d.clone(), key.to_string());
                blocking(move || d.delete(&key)).await
            }
        }
    }

    /// Removes every entry of this cache.
    pub async fn flush(&self) -> Result<(), CacheError> {
        match self {
            Store::Memory(m) => {
                m.flush();
                Ok(())
            }
            Store::Redis(r) => r.flush().await,
            Store::Disk(d) => {
                let d = d.clone();
                blocking(move || d.flush()).await
            }
        }
    }
}

/// Runs file I/O on the runtime's blocking pool when there is a runtime
/// (the gateway), inline otherwise.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CacheError> + Send + 'static,
) -> Result<T, CacheError> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::CurrentThread => {
            match handle.spawn_blocking(work).await {
                Ok(result) => result,
                Err(e) => Err(CacheError::Disk {
                    path: String::new(),
                    source: std::io::Error::other(e.to_string()),
                }),
            }
        }
        _ => work(),
    }
}
