//! The tiktoken encodings (tables laid out at build time, see `vocab.rs`)
//! and plain-text encode, decode and count.

use std::fmt;
use std::str::FromStr;

use crate::bpe::{self, Bpe};
use crate::TokenError;

/// A tiktoken byte-pair encoding.
///
/// These are the encodings LiteLLM counts OpenAI models with, plus the two
/// legacy GPT-3 ones for callers that encode or decode with them explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `o200k_base`: gpt-4o, gpt-4.1, gpt-5 and later, the o-series.
    O200kBase,
    /// `cl100k_base`: gpt-4, gpt-3.5-turbo, the embeddings, and LiteLLM's
    /// default for every model it has no better tokenizer for.
    Cl100kBase,
    /// `p50k_base`: the Codex and `text-davinci-002`/`-003` models.
    P50kBase,
    /// `r50k_base` (also called `gpt2`): the original GPT-3 models.
    R50kBase,
}

impl Encoding {
    /// Every encoding, in the order of the enum.
    pub const ALL: [Encoding; 4] = [
        Encoding::O200kBase,
        Encoding::Cl100kBase,
        Encoding::P50kBase,
        Encoding::R50kBase,
    ];

    /// LiteLLM's default encoding: what `token_counter` falls back to for a
    /// model that is not an OpenAI one, and what LiteLLM's own `encode` and
    /// `decode` use for every tiktoken model, whatever the model (unlike its
    /// `token_counter`, which picks per model; see [`crate::encoding_for`]).
    pub const DEFAULT: Encoding = Encoding::Cl100kBase;

    /// The encoding's tiktoken name, e.g. `"o200k_base"`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::R50kBase => "r50k_base",
        }
    }

    /// The encoder: static tables, and a pattern compiled on first use.
    fn bpe(self) -> &'static Bpe {
        match self {
            Encoding::O200kBase => &bpe::O200K_BASE,
            Encoding::Cl100kBase => &bpe::CL100K_BASE,
            Encoding::P50kBase => &bpe::P50K_BASE,
            Encoding::R50kBase => &bpe::R50K_BASE,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = TokenError;

    /// Parses a tiktoken encoding name; `gpt2` is accepted as `r50k_base`,
    /// whose ranks and pattern it shares.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "o200k_base" => Ok(Encoding::O200kBase),
            "cl100k_base" => Ok(Encoding::Cl100kBase),
            "p50k_base" => Ok(Encoding::P50kBase),
            "r50k_base" | "gpt2" => Ok(Encoding::R50kBase),
            other => Err(TokenError::UnknownEncoding(other.to_owned())),
        }
    }
}

/// The longest run of whitespace [`encode`] accepts. tiktoken's splitting
/// regex backtracks once per character of a whitespace run and gives up past
/// about a million (Python's tiktoken raises "Max stack size exceeded for
/// backtracking"; tiktoken-rs would panic), so we refuse well before that.
pub const MAX_WHITESPACE_RUN: usize = 400_000;

/// Encodes `text` into token ids, exactly as tiktoken's
/// `encode(text, disallowed_special=())` does (LiteLLM's `encode`): special
/// tokens such as `<|endoftext|>` written in the text are encoded as ordinary
/// text, never as their special ids.
///
/// # Errors
/// [`TokenError::WhitespaceRunTooLong`] when the text has more than
/// [`MAX_WHITESPACE_RUN`] consecutive whitespace characters, which tiktoken
/// cannot split; [`count_text`] counts such text without limit.
pub fn encode(enc: Encoding, text: &str) -> Result<Vec<u32>, TokenError> {
    // A run needs at least one byte per character, so short texts are safe.
    if text.len() > MAX_WHITESPACE_RUN {
        let longest = longest_whitespace_run(text);
        if longest > MAX_WHITESPACE_RUN {
            return Err(TokenError::WhitespaceRunTooLong { length: longest });
        }
    }
    // Past the guard above the regex engine cannot give up; if it did, the
    // cause could only be a whitespace run.
    enc.bpe()
        .encode_ordinary(text)
        .map_err(|_| TokenError::WhitespaceRunTooLong {
            length: longest_whitespace_run(text),
        })
}

/// The longest run of characters the splitting regex's `\s` matches
/// (Unicode `White_Space`, as `char::is_whitespace`).
fn longest_whitespace_run(text: &str) -> usize {
    let (mut longest, mut current) = (0, 0);
    for ch in text.chars() {
        current = if ch.is_whitespace() { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// Decodes token ids back into text, as tiktoken's `decode` does: bytes that
/// do not form valid UTF-8 (a multi-byte character split across the ids)
/// become U+FFFD. Special-token ids decode to their literal text.
///
/// # Errors
/// [`TokenError::InvalidTokenId`] for an id outside the encoding's vocabulary.
pub fn decode(enc: Encoding, tokens: &[u32]) -> Result<String, TokenError> {
    let bytes = enc
        .bpe()
        .decode_bytes(tokens)
        .map_err(|id| TokenError::InvalidTokenId { id, encoding: enc })?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    })
}

/// Characters (Unicode scalar values) per encoder call when counting.
///
/// LiteLLM counts text in chunks of 1,024 characters, because tiktoken's
/// merge loop is quadratic in the length of one regex piece. A count can
/// therefore differ from [`encode`]'s length by about one token per chunk
/// boundary; we chunk identically so the counts agree with LiteLLM's.
const CHUNK_CHARS: usize = 1024;

/// Above this many characters LiteLLM stops counting exactly and
/// extrapolates from evenly spaced samples.
const MAX_EXACT_CHARS: usize = 4_000_000;

/// How many samples that extrapolation takes.
const EXTRAPOLATION_SAMPLES: usize = 16;

/// Counts the tokens of `text` the way LiteLLM's `token_counter(text=...)`
/// does: encoded in 1,024-character chunks, and estimated from sixteen
/// evenly spaced samples beyond 4,000,000 characters. No per-message
/// overhead is added; see [`crate::count_messages`] for chat messages.
pub fn count_text(enc: Encoding, text: &str) -> usize {
    let chars = text.chars().count();
    if chars <= MAX_EXACT_CHARS {
        return count_chunked(enc, text);
    }
    let sample_count = EXTRAPOLATION_SAMPLES.min(MAX_EXACT_CHARS);
    let sample_chars = MAX_EXACT_CHARS / sample_count;
    let last_start = chars - sample_chars;
    let starts: Vec<usize> = (0..sample_count)
        .map(|index| last_start * index / (sample_count - 1).max(1))
        .collect();
    let offsets = char_offsets(text, &starts, sample_chars);
    let sampled_tokens: usize = offsets
        .iter()
        .map(|&(start, end)| count_chunked(enc, &text[start..end]))
        .sum();
    let sampled_chars = (sample_chars * sample_count) as u128;
    // LiteLLM rounds tokens * chars / sampled_chars half to even; exact in
    // integers here (its float division is exact at any realistic size).
    let product = sampled_tokens as u128 * chars as u128;
    let (quotient, remainder) = (product / sampled_chars, product % sampled_chars);
    let round_up = match (2 * remainder).cmp(&sampled_chars) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => quotient % 2 == 1,
        std::cmp::Ordering::Less => false,
    };
    usize::try_from(quotient + u128::from(round_up)).unwrap_or(usize::MAX)
}

/// Counts `text` exactly, one 1,024-character chunk at a time.
fn count_chunked(enc: Encoding, text: &str) -> usize {
    let bpe = enc.bpe();
    // A 1,024-character chunk is far below the regex engine's backtracking
    // limit, so the partial count of an `Err` is never taken in practice.
    let count = |chunk: &str| bpe.count(chunk).unwrap_or_else(|partial| partial);
    let mut total = 0;
    let mut chunk_start = 0;
    for (seen, (offset, _)) in text.char_indices().enumerate() {
        if seen > 0 && seen % CHUNK_CHARS == 0 {
            total += count(&text[chunk_start..offset]);
            chunk_start = offset;
        }
    }
    if chunk_start < text.len() {
        total += count(&text[chunk_start..]);
    }
    total
}

/// Byte ranges of the `len`-character windows starting at the given
/// character positions (ascending).
fn char_offsets(text: &str, starts: &[usize], len: usize) -> Vec<(usize, usize)> {
    let mut boundaries: Vec<usize> = text.char_indices().map(|(offset, _)| offset).collect();
    boundaries.push(text.len());
    starts
        .iter()
        .map(|&start| {
            let begin = boundaries.get(start).copied().unwrap_or(text.len());
            let end = boundaries.get(start + len).copied().unwrap_or(text.len());
            (begin, end)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn names_round_trip() {
        for enc in Encoding::ALL {
            assert_eq!(enc.name().parse::<Encoding>().unwrap(), enc);
        }
        assert_eq!("gpt2".parse::<Encoding>().unwrap(), Encoding::R50kBase);
        assert!("o300k".parse::<Encoding>().is_err());
    }

    #[test]
    fn encode_and_decode_round_trip() {
        let text = "hello world 😀 你好 <|endoftext|>";
        for enc in Encoding::ALL {
            let ids = encode(enc, text).unwrap();
            assert_eq!(decode(enc, &ids).unwrap(), text);
        }
    }

    #[test]
    fn bad_ids_are_errors() {
        let error = decode(Encoding::Cl100kBase, &[9_999_999]).unwrap_err();
        assert_eq!(
            error,
            TokenError::InvalidTokenId {
                id: 9_999_999,
                encoding: Encoding::Cl100kBase
            }
        );
    }

    #[test]
    fn split_characters_decode_to_replacement() {
        let ids = encode(Encoding::Cl100kBase, "😀").unwrap();
        assert!(ids.len() > 1);
        assert_eq!(decode(Encoding::Cl100kBase, &ids[..1]).unwrap(), "\u{fffd}");
    }

    #[test]
    fn counting_chunks_like_litellm() {
        assert_eq!(count_text(Encoding::O200kBase, ""), 0);
        let short = "The quick brown fox.";
        assert_eq!(
            count_text(Encoding::O200kBase, short),
            encode(Encoding::O200kBase, short).unwrap().len()
        );
        // A run of 2,048 spaces is two chunks of one long piece each.
        let spaces = " ".repeat(2048);
        let chunk = encode(Encoding::Cl100kBase, &spaces[..1024]).unwrap().len();
        assert_eq!(count_text(Encoding::Cl100kBase, &spaces), 2 * chunk);
    }

    #[test]
    fn whitespace_runs_tiktoken_cannot_split_are_errors() {
        let long = format!("a{}b", "\u{3000}".repeat(MAX_WHITESPACE_RUN + 1));
        assert_eq!(
            encode(Encoding::O200kBase, &long),
            Err(TokenError::WhitespaceRunTooLong {
                length: MAX_WHITESPACE_RUN + 1
            })
        );
        assert_eq!(longest_whitespace_run(" a  \n\tb "), 4);
    }

    #[test]
    fn windows_follow_characters_not_bytes() {
        let text = "aé😀b";
        assert_eq!(char_offsets(text, &[1, 2], 2), vec![(1, 7), (3, 8)]);
    }
}
