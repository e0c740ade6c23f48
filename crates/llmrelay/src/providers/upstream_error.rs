//! A provider's error answer -> [`Error`]: the HTTP status gives the kind
//! ([`ErrorKind::from_status`]), the wording refines a 400 into a
//! context-window or content-policy error (many OpenAI-compatible servers
//! send a bare 400; Anthropic's and Bedrock's wordings are here too), and
//! every error keeps the start of the body, redacted
//! of the call's secrets.

use super::Target;
use crate::error::{Error, ErrorKind};

/// Phrases that mean "the prompt is too long" across providers.
const CONTEXT_WINDOW_PHRASES: &[&str] = &[
    "context_length_exceeded",
    "maximum context length",
    "context length",
    "context window",
    "prompt is too long",
    "input is too long",
    "too many tokens",
    "reduce the length",
    "exceed context limit",
    "too many input tokens",
];

/// Phrases that mean "refused by a content filter".
const CONTENT_POLICY_PHRASES: &[&str] = &[
    "content_filter",
    "content_policy_violation",
    "content management policy",
    "safety system",
];

/// The kind of an error answer from its status and its words (message and
/// code, any case).
pub(crate) fn classify(status: u16, words: &str) -> ErrorKind {
    let words = words.to_ascii_lowercase();
    let says = |phrases: &[&str]| phrases.iter().any(|p| words.contains(p));
    match status {
        400 | 413 if says(CONTEXT_WINDOW_PHRASES) => ErrorKind::ContextWindowExceeded,
        400 if says(CONTENT_POLICY_PHRASES) => ErrorKind::ContentPolicyViolation,
        other => ErrorKind::from_status(other),
    }
}

/// The error for an answer of `status` whose message is `message`: the
/// status in the message, the body kept, the call's secrets redacted.
pub(crate) fn upstream(
    target: &Target,
    kind: ErrorKind,
    status: u16,
    message: &str,
    body: &[u8],
) -> Error {
    let mut err = target
        .error(kind, format!("{message} (status {status})"))
        .with_upstream_body(body);
    err.upstream_status = Some(status);
    err.redact(target.secrets())
}

/// The usual JSON error body (`{"error": {"message", "code"|"type"}}`,
/// `{"message"}`, `{"detail"}`, a bare string) -> an [`Error`].
pub(crate) fn from_json_body(target: &Target, status: u16, body: &[u8]) -> Error {
    let (message, code) = message_and_code(body);
    let kind = classify(
        status,
        &format!("{} {message}", code.as_deref().unwrap_or("")),
    );
    upstream(target, kind, status, &message, body)
}

/// The message and code of a JSON error body, or the body's text.
pub(crate) fn message_and_code(body: &[u8]) -> (String, Option<String>) {
    use serde_json::Value;
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
    (message.unwrap_or_else(|| body_text(body)), code)
}

/// The start of a body as text, for answers with no readable message.
pub(crate) fn body_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        String::from("the provider returned an error with no body")
    } else {
        text.chars().take(500).collect()
    }
}

/// The error for a success answer whose body cannot be read.
pub(crate) fn unreadable(target: &Target, what: &str, e: &serde_json::Error) -> Error {
    target
        .error(
            ErrorKind::InternalServer,
            format!("the provider's response is not a valid {what} body: {e}"),
        )
        .with_source(clone_json_error(e))
}

/// serde_json's error is not `Clone`; its text and position are what matter.
fn clone_json_error(e: &serde_json::Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
}
