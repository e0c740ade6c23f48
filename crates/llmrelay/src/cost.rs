//! What calls cost: LiteLLM's `cost_per_token` and `completion_cost` by
//! model name, and the cost the client attaches to every answer once it is
//! parsed (the same code for every provider; providers never price).

use llmrelay_catalog::{Cost, ModelInfo, ServiceTier, Usage};

use crate::types::{ChatResponse, EmbeddingResponse};

use crate::error::Error;
use crate::model_info::model_info;

/// What `usage` costs on `model` at `tier`, split into prompt and completion
/// dollars exactly as LiteLLM computes them (cached reads and cache creation
/// at their own rates, tiered prices past their thresholds).
pub fn cost_per_token(model: &str, usage: &Usage, tier: ServiceTier) -> Result<Cost, Error> {
    let info = model_info(model)?;
    llmrelay_catalog::cost_per_token(info, usage, tier)
        .map_err(|e| Error::from(e).with_model(model))
}

/// LiteLLM's `completion_cost`: what `response` cost, priced on `model` (or
/// the model the response names). A response that already carries its cost
/// returns it.
pub fn completion_cost(response: &ChatResponse, model: Option<&str>) -> Result<f64, Error> {
    if let Some(cost) = response.cost {
        return Ok(cost);
    }
    let model = model.unwrap_or(&response.model);
    let usage = response.usage.as_ref().ok_or_else(|| {
        Error::new(
            crate::error::ErrorKind::BadRequest,
            "the response carries no usage to price",
        )
        .with_model(model)
    })?;
    cost_per_token(model, &usage.to_billing(), tier_of(response)).map(|c| c.total())
}

/// LiteLLM's pricing of `usage` by name, as its Python helpers do it: the
/// name is tried as `provider/model` first when a provider is given, and a
/// catalog entry that states no price costs 0.
pub fn price_by_name(
    model: &str,
    provider: Option<&str>,
    usage: &Usage,
    tier: ServiceTier,
) -> Result<Cost, Error> {
    if let Some(p) = provider.filter(|p| !p.is_empty() && !model.starts_with(&format!("{p}/"))) {
        if let Ok(cost) = cost_per_token(&format!("{p}/{model}"), usage, tier) {
            return Ok(cost);
        }
    }
    match cost_per_token(model, usage, tier) {
        Err(_) if is_unpriced(model) => Ok(Cost::default()),
        other => other,
    }
}

/// `usage` at caller-given prices per token (LiteLLM's
/// `custom_cost_per_token`, a deployment's `input_cost_per_token`).
pub fn custom_cost(input_per_token: f64, output_per_token: f64, usage: &Usage) -> Cost {
    Cost {
        prompt: input_per_token * usage.prompt_tokens as f64,
        completion: output_per_token * usage.completion_tokens as f64,
    }
}

/// Whether `model` is in the catalog without any price.
pub fn is_unpriced(model: &str) -> bool {
    llmrelay_catalog::resolve(model)
        .ok()
        .and_then(|r| r.info)
        .is_some_and(|info| !info.has_pricing())
}

/// The tier a response says it ran on (standard when it says nothing known).
fn tier_of(response: &ChatResponse) -> ServiceTier {
    tier_named(response.service_tier.as_deref())
}

fn tier_named(tier: Option<&str>) -> ServiceTier {
    tier.and_then(|t| t.parse::<ServiceTier>().ok())
        .unwrap_or(ServiceTier::Standard)
}

/// What a parsed chat answer cost on `info`'s prices, at the tier it ran on.
pub(crate) fn chat_cost(info: Option<&ModelInfo>, response: &ChatResponse) -> Option<f64> {
    usage_cost(
        info,
        response.usage.as_ref()?,
        response.service_tier.as_deref(),
    )
}

/// What `usage` cost on `info`'s prices at the tier named `tier`.
pub(crate) fn usage_cost(
    info: Option<&ModelInfo>,
    usage: &crate::types::Usage,
    tier: Option<&str>,
) -> Option<f64> {
    llmrelay_catalog::cost_per_token(info?, &usage.to_billing(), tier_named(tier))
        .ok()
        .map(|c| c.total())
}

/// What a parsed embedding answer cost: its input tokens on `info`'s prices.
pub(crate) fn embedding_cost(
    info: Option<&ModelInfo>,
    response: &EmbeddingResponse,
) -> Option<f64> {
    let billing = Usage::new(response.usage.as_ref()?.prompt_tokens, 0);
    llmrelay_catalog::cost_per_token(info?, &billing, ServiceTier::Standard)
        .ok()
        .map(|c| c.total())
}
