//! OpenAI's chat-completions and embeddings API: the unified format itself,
//! so translation is a pass-through plus the provider's parameter rules.
//! Every OpenAI-compatible provider of the catalog runs through here.

pub(crate) mod error;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod stream;

use bytes::Bytes;

use super::{HttpRequest, Method, Target};

/// `{method} {api_base}{path}` with a bearer key and the call's extra headers.
pub(crate) fn http_request(
    target: &Target,
    method: Method,
    path: &str,
    body: Bytes,
) -> HttpRequest {
    let mut headers = Vec::with_capacity(2 + target.extra_headers.len());
    headers.push((
        String::from("content-type"),
        String::from("application/json"),
    ));
    if let Some(key) = &target.api_key {
        headers.push((String::from("authorization"), format!("Bearer {key}")));
    }
    headers.extend(target.extra_headers.iter().cloned());
    HttpRequest {
        method,
        url: format!("{}{path}", target.api_base),
        headers,
        body,
    }
}
