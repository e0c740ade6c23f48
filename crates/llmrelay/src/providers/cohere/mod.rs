//! Cohere's v2 API: chat at `POST {base}/v2/chat`, embeddings at
//! `POST {base}/v2/embed` and rerank at `POST {base}/v2/rerank`, with a bearer key. The pieces: [`wire`] (Cohere's types),
//! [`request`] (unified request -> chat body), [`response`] (chat body ->
//! `ChatResponse`), [`stream`] (one SSE event -> chunks, with per-stream state),
//! [`embed`] (embeddings both ways), [`rerank`] (rerank both ways), [`error`] (status + body -> `Error`).

pub(crate) mod embed;
pub(crate) mod error;
pub(crate) mod request;
pub(crate) mod rerank;
pub(crate) mod response;
pub(crate) mod stream;
mod wire;

use super::{start, HttpRequest, Provider, Target};

/// Cohere's v2 API.
pub(crate) const COHERE: Provider = Provider {
    chat_request: |target, request, _| {
        let body = request::chat_body(target, request)?;
        Ok(HttpRequest::post(target, url(target, "chat"), body))
    },
    parse_chat: response::parse_chat,
    events: start::<stream::StreamState>,
    map_error: error::map_error,
    embedding_request: |target, request, _| {
        let body = embed::embedding_body(target, request)?;
        Ok(HttpRequest::post(target, url(target, "embed"), body))
    },
    parse_embedding: embed::parse_embedding,
    rerank_request: |target, request| {
        let body = rerank::rerank_body(target, request)?;
        Ok(HttpRequest::post(target, url(target, "rerank"), body))
    },
    parse_rerank: rerank::parse_rerank,
    ..Provider::CHAT_ONLY
};

/// `{base}/v2/{path}`. A base given with a version (`.../v2`) is taken without it.
fn url(target: &Target, path: &str) -> String {
    let base = target
        .api_base
        .trim_end_matches("/v2")
        .trim_end_matches("/v1");
    format!("{base}/v2/{path}")
}

#[cfg(test)]
mod tests;
