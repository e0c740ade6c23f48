//! Anthropic's error body (`{"type": "error", "error": {"type", "message"}}`) and status
//! -> [`Error`]. The status mapping is OpenAI's (`529 overloaded_error` is
//! `ServiceUnavailable`, and retried as every 5xx); on top, Anthropic's own wordings of
//! an over-long prompt are a `ContextWindowExceeded`, and a mid-stream `error` event gets
//! the status its `type` stands for.

use serde_json::{json, Value};

use crate::error::{Error, ErrorKind};
use crate::providers::openai::error::map_error as map_status;
use crate::providers::Target;

/// Anthropic's wordings of "the prompt does not fit".
const CONTEXT_WINDOW_PHRASES: &[&str] = &["prompt is too long", "exceed context limit"];

pub(crate) fn map_error(target: &Target, status: u16, body: &[u8]) -> Error {
    let mut err = map_status(target, status, body);
    if matches!(status, 400 | 413) {
        let message = err.message.to_ascii_lowercase();
        if CONTEXT_WINDOW_PHRASES.iter().any(|p| message.contains(p)) {
            err.kind = ErrorKind::ContextWindowExceeded;
        }
    }
    err
}

/// The `error` object of a stream's `error` event. Never retried: part of the answer
/// may have been delivered.
pub(crate) fn map_stream_error(target: &Target, error: &Value) -> Error {
    let status = match error.get("type").and_then(Value::as_str).unwrap_or("") {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "timeout_error" => 504,
        "overloaded_error" => 529,
        _ => 500,
    };
    let body = json!({"type": "error", "error": error}).to_string();
    let mut err = map_error(target, status, body.as_bytes());
    err.upstream_status = None;
    err
}
