//! Anthropic's Messages API: routing, the validation Anthropic does before it answers
//! (key, `anthropic-version`, required fields, roles, unknown fields), and Anthropic's
//! error bodies. The scripted reply is played by [`crate::render::play`].

mod messages;
mod wire;

use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::ids::random_id;
use crate::render::{error_status, json_response, play, to_json, Renderer};
use crate::reply::Reply;
use crate::server::{AnthropicWire, FakeUpstream, FakeUpstreamBuilder, Shared};

/// A fake Anthropic API on a loopback port, scripted per request with [`Reply`]s.
///
/// It serves `POST /v1/messages` (JSON, or server-sent events with `event:` lines when
/// `"stream": true`: `message_start`, `ping`, `content_block_start`/`_delta`/`_stop` for
/// thinking, text and `tool_use` blocks, `message_delta`, `message_stop`) and
/// `GET /v1/models`, in Anthropic's exact wire format. It checks what Anthropic checks:
/// `x-api-key` (when one is required), `anthropic-version`, `model`, `max_tokens`,
/// `messages` with only `user` and `assistant` roles, and no unknown top-level field.
/// Errors come as `{"type": "error", "error": {"type", "message"}}`; a mid-stream error as
/// an `error` event. Its base URL has no `/v1`, as Anthropic's SDKs take it.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use llmrelay_testkit::{ApiError, FakeAnthropic, Reply, Usage};
///
/// let upstream = FakeAnthropic::start().await?;
/// upstream.push(Reply::error(ApiError::overloaded()));
/// upstream.push(Reply::content("Paris.").with_reasoning("The capital of France...")
///     .with_usage(Usage::new(1200, 40).with_cached_tokens(1000)));
/// // ... point a client at upstream.base_url() ...
/// # Ok(()) }
/// ```
pub type FakeAnthropic = FakeUpstream<AnthropicWire>;

/// Options for a [`FakeAnthropic`] before it starts.
pub type FakeAnthropicBuilder = FakeUpstreamBuilder<AnthropicWire>;

/// Top-level fields of a Messages request; Anthropic rejects any other.
const KNOWN_FIELDS: &[&str] = &[
    "model",
    "messages",
    "max_tokens",
    "system",
    "stop_sequences",
    "stream",
    "temperature",
    "top_p",
    "top_k",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
    "output_config",
    "output_format",
    "service_tier",
    "container",
    "mcp_servers",
    "context_management",
];

/// Answers one request as Anthropic would, following the next scripted reply.
pub(crate) async fn respond(state: &Shared, parts: &Parts, body: Option<&Value>) -> Response {
    let route = match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/v1/messages") => Route::Messages,
        ("GET", "/v1/models") => Route::Models,
        _ => return error_response(&ApiError::new(404, "Not Found"), ""),
    };
    if let Err(error) = check_headers(state, parts) {
        return error_response(&error, "");
    }
    if route == Route::Models {
        return json_response(StatusCode::OK, models(&state.models));
    }
    match validate(body) {
        Ok((body, model)) => {
            let answer = Answer {
                body,
                model,
                stream: body["stream"].as_bool() == Some(true),
            };
            play(state, answer.stream, &answer).await
        }
        Err(error) => error_response(&error, ""),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Messages,
    Models,
}

/// One request that passed validation, and how to render its reply.
struct Answer<'a> {
    body: &'a Value,
    model: &'a str,
    stream: bool,
}

impl Renderer for Answer<'_> {
    fn error(&self, error: &ApiError) -> Response {
        error_response(error, self.model)
    }

    fn malformed(&self, stream: bool) -> Response {
        messages::malformed(self.model, stream)
    }

    fn body(&self, reply: &Reply) -> Response {
        json_response(
            StatusCode::OK,
            messages::message(reply, self.body, self.model),
        )
    }

    fn stream(&self, reply: &Reply, signal: watch::Receiver<bool>) -> Response {
        messages::stream(reply, self.body, self.model, signal)
    }
}

fn check_headers(state: &Shared, parts: &Parts) -> Result<(), ApiError> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(key) = &state.api_key {
        match header("x-api-key") {
            Some(sent) if sent == key => {}
            Some(_) => return Err(ApiError::new(401, "invalid x-api-key")),
            None => return Err(ApiError::new(401, "x-api-key header is required")),
        }
    }
    match header("anthropic-version") {
        Some(wire::API_VERSION) => Ok(()),
        Some(other) => Err(ApiError::new(
            400,
            format!("anthropic-version: invalid version `{other}`"),
        )),
        None => Err(ApiError::new(400, "anthropic-version: header is required")),
    }
}

fn validate(body: Option<&Value>) -> Result<(&Value, &str), ApiError> {
    let body = body
        .filter(|b| b.is_object())
        .ok_or_else(|| ApiError::new(400, "There was an error parsing the body of your request"))?;
    let object = body.as_object().into_iter().flatten();
    for (field, _) in object {
        if !KNOWN_FIELDS.contains(&field.as_str()) {
            return Err(ApiError::new(
                400,
                format!("{field}: Extra inputs are not permitted"),
            ));
        }
    }
    let model = body["model"]
        .as_str()
        .ok_or_else(|| ApiError::new(400, "model: Field required"))?;
    if !body["max_tokens"].is_u64() {
        return Err(ApiError::new(400, "max_tokens: Field required"));
    }
    let messages = body["messages"]
        .as_array()
        .ok_or_else(|| ApiError::new(400, "messages: Field required"))?;
    for (i, message) in messages.iter().enumerate() {
        match message["role"].as_str() {
            Some("user" | "assistant") => {}
            Some(role) => {
                return Err(ApiError::new(
                    400,
                    format!(
                        "messages.{i}.role: Unexpected role \"{role}\". The Messages API accepts a \
                         top-level `system` parameter, not \"system\" as an input message role."
                    ),
                ))
            }
            None => {
                return Err(ApiError::new(
                    400,
                    format!("messages.{i}.role: Field required"),
                ))
            }
        }
    }
    Ok((body, model))
}

/// `GET /v1/models`: the configured ids, newest first as Anthropic lists them.
fn models(ids: &[String]) -> Vec<u8> {
    let list = wire::ModelList {
        data: ids
            .iter()
            .map(|id| wire::Model {
                kind: "model",
                id,
                display_name: id,
                created_at: "2025-09-29T00:00:00Z",
            })
            .collect(),
        has_more: false,
        first_id: ids.first().map(String::as_str),
        last_id: ids.last().map(String::as_str),
    };
    to_json(&list)
}

/// Anthropic's error `type` for an error: its own when it is one of Anthropic's specific
/// ones (`overloaded_error`...), else the one Anthropic uses for the status (OpenAI's
/// generic `invalid_request_error` on a 401 would be wrong here).
fn error_type(error: &ApiError) -> &str {
    const TYPES: &[&str] = &[
        "invalid_request_error",
        "authentication_error",
        "billing_error",
        "permission_error",
        "not_found_error",
        "request_too_large",
        "rate_limit_error",
        "api_error",
        "timeout_error",
        "overloaded_error",
    ];
    match error.error_type.as_deref() {
        Some(own) if own != "invalid_request_error" && TYPES.contains(&own) => own,
        _ => match error.status {
            401 => "authentication_error",
            402 => "billing_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            504 => "timeout_error",
            529 => "overloaded_error",
            500..=599 => "api_error",
            _ => "invalid_request_error",
        },
    }
}

/// The bytes of `{"type": "error", "error": {...}}`; `{model}` in the message becomes `model`.
pub(crate) fn error_json(error: &ApiError, model: &str) -> Vec<u8> {
    let message = error.message.replace("{model}", model);
    to_json(&wire::ErrorEnvelope {
        kind: "error",
        error: wire::ErrorBody {
            kind: error_type(error),
            message: &message,
        },
    })
}

/// The error with its status and a `request-id` header, as Anthropic sends it.
fn error_response(error: &ApiError, model: &str) -> Response {
    let mut response = error_status(error, error_json(error, model));
    if let Ok(id) = random_id("req_", 24).parse() {
        response.headers_mut().insert("request-id", id);
    }
    response
}

/// The Messages API as Vertex AI serves it (`publishers/anthropic/models/{model}:rawPredict`
/// and `:streamRawPredict`, routed by [`FakeGemini`](crate::FakeGemini)): the model is in
/// the URL, the body names no `model` and carries `anthropic_version:
/// "vertex-2023-10-16"` (and betas in `anthropic_beta`); the answers are Anthropic's.
pub(crate) async fn respond_on_vertex(
    state: &Shared,
    body: Option<&Value>,
    model: &str,
    stream: bool,
) -> Response {
    let Some(object) = body.and_then(Value::as_object) else {
        let error = ApiError::new(400, "There was an error parsing the body of your request");
        return error_response(&error, model);
    };
    if object.contains_key("model") {
        return error_response(
            &ApiError::new(400, "model: Extra inputs are not permitted"),
            model,
        );
    }
    match object.get("anthropic_version").and_then(Value::as_str) {
        Some("vertex-2023-10-16") => {}
        other => {
            let error = ApiError::new(
                400,
                format!("anthropic_version: Input should be 'vertex-2023-10-16', got {other:?}"),
            );
            return error_response(&error, model);
        }
    }
    // The rest is checked as on Anthropic's own API.
    let mut patched = object.clone();
    patched.remove("anthropic_version");
    patched.remove("anthropic_beta");
    patched.insert(String::from("model"), Value::String(model.to_owned()));
    let patched = Value::Object(patched);
    if let Err(error) = validate(Some(&patched)) {
        return error_response(&error, model);
    }
    let answer = Answer {
        body: &patched,
        model,
        stream,
    };
    play(state, stream, &answer).await
}

/// 413 for a body over the size limit.
pub(crate) fn body_too_large() -> Response {
    error_response(
        &ApiError::new(413, "Request exceeds the maximum allowed size."),
        "",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_types_follow_the_status_unless_already_anthropic() {
        assert_eq!(error_type(&ApiError::overloaded()), "overloaded_error");
        assert_eq!(error_type(&ApiError::rate_limited()), "rate_limit_error");
        assert_eq!(error_type(&ApiError::server_error()), "api_error");
        assert_eq!(
            error_type(&ApiError::invalid_api_key()),
            "authentication_error"
        );
        assert_eq!(
            error_type(&ApiError::prompt_too_long(10, 20)),
            "invalid_request_error"
        );
    }
}
