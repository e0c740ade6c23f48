//! A tiktoken vocabulary as the build laid it out (see `build.rs`): three
//! byte arrays compiled into the binary, read in place. Nothing is decoded,
//! allocated or relocated when a process first counts tokens; a lookup
//! touches only the few pages it reads.

use crate::table_hash::{slots_for, start_slot};

/// One encoding's token tables.
pub(crate) struct Vocab {
    /// Every token's bytes, in rank order.
    bytes: &'static [u8],
    /// `u32` LE offsets into `bytes`, one per rank plus the end.
    offsets: &'static [u8],
    /// `u32` LE hash slots: `rank + 1`, or 0 for an empty slot.
    slots: &'static [u8],
    /// Special tokens (`<|endoftext|>`...): decoded to their text, never
    /// produced by encoding ordinary text.
    specials: &'static [(u32, &'static str)],
}

macro_rules! vocab {
    ($name:literal, $specials:expr) => {
        Vocab {
            bytes: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".bytes")),
            offsets: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".offsets")),
            slots: include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".slots")),
            specials: $specials,
        }
    };
}

pub(crate) static O200K_BASE: Vocab = vocab!(
    "o200k_base",
    &[(199_999, "<|endoftext|>"), (200_018, "<|endofprompt|>")]
);
pub(crate) static CL100K_BASE: Vocab = vocab!(
    "cl100k_base",
    &[
        (100_257, "<|endoftext|>"),
        (100_258, "<|fim_prefix|>"),
        (100_259, "<|fim_middle|>"),
        (100_260, "<|fim_suffix|>"),
        (100_276, "<|endofprompt|>"),
    ]
);
pub(crate) static P50K_BASE: Vocab = vocab!("p50k_base", &[(50_256, "<|endoftext|>")]);
pub(crate) static R50K_BASE: Vocab = vocab!("r50k_base", &[(50_256, "<|endoftext|>")]);

fn u32_at(table: &[u8], index: usize) -> Option<u32> {
    let at = index.checked_mul(4)?;
    let word = table.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([word[0], word[1], word[2], word[3]]))
}

impl Vocab {
    /// How many ranks the ordinary vocabulary spans.
    pub(crate) fn ranks(&self) -> usize {
        (self.offsets.len() / 4).saturating_sub(1)
    }

    /// The bytes of ordinary token `rank`.
    pub(crate) fn token(&self, rank: u32) -> Option<&'static [u8]> {
        let rank = usize::try_from(rank).ok()?;
        let start = usize::try_from(u32_at(self.offsets, rank)?).ok()?;
        let end = usize::try_from(u32_at(self.offsets, rank.checked_add(1)?)?).ok()?;
        let bytes: &'static [u8] = self.bytes;
        bytes.get(start..end).filter(|token| !token.is_empty())
    }

    /// The bytes of `rank`, special tokens included (as tiktoken decodes them).
    pub(crate) fn decode_token(&self, rank: u32) -> Option<&'static [u8]> {
        self.token(rank).or_else(|| {
            self.specials
                .iter()
                .find(|(id, _)| *id == rank)
                .map(|(_, text)| text.as_bytes())
        })
    }

    /// The rank of the ordinary token spelled `piece`.
    pub(crate) fn rank(&self, piece: &[u8]) -> Option<u32> {
        let slots = slots_for(self.ranks());
        let mask = slots - 1;
        let mut slot = start_slot(piece, slots);
        loop {
            let entry = u32_at(self.slots, slot)?;
            let rank = entry.checked_sub(1)?;
            if self.token(rank) == Some(piece) {
                return Some(rank);
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn every_rank_round_trips_through_the_table() {
        for vocab in [&O200K_BASE, &CL100K_BASE, &P50K_BASE, &R50K_BASE] {
            let mut present = 0;
            for rank in 0..vocab.ranks() as u32 {
                if let Some(token) = vocab.token(rank) {
                    assert_eq!(vocab.rank(token), Some(rank));
                    present += 1;
                }
            }
            assert!(present >= 50_000);
        }
        assert_eq!(O200K_BASE.ranks(), 199_998);
        assert_eq!(CL100K_BASE.ranks(), 100_256);
        assert_eq!(CL100K_BASE.rank(b"hello"), Some(15339));
        assert_eq!(CL100K_BASE.rank(b"no such token, surely"), None);
        assert_eq!(P50K_BASE.token(50_256), None);
        assert_eq!(P50K_BASE.decode_token(50_256), Some(&b"<|endoftext|>"[..]));
        assert_eq!(CL100K_BASE.decode_token(9_999_999), None);
    }
}
