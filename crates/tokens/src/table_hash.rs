//! The hash of the build-time token tables: shared by `build.rs`, which lays
//! the tables out, and `vocab.rs`, which probes them, so the two cannot drift.

/// FNV-1a (64-bit) of `bytes`: simple, fast on the short byte strings tokens
/// are, and stable across builds and platforms.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The slot count of a table holding `tokens` entries: a power of two at
/// least twice as large, so linear probes stay short.
pub(crate) fn slots_for(tokens: usize) -> usize {
    (tokens * 2).next_power_of_two()
}
