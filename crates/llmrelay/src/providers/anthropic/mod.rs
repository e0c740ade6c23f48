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

use std::time::SystemTime;

use super::{start, HttpRequest, Provider, Target};
use crate::error::Error;
use crate::types::ChatRequest;

/// The API version every request names; the only one Anthropic documents for Messages.
const API_VERSION: &str = "2023-06-01";

/// Anthropic's Messages API.
pub(crate) const ANTHROPIC: Provider = Provider {
    chat_request,
    parse_chat: response::parse_chat,
    events: start::<stream::StreamState>,
    ..Provider::CHAT_ONLY
};

fn chat_request(
    target: &Target,
    request: &ChatRequest,
    _now: SystemTime,
) -> Result<HttpRequest, Error> {
    let built = request::chat_body(target, request)?;
    let mut http = HttpRequest::post(target, messages_url(&target.api_base), built.body);
    http.headers
        .push((String::from("anthropic-version"), String::from(API_VERSION)));
    // One `anthropic-beta` header: the caller's betas and the ones the body needs.
    let mut betas: Vec<String> = built.betas.iter().map(|b| b.to_string()).collect();
    http.headers.retain(|(name, value)| {
        if !name.eq_ignore_ascii_case("anthropic-beta") {
            return true;
        }
        for beta in value.split(',').map(str::trim) {
            if !beta.is_empty() && !betas.iter().any(|b| b == beta) {
                betas.push(beta.to_string());
            }
        }
        false
    });
    if !betas.is_empty() {
        http.headers
            .push((String::from("anthropic-beta"), betas.join(",")));
    }
    Ok(http)
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
