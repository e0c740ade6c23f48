//! `POST /v1/embeddings`: one deterministic unit vector per input, as floats or as base64
//! of little-endian `f32`s.

use base64::Engine as _;
use serde_json::Value;

use super::{to_json, wire};
use crate::api_error::ApiError;
use crate::reply::Reply;
use crate::vectors::{unit_vector, Input};

/// Dimensions of `text-embedding-3-large`; every other model gets [`SMALL_DIMENSIONS`].
const LARGE_DIMENSIONS: usize = 3072;
const SMALL_DIMENSIONS: usize = 1536;

/// The inputs of `input`: a string, an array of strings, an array of token ids, or an
/// array of arrays of token ids.
pub(super) fn inputs(input: &Value) -> Result<Vec<Input<'_>>, ApiError> {
    let invalid = || {
        ApiError::new(
            400,
            "'$.input' is invalid. Please check the API reference: \
             https://platform.openai.com/docs/api-reference.",
        )
    };
    let tokens =
        |items: &Vec<Value>| -> Option<Vec<u64>> { items.iter().map(Value::as_u64).collect() };
    match input {
        Value::String(text) => Ok(vec![Input::Text(text)]),
        Value::Array(items) if items.is_empty() => Err(invalid()),
        Value::Array(items) if items.iter().all(Value::is_number) => tokens(items)
            .map(|t| vec![Input::Tokens(t)])
            .ok_or_else(invalid),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => Some(Input::Text(text)),
                Value::Array(ids) if !ids.is_empty() => tokens(ids).map(Input::Tokens),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

/// The body of a successful answer.
pub(super) fn render(reply: &Reply, inputs: &[Input<'_>], request: &Value, model: &str) -> Vec<u8> {
    let dimensions = request["dimensions"]
        .as_u64()
        .and_then(|d| usize::try_from(d).ok())
        .filter(|&d| d > 0)
        .unwrap_or(if model.contains("large") {
            LARGE_DIMENSIONS
        } else {
            SMALL_DIMENSIONS
        });
    let base64 = request["encoding_format"] == "base64";
    let data = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| {
            let vector = unit_vector(input, dimensions);
            let embedding = if base64 {
                let bytes: Vec<u8> = vector.iter().flat_map(|x| x.to_le_bytes()).collect();
                wire::EmbeddingVector::Base64(
                    base64::engine::general_purpose::STANDARD.encode(bytes),
                )
            } else {
                wire::EmbeddingVector::Float(vector)
            };
            wire::Embedding {
                object: "embedding",
                index,
                embedding,
            }
        })
        .collect();
    let prompt_tokens = reply.usage.map_or_else(
        || inputs.iter().map(estimate_tokens).sum(),
        |u| u.prompt_tokens,
    );
    to_json(&wire::EmbeddingList {
        object: "list",
        data,
        model,
        usage: wire::EmbeddingUsage {
            prompt_tokens,
            total_tokens: prompt_tokens,
        },
    })
}

fn estimate_tokens(input: &Input<'_>) -> u64 {
    match input {
        Input::Text(text) => (text.chars().count() as u64).div_ceil(4),
        Input::Tokens(ids) => ids.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_four_input_forms_and_rejects_others() {
        let count = |v: Value| inputs(&v).map(|i| i.len());
        assert_eq!(count(serde_json::json!("a")), Ok(1));
        assert_eq!(count(serde_json::json!(["a", "b"])), Ok(2));
        assert_eq!(count(serde_json::json!([1, 2, 3])), Ok(1));
        assert_eq!(count(serde_json::json!([[1], [2, 3]])), Ok(2));
        assert!(count(serde_json::json!([])).is_err());
        assert!(count(serde_json::json!([{"x": 1}])).is_err());
        assert!(count(serde_json::json!(3)).is_err());
    }
}
