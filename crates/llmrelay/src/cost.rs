//! What calls cost: LiteLLM's `cost_per_token` and `completion_cost` by
//! model name, and the cost the client attaches to every answer once it is
//! parsed (the same code for every provider; providers never price).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use llmrelay_catalog::{Cost, ModelInfo, ServiceTier, Usage};

use crate::types::{
    ChatResponse, EmbeddingResponse, RerankResponse, SpeechRequest, TranscriptionResponse,
};

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
    let at = match response.created {
        0 => SystemTime::now(),
        secs => UNIX_EPOCH + Duration::from_secs(secs),
    };
    cost_per_token_at(model, &usage.to_billing(), tier_of(response), at).map(|c| c.total())
}

/// LiteLLM's pricing of `usage` by name, as its Python helpers do it: the
/// name is tried as `provider/model` first when a provider is given, and a
/// catalog entry that states no price costs 0.
/// `at` is the moment billed (off-peak windows).
pub fn price_by_name(
    model: &str,
    provider: Option<&str>,
    usage: &Usage,
    tier: ServiceTier,
    at: SystemTime,
) -> Result<Cost, Error> {
    if let Some(p) = provider.filter(|p| !p.is_empty() && !model.starts_with(&format!("{p}/"))) {
        if let Ok(cost) = cost_per_token_at(&format!("{p}/{model}"), usage, tier, at) {
            return Ok(cost);
        }
    }
    match cost_per_token_at(model, usage, tier, at) {
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

/// What a rerank call cost: its search units at the model's
/// `input_cost_per_query`, as LiteLLM prices it.
pub(crate) fn rerank_cost(info: Option<&ModelInfo>, response: &RerankResponse) -> Option<f64> {
    let per_query = info?
        .prices
        .iter()
        .find(|(key, _)| *key == "input_cost_per_query")?
        .1;
    Some(per_query * response.search_units())
}

/// What `images` images of `request` cost, as LiteLLM prices them: the
/// catalog's entry for the quality, size and model
/// (`hd/1024-x-1792/dall-e-3`, `1024-x-1024/gpt-image-1.5`, else the model),
/// at `input_cost_per_image`, or `input_cost_per_pixel` times the pixels.
pub(crate) fn image_cost(
    target: &crate::route::Target,
    request: &crate::types::ImageGenerationRequest,
    size: Option<(u32, u32)>,
    images: usize,
) -> Option<f64> {
    let (width, height) = size.unwrap_or((1024, 1024));
    let quality = request.quality.as_deref().unwrap_or("standard");
    let model = target.model.as_str();
    let sized = format!("{width}-x-{height}/{model}");
    let keys = [format!("{quality}/{sized}"), sized, model.to_owned()];
    let info = keys.iter().find_map(|key| {
        llmrelay_catalog::get(&format!("{}/{key}", target.provider.name))
            .or_else(|| llmrelay_catalog::get(key))
    })?;
    let price = |name: &str| {
        info.prices
            .iter()
            .find(|(key, _)| *key == name)
            .map(|p| p.1)
    };
    let per_image = price("input_cost_per_image")
        .or_else(|| Some(price("input_cost_per_pixel")? * f64::from(width) * f64::from(height)))?;
    Some(per_image * images as f64)
}

/// What a speech call cost, as LiteLLM prices text to speech: the input's
/// characters (whitespace not counted) at `input_cost_per_character`.
pub(crate) fn speech_cost(info: Option<&ModelInfo>, request: &SpeechRequest) -> Option<f64> {
    let per_character = info?.price("input_cost_per_character")?;
    Some(per_character * request.billed_characters() as f64)
}

/// What a transcription cost, as LiteLLM prices it: token prices when the
/// answer reports tokens (`gpt-4o-transcribe`), else the billed seconds at
/// `output_cost_per_second` (or `input_cost_per_second`). Unknown seconds
/// cost 0, as in LiteLLM.
pub(crate) fn transcription_cost(
    info: Option<&ModelInfo>,
    response: &TranscriptionResponse,
) -> Option<f64> {
    let info = info?;
    if let Some(cost) = transcription_token_cost(info, response) {
        return Some(cost);
    }
    let per_second = info
        .price("output_cost_per_second")
        .filter(|p| *p > 0.0)
        .or_else(|| info.price("input_cost_per_second"))?;
    Some(per_second * response.billed_seconds.unwrap_or(0.0))
}

/// OpenAI's `usage: {"type": "tokens", ...}` at the model's token prices:
/// audio input tokens at `input_cost_per_audio_token` when it has one.
fn transcription_token_cost(info: &ModelInfo, response: &TranscriptionResponse) -> Option<f64> {
    let usage = response.extra.get("usage")?;
    if usage.get("type")?.as_str()? != "tokens" {
        return None;
    }
    let count =
        |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_f64).unwrap_or(0.0);
    let input = count(usage.get("input_tokens"));
    let output = count(usage.get("output_tokens"));
    let details = usage.get("input_token_details");
    let audio = count(details.and_then(|d| d.get("audio_tokens")));
    let input_price = info.price("input_cost_per_token")?;
    let audio_price = info
        .price("input_cost_per_audio_token")
        .unwrap_or(input_price);
    let output_price = info.price("output_cost_per_token").unwrap_or(0.0);
    Some(audio * audio_price + (input - audio).max(0.0) * input_price + output * output_price)
}
