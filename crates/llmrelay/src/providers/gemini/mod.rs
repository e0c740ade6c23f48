//! Google AI Studio's Gemini API: `POST {base}/v1beta/models/{model}:generateContent`
//! (`:streamGenerateContent?alt=sse` streamed), `:embedContent` and
//! `:batchEmbedContents`, with the key in an `x-goog-api-key` header (never
//! in the URL, which error messages show). Vertex AI sends the same bodies
//! to other URLs (`providers/vertex`).

pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod messages;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod schema;
pub(crate) mod stream;
pub(crate) mod wire;

#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;

use bytes::Bytes;

use super::http::path_segment;
use super::{start, HttpRequest, Provider, Target};
use crate::types::ChatRequest;

/// Google AI Studio's Gemini API.
pub(crate) const GEMINI: Provider = Provider {
    chat_request: |target, request, _| {
        let body = request::chat_body(target, request)?;
        Ok(studio_request(target, chat_method(request), body))
    },
    parse_chat: response::parse_chat,
    events: start::<stream::StreamState>,
    map_error: error::map_error,
    embedding_request: |target, request, _| {
        let (method, body) = request::embedding_body(target, request)?;
        Ok(studio_request(target, method, body))
    },
    parse_embedding: response::parse_embedding,
    ..Provider::CHAT_ONLY
};

/// `generateContent`, or its streamed form with SSE framing.
pub(crate) fn chat_method(request: &ChatRequest) -> &'static str {
    if request.is_stream() {
        "streamGenerateContent?alt=sse"
    } else {
        "generateContent"
    }
}

/// `{base}/v1beta/models/{model}:{method}`; a base that already names an API
/// version (`.../v1beta`, a proxy's `.../v1`) keeps it.
fn studio_request(target: &Target, method: &str, body: Bytes) -> HttpRequest {
    let base = target.api_base.as_str();
    let version = if ["/v1", "/v1beta", "/v1alpha"]
        .iter()
        .any(|v| base.ends_with(v))
    {
        ""
    } else {
        "/v1beta"
    };
    let model = target
        .model
        .strip_prefix("models/")
        .unwrap_or(&target.model);
    HttpRequest::post(
        target,
        format!("{base}{version}/models/{}:{method}", path_segment(model)),
        body,
    )
}
