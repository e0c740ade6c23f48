//! LiteLLM's `token_counter`, `encode` and `decode` by model name. The
//! encoder for a model is chosen from its resolved provider and built on first
//! use (tens of milliseconds, once per process); see `llmrelay-tokens`.

use llmrelay_tokens::Encoding;
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// What to count.
#[derive(Debug, Clone, Copy)]
pub enum TokenInput<'a> {
    /// Plain text, counted as is.
    Text(&'a str),
    /// OpenAI-format chat messages (and tool definitions), counted with the
    /// per-message overhead the model's chat format adds.
    Messages {
        /// The `messages` array.
        messages: &'a [Value],
        /// The `tools` array, when the request has one.
        tools: Option<&'a [Value]>,
    },
}

/// The encoding LiteLLM uses for `model`. A model the catalog cannot resolve
/// still gets one (LiteLLM's default), as `token_counter` accepts any name.
fn encoding(model: &str) -> (Encoding, String) {
    match llmrelay_catalog::resolve(model) {
        Ok(r) => (
            llmrelay_tokens::encoding_for(r.provider, r.model),
            r.model.to_string(),
        ),
        Err(_) => (
            llmrelay_tokens::encoding_for("", model.trim()),
            model.trim().to_string(),
        ),
    }
}

/// LiteLLM's `token_counter`.
pub fn token_counter(model: &str, input: TokenInput<'_>) -> Result<usize, Error> {
    let (enc, name) = encoding(model);
    match input {
        TokenInput::Text(text) => Ok(llmrelay_tokens::count_text(enc, text)),
        TokenInput::Messages { messages, tools } => {
            llmrelay_tokens::count_messages(enc, &name, messages, tools)
                .map_err(|e| Error::new(ErrorKind::BadRequest, e.to_string()).with_model(model))
        }
    }
}

/// The tokens LiteLLM's `token_counter(messages=..., tool_choice=...)` adds
/// for `tool_choice` on `model` (1 for `"none"`, 7 plus the name for a named
/// function, none for most chat-template models); add it to the messages' count.
pub fn tool_choice_tokens(model: &str, tool_choice: &Value) -> usize {
    let (enc, name) = encoding(model);
    llmrelay_tokens::count_tool_choice(enc, &name, tool_choice)
}

/// LiteLLM's `encode`: the token ids of `text` for `model`. A pathological
/// input (a whitespace run tiktoken cannot split) is an error, not a crash.
pub fn encode(model: &str, text: &str) -> Result<Vec<u32>, Error> {
    llmrelay_tokens::encode(encoding(model).0, text)
        .map_err(|e| Error::new(ErrorKind::BadRequest, e.to_string()).with_model(model))
}

/// LiteLLM's `decode`: the text of `tokens` for `model`; unknown ids are an error.
pub fn decode(model: &str, tokens: &[u32]) -> Result<String, Error> {
    llmrelay_tokens::decode(encoding(model).0, tokens)
        .map_err(|e| Error::new(ErrorKind::BadRequest, e.to_string()).with_model(model))
}
