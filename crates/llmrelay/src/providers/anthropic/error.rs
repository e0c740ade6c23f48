//! Anthropic's error body (`{"type": "error", "error": {"type", "message"}}`) and status
//! -> [`Error`] through the shared reader (`529 overloaded_error` is
//! `ServiceUnavailable`, and retried as every 5xx; "prompt is too long" is a
//! `ContextWindowExceeded`); a mid-stream `error` event gets the status its `type`
//! stands for.

use serde_json::{json, Value};

use crate::error::Error;
use crate::providers::upstream_error::from_json_body;
use crate::providers::Target;

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
    let mut err = from_json_body(target, status, body.as_bytes());
    err.upstream_status = None;
    err
}
