//! llmrelay's own manifest schema: one JSON object per line in
//! `catalog/models/<provider>.jsonl` and `catalog/providers.jsonl`.
//!
//! This file is shared by the library (runtime overrides, the importer) and
//! by `build.rs` (which includes it with `#[path]`), so it depends on serde only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One model of the manifest, in the order its fields are written.
///
/// `BTreeMap`s keep every line's keys sorted so that re-importing gives a
/// byte-identical file and a price change is a one-line diff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// The model key as LiteLLM spells it.
    pub key: String,
    /// LiteLLM's provider slug.
    pub provider: String,
    /// LiteLLM's `mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Context window (prompt side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_tokens: Option<u64>,
    /// Longest completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u64>,
    /// Prices under LiteLLM's key names (`input_cost_per_token`, `..._above_200k_tokens_priority`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prices: BTreeMap<String, f64>,
    /// `tiered_pricing` bands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierEntry>,
    /// `supports_*` flags without the prefix.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub supports: BTreeMap<String, bool>,
    /// Retirement date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation_date: Option<String>,
    /// The key this entry is an alias of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
    /// Every other manifest field, kept verbatim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// One `tiered_pricing` band.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierEntry {
    /// `(start, end]` in prompt tokens.
    pub range: [f64; 2],
    /// Prices that apply inside the band.
    pub prices: BTreeMap<String, f64>,
}

/// One provider: how to reach it and what it is called.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderEntry {
    /// LiteLLM's provider slug.
    pub name: String,
    /// Human name for tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `openai_compatible` when the provider speaks OpenAI's wire format at
    /// `base_url` (a row of data, no code); `native` when it needs an adapter.
    pub api: String,
    /// Default API base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Environment variable holding the API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    /// Environment variable that overrides `base_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base_env: Option<String>,
    /// OpenAI parameter name -> the provider's name for it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub param_renames: BTreeMap<String, String>,
    /// OpenAI parameters the provider rejects (dropped with `drop_params`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported_params: Vec<String>,
    /// Send message content as a plain string rather than a list of parts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub content_as_string: bool,
    /// Endpoints the provider serves (`chat_completions`, `embeddings`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// Every other field of the source rows (headers, constraints...), verbatim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}
