//! Google's error envelope (`{"error": {"code", "message", "status", "details"}}`) for a
//! scripted [`ApiError`]: OpenAI's canned errors reworded as Google words them (a bad AI
//! Studio key is a 400 `INVALID_ARGUMENT`, an overlong prompt "exceeds the maximum number
//! of tokens"...), other errors as written with the status name for their HTTP status.

use axum::response::Response;
use serde_json::{json, Value};

use super::{wire, Surface};
use crate::api_error::ApiError;
use crate::render::{error_status, to_json};

/// Google's canonical status name for an HTTP status.
fn status_name(status: u16) -> &'static str {
    match status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    }
}

/// The status, message and details Google sends for a scripted error: OpenAI's canned
/// errors (recognised by their code or wording) in Google's words, others as written.
fn google_error(error: &ApiError, model: &str, surface: Surface) -> (u16, String, Vec<Value>) {
    let message = error.message.replace("{model}", model);
    match error.code.as_deref() {
        Some("invalid_api_key") if surface == Surface::Studio => (
            400,
            String::from("API key not valid. Please pass a valid API key."),
            vec![json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "API_KEY_INVALID", "domain": "googleapis.com"})],
        ),
        Some("invalid_api_key") => (
            401,
            String::from(
                "Request had invalid authentication credentials. Expected OAuth 2 access token, \
                 login cookie or other valid authentication credential.",
            ),
            Vec::new(),
        ),
        Some("context_length_exceeded") => {
            // OpenAI's wording names the maximum, then the request's count.
            let numbers: Vec<&str> = message
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .collect();
            let (max, requested) = match numbers.as_slice() {
                [max, requested, ..] => (*max, *requested),
                _ => ("1048576", "1048577"),
            };
            (
                400,
                format!(
                    "The input token count ({requested}) exceeds the maximum number of tokens \
                     allowed ({max})."
                ),
                Vec::new(),
            )
        }
        Some("rate_limit_exceeded") => (
            429,
            String::from("Resource has been exhausted (e.g. check quota)."),
            Vec::new(),
        ),
        Some("insufficient_quota") => (
            429,
            String::from(
                "You exceeded your current quota, please check your plan and billing details.",
            ),
            Vec::new(),
        ),
        Some("model_not_found") => (
            404,
            format!(
                "models/{model} is not found for API version v1beta, or is not supported for \
                 generateContent. Call ListModels to see the list of available models and their \
                 supported methods."
            ),
            Vec::new(),
        ),
        _ if error.status == 503 && error.error_type.as_deref() == Some("server_error") => (
            503,
            String::from("The model is overloaded. Please try again later."),
            Vec::new(),
        ),
        _ if error.status == 500 && error.error_type.as_deref() == Some("server_error") => (
            500,
            String::from(
                "An internal error has occurred. Please retry or report in \
                 https://developers.generativeai.google/guide/troubleshooting",
            ),
            Vec::new(),
        ),
        _ => (error.status, message, Vec::new()),
    }
}

/// The bytes of `{"error": {...}}`.
pub(crate) fn error_json(error: &ApiError, model: &str) -> Vec<u8> {
    error_bytes(error, model, Surface::Studio).1
}

fn error_bytes(error: &ApiError, model: &str, surface: Surface) -> (u16, Vec<u8>) {
    let (status, message, details) = google_error(error, model, surface);
    let google_status = match error.code.as_deref() {
        // A code already in Google's words (`FAILED_PRECONDITION`) is kept.
        Some(code)
            if !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') =>
        {
            code
        }
        _ => status_name(status),
    };
    let body = to_json(&wire::ErrorEnvelope {
        error: wire::ErrorBody {
            code: status,
            message: &message,
            status: google_status,
            details,
        },
    });
    (status, body)
}

pub(super) fn error_response(error: &ApiError, model: &str, surface: Surface) -> Response {
    let (status, body) = error_bytes(error, model, surface);
    error_status(&ApiError::new(status, ""), body)
}

/// 413 for a body over the size limit.
pub(crate) fn body_too_large() -> Response {
    error_response(
        &ApiError::new(413, "Request payload size exceeds the limit."),
        "",
        Surface::Studio,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_errors_in_googles_words() {
        let (status, body) = error_bytes(
            &ApiError::context_length_exceeded(1000, 1200),
            "m",
            Surface::Studio,
        );
        let body: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(status, 400);
        assert_eq!(
            body["error"]["message"],
            "The input token count (1200) exceeds the maximum number of tokens allowed (1000)."
        );
        assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
        let (status, _) = error_bytes(&ApiError::invalid_api_key(), "m", Surface::Vertex);
        assert_eq!(status, 401);
        let (status, body) = error_bytes(&ApiError::rate_limited(), "m", Surface::Studio);
        let body: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(
            (status, body["error"]["status"].as_str()),
            (429, Some("RESOURCE_EXHAUSTED"))
        );
    }
}
