//! The hash of the build-time token tables: shared by `build.rs`, which lays
//! the tables out, and `vocab.rs`, which probes them, so the two cannot drift.

/// The start slot of `bytes` in a table of `slots` slots (a power of two).
///
/// A multiplicative hash over 8-byte words (most tokens are one word), its
/// top bits taken as the slot: fast on short byte strings, stable across
/// builds and platforms.
pub(crate) fn start_slot(bytes: &[u8], slots: usize) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(word);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    let bits = slots.trailing_zeros();
    if bits == 0 {
        return 0;
    }
    (hash >> (64 - bits)) as usize
}

/// The slot count of a table holding `tokens` entries: a power of two at
/// least twice as large, so linear probes stay short.
pub(crate) fn slots_for(tokens: usize) -> usize {
    (tokens * 2).next_power_of_two()
}
