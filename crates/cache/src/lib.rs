//! llmrelay-cache: a response cache with LiteLLM's rules, shared by the
//! gateway (`litellm_settings.cache`) and the Python package
//! (`llmrelay.cache = Cache(...)`).
//!
//! - [`key`]: LiteLLM's cache key of a call (SHA-256 of its request
//!   parameters as Python prints them, [`pystr`]), so keys match LiteLLM's.
//! - [`control`]: per-call controls (`no-cache`, `no-store`, `ttl`,
//!   `s-maxage`) and which calls a cache serves.
//! - [`store`]: where entries live: in process (bounded LRU with TTL),
//!   Redis (with a short timeout), or a directory.
//! - [`entry`]: the stored form, LiteLLM's `{"timestamp", "response"}`.
//!
//! What it is not: an HTTP layer or a caller of providers. It stores JSON
//! answers under keys; the gateway and the Python package decide what to
//! look up and what to do with a hit.
#![warn(missing_docs)]

pub mod config;
pub mod control;
pub mod entry;
mod error;
pub mod key;
pub mod pystr;
pub mod store;

use std::time::Duration;

use serde_json::Value;

pub use config::{CacheConfig, Kind};
pub use control::{CacheControl, Mode, Policy};
pub use entry::Entry;
pub use error::CacheError;
pub use key::{cache_key, Arg, CallArgs};
pub use store::{DiskStore, MemoryStore, RedisStore, RedisTarget, Store};

/// A response cache: a store, the key rules' namespace, lifetimes and the
/// policy of which calls it serves.
#[derive(Debug)]
pub struct ResponseCache {
    store: Store,
    namespace: Option<String>,
    ttl: Option<Duration>,
    default_ttl: Option<Duration>,
    policy: Policy,
}

impl ResponseCache {
    /// Opens the cache `config` describes. A Redis store connects on first
    /// use; a disk store creates its directory now.
    pub fn open(config: &CacheConfig) -> Result<ResponseCache, CacheError> {
        let store = match &config.kind {
            Kind::Local { max_entries } => Store::Memory(MemoryStore::new(*max_entries)),
            Kind::Redis(target) => Store::Redis(RedisStore::new(
                target,
                config.timeout,
                config.namespace.clone(),
            )?),
            Kind::Disk(dir) => Store::Disk(DiskStore::open(dir)?),
        };
        Ok(ResponseCache {
            store,
            namespace: config.namespace.clone(),
            ttl: config.ttl,
            default_ttl: config.default_ttl,
            policy: config.policy.clone(),
        })
    }

    /// The store entries live in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Which calls the cache serves.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The cache's own namespace.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The key of a call made with `args` (LiteLLM's rules).
    pub fn key(&self, args: &CallArgs) -> String {
        key::cache_key(args, self.namespace.as_deref())
    }

    /// The stored answer under `key`, unless the call said `no-cache` or
    /// the entry is older than its `s-maxage`.
    pub async fn lookup(
        &self,
        key: &str,
        control: &CacheControl,
    ) -> Result<Option<Value>, CacheError> {
        if control.no_cache {
            return Ok(None);
        }
        let Some(text) = self.store.get(key).await? else {
            return Ok(None);
        };
        let entry = Entry::decode(&text)?;
        Ok(entry
            .fresh(control.max_age, entry::unix_now())
            .then_some(entry.response))
    }

    /// Stores `response` under `key`, unless the call said `no-store`. Its
    /// lifetime is the call's `ttl`, else the cache's, else the store's default.
    pub async fn insert(
        &self,
        key: &str,
        response: Value,
        control: &CacheControl,
    ) -> Result<(), CacheError> {
        if control.no_store {
            return Ok(());
        }
        let ttl = control.ttl.or(self.ttl).or(self.default_ttl);
        let text = Entry::new(response, entry::unix_now()).encode();
        self.store.set(key, text, ttl).await
    }

    /// Removes every entry of this cache.
    pub async fn flush(&self) -> Result<(), CacheError> {
        self.store.flush().await
    }
}
