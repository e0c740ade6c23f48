//! OpenAI's API: routing, the validation OpenAI does before it answers, the scripted
//! reply's outcome, and OpenAI's error bodies.

mod chat;
mod embeddings;
mod wire;

use axum::body::Body;
use axum::http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::ids::random_id;
use crate::reply::{Outcome, Reply, StreamFaultKind};
use crate::server::{disconnect, sleep_unless_stopped, stopped, Shared};

/// `content-type` of JSON bodies.
const JSON: &str = "application/json";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Chat,
    Embeddings,
    Models,
}

/// Answers one request as OpenAI would, following the next scripted reply.
pub(crate) async fn respond(state: &Shared, parts: &Parts, body: Option<&Value>) -> Response {
    let route = match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/v1/chat/completions") => Route::Chat,
        ("POST", "/v1/embeddings") => Route::Embeddings,
        ("GET", "/v1/models") => Route::Models,
        (method, path) => {
            let error = ApiError::new(404, format!("Invalid URL ({method} {path})"));
            return with_request_id(error_response(&error, ""));
        }
    };
    let response = match validate(state, parts, route, body) {
        Ok(request) => answer(state, route, &request).await,
        Err(error) => error_response(&error, ""),
    };
    with_request_id(response)
}

/// The request, once it has passed OpenAI's checks.
struct Valid<'a> {
    body: &'a Value,
    model: &'a str,
    stream: bool,
    embedding_inputs: Vec<embeddings::Input<'a>>,
}

static NULL: Value = Value::Null;

fn validate<'a>(
    state: &Shared,
    parts: &Parts,
    route: Route,
    body: Option<&'a Value>,
) -> Result<Valid<'a>, ApiError> {
    if let Some(key) = &state.api_key {
        check_key(parts, key)?;
    }
    if route == Route::Models {
        return Ok(Valid {
            body: &NULL,
            model: "",
            stream: false,
            embedding_inputs: Vec::new(),
        });
    }
    let body = body.filter(|b| b.is_object()).ok_or_else(|| {
        ApiError::new(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you \
             aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, \
             but what was sent was not valid JSON. If you have trouble figuring out how to fix \
             this, please contact us through our help center at help.openai.com.)",
        )
    })?;
    let model = body["model"]
        .as_str()
        .ok_or_else(|| ApiError::new(400, "you must provide a model parameter"))?;
    let stream = route == Route::Chat && body["stream"].as_bool() == Some(true);
    let mut embedding_inputs = Vec::new();
    match route {
        Route::Chat => {
            if !body["messages"].is_array() {
                return Err(missing_parameter("messages"));
            }
            if !stream && !body["stream_options"].is_null() {
                return Err(ApiError::new(
                    400,
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                )
                .with_param(Some("stream_options")));
            }
        }
        Route::Embeddings => {
            if body["input"].is_null() {
                return Err(missing_parameter("input"));
            }
            embedding_inputs = embeddings::inputs(&body["input"])?;
        }
        Route::Models => {}
    }
    Ok(Valid {
        body,
        model,
        stream,
        embedding_inputs,
    })
}

fn missing_parameter(name: &str) -> ApiError {
    ApiError::new(400, format!("Missing required parameter: '{name}'."))
        .with_param(Some(name))
        .with_code(Some("missing_required_parameter"))
}

fn check_key(parts: &Parts, key: &str) -> Result<(), ApiError> {
    let sent = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match sent {
        Some(sent) if sent == key => Ok(()),
        Some(sent) => Err(ApiError::new(
            401,
            format!(
                "Incorrect API key provided: {}. You can find your API key at \
                 https://platform.openai.com/account/api-keys.",
                mask_key(sent)
            ),
        )
        .with_code(Some("invalid_api_key"))),
        None => Err(ApiError::new(
            401,
            "You didn't provide an API key. You need to provide your API key in an \
             Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or \
             as the password field (with blank username) if you're accessing the API from your \
             browser and are prompted for a username and password. You can obtain an API key \
             from https://platform.openai.com/account/api-keys.",
        )),
    }
}

/// A key as OpenAI echoes it: the first three and last four characters, stars between.
fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Takes the next reply and plays it: latency, then the outcome, then its headers.
async fn answer(state: &Shared, route: Route, request: &Valid<'_>) -> Response {
    let reply = state.next_reply();
    let mut signal = state.shutdown_signal();
    if !sleep_unless_stopped(reply.latency, &mut signal).await {
        return disconnect();
    }
    let mut response = match &reply.outcome {
        Outcome::Error(error) => error_response(error, request.model),
        Outcome::MalformedJson if route == Route::Chat => {
            chat::malformed(request.model, request.stream)
        }
        Outcome::MalformedJson => json_response(
            StatusCode::OK,
            br#"{"object":"list","data":[{"obj"#.to_vec(),
        ),
        Outcome::Disconnect => return disconnect(),
        Outcome::Hang => {
            stopped(&mut signal).await;
            return disconnect();
        }
        Outcome::Message { .. } if request.stream => {
            chat::stream(&reply, request.body, request.model, signal)
        }
        Outcome::Message { .. } => match reply.stream_fault.as_ref().map(|f| &f.kind) {
            // A plain request meets a stream fault before its body: see `Reply::close_after`.
            Some(StreamFaultKind::Close) => return disconnect(),
            Some(StreamFaultKind::Stall) => {
                stopped(&mut signal).await;
                return disconnect();
            }
            Some(StreamFaultKind::Error(error)) => error_response(error, request.model),
            None => success(&reply, route, request, state),
        },
    };
    add_headers(&mut response, &reply);
    response
}

fn success(reply: &Reply, route: Route, request: &Valid<'_>, state: &Shared) -> Response {
    let body = match route {
        Route::Chat => chat::completion(reply, request.body, request.model),
        Route::Embeddings => embeddings::render(
            reply,
            &request.embedding_inputs,
            request.body,
            request.model,
        ),
        Route::Models => models(&state.models),
    };
    json_response(StatusCode::OK, body)
}

/// `GET /v1/models`: the configured ids, owned by `system`.
fn models(ids: &[String]) -> Vec<u8> {
    let list = wire::ModelList {
        object: "list",
        data: ids
            .iter()
            .map(|id| wire::Model {
                id,
                object: "model",
                created: 1_715_367_049,
                owned_by: "system",
            })
            .collect(),
    };
    to_json(&list)
}

fn add_headers(response: &mut Response, reply: &Reply) {
    for (name, value) in &reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
}

fn with_request_id(mut response: Response) -> Response {
    if let Ok(id) = HeaderValue::try_from(random_id("req_", 32)) {
        response.headers_mut().insert("x-request-id", id);
    }
    response
}

/// `{"error": {...}}` with the error's status; `{model}` in its message becomes `model`.
pub(crate) fn error_response(error: &ApiError, model: &str) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_response(status, error_json(error, model))
}

/// The bytes of `{"error": {...}}`.
pub(crate) fn error_json(error: &ApiError, model: &str) -> Vec<u8> {
    let message = error.message.replace("{model}", model);
    let envelope = wire::ErrorEnvelope {
        error: wire::ErrorBody {
            message: &message,
            kind: error.error_type.as_deref(),
            param: error.param.as_deref(),
            code: error.code.as_deref(),
        },
    };
    to_json(&envelope)
}

/// 413 for a body over the size limit.
pub(crate) fn body_too_large() -> Response {
    error_response(
        &ApiError::new(413, "Request body too large for the fake upstream."),
        "",
    )
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

/// Serializes a wire type. These types hold only strings, numbers and options, which
/// always serialize; the empty fallback keeps the server alive were that ever to change.
fn to_json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys_like_openai() {
        assert_eq!(mask_key("sk-abcdefgh1234"), "sk-********1234");
        assert_eq!(mask_key("short"), "*****");
    }
}
