//! tiktoken's byte-pair encoding over the build-time tables of `vocab.rs`.
//!
//! Text is split by the encoding's regular expression (tiktoken's published
//! patterns); a piece that is itself a token is that token, any other is
//! merged from its bytes, always merging the adjacent pair whose joined bytes
//! have the lowest rank (the leftmost on a tie), exactly as tiktoken does.
//! The only start-up work is compiling the pattern, on first use.

use std::sync::OnceLock;

use fancy_regex::Regex;

use crate::vocab::Vocab;

/// r50k_base's and p50k_base's pattern.
const GPT2_PATTERN: &str =
    r"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s";

/// cl100k_base's pattern.
const CL100K_PATTERN: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";

/// o200k_base's pattern.
const O200K_PATTERN: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n/]*",
    r"|\s*[\r\n]+",
    r"|\s+(?!\S)",
    r"|\s+",
);

/// One encoding: its vocabulary and its splitting pattern.
pub(crate) struct Bpe {
    vocab: &'static Vocab,
    pattern: &'static str,
    regex: OnceLock<Option<Regex>>,
}

pub(crate) static O200K_BASE: Bpe = Bpe::new(&crate::vocab::O200K_BASE, O200K_PATTERN);
pub(crate) static CL100K_BASE: Bpe = Bpe::new(&crate::vocab::CL100K_BASE, CL100K_PATTERN);
pub(crate) static P50K_BASE: Bpe = Bpe::new(&crate::vocab::P50K_BASE, GPT2_PATTERN);
pub(crate) static R50K_BASE: Bpe = Bpe::new(&crate::vocab::R50K_BASE, GPT2_PATTERN);

/// A rank no pair has: the pair cannot merge.
const NO_MERGE: u32 = u32::MAX;

impl Bpe {
    const fn new(vocab: &'static Vocab, pattern: &'static str) -> Bpe {
        Bpe {
            vocab,
            pattern,
            regex: OnceLock::new(),
        }
    }

    /// The splitting pattern, compiled on first use. The patterns are
    /// constants tested to compile; `None` would mean a broken build.
    fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| Regex::new(self.pattern).ok())
            .as_ref()
    }

    /// tiktoken's `encode_ordinary`: special-token text is ordinary text.
    /// A match the regex engine gives up on (its backtracking limit; see
    /// `MAX_WHITESPACE_RUN`) is reported as `Err` with the tokens so far.
    pub(crate) fn encode_ordinary(&self, text: &str) -> Result<Vec<u32>, Vec<u32>> {
        let mut out = Vec::with_capacity(text.len() / 3 + 1);
        let Some(regex) = self.regex() else {
            return Err(out);
        };
        for found in regex.find_iter(text) {
            match found {
                Ok(piece) => self.encode_piece(piece.as_str().as_bytes(), &mut out),
                Err(_) => return Err(out),
            }
        }
        Ok(out)
    }

    /// How many tokens `text` encodes to (no ids kept).
    pub(crate) fn count(&self, text: &str) -> Result<usize, usize> {
        self.encode_ordinary(text)
            .map(|ids| ids.len())
            .map_err(|ids| ids.len())
    }

    fn encode_piece(&self, piece: &[u8], out: &mut Vec<u32>) {
        if let Some(rank) = self.vocab.rank(piece) {
            out.push(rank);
            return;
        }
        let bounds = self.merge(piece);
        for pair in bounds.windows(2) {
            // Every merged part is a token: single bytes all are, and a merge
            // only joins parts whose joined bytes have a rank.
            if let Some(rank) = self.vocab.rank(&piece[pair[0]..pair[1]]) {
                out.push(rank);
            }
        }
    }

    /// The part boundaries of `piece` after every merge: repeatedly join
    /// the adjacent pair whose bytes rank lowest, the leftmost on a tie.
    fn merge(&self, piece: &[u8]) -> Vec<usize> {
        let rank_of = |bytes: &[u8]| self.vocab.rank(bytes).unwrap_or(NO_MERGE);
        // parts[i] = (start of part i, rank of part i joined with part i + 1).
        let mut parts: Vec<(usize, u32)> = (0..piece.len())
            .map(|i| {
                let pair = piece.get(i..i + 2).map_or(NO_MERGE, rank_of);
                (i, pair)
            })
            .collect();
        parts.push((piece.len(), NO_MERGE));
        // The rank of part i joined with part i + 1, once part i + 1 is gone.
        let joined = |parts: &[(usize, u32)], i: usize| match parts.get(i + 3) {
            Some(&(end, _)) => rank_of(&piece[parts[i].0..end]),
            None => NO_MERGE,
        };
        let lowest = |parts: &[(usize, u32)]| {
            parts[..parts.len() - 1]
                .iter()
                .enumerate()
                .filter(|(_, (_, rank))| *rank != NO_MERGE)
                .min_by_key(|(i, (_, rank))| (*rank, *i))
                .map(|(at, _)| at)
        };
        while let Some(at) = lowest(&parts) {
            if at > 0 {
                parts[at - 1].1 = joined(&parts, at - 1);
            }
            parts[at].1 = joined(&parts, at);
            parts.remove(at + 1);
        }
        parts.into_iter().map(|(start, _)| start).collect()
    }

    /// tiktoken's `decode_bytes`; `Err` carries the first unknown id.
    pub(crate) fn decode_bytes(&self, ids: &[u32]) -> Result<Vec<u8>, u32> {
        let mut out = Vec::with_capacity(ids.len() * 4);
        for &id in ids {
            out.extend_from_slice(self.vocab.decode_token(id).ok_or(id)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn patterns_compile() {
        for bpe in [&O200K_BASE, &CL100K_BASE, &P50K_BASE, &R50K_BASE] {
            assert!(bpe.regex().is_some(), "{}", bpe.pattern);
        }
    }

    #[test]
    fn known_ids() {
        assert_eq!(
            CL100K_BASE.encode_ordinary("hello world").unwrap(),
            [15339, 1917]
        );
        assert_eq!(
            O200K_BASE.encode_ordinary("hello world").unwrap(),
            [24912, 2375]
        );
        assert_eq!(
            CL100K_BASE.decode_bytes(&[100_257]).unwrap(),
            b"<|endoftext|>"
        );
        assert_eq!(CL100K_BASE.decode_bytes(&[100_300]), Err(100_300));
    }
}
