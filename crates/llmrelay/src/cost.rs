//! LiteLLM's `cost_per_token` by model name, over the catalog's prices.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use llmrelay_catalog::{Cost, ServiceTier, Usage};

use crate::error::Error;
use crate::model_info::model_info;

/// What `usage` costs on `model` at `tier`, split into prompt and completion
/// dollars exactly as LiteLLM computes them (cached reads and cache creation
/// at their own rates, tiered prices past their thresholds).
/// Billed now: prices with off-peak windows depend on the moment (see
/// [`cost_per_token_at`]).
pub fn cost_per_token(model: &str, usage: &Usage, tier: ServiceTier) -> Result<Cost, Error> {
    cost_per_token_at(model, usage, tier, SystemTime::now())
}

/// [`cost_per_token`] for a request billed at `at` (off-peak windows are
/// read at that moment).
pub fn cost_per_token_at(
    model: &str,
    usage: &Usage,
    tier: ServiceTier,
    at: SystemTime,
) -> Result<Cost, Error> {
    let info = model_info(model)?;
    llmrelay_catalog::cost_per_token_at(info, usage, tier, at)
        .map_err(|e| Error::from(e).with_model(model))
}

/// LiteLLM's `completion_cost`: what `response` cost, priced on `model` (or
/// the model the response names), billed at the moment the response was
/// created (its `created` field; now when that is 0). A response that already
/// carries its cost returns it.
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
    let at = match response.created {
        0 => SystemTime::now(),
        secs => UNIX_EPOCH + Duration::from_secs(secs),
    };
    cost_per_token_at(model, &usage.to_billing(), tier, at).map(|c| c.total())
}
