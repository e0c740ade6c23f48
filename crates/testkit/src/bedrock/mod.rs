//! AWS Bedrock runtime: Converse, ConverseStream (binary event stream) and
//! InvokeModel for Titan and Cohere embeddings, with the SigV4 check AWS does
//! before anything else. Errors come as `{"message"}` with the exception type
//! in `x-amzn-ErrorType`.

mod converse;
mod sigv4;

use axum::http::header::HeaderValue;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::render::{estimate_tokens, json_response, play, to_json, Renderer};
use crate::reply::Reply;
use crate::server::{BedrockWire, FakeUpstream, FakeUpstreamBuilder, Shared};

/// A fake AWS Bedrock runtime on a loopback port, scripted per request with [`Reply`]s.
///
/// It serves `POST /model/{modelId}/converse`, `/converse-stream` (AWS's binary
/// `application/vnd.amazon.eventstream`, each frame CRC-checked) and `/invoke` (Titan and
/// Cohere embeddings). With [`require_api_key`](FakeUpstreamBuilder::require_api_key) the
/// key is the AWS *secret access key*: every request's SigV4 signature is recomputed and a
/// wrong one is refused with 403 `InvalidSignatureException`, as AWS does.
pub type FakeBedrock = FakeUpstream<BedrockWire>;

/// Options for a [`FakeBedrock`] before it starts.
pub type FakeBedrockBuilder = FakeUpstreamBuilder<BedrockWire>;

/// Answers one request as the Bedrock runtime would.
pub(crate) async fn respond(
    state: &Shared,
    parts: &Parts,
    body: Option<&Value>,
    raw: &[u8],
) -> Response {
    if let Some(secret) = &state.api_key {
        if let Err(message) = sigv4::verify(parts, raw, secret) {
            return error_response(
                &ApiError::new(403, message).with_code(Some("InvalidSignatureException")),
            );
        }
    }
    let path = parts.uri.path();
    let Some((model, action)) = path
        .strip_prefix("/model/")
        .and_then(|rest| rest.rsplit_once('/'))
    else {
        return error_response(
            &ApiError::new(404, "Not Found").with_code(Some("UnknownOperationException")),
        );
    };
    if parts.method != "POST" || !matches!(action, "converse" | "converse-stream" | "invoke") {
        return error_response(
            &ApiError::new(404, "Not Found").with_code(Some("UnknownOperationException")),
        );
    }
    let Some(body) = body.filter(|b| b.is_object()) else {
        return error_response(&ApiError::new(
            400,
            "Malformed input request, please reformat your input and try again.",
        ));
    };
    let answer = Answer {
        body,
        model: percent_decode(model),
        action,
    };
    let no_messages = body["messages"].as_array().is_none_or(Vec::is_empty);
    if action != "invoke" && no_messages {
        return error_response(&ApiError::new(
            400,
            "The model returned the following errors: messages: must not be empty",
        ));
    }
    play(state, action == "converse-stream", &answer).await
}

struct Answer<'a> {
    body: &'a Value,
    model: String,
    action: &'a str,
}

impl Renderer for Answer<'_> {
    fn error(&self, error: &ApiError) -> Response {
        error_response(error)
    }

    fn malformed(&self, stream: bool) -> Response {
        if stream {
            let mut bad = converse::frame(
                "event",
                (":event-type", "messageStart"),
                &json!({"role": "assistant"}),
            )
            .to_vec();
            let last = bad.len() - 1;
            bad[last] ^= 0xff; // a frame whose CRC does not match
            let mut response = Response::new(axum::body::Body::from(bad));
            response.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("application/vnd.amazon.eventstream"),
            );
            return response;
        }
        json_response(
            StatusCode::OK,
            br#"{"output":{"message":{"role":"assistant","content":[{"text":"trunc"#.to_vec(),
        )
    }

    fn body(&self, reply: &Reply) -> Response {
        if self.action == "invoke" {
            return json_response(StatusCode::OK, embedding(&self.model, self.body, reply));
        }
        json_response(StatusCode::OK, converse::body(reply, self.body))
    }

    fn stream(&self, reply: &Reply, signal: watch::Receiver<bool>) -> Response {
        converse::stream(reply, self.body, signal)
    }
}

/// Titan: `{"embedding", "inputTextTokenCount"}`; Cohere: `{"embeddings", "id", "texts"}`.
fn embedding(model: &str, body: &Value, reply: &Reply) -> Vec<u8> {
    let vector = |text: &str| -> Vec<f32> {
        // A deterministic unit vector from the text: enough for round-trip tests.
        let mut v: Vec<f32> = (0..8)
            .map(|i| ((text.len() + i * 7) % 13) as f32 + 1.0)
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        v
    };
    if model.contains("cohere.") {
        let texts: Vec<&str> = body["texts"]
            .as_array()
            .map_or(Vec::new(), |t| t.iter().filter_map(Value::as_str).collect());
        return to_json(&json!({
            "id": crate::ids::random_id("emb-", 16),
            "response_type": "embeddings_floats",
            "embeddings": texts.iter().map(|t| vector(t)).collect::<Vec<_>>(),
            "texts": texts,
        }));
    }
    let text = body["inputText"].as_str().unwrap_or_default();
    let tokens = reply
        .usage
        .map_or_else(|| estimate_tokens(text), |u| u.prompt_tokens);
    to_json(&json!({"embedding": vector(text), "inputTextTokenCount": tokens}))
}

/// The PascalCase exception name AWS puts in `x-amzn-ErrorType`.
fn error_type(status: u16, code: Option<&str>) -> &'static str {
    match (status, code) {
        (_, Some("InvalidSignatureException")) => "InvalidSignatureException",
        (_, Some("UnknownOperationException")) => "UnknownOperationException",
        (403, _) => "AccessDeniedException",
        (404, _) => "ResourceNotFoundException",
        (408, _) => "ModelTimeoutException",
        (429, _) => "ThrottlingException",
        (503, _) => "ServiceUnavailableException",
        (s, _) if s >= 500 => "InternalServerException",
        _ => "ValidationException",
    }
}

/// The camelCase name the same exception has inside an event stream.
pub(crate) fn exception_type(status: u16, code: Option<&str>) -> &'static str {
    match error_type(status, code) {
        "ThrottlingException" => "throttlingException",
        "ModelTimeoutException" => "modelTimeoutException",
        "ServiceUnavailableException" => "serviceUnavailableException",
        "ValidationException" => "validationException",
        _ => "internalServerException",
    }
}

/// AWS's wording for the canned errors, keyed by the OpenAI code the reply carries.
fn message(error: &ApiError) -> String {
    match error.code.as_deref() {
        Some("context_length_exceeded") => String::from("Input is too long for requested model."),
        Some("rate_limit_exceeded") => {
            String::from("Too many requests, please wait before trying again.")
        }
        _ => error.message.clone(),
    }
}

fn error_response(error: &ApiError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json_response(status, to_json(&json!({"message": message(error)})));
    let kind = error_type(error.status, error.code.as_deref());
    response
        .headers_mut()
        .insert("x-amzn-errortype", HeaderValue::from_static(kind));
    response
}

/// A body past the size limit.
pub(crate) fn body_too_large() -> Response {
    error_response(&ApiError::new(413, "Request body too large"))
}

/// `%3A` -> `:` in a model id path segment.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
