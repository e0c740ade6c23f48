//! Google's error envelope (`{"error": {"code", "message", "status",
//! "details"}}`, sometimes inside a one-element array) and status -> [`Error`].
//!
//! Gemini answers a bad API key with 400 `INVALID_ARGUMENT` and an
//! overlong prompt with 400 and "exceeds the maximum number of tokens", so
//! the wording decides those kinds; a 429's `RetryInfo.retryDelay` (in the
//! body, not a header) becomes the error's `retry_after`.

use std::time::Duration;

use serde_json::Value;

use super::wire::{ErrorBody, ErrorEnvelope};
use crate::error::{Error, ErrorKind};
use crate::providers::upstream_error::{body_text, upstream};
use crate::providers::Target;

/// Wordings of "the prompt does not fit the context window".
const CONTEXT_WINDOW_PHRASES: &[&str] = &[
    "exceeds the maximum number of tokens",
    "input token count",
    "context window",
    "too many tokens",
];

/// Wordings of "the key is wrong", which Gemini sends with status 400.
const BAD_KEY_PHRASES: &[&str] = &["api key not valid", "api_key_invalid", "api key expired"];

pub(crate) fn map_error(target: &Target, status: u16, body: &[u8]) -> Error {
    let error = error_body(body);
    let message = match &error {
        Some(e) if !e.message.is_empty() => e.message.clone(),
        _ => body_text(body),
    };
    let google_status = error
        .as_ref()
        .and_then(|e| e.status.as_deref())
        .unwrap_or("");
    let kind = classify(status, google_status, &message);
    let mut err = upstream(target, kind, status, &message, body);
    err.retry_after = error.as_ref().and_then(retry_delay);
    err
}

/// The error object of a stream event (`data: {"error": {...}}`).
pub(crate) fn map_stream_error(target: &Target, error: &Value) -> Error {
    let status = error
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c))
        .unwrap_or_else(|| status_of(error.get("status").and_then(Value::as_str).unwrap_or("")));
    let body = serde_json::json!({ "error": error }).to_string();
    let mut err = map_error(target, status, body.as_bytes());
    // Part of the answer may have been delivered: never retried.
    err.upstream_status = None;
    err
}

fn classify(status: u16, google_status: &str, message: &str) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    let says = |phrases: &[&str]| phrases.iter().any(|p| lower.contains(p));
    match status {
        400 | 413 if says(CONTEXT_WINDOW_PHRASES) => ErrorKind::ContextWindowExceeded,
        400 if says(BAD_KEY_PHRASES) => ErrorKind::Authentication,
        400 if lower.contains("safety") && lower.contains("block") => {
            ErrorKind::ContentPolicyViolation
        }
        // Quota exhaustion under a status that would otherwise read as a bad request.
        s if google_status == "RESOURCE_EXHAUSTED"
            && ErrorKind::from_status(s) == ErrorKind::BadRequest =>
        {
            ErrorKind::RateLimit
        }
        other => ErrorKind::from_status(other),
    }
}

/// The HTTP status Google pairs with a canonical status name.
fn status_of(google_status: &str) -> u16 {
    match google_status {
        "INVALID_ARGUMENT" | "FAILED_PRECONDITION" | "OUT_OF_RANGE" => 400,
        "UNAUTHENTICATED" => 401,
        "PERMISSION_DENIED" => 403,
        "NOT_FOUND" => 404,
        "ABORTED" | "ALREADY_EXISTS" => 409,
        "RESOURCE_EXHAUSTED" => 429,
        "CANCELLED" => 499,
        "UNAVAILABLE" => 503,
        "DEADLINE_EXCEEDED" => 504,
        _ => 500,
    }
}

fn error_body(body: &[u8]) -> Option<ErrorBody> {
    let value: Value = serde_json::from_slice(body).ok()?;
    // `streamGenerateContent` without `alt=sse` wraps the envelope in an array.
    let envelope = match value {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    };
    serde_json::from_value::<ErrorEnvelope>(envelope)
        .ok()?
        .error
}

/// `RetryInfo.retryDelay` ("17s", "0.5s"), the wait Google asks for.
fn retry_delay(error: &ErrorBody) -> Option<Duration> {
    error.details.iter().find_map(|detail| {
        let kind = detail.get("@type").and_then(Value::as_str)?;
        if !kind.ends_with("google.rpc.RetryInfo") {
            return None;
        }
        let delay = detail.get("retryDelay").and_then(Value::as_str)?;
        let seconds: f64 = delay.strip_suffix('s')?.parse().ok()?;
        (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(3600.0)))
    })
}
