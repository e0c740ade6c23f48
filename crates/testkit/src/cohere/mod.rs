//! Cohere's v2 API: routing, the validation Cohere does before it answers (bearer key,
//! required fields, roles, `tool_choice` values, embed's `input_type` and
//! `embedding_types`), and Cohere's error bodies. The reply is played by
//! [`crate::render::play`].

mod chat;
mod embed;
mod rerank;
mod wire;

use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::ids::random_id;
use crate::render::{error_status, json_response, play, to_json, Renderer};
use crate::reply::Reply;
use crate::server::{CohereWire, FakeUpstream, FakeUpstreamBuilder, Shared};

/// A fake Cohere API on a loopback port, scripted per request with [`Reply`]s.
///
/// It serves `POST /v2/chat` (JSON, or server-sent events with `event:` lines when
/// `"stream": true`: `message-start`, `content-start`/`-delta`/`-end` for thinking and
/// text, `tool-plan-delta`, `tool-call-start`/`-delta`/`-end`, `message-end` with the
/// finish reason and usage) and `POST /v2/embed` (`embedding_types: ["float"]`), in
/// Cohere's exact wire format, with bearer-key auth. Usage reports `billed_units` as the
/// reply's usage and `tokens` with Cohere's unbilled preamble added. Errors come as
/// `{"id", "message"}`; a mid-stream error as `message-end` with `finish_reason: "ERROR"`.
/// Its base URL has no version, as Cohere's SDKs take it.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use llmrelay_testkit::{FakeCohere, Reply, ToolCall};
///
/// let upstream = FakeCohere::start().await?;
/// upstream.push(Reply::content("I will look it up.")
///     .and_tool_call(ToolCall::new("search", &serde_json::json!({"q": "Paris"}))));
/// // ... point a client at upstream.base_url() ...
/// # Ok(()) }
/// ```
pub type FakeCohere = FakeUpstream<CohereWire>;

/// Options for a [`FakeCohere`] before it starts.
pub type FakeCohereBuilder = FakeUpstreamBuilder<CohereWire>;

/// Top-level fields of a v2 chat request; Cohere rejects any other.
const CHAT_FIELDS: &[&str] = &[
    "model",
    "messages",
    "tools",
    "documents",
    "citation_options",
    "response_format",
    "safety_mode",
    "max_tokens",
    "stop_sequences",
    "temperature",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "k",
    "p",
    "logprobs",
    "tool_choice",
    "strict_tools",
    "stream",
    "thinking",
    "priority",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Chat,
    Embed,
    Rerank,
}

/// Answers one request as Cohere would, following the next scripted reply.
pub(crate) async fn respond(state: &Shared, parts: &Parts, body: Option<&Value>) -> Response {
    let route = match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/v2/chat") => Route::Chat,
        ("POST", "/v2/embed") => Route::Embed,
        ("POST", "/v2/rerank") => Route::Rerank,
        (method, path) => {
            return error_response(&ApiError::new(404, format!("{method} {path} not found")))
        }
    };
    if let Some(key) = &state.api_key {
        if let Err(error) = check_key(parts, key) {
            return error_response(&error);
        }
    }
    let validated = match route {
        Route::Chat => validate_chat(body),
        Route::Embed => embed::validate(body),
        Route::Rerank => rerank::validate(body),
    };
    match validated {
        Ok(body) => {
            let answer = Answer {
                route,
                body,
                model: body["model"].as_str().unwrap_or_default(),
                stream: route == Route::Chat && body["stream"].as_bool() == Some(true),
            };
            play(state, answer.stream, &answer).await
        }
        Err(error) => error_response(&error),
    }
}

/// One request that passed validation, and how to render its reply.
struct Answer<'a> {
    route: Route,
    body: &'a Value,
    model: &'a str,
    stream: bool,
}

impl Renderer for Answer<'_> {
    fn error(&self, error: &ApiError) -> Response {
        error_response(&with_model(error, self.model))
    }

    fn malformed(&self, stream: bool) -> Response {
        chat::malformed(stream)
    }

    fn body(&self, reply: &Reply) -> Response {
        let body = match self.route {
            Route::Chat => chat::response(reply, self.body),
            Route::Embed => embed::response(reply, self.body),
            Route::Rerank => rerank::response(self.body),
        };
        json_response(StatusCode::OK, body)
    }

    fn stream(&self, reply: &Reply, signal: watch::Receiver<bool>) -> Response {
        chat::stream(reply, self.body, self.model, signal)
    }
}

fn check_key(parts: &Parts, key: &str) -> Result<(), ApiError> {
    let sent = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match sent {
        Some(sent) if sent == key => Ok(()),
        Some(_) => Err(ApiError::new(401, "invalid api token")),
        None => Err(ApiError::new(401, "no api key supplied")),
    }
}

/// The body, when it is a JSON object (Cohere's first check on every route).
fn object_body(body: Option<&Value>) -> Result<&Value, ApiError> {
    body.filter(|b| b.is_object())
        .ok_or_else(|| ApiError::new(400, "invalid request: body must be a JSON object"))
}

/// Cohere's check that `model` is given.
fn require_model(body: &Value) -> Result<(), ApiError> {
    if body["model"].is_string() {
        Ok(())
    } else {
        Err(ApiError::new(
            400,
            "invalid request: model must be provided",
        ))
    }
}

fn validate_chat(body: Option<&Value>) -> Result<&Value, ApiError> {
    let body = object_body(body)?;
    for (field, _) in body.as_object().into_iter().flatten() {
        if !CHAT_FIELDS.contains(&field.as_str()) {
            return Err(ApiError::new(
                400,
                format!("invalid request: unknown field `{field}`"),
            ));
        }
    }
    require_model(body)?;
    let messages = body["messages"]
        .as_array()
        .ok_or_else(|| ApiError::new(400, "invalid request: messages must be provided"))?;
    for message in messages {
        if !matches!(
            message["role"].as_str(),
            Some("system" | "user" | "assistant" | "tool")
        ) {
            return Err(ApiError::new(
                400,
                format!("invalid request: invalid role {}", message["role"]),
            ));
        }
    }
    match body["tool_choice"].as_str() {
        None if body["tool_choice"].is_null() => {}
        Some("REQUIRED" | "NONE") => {}
        _ => {
            return Err(ApiError::new(
                400,
                "invalid request: tool_choice must be one of REQUIRED, NONE",
            ))
        }
    }
    Ok(body)
}

fn with_model(error: &ApiError, model: &str) -> ApiError {
    let mut error = error.clone();
    error.message = error.message.replace("{model}", model);
    error
}

/// The bytes of `{"id", "message"}`.
pub(crate) fn error_json(error: &ApiError) -> Vec<u8> {
    let id = uuid_like();
    to_json(&wire::Error {
        id: &id,
        message: &error.message,
    })
}

fn error_response(error: &ApiError) -> Response {
    error_status(error, error_json(error))
}

/// 413 for a body over the size limit.
pub(crate) fn body_too_large() -> Response {
    error_response(&ApiError::new(413, "request body too large"))
}

/// An id shaped like Cohere's (`8-4-4-4-12` characters).
fn uuid_like() -> String {
    let raw = random_id("", 32).to_ascii_lowercase();
    format!(
        "{}-{}-{}-{}-{}",
        &raw[..8],
        &raw[8..12],
        &raw[12..16],
        &raw[16..20],
        &raw[20..]
    )
}
