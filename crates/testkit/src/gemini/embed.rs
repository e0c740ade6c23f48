//! Embeddings: AI Studio's `embedContent` (one text) and `batchEmbedContents` (several,
//! each request naming its model), and Vertex's `:predict` for text-embedding models,
//! which also counts tokens per text. Vectors are the deterministic unit vectors every
//! fake uses.

use serde_json::Value;

use super::wire;
use crate::api_error::ApiError;
use crate::render::{estimate_tokens, to_json};
use crate::reply::Reply;
use crate::vectors::{unit_vector, Input};

/// `gemini-embedding-001`'s size; the older text-embedding models have 768.
const GEMINI_DIMENSIONS: usize = 3072;
const TEXT_DIMENSIONS: usize = 768;

fn dimensions(model: &str, asked: &Value) -> usize {
    asked
        .as_u64()
        .and_then(|d| usize::try_from(d).ok())
        .filter(|&d| d > 0)
        .unwrap_or(if model.contains("gemini-embedding") {
            GEMINI_DIMENSIONS
        } else {
            TEXT_DIMENSIONS
        })
}

/// The text of one `EmbedContentRequest`.
fn text_of(request: &Value) -> Result<&str, ApiError> {
    let parts = request["content"]["parts"].as_array();
    parts
        .and_then(|p| p.first())
        .and_then(|p| p["text"].as_str())
        .ok_or_else(|| {
            ApiError::new(
                400,
                "* EmbedContentRequest.content: contents is not specified",
            )
            .with_code(Some("INVALID_ARGUMENT"))
        })
}

/// `embedContent`.
pub(super) fn embed_content(model: &str, body: &Value) -> Result<Vec<u8>, ApiError> {
    let text = text_of(body)?;
    let values = unit_vector(
        &Input::Text(text),
        dimensions(model, &body["outputDimensionality"]),
    );
    Ok(to_json(&wire::EmbedContentResponse {
        embedding: wire::Values { values },
    }))
}

/// `batchEmbedContents`: every request must name the model of the URL.
pub(super) fn batch_embed_contents(model: &str, body: &Value) -> Result<Vec<u8>, ApiError> {
    let requests = body["requests"]
        .as_array()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                400,
                "* BatchEmbedContentsRequest.requests: requests is not specified",
            )
            .with_code(Some("INVALID_ARGUMENT"))
        })?;
    let expected = format!("models/{model}");
    let mut embeddings = Vec::with_capacity(requests.len());
    for (i, request) in requests.iter().enumerate() {
        if request["model"].as_str() != Some(expected.as_str()) {
            return Err(ApiError::new(
                400,
                format!(
                    "* BatchEmbedContentsRequest.requests[{i}].model: model must be `{expected}`, \
                     the model of the batch"
                ),
            )
            .with_code(Some("INVALID_ARGUMENT")));
        }
        let text = text_of(request)?;
        let dimensions = dimensions(model, &request["outputDimensionality"]);
        embeddings.push(wire::Values {
            values: unit_vector(&Input::Text(text), dimensions),
        });
    }
    Ok(to_json(&wire::BatchEmbedContentsResponse { embeddings }))
}

/// Vertex `:predict`: one prediction per instance, with its token count (the reply's
/// prompt tokens spread over the instances, or an estimate).
pub(super) fn predict(reply: &Reply, model: &str, body: &Value) -> Result<Vec<u8>, ApiError> {
    let instances = body["instances"]
        .as_array()
        .filter(|i| !i.is_empty())
        .ok_or_else(|| {
            ApiError::new(400, "instances is required").with_code(Some("INVALID_ARGUMENT"))
        })?;
    let texts: Vec<&str> = instances
        .iter()
        .map(|i| i["content"].as_str())
        .collect::<Option<_>>()
        .ok_or_else(|| {
            ApiError::new(400, "each instance needs a `content` string")
                .with_code(Some("INVALID_ARGUMENT"))
        })?;
    let dimensions = dimensions(model, &body["parameters"]["outputDimensionality"]);
    let count = texts.len() as u64;
    let tokens = |i: usize, text: &str| match reply.usage {
        Some(usage) => {
            let share = usage.prompt_tokens / count;
            if i + 1 == texts.len() {
                usage.prompt_tokens - share * (count - 1)
            } else {
                share
            }
        }
        None => estimate_tokens(text),
    };
    let predictions = texts
        .iter()
        .enumerate()
        .map(|(i, text)| wire::Prediction {
            embeddings: wire::PredictionEmbeddings {
                statistics: wire::Statistics {
                    truncated: false,
                    token_count: tokens(i, text),
                },
                values: unit_vector(&Input::Text(text), dimensions),
            },
        })
        .collect();
    Ok(to_json(&wire::PredictResponse {
        predictions,
        metadata: wire::PredictMetadata {
            billable_character_count: texts.iter().map(|t| t.chars().count() as u64).sum(),
        },
    }))
}
