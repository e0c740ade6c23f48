//! Vertex text embeddings: `:predict` with one instance per text, answered
//! with one prediction per text and its token count (Vertex counts tokens;
//! AI Studio does not).

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::providers::gemini::request::embedding_texts;
use crate::providers::gemini::response::{embedding_response, unreadable};
use crate::providers::Target;
use crate::types::{EmbeddingRequest, EmbeddingResponse};

#[derive(Serialize)]
struct PredictRequest<'a> {
    instances: Vec<Instance<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<Parameters>,
}

#[derive(Serialize)]
struct Instance<'a> {
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_type: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Parameters {
    output_dimensionality: u32,
}

#[derive(Deserialize)]
struct PredictResponse {
    #[serde(default)]
    predictions: Vec<Prediction>,
}

#[derive(Deserialize)]
struct Prediction {
    embeddings: PredictionEmbedding,
}

#[derive(Deserialize)]
struct PredictionEmbedding {
    #[serde(default)]
    values: Vec<f32>,
    statistics: Option<Statistics>,
}

#[derive(Deserialize)]
struct Statistics {
    /// A number, sometimes written as a float.
    token_count: Option<Value>,
}

pub(crate) fn predict_body(target: &Target, request: &EmbeddingRequest) -> Result<Bytes, Error> {
    let texts = embedding_texts(target, request)?;
    let task_type = request
        .extra
        .get("task_type")
        .or_else(|| request.extra.get("taskType"))
        .and_then(Value::as_str);
    let body = PredictRequest {
        instances: texts
            .into_iter()
            .map(|content| Instance { content, task_type })
            .collect(),
        parameters: request.dimensions.map(|n| Parameters {
            output_dimensionality: n,
        }),
    };
    serde_json::to_vec(&body).map(Bytes::from).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })
}

pub(crate) fn parse_predict(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error> {
    let wire: PredictResponse = serde_json::from_slice(body).map_err(|e| unreadable(target, &e))?;
    let mut tokens = 0u64;
    let mut counted = false;
    let vectors = wire
        .predictions
        .into_iter()
        .map(|p| {
            if let Some(n) = p
                .embeddings
                .statistics
                .and_then(|s| s.token_count)
                .and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f.max(0.0) as u64)))
            {
                tokens = tokens.saturating_add(n);
                counted = true;
            }
            p.embeddings.values
        })
        .collect();
    Ok(embedding_response(
        target,
        vectors,
        counted.then_some(tokens),
    ))
}
