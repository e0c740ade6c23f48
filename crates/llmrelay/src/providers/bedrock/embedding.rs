//! Bedrock embeddings through InvokeModel: Amazon Titan (`inputText`, one
//! text per call) and Cohere Embed (`texts`, a batch per call).

use std::time::SystemTime;

use bytes::Bytes;
use serde_json::{json, Value};

use super::signed;
use crate::error::{Error, ErrorKind};
use crate::providers::http::aws_path_segment;
use crate::providers::{HttpRequest, Target};
use crate::types::{
    Embedding, EmbeddingInput, EmbeddingRequest, EmbeddingResponse, EmbeddingUsage, EmbeddingVector,
};

fn is_cohere(model: &str) -> bool {
    model.contains("cohere.")
}

pub(crate) fn embedding_request(
    target: &Target,
    request: &EmbeddingRequest,
    now: SystemTime,
) -> Result<HttpRequest, Error> {
    let texts = match &request.input {
        EmbeddingInput::One(t) => vec![t.clone()],
        EmbeddingInput::Many(v) => v.clone(),
        _ => {
            return Err(target.error(
                ErrorKind::UnsupportedParams,
                "Bedrock embeds text, not token ids",
            ));
        }
    };
    let body = if is_cohere(&target.model) {
        let input_type = request
            .extra
            .get("input_type")
            .and_then(Value::as_str)
            .unwrap_or("search_document");
        json!({"texts": texts, "input_type": input_type})
    } else {
        let [text] = texts.as_slice() else {
            return Err(target.error(
                ErrorKind::UnsupportedParams,
                "Amazon Titan embeds one text per call; send the inputs one at a time",
            ));
        };
        let mut body = json!({"inputText": text});
        if let Some(dimensions) = request.dimensions {
            body["dimensions"] = json!(dimensions);
        }
        body
    };
    let body = serde_json::to_vec(&body).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })?;
    signed(
        target,
        &format!("/model/{}/invoke", aws_path_segment(&target.model)),
        Bytes::from(body),
        now,
    )
}

pub(crate) fn parse_embedding(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("Bedrock's embedding is unreadable: {e}"),
        )
    })?;
    let vectors: Vec<Vec<f32>> = if let Some(one) = value.get("embedding") {
        vec![serde_json::from_value(one.clone()).unwrap_or_default()]
    } else {
        let many = value.get("embeddings").map(|e| e.get("float").unwrap_or(e));
        many.and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default()
    };
    if vectors.is_empty() || vectors.iter().any(Vec::is_empty) {
        return Err(target.error(ErrorKind::InternalServer, "Bedrock returned no embedding"));
    }
    let tokens = value.get("inputTextTokenCount").and_then(Value::as_u64);
    let response = EmbeddingResponse {
        object: String::from("list"),
        data: vectors
            .into_iter()
            .enumerate()
            .map(|(i, v)| Embedding {
                object: String::from("embedding"),
                index: i as u32,
                embedding: EmbeddingVector::Float(v),
            })
            .collect(),
        model: target.model.clone(),
        usage: tokens.map(|t| EmbeddingUsage {
            prompt_tokens: t,
            total_tokens: t,
        }),
        ..EmbeddingResponse::default()
    };
    Ok(response)
}
