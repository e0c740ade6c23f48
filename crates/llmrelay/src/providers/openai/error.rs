//! OpenAI's in-stream error event -> [`Error`]. Error answers with a status
//! are read by the shared `upstream_error::from_json_body`.

use serde_json::Value;

use crate::error::Error;
use crate::providers::upstream_error::from_json_body;
use crate::providers::Target;

/// The error object of a stream's `data: {"error": ...}` event.
pub(crate) fn map_stream_error(target: &Target, error: &Value) -> Error {
    let status = error
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c))
        .unwrap_or_else(|| status_from_words(error));
    let body = serde_json::json!({ "error": error }).to_string();
    let mut err = from_json_body(target, status, body.as_bytes());
    // A mid-stream error is never retried: part of the answer was delivered.
    err.upstream_status = None;
    err
}

/// An event carries no HTTP status: infer one from OpenAI's error `code` and `type`.
fn status_from_words(error: &Value) -> u16 {
    let word = |key: &str| {
        error
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let words = format!("{} {}", word("code"), word("type"));
    if words.contains("rate_limit") || words.contains("insufficient_quota") {
        429
    } else if words.contains("context_length")
        || words.contains("invalid_request")
        || words.contains("content_filter")
    {
        400
    } else if words.contains("invalid_api_key") || words.contains("authentication") {
        401
    } else if words.contains("overloaded") || words.contains("unavailable") {
        503
    } else {
        500
    }
}
