//! OpenAI's API (chat, embeddings, models, moderations, image generation, audio): routing, the validation OpenAI does before it answers, the scripted
//! reply's outcome, and OpenAI's error bodies.

pub(crate) mod audio;
mod chat;
mod embeddings;
mod images;
mod moderations;
mod wire;

use axum::http::header::{HeaderValue, AUTHORIZATION};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::ids::random_id;
use crate::render::{error_status, json_response, play, to_json, Renderer};
use crate::reply::Reply;
use crate::server::Shared;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Chat,
    Embeddings,
    Models,
    Moderations,
    Images,
    Speech,
    Transcriptions,
}

/// Answers one request as OpenAI would, following the next scripted reply.
pub(crate) async fn respond(
    state: &Shared,
    parts: &Parts,
    body: Option<&Value>,
    raw: &Bytes,
) -> Response {
    let route = match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/v1/chat/completions") => Route::Chat,
        ("POST", "/v1/embeddings") => Route::Embeddings,
        ("GET", "/v1/models") => Route::Models,
        ("POST", "/v1/moderations") => Route::Moderations,
        ("POST", "/v1/images/generations") => Route::Images,
        ("POST", "/v1/audio/speech") => Route::Speech,
        ("POST", "/v1/audio/transcriptions") => Route::Transcriptions,
        // Azure OpenAI serves the same bodies at deployment URLs.
        ("POST", path) if azure_route(path, "chat/completions") => Route::Chat,
        ("POST", path) if azure_route(path, "embeddings") => Route::Embeddings,
        ("POST", path) if azure_route(path, "moderations") => Route::Moderations,
        ("POST", path) if azure_route(path, "images/generations") => Route::Images,
        ("POST", path) if azure_route(path, "audio/speech") => Route::Speech,
        ("POST", path) if azure_route(path, "audio/transcriptions") => Route::Transcriptions,
        (method, path) => {
            let error = ApiError::new(404, format!("Invalid URL ({method} {path})"));
            return with_request_id(error_response(&error, ""));
        }
    };
    let response = match validate(state, parts, route, body, raw) {
        Ok(request) => {
            let stream = request.stream;
            let answer = Answer {
                route,
                request: &request,
                state,
            };
            play(state, stream, &answer).await
        }
        Err(error) => error_response(&error, ""),
    };
    with_request_id(response)
}

/// The request, once it has passed OpenAI's checks.
struct Valid<'a> {
    body: &'a Value,
    model: &'a str,
    stream: bool,
    embedding_inputs: Vec<crate::vectors::Input<'a>>,
    moderation_inputs: Vec<String>,
    /// The form of a transcription request.
    transcription: Option<audio::Transcription>,
}

static NULL: Value = Value::Null;

fn validate<'a>(
    state: &Shared,
    parts: &Parts,
    route: Route,
    body: Option<&'a Value>,
    raw: &Bytes,
) -> Result<Valid<'a>, ApiError> {
    if let Some(key) = &state.api_key {
        check_key(parts, key)?;
    }
    let bodiless = |transcription| Valid {
        body: &NULL,
        model: "",
        stream: false,
        embedding_inputs: Vec::new(),
        moderation_inputs: Vec::new(),
        transcription,
    };
    if route == Route::Models {
        return Ok(bodiless(None));
    }
    if route == Route::Transcriptions {
        let content_type = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let form = audio::parse_transcription(content_type, raw)?;
        return Ok(bodiless(Some(form)));
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
    // Moderations and images have a default model.
    let model = match (route, body["model"].as_str()) {
        (_, Some(model)) => model,
        (Route::Moderations, None) => "omni-moderation-latest",
        (Route::Images, None) => "dall-e-2",
        _ => return Err(ApiError::new(400, "you must provide a model parameter")),
    };
    let stream = route == Route::Chat && body["stream"].as_bool() == Some(true);
    let mut embedding_inputs = Vec::new();
    let mut moderation_inputs = Vec::new();
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
        Route::Moderations => {
            if body["input"].is_null() {
                return Err(missing_parameter("input"));
            }
            moderation_inputs = moderations::inputs(&body["input"])?;
        }
        Route::Images => images::validate(body)?,
        Route::Speech => audio::validate_speech(body)?,
        Route::Models | Route::Transcriptions => {}
    }
    Ok(Valid {
        body,
        model,
        stream,
        embedding_inputs,
        moderation_inputs,
        transcription: None,
    })
}

fn missing_parameter(name: &str) -> ApiError {
    ApiError::new(400, format!("Missing required parameter: '{name}'."))
        .with_param(Some(name))
        .with_code(Some("missing_required_parameter"))
}

/// `/openai/deployments/{deployment}/{action}`, Azure's path for `action`.
fn azure_route(path: &str, action: &str) -> bool {
    path.strip_prefix("/openai/deployments/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(deployment, rest)| !deployment.is_empty() && rest == action)
}

fn check_key(parts: &Parts, key: &str) -> Result<(), ApiError> {
    // A bearer key, or Azure's `api-key` header.
    let sent = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| parts.headers.get("api-key").and_then(|v| v.to_str().ok()));
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

/// How OpenAI renders the outcomes of one request's reply.
struct Answer<'r, 'a> {
    route: Route,
    request: &'r Valid<'a>,
    state: &'r Shared,
}

impl Renderer for Answer<'_, '_> {
    fn error(&self, error: &ApiError) -> Response {
        let model = match &self.request.transcription {
            Some(form) => form.model.as_str(),
            None => self.request.model,
        };
        error_response(error, model)
    }

    fn malformed(&self, stream: bool) -> Response {
        match self.route {
            Route::Chat => chat::malformed(self.request.model, stream),
            _ => json_response(
                StatusCode::OK,
                br#"{"object":"list","data":[{"obj"#.to_vec(),
            ),
        }
    }

    fn body(&self, reply: &Reply) -> Response {
        let request = self.request;
        let body = match self.route {
            Route::Chat => chat::completion(reply, request.body, request.model),
            Route::Embeddings => embeddings::render(
                reply,
                &request.embedding_inputs,
                request.body,
                request.model,
            ),
            Route::Models => models(&self.state.models),
            Route::Moderations => to_json(&moderations::render(
                &request.moderation_inputs,
                request.model,
            )),
            Route::Images => to_json(&images::render(request.body)),
            Route::Speech => return audio::speech(request.body),
            Route::Transcriptions => match &request.transcription {
                Some(form) => return audio::transcription(form),
                None => return error_response(&missing_parameter("file"), ""),
            },
        };
        json_response(StatusCode::OK, body)
    }

    fn stream(&self, reply: &Reply, signal: watch::Receiver<bool>) -> Response {
        chat::stream(reply, self.request.body, self.request.model, signal)
    }
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

fn with_request_id(mut response: Response) -> Response {
    if let Ok(id) = HeaderValue::try_from(random_id("req_", 32)) {
        response.headers_mut().insert("x-request-id", id);
    }
    response
}

/// `{"error": {...}}` with the error's status; `{model}` in its message becomes `model`.
pub(crate) fn error_response(error: &ApiError, model: &str) -> Response {
    error_status(error, error_json(error, model))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys_like_openai() {
        assert_eq!(mask_key("sk-abcdefgh1234"), "sk-********1234");
        assert_eq!(mask_key("short"), "*****");
    }
}
