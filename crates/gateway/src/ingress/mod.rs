//! Ingress translations: other APIs' requests into llmrelay's `ChatRequest`,
//! and `ChatResponse` / `ChatChunk` streams back into those APIs' answers.
//! Pure functions and stream encoders over values, tested on fixtures; no
//! I/O, no knowledge of which provider serves the call.

pub mod anthropic;
pub mod completions;
pub mod responses;
mod sse;

pub use sse::SseEvent;

use llmrelay::types::{Content, ContentPart, ImageUrl};

use crate::api_error::ApiError;

/// Reads `value` as `T`, or a 400 naming what did not fit.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::bad_request(format!("invalid {what} request: {e}")))
}

/// Text parts joined into one string when every part is text, else parts.
pub(crate) fn content_of(parts: Vec<ContentPart>) -> Option<Content> {
    if parts.is_empty() {
        return None;
    }
    if let [ContentPart::Text { text, .. }] = parts.as_slice() {
        return Some(Content::Text(text.clone()));
    }
    Some(Content::Parts(parts))
}

/// A text part.
pub(crate) fn text_part(text: String) -> ContentPart {
    ContentPart::Text {
        text,
        extra: Default::default(),
    }
}

/// An image part by URL or `data:` URL.
pub(crate) fn image_part(url: String, detail: Option<String>) -> ContentPart {
    ContentPart::ImageUrl {
        image_url: ImageUrl {
            url,
            detail,
            extra: Default::default(),
        },
        extra: Default::default(),
    }
}

/// A fresh id with `prefix` (`msg_`, `resp_`...): 24 random alphanumerics.
pub(crate) fn new_id(prefix: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 24);
    id.push_str(prefix);
    id.extend(std::iter::repeat_with(fastrand::alphanumeric).take(24));
    id
}
