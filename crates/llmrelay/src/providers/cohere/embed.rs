//! Embeddings through Cohere's `POST /v2/embed`: texts in, `embeddings.float` out, as
//! OpenAI's list. `input_type` (which Cohere requires for its v3+ models) defaults to
//! `search_document`, the side of a search index; pass `input_type` to say otherwise.

use bytes::Bytes;

use super::request::{extra_fields, to_bytes};
use super::wire;
use crate::error::{Error, ErrorKind};
use crate::providers::params::unsupported;
use crate::providers::Target;
use crate::types::{
    Embedding, EmbeddingInput, EmbeddingRequest, EmbeddingResponse, EmbeddingUsage, EmbeddingVector,
};

/// `input_type` when the caller gives none.
const DEFAULT_INPUT_TYPE: &str = "search_document";

/// Fields of the caller's `extra` this translation sets itself.
const OWN_FIELDS: &[&str] = &[
    "model",
    "texts",
    "input_type",
    "embedding_types",
    "output_dimension",
];

pub(crate) fn embedding_body(target: &Target, request: &EmbeddingRequest) -> Result<Bytes, Error> {
    let texts: Vec<&str> = match &request.input {
        EmbeddingInput::One(text) => vec![text.as_str()],
        EmbeddingInput::Many(texts) => texts.iter().map(String::as_str).collect(),
        EmbeddingInput::Tokens(_) | EmbeddingInput::ManyTokens(_) => {
            return Err(target.error(ErrorKind::BadRequest, "cohere embeds texts, not token ids"))
        }
    };
    let base64 = request.encoding_format.as_deref() == Some("base64");
    let present = [
        ("encoding_format", base64),
        ("user", request.user.is_some()),
    ];
    let names: Vec<&str> = present.iter().filter(|p| p.1).map(|p| p.0).collect();
    unsupported(target, &names)?;
    let body = wire::EmbedRequest {
        model: &target.model,
        texts,
        input_type: request
            .extra
            .get("input_type")
            .and_then(serde_json::Value::as_str)
            .unwrap_or(DEFAULT_INPUT_TYPE),
        embedding_types: ["float"],
        output_dimension: request.dimensions,
        extra: extra_fields(&request.extra, OWN_FIELDS),
    };
    to_bytes(target, &body)
}

pub(crate) fn parse_embedding(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error> {
    let answer: wire::EmbedResponse = serde_json::from_slice(body).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("the provider's response is not a valid Cohere embed body: {e}"),
        )
    })?;
    let prompt_tokens = answer
        .meta
        .and_then(|m| m.billed_units)
        .and_then(|u| u.input_tokens)
        .map_or(0, |n| n.max(0.0).round() as u64);
    let usage = EmbeddingUsage {
        prompt_tokens,
        total_tokens: prompt_tokens,
    };
    let data = answer
        .embeddings
        .float
        .into_iter()
        .enumerate()
        .map(|(index, vector)| Embedding {
            object: String::from("embedding"),
            index: index as u32,
            embedding: EmbeddingVector::Float(vector),
        })
        .collect();
    let response = EmbeddingResponse {
        object: String::from("list"),
        data,
        model: target.model.clone(),
        usage: Some(usage),
        ..EmbeddingResponse::default()
    };
    Ok(response)
}
