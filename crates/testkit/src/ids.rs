//! Ids that look like the real ones (`chatcmpl-` and 29 letters and digits), distinct
//! within a process, and the current Unix time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

const ALPHANUMERIC: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `prefix` followed by `len` letters and digits; never the same twice in a process.
pub(crate) fn random_id(prefix: &str, len: usize) -> String {
    static SEED: OnceLock<u64> = OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x5eed, |d| d.as_nanos() as u64)
    });
    let mut state = seed
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut id = String::with_capacity(prefix.len() + len);
    id.push_str(prefix);
    for _ in 0..len {
        let r = splitmix64(&mut state);
        id.push(char::from(ALPHANUMERIC[(r % 62) as usize]));
    }
    id
}

/// One step of SplitMix64, a small well-mixed generator (not for secrets).
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_prefix_length_and_alphabet_and_differ() {
        let a = random_id("chatcmpl-", 29);
        let b = random_id("chatcmpl-", 29);
        assert_ne!(a, b);
        let tail = &a["chatcmpl-".len()..];
        assert_eq!(tail.len(), 29);
        assert!(tail.bytes().all(|c| c.is_ascii_alphanumeric()));
    }
}
