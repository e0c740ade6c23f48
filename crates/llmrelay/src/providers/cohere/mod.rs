//! Cohere's v2 API: chat at `POST {base}/v2/chat` and embeddings at
//! `POST {base}/v2/embed`, with a bearer key. The pieces: [`wire`] (Cohere's types),
//! [`request`] (unified request -> chat body), [`response`] (chat body ->
//! `ChatResponse`), [`stream`] (one SSE event -> chunks, with per-stream state),
//! [`embed`] (embeddings both ways), [`error`] (status + body -> `Error`).

pub(crate) mod embed;
pub(crate) mod error;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod stream;
mod wire;

use bytes::Bytes;

use super::{HttpRequest, Method, Target};

/// `POST {base}/{path}` with a bearer key and the call's extra headers. A base given
/// with a version (`.../v2`) is taken without it.
pub(crate) fn http_request(target: &Target, path: &str, body: Bytes) -> HttpRequest {
    let mut headers = Vec::with_capacity(2 + target.extra_headers.len());
    headers.push((
        String::from("content-type"),
        String::from("application/json"),
    ));
    if let Some(key) = &target.api_key {
        headers.push((String::from("authorization"), format!("Bearer {key}")));
    }
    headers.extend(target.extra_headers.iter().cloned());
    let base = target
        .api_base
        .trim_end_matches("/v2")
        .trim_end_matches("/v1");
    HttpRequest {
        method: Method::Post,
        url: format!("{base}/v2/{path}"),
        headers,
        body,
    }
}

#[cfg(test)]
mod tests;
