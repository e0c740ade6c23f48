//! Anthropic's models on Vertex AI: the Messages body `providers/anthropic` builds,
//! without `model` (the URL names it) and with `anthropic_version: "vertex-2023-10-16"`,
//! sent to `publishers/anthropic/models/{model}:rawPredict` (`:streamRawPredict`
//! streamed, which answers with Anthropic's own events). Betas travel in the body's
//! `anthropic_beta` list, as Vertex takes them. Answers and stream events are
//! Anthropic's, parsed by `providers/anthropic`; errors come in Anthropic's envelope
//! from the model, or in Google's from Vertex's front end.

use std::time::SystemTime;

use bytes::Bytes;
use serde_json::{Map, Value};

use super::url;
use crate::error::{Error, ErrorKind};
use crate::providers::http::json_body;
use crate::providers::{anthropic, gemini, start, HttpRequest, Provider, Target};
use crate::types::ChatRequest;

/// The Messages API version Vertex AI requires in the body.
const VERTEX_ANTHROPIC_VERSION: &str = "vertex-2023-10-16";

/// Anthropic's models on Vertex AI.
pub(crate) const VERTEX_ANTHROPIC: Provider = Provider {
    chat_request,
    parse_chat: anthropic::response::parse_chat,
    events: start::<anthropic::stream::StreamState>,
    map_error,
    ..Provider::CHAT_ONLY
};

fn chat_request(
    target: &Target,
    request: &ChatRequest,
    _now: SystemTime,
) -> Result<HttpRequest, Error> {
    let built = anthropic::request::chat_body(target, request)?;
    let body = vertex_body(target, &built.body, &built.betas)?;
    let method = if request.is_stream() {
        "streamRawPredict"
    } else {
        "rawPredict"
    };
    // Betas ride in the body; the header form would be sent twice.
    let mut http = HttpRequest::post(target, url(target, "anthropic", method)?, body);
    http.headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("anthropic-beta"));
    Ok(http)
}

/// The Messages body as Vertex wants it.
fn vertex_body(target: &Target, body: &[u8], betas: &[&str]) -> Result<Bytes, Error> {
    let mut object: Map<String, Value> = serde_json::from_slice(body).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })?;
    object.remove("model");
    object.insert(
        String::from("anthropic_version"),
        Value::String(String::from(VERTEX_ANTHROPIC_VERSION)),
    );
    let mut all: Vec<String> = betas.iter().map(|b| (*b).to_string()).collect();
    for (name, value) in &target.extra_headers {
        if name.eq_ignore_ascii_case("anthropic-beta") {
            all.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|b| !b.is_empty())
                    .map(String::from),
            );
        }
    }
    if let Some(Value::Array(given)) = object.get("anthropic_beta") {
        all.extend(given.iter().filter_map(Value::as_str).map(String::from));
    }
    all.sort();
    all.dedup();
    if !all.is_empty() {
        object.insert(
            String::from("anthropic_beta"),
            Value::Array(all.into_iter().map(Value::String).collect()),
        );
    }
    json_body(target, &object)
}

/// Anthropic's envelope (`"type": "error"`) from the model, Google's from Vertex.
pub(crate) fn map_error(target: &Target, status: u16, body: &[u8]) -> Error {
    let anthropic_shaped = serde_json::from_slice::<Value>(body)
        .ok()
        .is_some_and(|v| v.get("type").and_then(Value::as_str) == Some("error"));
    if anthropic_shaped {
        crate::providers::upstream_error::from_json_body(target, status, body)
    } else {
        gemini::error::map_error(target, status, body)
    }
}
