//! Bedrock error bodies (`{"message": ...}` with the exception type in a
//! header) -> [`Error`]. The status carries the type; the message tells a
//! context-window overflow from other validation errors.

use crate::error::{Error, ErrorKind};
use crate::providers::{openai, Target};

/// Bedrock's wordings for a prompt over the model's context window.
const CONTEXT_WINDOW_PHRASES: &[&str] = &[
    "too many input tokens",
    "input is too long",
    "prompt is too long",
    "context window",
];

pub(crate) fn map_error(target: &Target, status: u16, body: &[u8]) -> Error {
    let mut err = openai::error::map_error(target, status, body);
    let message = err.message.to_ascii_lowercase();
    if status == 400 && CONTEXT_WINDOW_PHRASES.iter().any(|p| message.contains(p)) {
        err.kind = ErrorKind::ContextWindowExceeded;
    }
    err
}
