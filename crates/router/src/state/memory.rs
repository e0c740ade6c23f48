//! [`InMemoryState`]: one process's state, lock-free to read.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use super::{MinuteUsage, RouterState};
use crate::clock::{millis, minute_of};

/// Latency samples kept per deployment.
const LATENCY_SAMPLES: usize = 10;

/// Per-deployment state in this process's memory. Counters are atomics, so
/// reading a candidate costs a few loads; a minute window that has passed
/// reads as zero and is reset by the next write.
#[derive(Debug, Default)]
pub struct InMemoryState {
    slots: OnceLock<Box<[Slot]>>,
    /// The latest cooldown end of any slot.
    latest_cooldown_end: AtomicU64,
}

// `repr(C)` keeps the fields a pick reads (in flight, cooldown, usage) at
// the front, in the slot's first cache line.
#[derive(Debug, Default)]
#[repr(C)]
struct Slot {
    in_flight: AtomicU64,
    cooldown_until: AtomicU64,
    /// The minute `requests` and `tokens` count.
    usage_minute: AtomicU64,
    requests: AtomicU64,
    tokens: AtomicU64,
    /// Average of the live samples, in microseconds, and when the newest
    /// sample stops counting (0: no sample).
    latency_us: AtomicU64,
    latency_expires: AtomicU64,
    /// The minute `failures` counts.
    failure_minute: AtomicU64,
    failures: AtomicU64,
    samples: Mutex<VecDeque<(u64, u64)>>,
}

impl InMemoryState {
    /// An empty state; the router attaches its deployments.
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, slot: usize) -> Option<&Slot> {
        self.slots.get().and_then(|slots| slots.get(slot))
    }
}

/// Brings a per-minute counter to `minute`, zeroing it when the window moved.
/// Two racing resets lose at most the increments made between them.
fn roll(window: &AtomicU64, counter: &AtomicU64, minute: u64) {
    let seen = window.load(Relaxed);
    if seen != minute
        && window
            .compare_exchange(seen, minute, Relaxed, Relaxed)
            .is_ok()
    {
        counter.store(0, Relaxed);
    }
}

fn read_window(window: &AtomicU64, counter: &AtomicU64, minute: u64) -> u64 {
    if window.load(Relaxed) == minute {
        counter.load(Relaxed)
    } else {
        0
    }
}

impl RouterState for InMemoryState {
    fn attach(&self, ids: &[String]) {
        let _ = self
            .slots
            .set(ids.iter().map(|_| Slot::default()).collect());
    }

    fn start_call(&self, slot: usize, now_ms: u64) {
        if let Some(s) = self.slot(slot) {
            s.in_flight.fetch_add(1, Relaxed);
            roll(&s.usage_minute, &s.requests, minute_of(now_ms));
            s.requests.fetch_add(1, Relaxed);
        }
    }

    fn end_call(&self, slot: usize) {
        if let Some(s) = self.slot(slot) {
            // Never below zero, even if a backend was swapped mid-call.
            let _ = s
                .in_flight
                .fetch_update(Relaxed, Relaxed, |n| Some(n.saturating_sub(1)));
        }
    }

    fn in_flight(&self, slot: usize) -> u64 {
        self.slot(slot).map_or(0, |s| s.in_flight.load(Relaxed))
    }

    fn record_tokens(&self, slot: usize, now_ms: u64, tokens: u64) {
        if let Some(s) = self.slot(slot) {
            // `requests` shares the window: roll both together.
            let minute = minute_of(now_ms);
            if s.usage_minute.load(Relaxed) != minute {
                roll(&s.usage_minute, &s.requests, minute);
                s.tokens.store(0, Relaxed);
            }
            s.tokens.fetch_add(tokens, Relaxed);
        }
    }

    fn usage(&self, slot: usize, now_ms: u64) -> MinuteUsage {
        let minute = minute_of(now_ms);
        self.slot(slot)
            .map_or_else(MinuteUsage::default, |s| MinuteUsage {
                requests: read_window(&s.usage_minute, &s.requests, minute),
                tokens: read_window(&s.usage_minute, &s.tokens, minute),
            })
    }

    fn record_latency(&self, slot: usize, now_ms: u64, latency: Duration, ttl: Duration) {
        let Some(s) = self.slot(slot) else {
            return;
        };
        let expires = now_ms.saturating_add(millis(ttl));
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        let mut samples = s.samples.lock().unwrap_or_else(PoisonError::into_inner);
        samples.retain(|(exp, _)| *exp > now_ms);
        if samples.len() == LATENCY_SAMPLES {
            samples.pop_front();
        }
        samples.push_back((expires, micros));
        let sum: u64 = samples.iter().map(|(_, us)| *us).sum();
        let avg = sum / samples.len().max(1) as u64;
        s.latency_us.store(avg, Relaxed);
        s.latency_expires.store(expires, Relaxed);
    }

    fn latency(&self, slot: usize, now_ms: u64) -> Option<Duration> {
        let s = self.slot(slot)?;
        (s.latency_expires.load(Relaxed) > now_ms)
            .then(|| Duration::from_micros(s.latency_us.load(Relaxed)))
    }

    fn record_failure(&self, slot: usize, now_ms: u64) -> u32 {
        let Some(s) = self.slot(slot) else {
            return 0;
        };
        roll(&s.failure_minute, &s.failures, minute_of(now_ms));
        let n = s.failures.fetch_add(1, Relaxed).saturating_add(1);
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn failures(&self, slot: usize, now_ms: u64) -> u32 {
        self.slot(slot).map_or(0, |s| {
            let n = read_window(&s.failure_minute, &s.failures, minute_of(now_ms));
            u32::try_from(n).unwrap_or(u32::MAX)
        })
    }

    fn cool_down(&self, slot: usize, until_ms: u64) {
        if let Some(s) = self.slot(slot) {
            s.cooldown_until.fetch_max(until_ms, Relaxed);
            self.latest_cooldown_end.fetch_max(until_ms, Relaxed);
        }
    }

    fn latest_cooldown_end(&self) -> u64 {
        self.latest_cooldown_end.load(Relaxed)
    }

    fn cooldown_until(&self, slot: usize) -> u64 {
        self.slot(slot)
            .map_or(0, |s| s.cooldown_until.load(Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(n: usize) -> InMemoryState {
        let s = InMemoryState::new();
        s.attach(&(0..n).map(|i| i.to_string()).collect::<Vec<_>>());
        s
    }

    #[test]
    fn minute_windows_reset_and_cooldowns_only_extend() {
        let s = state(2);
        let t = 10 * 60_000;
        s.start_call(0, t);
        s.record_tokens(0, t, 50);
        assert_eq!(
            s.usage(0, t),
            MinuteUsage {
                requests: 1,
                tokens: 50
            }
        );
        assert_eq!(s.usage(0, t + 60_000), MinuteUsage::default());
        assert_eq!(s.record_failure(1, t), 1);
        assert_eq!(s.record_failure(1, t + 1), 2);
        assert_eq!(s.record_failure(1, t + 60_000), 1);
        s.cool_down(1, t + 5_000);
        s.cool_down(1, t + 1_000);
        assert_eq!(s.cooldown_until(1), t + 5_000);
        assert_eq!(s.latest_cooldown_end(), t + 5_000);
        // A later failure extends it.
        s.cool_down(1, t + 8_000);
        assert_eq!(s.cooldown_until(1), t + 8_000);
        s.end_call(0);
        s.end_call(0);
        assert_eq!(s.in_flight(0), 0);
    }

    #[test]
    fn latency_averages_live_samples_and_expires() {
        let s = state(1);
        let ttl = Duration::from_secs(10);
        s.record_latency(0, 1_000, Duration::from_millis(100), ttl);
        s.record_latency(0, 2_000, Duration::from_millis(300), ttl);
        assert_eq!(s.latency(0, 2_000), Some(Duration::from_millis(200)));
        assert_eq!(s.latency(0, 12_001), None);
    }
}
