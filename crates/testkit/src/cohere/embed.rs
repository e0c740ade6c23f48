//! `POST /v2/embed`: one deterministic unit vector per text, as `embeddings.float`.

use serde_json::Value;

use super::{object_body, require_model, uuid_like, wire};
use crate::api_error::ApiError;
use crate::render::{estimate_tokens, to_json};
use crate::reply::Reply;
use crate::vectors::{unit_vector, Input};

/// The request, once it has passed Cohere's checks: `model`, `texts`, `input_type` and
/// `embedding_types` (the fake renders `float` only).
pub(super) fn validate(body: Option<&Value>) -> Result<&Value, ApiError> {
    let body = object_body(body)?;
    require_model(body)?;
    let texts = body["texts"].as_array().filter(|t| !t.is_empty());
    if !texts.is_some_and(|t| t.iter().all(Value::is_string)) {
        return Err(ApiError::new(
            400,
            "invalid request: texts must be a non-empty list of strings",
        ));
    }
    if !body["input_type"].is_string() {
        return Err(ApiError::new(
            400,
            "invalid request: valid input_type must be provided with the provided model",
        ));
    }
    match body["embedding_types"].as_array().map(Vec::as_slice) {
        Some([kind]) if kind == "float" => Ok(body),
        _ => Err(ApiError::new(
            400,
            "invalid request: the fake serves embedding_types [\"float\"] only",
        )),
    }
}

/// Dimensions of Cohere's embedding models, unless `output_dimension` asks for others.
fn dimensions(request: &Value) -> usize {
    let model = request["model"].as_str().unwrap_or_default();
    request["output_dimension"]
        .as_u64()
        .and_then(|d| usize::try_from(d).ok())
        .filter(|&d| d > 0)
        .unwrap_or(if model.contains("light") {
            384
        } else if model.contains("v4") {
            1536
        } else {
            1024
        })
}

/// The body of a successful answer.
pub(super) fn response(reply: &Reply, request: &Value) -> Vec<u8> {
    let texts: Vec<&str> = request["texts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let dimensions = dimensions(request);
    let float = texts
        .iter()
        .map(|text| unit_vector(&Input::Text(text), dimensions))
        .collect();
    let input_tokens = reply.usage.map_or_else(
        || texts.iter().map(|t| estimate_tokens(t)).sum(),
        |u| u.prompt_tokens,
    );
    let id = uuid_like();
    to_json(&wire::EmbedResponse {
        id: &id,
        embeddings: wire::Embeddings { float },
        texts: &texts,
        meta: wire::Meta {
            api_version: wire::ApiVersion { version: "2" },
            billed_units: wire::InputUnits { input_tokens },
        },
        response_type: "embeddings_by_type",
    })
}
