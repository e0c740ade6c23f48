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

use super::{HttpRequest, Method, Target};
use crate::error::Error;
use crate::types::{ChatRequest, EmbeddingRequest};

pub(crate) fn chat_request(target: &Target, request: &ChatRequest) -> Result<HttpRequest, Error> {
    let body = request::chat_body(target, request)?;
    Ok(if request.is_stream() {
        studio_request(target, "streamGenerateContent?alt=sse", body)
    } else {
        studio_request(target, "generateContent", body)
    })
}

pub(crate) fn embedding_request(
    target: &Target,
    request: &EmbeddingRequest,
) -> Result<HttpRequest, Error> {
    let (method, body) = request::embedding_body(target, request)?;
    Ok(studio_request(target, method, body))
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
    let mut headers = Vec::with_capacity(2 + target.extra_headers.len());
    headers.push((
        String::from("content-type"),
        String::from("application/json"),
    ));
    if let Some(key) = &target.api_key {
        headers.push((String::from("x-goog-api-key"), key.clone()));
    }
    headers.extend(target.extra_headers.iter().cloned());
    HttpRequest {
        method: Method::Post,
        url: format!("{base}{version}/models/{}:{method}", path_segment(model)),
        headers,
        body,
    }
}

/// A model name made safe for a URL path: anything but unreserved
/// characters (and `@`, used by Vertex versions) is percent-encoded, so a
/// name cannot reach another endpoint or smuggle a query.
pub(crate) fn path_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
