//! Token counting for llmrelay, with the numbers LiteLLM 1.110.2 gives.
//!
//! What this crate is for:
//! - [`encoding_for`]: the tiktoken encoding LiteLLM's `token_counter`
//!   uses for a model (`o200k_base` for gpt-4o, gpt-4.1, gpt-5, the
//!   o-series...; `cl100k_base` for gpt-4, gpt-3.5 and every other model);
//! - [`count_text`], [`count_messages`] and [`count_tool_choice`]: the counts
//!   of `token_counter(text=...)` and `token_counter(messages=..., tools=...,
//!   tool_choice=...)`, per-message overhead, content parts, images, tool
//!   calls and tool definitions included;
//! - [`encode`] and [`decode`]: tiktoken's ids for a text and back. (LiteLLM's
//!   own `encode`/`decode` use [`Encoding::DEFAULT`] for every tiktoken model.)
//!
//! What it is not for:
//! - Provider-native tokenizers. Where LiteLLM loads a Hugging Face
//!   tokenizer (Claude and DeepSeek models it bundles one for; Cohere
//!   Command R and Llama it downloads), we count with `cl100k_base`, which
//!   is LiteLLM's own fallback (the download failing, or
//!   `litellm.disable_hf_tokenizer_download`). Counts for those models are
//!   LiteLLM's fallback counts, not its Hugging Face ones.
//! - Network access of any kind. LiteLLM downloads an http(s) image to size
//!   it when `detail` is `high`; we count it at LiteLLM's default size for
//!   an image it cannot read (300×300, 255 tokens).
//! - PDF pages and audio parts: [`TokenError::UnsupportedContent`].
//!
//! Nothing happens at start-up: each encoder is built the first time a call
//! needs it (parsing its 100k–200k ranks takes a noticeable fraction of a
//! second in a debug build), then shared for the life of the process.
//!
//! Counting follows LiteLLM, not bare tiktoken, where the two differ: text
//! is encoded in chunks of 1,024 characters (about one token of drift per
//! chunk boundary against the length of [`encode`]), and texts over
//! 4,000,000 characters are estimated from samples. [`encode`] is exact
//! tiktoken, and like tiktoken cannot split a run of hundreds of thousands
//! of whitespace characters: an error, where counting has no limit.
#![warn(missing_docs)]

mod bpe;
mod chat_template;
mod encoding;
mod image;
mod messages;
mod model;
pub mod pyfmt;
mod table_hash;
mod tools;
mod vocab;

pub use encoding::{count_text, decode, encode, Encoding, MAX_WHITESPACE_RUN};
pub use messages::count_messages;
pub use model::encoding_for;
pub use tools::{count_tool_choice, typescript_namespace};

/// Why a token operation failed. Input of the wrong shape is an error, never
/// a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// A token id outside the encoding's vocabulary was given to [`decode`].
    #[error("token id {id} is not in the {encoding} vocabulary")]
    InvalidTokenId {
        /// The first unknown id.
        id: u32,
        /// The encoding decoded with.
        encoding: Encoding,
    },
    /// Text [`encode`] cannot split: a run of more whitespace characters
    /// than [`MAX_WHITESPACE_RUN`].
    #[error("a run of {length} whitespace characters is longer than tiktoken can encode ({MAX_WHITESPACE_RUN})")]
    WhitespaceRunTooLong {
        /// The length of the longest run, in characters.
        length: usize,
    },
    /// A name that is not one of the [`Encoding`]s.
    #[error("unknown encoding `{0}`; expected o200k_base, cl100k_base, p50k_base or r50k_base")]
    UnknownEncoding(String),
    /// A message is not in OpenAI's chat shape.
    #[error("message {index}: {reason}")]
    InvalidMessage {
        /// The message's position in the list.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A content part of a kind this crate does not count (PDF files, audio,
    /// Anthropic-format blocks).
    #[error("message {index}: cannot count content parts of type `{part_type}`")]
    UnsupportedContent {
        /// The message's position in the list.
        index: usize,
        /// The part's `type`.
        part_type: String,
    },
}
