//! OpenAI-format response bodies -> unified types. Cost is the client's to
//! attach, after parsing, for every provider alike.

use crate::error::Error;
use crate::providers::upstream_error::unreadable;
use crate::providers::Target;
use crate::types::{ChatResponse, EmbeddingResponse, ModelList};

pub(crate) fn parse_chat(target: &Target, body: &[u8]) -> Result<ChatResponse, Error> {
    serde_json::from_slice(body).map_err(|e| unreadable(target, "OpenAI-format", &e))
}

pub(crate) fn parse_embedding(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error> {
    serde_json::from_slice(body).map_err(|e| unreadable(target, "OpenAI-format", &e))
}

pub(crate) fn parse_models(target: &Target, body: &[u8]) -> Result<ModelList, Error> {
    serde_json::from_slice(body).map_err(|e| unreadable(target, "OpenAI-format", &e))
}

/// Any OpenAI-format answer whose unified type is its wire type
/// (moderations, images).
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    target: &Target,
    body: &[u8],
) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| unreadable(target, "OpenAI-format", &e))
}
