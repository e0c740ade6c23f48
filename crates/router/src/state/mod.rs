//! What the router remembers about each deployment between calls: calls in
//! flight, this minute's requests, tokens and failures, recent latency, and
//! cooldown deadlines. Behind [`RouterState`] so several gateway instances can
//! share it (a Redis implementation) while one process uses [`InMemoryState`].
//!
//! The trait is synchronous on purpose: it is read for every candidate in the
//! selection hot path (microseconds for 100 deployments). A shared backend
//! keeps a local mirror that these methods read and write, and synchronises
//! it with the shared store in the background.

mod memory;

use std::time::Duration;

pub use memory::InMemoryState;

/// Requests and tokens counted in the current minute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinuteUsage {
    /// Calls started.
    pub requests: u64,
    /// Tokens used (prompt + completion) by calls that finished.
    pub tokens: u64,
}

/// Per-deployment state. A deployment is named by its `slot`, its position in
/// the router's list ([`Router::deployments`](crate::Router::deployments)
/// gives the id of each slot); `now_ms` is the router clock's reading.
pub trait RouterState: Send + Sync + std::fmt::Debug {
    /// Makes room for `ids.len()` deployments (called once, by the router's
    /// constructor, before any other method).
    fn attach(&self, ids: &[String]);

    /// A call to `slot` starts: one more in flight, one more request this minute.
    fn start_call(&self, slot: usize, now_ms: u64);

    /// A call to `slot` ended (either way).
    fn end_call(&self, slot: usize);

    /// Calls to `slot` in flight now.
    fn in_flight(&self, slot: usize) -> u64;

    /// Adds `tokens` to this minute's usage of `slot`.
    fn record_tokens(&self, slot: usize, now_ms: u64, tokens: u64);

    /// This minute's usage of `slot`.
    fn usage(&self, slot: usize, now_ms: u64) -> MinuteUsage;

    /// A latency sample of `slot` (whole call, or time to first token for a
    /// stream); samples older than `ttl` stop counting.
    fn record_latency(&self, slot: usize, now_ms: u64, latency: Duration, ttl: Duration);

    /// The recent average latency of `slot`, if any sample is younger than its ttl.
    fn latency(&self, slot: usize, now_ms: u64) -> Option<Duration>;

    /// Counts a failure of `slot`; returns the failures of this minute, this one included.
    fn record_failure(&self, slot: usize, now_ms: u64) -> u32;

    /// Failures of `slot` this minute.
    fn failures(&self, slot: usize, now_ms: u64) -> u32;

    /// Cools `slot` down until `until_ms`, or later if it already is.
    fn cool_down(&self, slot: usize, until_ms: u64);

    /// When `slot`'s cooldown ends (a time in the past, or 0, when it is healthy).
    fn cooldown_until(&self, slot: usize) -> u64;

    /// The latest cooldown end of any deployment (0 when none was ever
    /// cooled down). While it is in the past a pick skips the per-deployment
    /// cooldown reads. The default, `u64::MAX`, means "read each one".
    fn latest_cooldown_end(&self) -> u64 {
        u64::MAX
    }
}
