//! Run-time additions to the compiled catalog: LiteLLM's `register_model`
//! and a LiteLLM-format JSON file named by `LLMRELAY_MODEL_COST_MAP`.
//!
//! Registered entries are leaked into `&'static ModelInfo` on purpose: the
//! whole catalog API hands out `'static` references, registration happens a
//! handful of times per process, and the static tables stay untouched. Until
//! the first registration, lookups pay one relaxed atomic load.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

use crate::litellm_format::{entries_from_manifest, FormatError};
use crate::model::{Mode, ModelInfo, PriceTier};
use crate::schema::{ModelEntry, TierEntry};

/// The environment variable naming a LiteLLM-format JSON file to merge at start.
pub const COST_MAP_ENV: &str = "LLMRELAY_MODEL_COST_MAP";

static ACTIVE: AtomicBool = AtomicBool::new(false);
static REGISTERED: RwLock<BTreeMap<&'static str, &'static ModelInfo>> =
    RwLock::new(BTreeMap::new());

/// Why an override could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file could not be read.
    #[error("cannot read model cost map `{path}`: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a LiteLLM-format manifest.
    #[error("model cost map `{path}`: {source}")]
    Format {
        /// The path given (or `<inline>`).
        path: String,
        /// What is wrong with it.
        source: FormatError,
    },
}

/// The registered entry for `key`, if any registration happened.
pub(crate) fn registered(key: &str) -> Option<&'static ModelInfo> {
    if !ACTIVE.load(Ordering::Relaxed) {
        return None;
    }
    let map = REGISTERED
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.get(key).copied()
}

/// Every registered entry, by key.
pub(crate) fn all_registered() -> Vec<&'static ModelInfo> {
    if !ACTIVE.load(Ordering::Relaxed) {
        return Vec::new();
    }
    let map = REGISTERED
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.values().copied().collect()
}

/// Adds or updates one model, merging with what the catalog already knows
/// (LiteLLM's `register_model`): prices, flags and extra fields are merged
/// key by key; limits, mode, provider and dates replace the old ones when given.
pub fn register_model(entry: ModelEntry) {
    let merged = match crate::get(&entry.key) {
        Some(existing) => merge(to_entry(existing), entry),
        None => entry,
    };
    let info = leak(merged);
    let mut map = REGISTERED
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.insert(info.key, info);
    ACTIVE.store(true, Ordering::Release);
}

/// Registers every entry of a LiteLLM-format manifest; returns how many.
/// Nothing is registered when the text is malformed.
pub fn register_litellm_json(text: &str) -> Result<usize, FormatError> {
    let entries = entries_from_manifest(text)?;
    let count = entries.len();
    entries.into_iter().for_each(register_model);
    Ok(count)
}

/// Registers the LiteLLM-format manifest at `path`.
pub fn load_litellm_file(path: &Path) -> Result<usize, RegistryError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
        path: shown.clone(),
        source,
    })?;
    register_litellm_json(&text).map_err(|source| RegistryError::Format {
        path: shown,
        source,
    })
}

/// Loads the file named by `LLMRELAY_MODEL_COST_MAP`, when set; `Ok(None)`
/// when it is not. Front ends (CLI, gateway, Python) call this once at start;
/// nothing is ever fetched over the network.
pub fn load_from_env() -> Result<Option<usize>, RegistryError> {
    match std::env::var_os(COST_MAP_ENV) {
        Some(path) if !path.is_empty() => load_litellm_file(Path::new(&path)).map(Some),
        _ => Ok(None),
    }
}

fn merge(mut base: ModelEntry, new: ModelEntry) -> ModelEntry {
    if !new.provider.is_empty() {
        base.provider = new.provider;
    }
    base.mode = new.mode.or(base.mode);
    base.max_input_tokens = new.max_input_tokens.or(base.max_input_tokens);
    base.max_output_tokens = new.max_output_tokens.or(base.max_output_tokens);
    base.prices.extend(new.prices);
    if !new.tiers.is_empty() {
        base.tiers = new.tiers;
    }
    base.supports.extend(new.supports);
    base.deprecation_date = new.deprecation_date.or(base.deprecation_date);
    base.alias_of = new.alias_of.or(base.alias_of);
    base.extra.extend(new.extra);
    base
}

/// The catalog entry back in schema form (for merging and for the importer).
pub fn to_entry(info: &ModelInfo) -> ModelEntry {
    ModelEntry {
        key: info.key.to_string(),
        provider: info.provider.to_string(),
        mode: info.mode.map(|m| m.as_str().to_string()),
        max_input_tokens: info.max_input_tokens,
        max_output_tokens: info.max_output_tokens,
        prices: info
            .prices
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        tiers: info
            .tiers
            .iter()
            .map(|t| TierEntry {
                range: [t.start, t.end],
                prices: t.prices.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            })
            .collect(),
        supports: info
            .capabilities
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        deprecation_date: info.deprecation_date.map(str::to_string),
        alias_of: info.alias_of.map(str::to_string),
        extra: serde_json::from_str(info.extra).unwrap_or_default(),
    }
}

fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_prices(prices: BTreeMap<String, f64>) -> &'static [(&'static str, f64)] {
    Box::leak(
        prices
            .into_iter()
            .map(|(k, v)| (leak_str(k), v))
            .collect::<Box<[_]>>(),
    )
}

fn leak(entry: ModelEntry) -> &'static ModelInfo {
    let tiers: Box<[PriceTier]> = entry
        .tiers
        .into_iter()
        .map(|t| PriceTier {
            start: t.range[0],
            end: t.range[1],
            prices: leak_prices(t.prices),
        })
        .collect();
    let extra = if entry.extra.is_empty() {
        String::from("{}")
    } else {
        serde_json::to_string(&entry.extra).unwrap_or_else(|_| String::from("{}"))
    };
    Box::leak(Box::new(ModelInfo {
        key: leak_str(entry.key),
        provider: leak_str(entry.provider),
        mode: entry.mode.map(|m| Mode::from_name(leak_str(m))),
        max_input_tokens: entry.max_input_tokens,
        max_output_tokens: entry.max_output_tokens,
        prices: leak_prices(entry.prices),
        tiers: Box::leak(tiers),
        capabilities: Box::leak(
            entry
                .supports
                .into_iter()
                .map(|(k, v)| (leak_str(k), v))
                .collect::<Box<[_]>>(),
        ),
        deprecation_date: entry.deprecation_date.map(leak_str),
        alias_of: entry.alias_of.map(leak_str),
        extra: leak_str(extra),
    }))
}
