//! Other APIs in front of llmrelay's chat: OpenAI's Responses API,
//! Anthropic's Messages API and OpenAI's legacy text completions, translated
//! into llmrelay's `ChatRequest`, and `ChatResponse` / `ChatChunk` streams
//! translated back into those APIs' answers and events.
//!
//! Pure functions and stream encoders over values, tested on fixtures: no
//! I/O, no HTTP server, no knowledge of which provider serves the call. The
//! gateway serves these APIs over HTTP; the Python package's `responses()`
//! runs the same translations around the SDK's chat.

#![warn(missing_docs)]

pub mod anthropic;
pub mod completions;
mod error;
pub mod responses;
mod sse;

pub use error::IngressError;
pub use sse::SseEvent;

use llmrelay::types::{Content, ContentPart, ImageUrl};

/// Reads `value` as `T` (a `what` request), or an error naming what did not fit.
pub fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T, IngressError> {
    serde_json::from_value(value)
        .map_err(|e| IngressError::new(format!("invalid {what} request: {e}")))
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
pub fn new_id(prefix: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 24);
    id.push_str(prefix);
    id.extend(std::iter::repeat_with(fastrand::alphanumeric).take(24));
    id
}
