//! LiteLLM's `cost_per_token` and `completion_cost`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use llmrelay::catalog::Usage as Billing;
use llmrelay::{ChatResponse, ServiceTier, Usage};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::catalog::ensure_overrides;
use crate::convert;
use crate::errors::{self, value_error};
use crate::tokens;

fn tier(service_tier: Option<&str>, call_type: &str) -> PyResult<ServiceTier> {
    if matches!(call_type, "retrieve_batch" | "batch") {
        return Ok(ServiceTier::Batch);
    }
    match service_tier {
        Some(name) => name
            .parse()
            .map_err(|e: llmrelay::catalog::CostError| value_error(e.to_string())),
        None => Ok(ServiceTier::Standard),
    }
}

/// Prices `usage` on `model` through the SDK's rule (`provider/model` first,
/// an unpriced catalog entry costs 0), as `(prompt dollars, completion dollars)`.
fn price(
    py: Python<'_>,
    model: &str,
    provider: Option<&str>,
    usage: &Billing,
    tier: ServiceTier,
    at: SystemTime,
) -> PyResult<(f64, f64)> {
    llmrelay::price_by_name(model, provider, usage, tier, at)
        .map(|cost| (cost.prompt, cost.completion))
        .map_err(|e| errors::not_mapped(py, e))
}

/// The billing moment: `current_time` (a `datetime`, naive ones read as UTC as
/// LiteLLM reads them, or Unix seconds), else `fallback`, else now.
fn billing_moment(
    current_time: Option<&Bound<'_, PyAny>>,
    fallback: Option<u64>,
) -> PyResult<SystemTime> {
    let Some(value) = current_time.filter(|v| !v.is_none()) else {
        return Ok(match fallback.filter(|&s| s > 0) {
            Some(secs) => UNIX_EPOCH + Duration::from_secs(secs),
            None => SystemTime::now(),
        });
    };
    let seconds: f64 = if value.hasattr("tzinfo")? {
        let aware = if value.getattr("tzinfo")?.is_none() {
            let utc = value
                .py()
                .import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?;
            let kwargs = PyDict::new(value.py());
            kwargs.set_item("tzinfo", utc)?;
            value.call_method("replace", (), Some(&kwargs))?
        } else {
            value.clone()
        };
        aware.call_method0("timestamp")?.extract()?
    } else {
        value
            .extract()
            .map_err(|_| value_error("current_time must be a datetime or Unix seconds"))?
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(value_error(format!(
            "current_time {seconds} is not a moment after 1970"
        )));
    }
    Ok(UNIX_EPOCH + Duration::from_secs_f64(seconds))
}

/// A usage object or dict (`Usage`, OpenAI's shape) in billing terms.
fn billing_of(value: &Bound<'_, PyAny>) -> PyResult<Billing> {
    let usage: Usage = serde_json::from_value(convert::to_value(value)?)
        .map_err(|e| value_error(format!("not a usage object: {e}")))?;
    Ok(usage.to_billing())
}

/// Custom prices (`{"input_cost_per_token": x, "output_cost_per_token": y}`).
fn custom_price(prices: &Bound<'_, PyAny>, usage: &Billing) -> PyResult<(f64, f64)> {
    let get = |key: &str| -> PyResult<f64> {
        match prices.get_item(key) {
            Ok(v) if !v.is_none() => v.extract(),
            _ => Ok(0.0),
        }
    };
    let cost = llmrelay::custom_cost(
        get("input_cost_per_token")?,
        get("output_cost_per_token")?,
        usage,
    );
    Ok((cost.prompt, cost.completion))
}

/// LiteLLM's `cost_per_token`: `(prompt_cost, completion_cost)` in US dollars.
#[pyfunction]
#[pyo3(signature = (
    model="", prompt_tokens=0, completion_tokens=0, response_time_ms=None,
    custom_llm_provider=None, region_name=None, prompt_characters=None,
    completion_characters=None, cache_creation_input_tokens=0, cache_read_input_tokens=0,
    custom_cost_per_token=None, custom_cost_per_second=None, number_of_queries=None,
    usage_object=None, rerank_billed_units=None, call_type="completion",
    audio_transcription_file_duration=None, service_tier=None, response=None,
    current_time=None
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn cost_per_token(
    py: Python<'_>,
    model: &str,
    prompt_tokens: u64,
    completion_tokens: u64,
    response_time_ms: Option<f64>,
    custom_llm_provider: Option<&str>,
    region_name: Option<&Bound<'_, PyAny>>,
    prompt_characters: Option<&Bound<'_, PyAny>>,
    completion_characters: Option<&Bound<'_, PyAny>>,
    cache_creation_input_tokens: Option<u64>,
    cache_read_input_tokens: Option<u64>,
    custom_cost_per_token: Option<&Bound<'_, PyAny>>,
    custom_cost_per_second: Option<f64>,
    number_of_queries: Option<&Bound<'_, PyAny>>,
    usage_object: Option<&Bound<'_, PyAny>>,
    rerank_billed_units: Option<&Bound<'_, PyAny>>,
    call_type: &str,
    audio_transcription_file_duration: Option<f64>,
    service_tier: Option<&str>,
    response: Option<&Bound<'_, PyAny>>,
    current_time: Option<&Bound<'_, PyAny>>,
) -> PyResult<(f64, f64)> {
    let _ = (
        region_name,
        prompt_characters,
        completion_characters,
        number_of_queries,
        rerank_billed_units,
        audio_transcription_file_duration,
        response,
    );
    ensure_overrides()?;
    let usage = match usage_object.filter(|u| !u.is_none()) {
        Some(u) => billing_of(u)?,
        None => Billing {
            prompt_tokens,
            completion_tokens,
            cached_tokens: cache_read_input_tokens.unwrap_or(0),
            cache_creation_tokens: cache_creation_input_tokens.unwrap_or(0),
            ..Billing::default()
        },
    };
    if let Some(per_second) = custom_cost_per_second {
        return Ok((0.0, per_second * response_time_ms.unwrap_or(0.0) / 1000.0));
    }
    if let Some(prices) = custom_cost_per_token.filter(|p| !p.is_none()) {
        return custom_price(prices, &usage);
    }
    price(
        py,
        model,
        custom_llm_provider,
        &usage,
        tier(service_tier, call_type)?,
        billing_moment(current_time, None)?,
    )
}

/// LiteLLM's `completion_cost`: what a response cost (or, without one, the
/// `prompt`/`messages` and `completion` texts, counted for `model`).
#[pyfunction]
#[pyo3(signature = (
    completion_response=None, model=None, is_streaming=false, prompt="", messages=None,
    completion="", total_time=None, call_type="completion", region_name=None, size=None,
    quality=None, n=None, custom_cost_per_token=None, custom_cost_per_second=None,
    optimize_flag=false, custom_llm_provider=None, base_model=None, service_tier=None,
    current_time=None, **_kwargs
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn completion_cost(
    py: Python<'_>,
    completion_response: Option<&Bound<'_, PyAny>>,
    model: Option<&str>,
    is_streaming: bool,
    prompt: &str,
    messages: Option<&Bound<'_, PyAny>>,
    completion: &str,
    total_time: Option<f64>,
    call_type: &str,
    region_name: Option<&Bound<'_, PyAny>>,
    size: Option<&Bound<'_, PyAny>>,
    quality: Option<&Bound<'_, PyAny>>,
    n: Option<&Bound<'_, PyAny>>,
    custom_cost_per_token: Option<&Bound<'_, PyAny>>,
    custom_cost_per_second: Option<f64>,
    optimize_flag: bool,
    custom_llm_provider: Option<&str>,
    base_model: Option<&str>,
    service_tier: Option<&str>,
    current_time: Option<&Bound<'_, PyAny>>,
    _kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<f64> {
    let _ = (is_streaming, region_name, size, quality, n, optimize_flag);
    ensure_overrides()?;
    let (usage, response_model, response_tier, provider, created) =
        match completion_response.filter(|r| !r.is_none()) {
            Some(r) => response_usage(py, r)?,
            None => {
                let model = model
                    .ok_or_else(|| value_error("completion_cost needs a response or a model"))?;
                let prompt_tokens = match messages.filter(|m| !m.is_none()) {
                    Some(m) => match convert::to_value(m)? {
                        Value::Array(items) => tokens::count_messages(py, model, &items)?,
                        _ => return Err(value_error("messages must be a list")),
                    },
                    None => tokens::count_text(py, model, prompt)?,
                };
                let completion_tokens = tokens::count_text(py, model, completion)?;
                (
                    Billing::new(prompt_tokens, completion_tokens),
                    String::new(),
                    None,
                    None,
                    None,
                )
            }
        };
    if let Some(per_second) = custom_cost_per_second {
        return Ok(per_second * total_time.unwrap_or(0.0));
    }
    if let Some(prices) = custom_cost_per_token.filter(|p| !p.is_none()) {
        let (p, c) = custom_price(prices, &usage)?;
        return Ok(p + c);
    }
    let model = base_model.or(model).unwrap_or(&response_model);
    let provider = custom_llm_provider.or(provider.as_deref());
    let tier = tier(service_tier.or(response_tier.as_deref()), call_type)?;
    // A response is billed at the moment it was created.
    let at = billing_moment(current_time, created)?;
    let (p, c) = price(py, model, provider, &usage, tier, at)?;
    Ok(p + c)
}

/// A text completion's choices (`text`) read as a chat response's
/// (`message`), so it is priced the same way.
fn texts_as_messages(map: &mut serde_json::Map<String, Value>) {
    if let Some(Value::Array(choices)) = map.get_mut("choices") {
        for choice in choices.iter_mut().filter_map(Value::as_object_mut) {
            let text = choice.remove("text").unwrap_or(Value::Null);
            let mut message = serde_json::Map::new();
            message.insert("role".into(), Value::String("assistant".into()));
            message.insert("content".into(), text);
            choice.insert("message".into(), Value::Object(message));
        }
    }
}

type ResponseUsage = (Billing, String, Option<String>, Option<String>, Option<u64>);

/// Usage, model, service tier, provider and creation time of a response object or dict.
fn response_usage(py: Python<'_>, response: &Bound<'_, PyAny>) -> PyResult<ResponseUsage> {
    let provider = response
        .getattr("_hidden_params")
        .ok()
        .and_then(|h| h.get_item("custom_llm_provider").ok())
        .and_then(|p| p.extract::<String>().ok());
    let value = convert::to_value(response)?;
    let Value::Object(mut map) = value else {
        return Err(value_error(
            "completion_response must be a response object or dict",
        ));
    };
    if map.get("object").and_then(Value::as_str) == Some("text_completion") {
        texts_as_messages(&mut map);
    }
    if map.get("choices").is_some() {
        map.entry("id").or_insert(Value::String(String::new()));
        map.entry("model").or_insert(Value::String(String::new()));
        let chat: ChatResponse = serde_json::from_value(Value::Object(map))
            .map_err(|e| value_error(format!("not a chat response: {e}")))?;
        let usage = chat.usage.as_ref().map(Usage::to_billing).ok_or_else(|| {
            errors::bad_request(py, &chat.model, "the response carries no usage to price")
        })?;
        return Ok((
            usage,
            chat.model,
            chat.service_tier,
            provider,
            Some(chat.created),
        ));
    }
    // An embedding (or other) response: prompt tokens only.
    let model = map
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let prompt_tokens = map
        .get("usage")
        .and_then(|u| u.get("prompt_tokens"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let created = map.get("created").and_then(Value::as_u64);
    Ok((
        Billing::new(prompt_tokens, 0),
        model,
        None,
        provider,
        created,
    ))
}
