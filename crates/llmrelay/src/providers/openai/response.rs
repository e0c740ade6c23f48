//! OpenAI-format response bodies -> unified types, with the cost attached.

use llmrelay_catalog::ServiceTier;

use crate::error::{Error, ErrorKind};
use crate::providers::Target;
use crate::types::{ChatResponse, EmbeddingResponse, EmbeddingUsage, ModelList};

pub(crate) fn parse_chat(target: &Target, body: &[u8]) -> Result<ChatResponse, Error> {
    let mut response: ChatResponse =
        serde_json::from_slice(body).map_err(|e| unreadable(target, &e))?;
    response.cost = chat_cost(target, &response);
    Ok(response)
}

pub(crate) fn parse_embedding(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error> {
    let mut response: EmbeddingResponse =
        serde_json::from_slice(body).map_err(|e| unreadable(target, &e))?;
    response.cost = embedding_cost(target, response.usage.as_ref());
    Ok(response)
}

/// What embedding `usage` input tokens cost, when the catalog prices the model.
pub(crate) fn embedding_cost(target: &Target, usage: Option<&EmbeddingUsage>) -> Option<f64> {
    let info = target.info?;
    let billing = llmrelay_catalog::Usage::new(usage?.prompt_tokens, 0);
    llmrelay_catalog::cost_per_token(info, &billing, ServiceTier::Standard)
        .ok()
        .map(|c| c.total())
}

pub(crate) fn parse_models(target: &Target, body: &[u8]) -> Result<ModelList, Error> {
    serde_json::from_slice(body).map_err(|e| unreadable(target, &e))
}

/// What the response cost, priced at the tier the provider says it ran on.
pub(crate) fn chat_cost(target: &Target, response: &ChatResponse) -> Option<f64> {
    let info = target.info?;
    let usage = response.usage.as_ref()?;
    let tier = response
        .service_tier
        .as_deref()
        .and_then(|t| t.parse::<ServiceTier>().ok())
        .unwrap_or(ServiceTier::Standard);
    llmrelay_catalog::cost_per_token(info, &usage.to_billing(), tier)
        .ok()
        .map(|c| c.total())
}

fn unreadable(target: &Target, e: &serde_json::Error) -> Error {
    target.error(
        ErrorKind::InternalServer,
        format!("the provider's response is not a valid OpenAI-format body: {e}"),
    )
}
