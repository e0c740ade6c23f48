//! LiteLLM's manifest format (`model_prices_and_context_window.json`), both ways:
//! reading it into llmrelay's [`ModelEntry`] (the importer and runtime
//! overrides use this), and writing a [`ModelInfo`] back out with the keys of
//! LiteLLM's `get_model_info`, so scripts written for LiteLLM read it unchanged.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::ModelInfo;
use crate::schema::{ModelEntry, TierEntry};

/// Why a LiteLLM-format manifest could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    /// The text is not JSON.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// The document or an entry has the wrong shape.
    #[error("entry `{key}`: {reason}")]
    Shape {
        /// The model key (or `<root>`).
        key: String,
        /// What is wrong.
        reason: String,
    },
}

/// Keys LiteLLM's `get_model_info` always returns, `null` when unknown; any
/// other field is returned only when the entry has it.
const ALWAYS_PRESENT: &[&str] = &[
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_creation_input_token_cost",
    "cache_read_input_token_cost",
    "output_cost_per_reasoning_token",
    "input_cost_per_audio_token",
    "output_cost_per_audio_token",
    "tiered_pricing",
    "supported_endpoints",
    "supports_system_messages",
    "supports_response_schema",
    "supports_vision",
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_tool_choice",
    "supports_assistant_prefill",
    "supports_prompt_caching",
    "supports_audio_input",
    "supports_audio_output",
    "supports_pdf_input",
    "supports_web_search",
    "supports_reasoning",
    "supports_computer_use",
    "tpm",
    "rpm",
];

/// Reads a whole LiteLLM manifest (a JSON object of key -> entry). The
/// `sample_spec` documentation entry is skipped; aliases without a provider
/// take their target's.
pub fn entries_from_manifest(text: &str) -> Result<Vec<ModelEntry>, FormatError> {
    let root: Value = serde_json::from_str(text).map_err(|e| FormatError::Json(e.to_string()))?;
    let Value::Object(map) = root else {
        return Err(shape(
            "<root>",
            "the manifest must be a JSON object of model entries",
        ));
    };
    let mut entries = Vec::with_capacity(map.len());
    for (key, value) in &map {
        if key == "sample_spec" {
            continue;
        }
        entries.push(entry_from_litellm(key, value)?);
    }
    let providers: BTreeMap<String, String> = entries
        .iter()
        .map(|e| (e.key.clone(), e.provider.clone()))
        .collect();
    for entry in &mut entries {
        if entry.provider.is_empty() {
            if let Some(target) = entry.alias_of.as_ref().and_then(|t| providers.get(t)) {
                entry.provider = target.clone();
            }
        }
    }
    Ok(entries)
}

/// Converts one LiteLLM entry. Prices (numeric fields whose name holds
/// `cost`), `supports_*` flags and `tiered_pricing` are typed; every other
/// field is kept verbatim in `extra`.
pub fn entry_from_litellm(key: &str, value: &Value) -> Result<ModelEntry, FormatError> {
    let Value::Object(fields) = value else {
        return Err(shape(key, "an entry must be a JSON object"));
    };
    if key.is_empty() {
        return Err(shape(key, "the model key is empty"));
    }
    let mut entry = ModelEntry {
        key: key.to_string(),
        ..ModelEntry::default()
    };
    for (name, v) in fields {
        match (name.as_str(), v) {
            ("litellm_provider", Value::String(s)) => entry.provider = s.clone(),
            ("mode", Value::String(s)) => entry.mode = Some(s.clone()),
            ("max_input_tokens", v) if v.is_number() => {
                entry.max_input_tokens = Some(token_limit(key, name, v)?)
            }
            ("max_output_tokens", v) if v.is_number() => {
                entry.max_output_tokens = Some(token_limit(key, name, v)?)
            }
            ("deprecation_date", Value::String(s)) => entry.deprecation_date = Some(s.clone()),
            ("alias_of", Value::String(s)) => entry.alias_of = Some(s.clone()),
            // Token bands are typed; other tierings (search `max_results_range`) stay in `extra`.
            ("tiered_pricing", Value::Array(bands))
                if bands.iter().all(|b| b.get("range").is_some()) =>
            {
                entry.tiers = tiers(key, bands)?
            }
            (flag, Value::Bool(b)) if flag.starts_with("supports_") => {
                entry
                    .supports
                    .insert(flag["supports_".len()..].to_string(), *b);
            }
            (price, Value::Number(n)) if price.contains("cost") => {
                let value = n
                    .as_f64()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        shape(key, &format!("`{price}` must be a non-negative number"))
                    })?;
                entry.prices.insert(price.to_string(), value);
            }
            (_, Value::Null) => {}
            ("litellm_provider" | "mode" | "deprecation_date" | "alias_of", _) => {
                return Err(shape(key, &format!("`{name}` must be a string")));
            }
            ("max_input_tokens" | "max_output_tokens", _) => {
                return Err(shape(
                    key,
                    &format!("`{name}` must be a non-negative integer"),
                ));
            }
            _ => {
                entry.extra.insert(name.clone(), v.clone());
            }
        }
    }
    Ok(entry)
}

fn token_limit(key: &str, name: &str, v: &Value) -> Result<u64, FormatError> {
    v.as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e18)
                .map(|f| f as u64)
        })
        .ok_or_else(|| shape(key, &format!("`{name}` must be a non-negative integer")))
}

fn tiers(key: &str, bands: &[Value]) -> Result<Vec<TierEntry>, FormatError> {
    bands
        .iter()
        .map(|band| {
            let Value::Object(fields) = band else {
                return Err(shape(key, "a tiered_pricing band must be an object"));
            };
            let range = match fields
                .get("range")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                Some([a, b]) => match (a.as_f64(), b.as_f64()) {
                    (Some(a), Some(b)) if a <= b => [a, b],
                    _ => {
                        return Err(shape(
                            key,
                            "a tiered_pricing range must be two ordered numbers",
                        ))
                    }
                },
                _ => {
                    return Err(shape(
                        key,
                        "a tiered_pricing band needs `range: [start, end]`",
                    ))
                }
            };
            let prices = fields
                .iter()
                .filter(|(k, _)| k.as_str() != "range")
                .filter_map(|(k, v)| v.as_f64().map(|v| (k.clone(), v)))
                .collect();
            Ok(TierEntry { range, prices })
        })
        .collect()
}

fn shape(key: &str, reason: &str) -> FormatError {
    FormatError::Shape {
        key: key.to_string(),
        reason: reason.to_string(),
    }
}

/// The entry as LiteLLM's `get_model_info` returns it: `key`,
/// `litellm_provider`, `mode`, `max_tokens`, `max_input_tokens`,
/// `max_output_tokens`, every price, every `supports_*` flag and the other
/// manifest fields. `requested_key` is the name asked for (an alias keeps its
/// own name while carrying its target's data, as in LiteLLM).
pub fn info_to_litellm(requested_key: &str, info: &ModelInfo) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("key".into(), requested_key.into());
    for name in ALWAYS_PRESENT {
        out.insert((*name).into(), Value::Null);
    }
    let max_tokens = info.max_output_tokens.or(info.max_input_tokens);
    out.insert("max_tokens".into(), max_tokens.into());
    out.insert("max_input_tokens".into(), info.max_input_tokens.into());
    out.insert("max_output_tokens".into(), info.max_output_tokens.into());
    out.insert("litellm_provider".into(), info.provider.into());
    out.insert("mode".into(), info.mode.map(|m| m.as_str()).into());
    for (name, price) in info.prices {
        out.insert((*name).into(), (*price).into());
    }
    if !info.tiers.is_empty() {
        let bands = info
            .tiers
            .iter()
            .map(|t| {
                let mut band: Map<String, Value> = t
                    .prices
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).into()))
                    .collect();
                band.insert("range".into(), Value::from(vec![t.start, t.end]));
                Value::Object(band)
            })
            .collect::<Vec<_>>();
        out.insert("tiered_pricing".into(), Value::Array(bands));
    }
    for (flag, value) in info.capabilities {
        out.insert(format!("supports_{flag}"), (*value).into());
    }
    if let Some(date) = info.deprecation_date {
        out.insert("deprecation_date".into(), date.into());
    }
    if let Ok(Value::Object(extra)) = serde_json::from_str::<Value>(info.extra) {
        out.extend(extra);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_fields_into_typed_groups() {
        let e = entry_from_litellm(
            "m",
            &json!({"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 10,
                    "input_cost_per_token": 1e-6, "supports_vision": true,
                    "search_context_cost_per_query": {"low": 0.1}, "source": "x"}),
        )
        .unwrap();
        assert_eq!(e.provider, "openai");
        assert_eq!(e.max_input_tokens, Some(10));
        assert_eq!(e.prices.get("input_cost_per_token"), Some(&1e-6));
        assert_eq!(e.supports.get("vision"), Some(&true));
        assert!(e.extra.contains_key("search_context_cost_per_query"));
        assert!(e.extra.contains_key("source"));
    }

    #[test]
    fn rejects_bad_shapes_with_the_key_named() {
        let err = entry_from_litellm("m", &json!({"input_cost_per_token": -1.0})).unwrap_err();
        assert!(err.to_string().contains("input_cost_per_token"), "{err}");
        assert!(entry_from_litellm("m", &json!([1])).is_err());
        assert!(entry_from_litellm("m", &json!({"max_input_tokens": 1.5})).is_err());
        assert!(entry_from_litellm("m", &json!({"tiered_pricing": [{"range": [5, 1]}]})).is_err());
        assert!(entries_from_manifest("{").is_err());
        assert!(entries_from_manifest("[]").is_err());
    }

    #[test]
    fn aliases_take_their_targets_provider() {
        let entries = entries_from_manifest(
            r#"{"a": {"alias_of": "b"}, "b": {"litellm_provider": "anthropic"}, "sample_spec": {}}"#,
        )
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].provider, "anthropic");
    }
}
