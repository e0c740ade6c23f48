//! Anthropic's Messages API: `POST {base}/v1/messages` with `x-api-key` and
//! `anthropic-version`. The pieces: [`wire`] (Anthropic's types), [`request`] (unified
//! request -> body), [`messages`] (the conversation -> `system` and turns), [`format`] (`response_format` -> structured output or a forced
//! tool), [`response`] (body -> `ChatResponse`), [`stream`] (one SSE event -> chunks,
//! with per-stream state), [`error`] (status + body -> `Error`).

pub(crate) mod error;
mod format;
mod messages;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod stream;
mod wire;

use super::{HttpRequest, Method, Target};
use crate::error::Error;
use crate::types::ChatRequest;

/// The API version every request names; the only one Anthropic documents for Messages.
const API_VERSION: &str = "2023-06-01";

pub(crate) fn chat_request(target: &Target, request: &ChatRequest) -> Result<HttpRequest, Error> {
    let built = request::chat_body(target, request)?;
    let mut headers = Vec::with_capacity(4 + target.extra_headers.len());
    headers.push((
        String::from("content-type"),
        String::from("application/json"),
    ));
    if let Some(key) = &target.api_key {
        headers.push((String::from("x-api-key"), key.clone()));
    }
    headers.push((String::from("anthropic-version"), String::from(API_VERSION)));
    // One `anthropic-beta` header: the caller's betas and the ones the body needs.
    let mut betas: Vec<&str> = built.betas.clone();
    for (name, value) in &target.extra_headers {
        if name.eq_ignore_ascii_case("anthropic-beta") {
            for beta in value.split(',').map(str::trim) {
                if !beta.is_empty() && !betas.contains(&beta) {
                    betas.push(beta);
                }
            }
        } else {
            headers.push((name.clone(), value.clone()));
        }
    }
    if !betas.is_empty() {
        headers.push((String::from("anthropic-beta"), betas.join(",")));
    }
    Ok(HttpRequest {
        method: Method::Post,
        url: messages_url(&target.api_base),
        headers,
        body: built.body,
    })
}

/// `{base}/v1/messages`, for a base given with or without `/v1` (or the whole path).
fn messages_url(base: &str) -> String {
    if base.ends_with("/v1/messages") {
        base.to_string()
    } else if base.ends_with("/v1") {
        format!("{base}/messages")
    } else {
        format!("{base}/v1/messages")
    }
}

#[cfg(test)]
mod response_tests;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;
