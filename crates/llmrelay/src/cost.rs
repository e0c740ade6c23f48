//! LiteLLM's `cost_per_token` by model name, over the catalog's prices.

use llmrelay_catalog::{Cost, ServiceTier, Usage};

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
pub fn completion_cost(
    response: &crate::types::ChatResponse,
    model: Option<&str>,
) -> Result<f64, Error> {
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
    let tier = response
        .service_tier
        .as_deref()
        .and_then(|t| t.parse::<ServiceTier>().ok())
        .unwrap_or(ServiceTier::Standard);
    cost_per_token(model, &usage.to_billing(), tier).map(|c| c.total())
}
