//! An OpenAI-format error body and status -> [`Error`].
//!
//! Context-window overflow and content filtering are recognised from the
//! error code and from the wordings OpenAI-compatible servers use, because
//! many of them send a bare 400.

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::providers::Target;

/// Phrases that mean "the prompt is too long" across OpenAI-compatible servers.
const CONTEXT_WINDOW_PHRASES: &[&str] = &[
    "context_length_exceeded",
    "maximum context length",
    "context length",
    "context window",
    "prompt is too long",
    "input is too long",
    "too many tokens",
    "reduce the length",
];

/// Phrases that mean "refused by a content filter".
const CONTENT_POLICY_PHRASES: &[&str] = &[
    "content_filter",
    "content_policy_violation",
    "content management policy",
    "safety system",
];

pub(crate) fn map_error(target: &Target, status: u16, body: &[u8]) -> Error {
    let (message, code) = error_text(body);
    let haystack = format!("{} {}", code.as_deref().unwrap_or(""), message).to_ascii_lowercase();
    let kind = match status {
        400 | 413 if CONTEXT_WINDOW_PHRASES.iter().any(|p| haystack.contains(p)) => {
            ErrorKind::ContextWindowExceeded
        }
        400 if CONTENT_POLICY_PHRASES.iter().any(|p| haystack.contains(p)) => {
            ErrorKind::ContentPolicyViolation
        }
        other => ErrorKind::from_status(other),
    };
    let mut err = target.error(kind, format!("{} (status {status})", message));
    err.upstream_status = Some(status);
    err.redact(target.api_key.as_deref())
}

/// The error object of a stream's `data: {"error": ...}` event.
pub(crate) fn map_stream_error(target: &Target, error: &Value) -> Error {
    let status = error
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c))
        .unwrap_or_else(|| status_from_words(error));
    let body = serde_json::json!({ "error": error }).to_string();
    let mut err = map_error(target, status, body.as_bytes());
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

/// The message and code of an OpenAI-style error body, or the body itself.
fn error_text(body: &[u8]) -> (String, Option<String>) {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let error = parsed.as_ref().map(|v| v.get("error").unwrap_or(v));
    let message = error
        .and_then(|e| e.get("message").or_else(|| e.get("detail")))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| error.and_then(Value::as_str).map(str::to_string));
    let code = error
        .and_then(|e| e.get("code").or_else(|| e.get("type")))
        .and_then(|c| c.as_str().map(str::to_string));
    let message = message.unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if text.is_empty() {
            String::from("the provider returned an error with no body")
        } else {
            text.chars().take(500).collect()
        }
    });
    (message, code)
}
