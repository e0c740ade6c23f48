//! Entries in this process: a bounded map that evicts the least recently
//! used entry when full, and drops expired entries when it meets them.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// LiteLLM's default bound of its in-memory cache (`max_size_in_memory`).
pub const DEFAULT_MAX_ENTRIES: usize = 200;

/// An in-process store of text values.
#[derive(Debug)]
pub struct MemoryStore {
    max_entries: usize,
    inner: Mutex<Lru>,
}

#[derive(Debug, Default)]
struct Lru {
    slots: HashMap<String, Slot>,
    /// Use order: tick -> key, oldest first.
    order: BTreeMap<u64, String>,
    tick: u64,
}

#[derive(Debug)]
struct Slot {
    value: String,
    expires: Option<Instant>,
    tick: u64,
}

impl Lru {
    fn remove(&mut self, key: &str) {
        if let Some(slot) = self.slots.remove(key) {
            self.order.remove(&slot.tick);
        }
    }

    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }
}

impl MemoryStore {
    /// A store holding at most `max_entries` entries (at least one).
    pub fn new(max_entries: usize) -> Self {
        MemoryStore {
            max_entries: max_entries.max(1),
            inner: Mutex::new(Lru::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        // A panic while holding the lock leaves a consistent map (every
        // mutation is a single insert/remove pair): keep serving it.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value under `key`, unless absent or expired; marks it used.
    pub fn get(&self, key: &str) -> Option<String> {
        let mut lru = self.lock();
        let now = Instant::now();
        let expired = lru
            .slots
            .get(key)
            .map(|s| s.expires.is_some_and(|e| e <= now))?;
        if expired {
            lru.remove(key);
            return None;
        }
        let tick = lru.next_tick();
        let slot = lru.slots.get_mut(key)?;
        let old = std::mem::replace(&mut slot.tick, tick);
        let value = slot.value.clone();
        lru.order.remove(&old);
        lru.order.insert(tick, key.to_string());
        Some(value)
    }

    /// Stores `value` under `key` for `ttl` (None: until evicted).
    pub fn set(&self, key: &str, value: String, ttl: Option<Duration>) {
        let mut lru = self.lock();
        lru.remove(key);
        let now = Instant::now();
        if lru.slots.len() >= self.max_entries {
            // Expired entries go first, then the least recently used.
            let expired: Vec<String> = lru
                .slots
                .iter()
                .filter(|(_, s)| s.expires.is_some_and(|e| e <= now))
                .map(|(k, _)| k.clone())
                .collect();
            for k in expired {
                lru.remove(&k);
            }
        }
        while lru.slots.len() >= self.max_entries {
            let Some((_, oldest)) = lru.order.pop_first() else {
                break;
            };
            lru.slots.remove(&oldest);
        }
        let tick = lru.next_tick();
        lru.order.insert(tick, key.to_string());
        lru.slots.insert(
            key.to_string(),
            Slot {
                value,
                expires: ttl.map(|t| now + t),
                tick,
            },
        );
    }

    /// Removes `key`.
    pub fn delete(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Removes every entry.
    pub fn flush(&self) {
        let mut lru = self.lock();
        lru.slots.clear();
        lru.order.clear();
    }

    /// How many entries are held (expired ones not yet met included).
    pub fn len(&self) -> usize {
        self.lock().slots.len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_recently_used_goes_first() {
        let m = MemoryStore::new(2);
        m.set("a", "1".into(), None);
        m.set("b", "2".into(), None);
        assert_eq!(m.get("a").as_deref(), Some("1")); // a is now newer than b
        m.set("c", "3".into(), None);
        assert_eq!(m.get("b"), None);
        assert_eq!(m.get("a").as_deref(), Some("1"));
        assert_eq!(m.get("c").as_deref(), Some("3"));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn entries_expire_and_overwrites_keep_one_slot() {
        let m = MemoryStore::new(10);
        m.set("a", "1".into(), Some(Duration::from_millis(20)));
        m.set("a", "2".into(), Some(Duration::from_millis(20)));
        assert_eq!((m.get("a").as_deref(), m.len()), (Some("2"), 1));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(m.get("a"), None);
        assert!(m.is_empty());
    }
}
