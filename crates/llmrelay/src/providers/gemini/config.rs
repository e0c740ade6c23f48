//! `generationConfig`: sampling parameters, structured output and thinking.
//!
//! `response_format` is never dropped: `json_object` becomes
//! `responseMimeType: application/json`, `json_schema` adds the schema
//! (`responseJsonSchema` on Gemini 2.0 and later, which take JSON Schema as
//! is; `responseSchema` in Gemini's OpenAPI subset before), and a schema
//! Gemini cannot express is an `UnsupportedParams` error even under
//! `drop_params`. `reasoning_effort` becomes a thinking budget (Gemini 2.5)
//! or level (Gemini 3), with LiteLLM's budgets.

use serde_json::Value;

use super::schema::{to_gemini_schema, without_strict};
use super::wire::{GenerationConfig, ThinkingConfig};
use crate::error::{Error, ErrorKind};
use crate::providers::Target;
use crate::types::{ChatRequest, ResponseFormat, Stop};

pub(crate) fn generation_config(
    target: &Target,
    request: &ChatRequest,
) -> Result<GenerationConfig, Error> {
    let mut config = GenerationConfig {
        temperature: request.temperature,
        top_p: request.top_p,
        max_output_tokens: request.max_completion_tokens.or(request.max_tokens),
        stop_sequences: match &request.stop {
            Some(Stop::One(s)) => vec![s.clone()],
            Some(Stop::Many(many)) => many.clone(),
            None => Vec::new(),
        },
        candidate_count: request.n,
        seed: request.seed,
        presence_penalty: request.presence_penalty,
        frequency_penalty: request.frequency_penalty,
        ..GenerationConfig::default()
    };
    if let Some(format) = &request.response_format {
        response_format(target, format, &mut config)?;
    }
    if let Some(effort) = request.reasoning_effort.as_deref() {
        config.thinking_config = thinking_for_effort(target, effort)?;
    }
    if let Some(thinking) = request.extra.get("thinking") {
        config.thinking_config = Some(thinking_from_budget(target, thinking)?);
    }
    Ok(config)
}

/// Adds caller-given `generationConfig` fields; one that the translation
/// also set replaces it (a key may appear only once in the body).
pub(crate) fn merge_caller_config(
    config: &mut GenerationConfig,
    fields: &serde_json::Map<String, Value>,
) {
    for (key, value) in fields {
        match key.as_str() {
            "temperature" => config.temperature = None,
            "topP" => config.top_p = None,
            "maxOutputTokens" => config.max_output_tokens = None,
            "stopSequences" => config.stop_sequences.clear(),
            "candidateCount" => config.candidate_count = None,
            "seed" => config.seed = None,
            "presencePenalty" => config.presence_penalty = None,
            "frequencyPenalty" => config.frequency_penalty = None,
            "responseMimeType" => config.response_mime_type = None,
            "responseSchema" => config.response_schema = None,
            "responseJsonSchema" => config.response_json_schema = None,
            "thinkingConfig" => config.thinking_config = None,
            _ => {}
        }
        config.extra.insert(key.clone(), value.clone());
    }
}

fn response_format(
    target: &Target,
    format: &ResponseFormat,
    config: &mut GenerationConfig,
) -> Result<(), Error> {
    match format {
        ResponseFormat::Text => {}
        ResponseFormat::JsonObject => config.response_mime_type = Some("application/json"),
        ResponseFormat::JsonSchema { json_schema } => {
            config.response_mime_type = Some("application/json");
            let Some(schema) = &json_schema.schema else {
                return Ok(());
            };
            if takes_json_schema(&target.model) {
                config.response_json_schema = Some(without_strict(schema));
            } else {
                let converted = to_gemini_schema(schema, true).map_err(|e| {
                    target.error(
                        ErrorKind::UnsupportedParams,
                        format!("response_format `{}`: {}", json_schema.name, e.0),
                    )
                })?;
                config.response_schema = Some(converted);
            }
        }
    }
    Ok(())
}

/// The Gemini major version a model name carries (`gemini-2.5-pro` -> 2),
/// with the `-latest` aliases counted as current (3).
fn gemini_major(model: &str) -> Option<u32> {
    let name = model
        .rsplit('/')
        .next()
        .unwrap_or(model)
        .to_ascii_lowercase();
    let rest = name.strip_prefix("gemini-")?;
    if matches!(rest, "pro-latest" | "flash-latest" | "flash-lite-latest") {
        return Some(3);
    }
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].chars().next();
    if digits.is_empty() || !matches!(after, None | Some('.') | Some('-')) {
        return None;
    }
    digits.parse().ok()
}

/// Gemini 2.0 and later accept standard JSON Schema in `responseJsonSchema`.
fn takes_json_schema(model: &str) -> bool {
    gemini_major(model).is_some_and(|v| v >= 2)
}

/// LiteLLM's budgets: `minimal` is the model's smallest, `low` 1024,
/// `medium` 2048, `high` 4096; `none`/`disable` turn thinking off.
fn thinking_for_effort(target: &Target, effort: &str) -> Result<Option<ThinkingConfig>, Error> {
    let model = target.model.to_ascii_lowercase();
    let off = matches!(effort, "none" | "disable");
    if gemini_major(&model).is_some_and(|v| v >= 3) {
        let flash = model.contains("flash");
        let level = match effort {
            "minimal" | "none" | "disable" if flash => "minimal",
            "minimal" | "low" | "none" | "disable" => "low",
            "medium" => "medium",
            "high" => "high",
            other => return unsupported_effort(target, other),
        };
        return Ok(Some(ThinkingConfig {
            thinking_budget: None,
            thinking_level: Some(level),
            include_thoughts: !off,
        }));
    }
    let budget = match effort {
        "minimal" if model.contains("gemini-2.5-flash-lite") => 512,
        "minimal" if model.contains("gemini-2.5-flash") => 1,
        "minimal" => 128,
        "low" => 1024,
        "medium" => 2048,
        "high" => 4096,
        "none" | "disable" => 0,
        other => return unsupported_effort(target, other),
    };
    Ok(Some(ThinkingConfig {
        thinking_budget: Some(budget),
        thinking_level: None,
        include_thoughts: !off,
    }))
}

fn unsupported_effort(target: &Target, effort: &str) -> Result<Option<ThinkingConfig>, Error> {
    if target.drop_params {
        return Ok(None);
    }
    Err(target.error(
        ErrorKind::UnsupportedParams,
        format!(
            "reasoning_effort `{effort}` is not supported by Gemini; use minimal, low, medium, high or none"
        ),
    ))
}

/// Anthropic's `thinking: {"type": "enabled", "budget_tokens": N}`, which
/// LiteLLM accepts for every reasoning provider.
fn thinking_from_budget(target: &Target, thinking: &Value) -> Result<ThinkingConfig, Error> {
    let kind = thinking.get("type").and_then(Value::as_str);
    let budget = thinking.get("budget_tokens").and_then(Value::as_i64);
    match (kind, budget) {
        (Some("disabled"), _) => Ok(ThinkingConfig {
            thinking_budget: Some(0),
            thinking_level: None,
            include_thoughts: false,
        }),
        (Some("enabled"), budget) => Ok(ThinkingConfig {
            thinking_budget: budget,
            thinking_level: None,
            include_thoughts: true,
        }),
        _ => Err(target.error(
            ErrorKind::BadRequest,
            "`thinking` must be {\"type\": \"enabled\", \"budget_tokens\": N} or {\"type\": \"disabled\"}",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_versions() {
        assert_eq!(gemini_major("gemini-2.5-pro"), Some(2));
        assert_eq!(gemini_major("gemini-3-pro-preview"), Some(3));
        assert_eq!(gemini_major("gemini-10.0-x"), Some(10));
        assert_eq!(gemini_major("gemini-1.5-flash"), Some(1));
        assert_eq!(gemini_major("gemini-flash-latest"), Some(3));
        assert_eq!(gemini_major("gemini-exp-1206"), None);
        assert_eq!(gemini_major("gemma-3-27b-it"), None);
        assert_eq!(gemini_major("gemini-2x"), None);
        assert!(takes_json_schema("gemini-2.0-flash"));
        assert!(!takes_json_schema("gemini-1.5-pro"));
    }
}
