//! llmrelay's model catalog: what exists, known without loading anything.
//!
//! Every model of the manifest (`catalog/` at the repository root, written by
//! `cargo xtask catalog-import`) is compiled into static, pointer-free tables
//! by `build.rs` (see `compiled`): no file is read, no JSON parsed, nothing
//! relocated or allocated at start-up, and a lookup is one perfect-hash probe.
//! On top of the tables: [`resolve`] (LiteLLM's `get_llm_provider` semantics), [`suggest`] ("did you
//! mean"), [`cost`] (LiteLLM-exact pricing) and run-time overrides
//! ([`register_model`], `LLMRELAY_MODEL_COST_MAP`).
//!
//! This crate does no network or provider I/O; it is what the SDK, the
//! gateway, the CLI and the Python package consult before doing any.
#![warn(missing_docs)]

mod compiled;
pub mod cost;
pub mod litellm_format;
mod litellm_provider;
mod model;
mod provider;
mod registry;
mod resolve;
pub mod schema;
pub mod suggest;

pub use cost::{cost_per_token, cost_per_token_at, Cost, CostError, ServiceTier, Usage};
pub use litellm_provider::{get_llm_provider, get_llm_provider_with, LlmProvider};
pub use model::{Mode, ModelInfo, PriceTier};
pub use provider::{ProviderApi, ProviderInfo};
pub use registry::{
    load_from_env, load_litellm_file, register_litellm_json, register_model, to_entry,
    RegistryError, COST_MAP_ENV,
};
pub use resolve::{resolve, ResolveError, Resolved, MAX_MODEL_NAME};

/// The entry stored under exactly `key` (registered entries first). Aliases
/// are returned as themselves; [`resolve`] follows them.
pub fn get(key: &str) -> Option<&'static ModelInfo> {
    registry::registered(key).or_else(|| compiled::model_row(key).map(compiled::model))
}

/// Every entry: the compiled ones (as updated by registrations) and then the
/// registered ones the manifest does not have, in key order within each group.
pub fn models() -> Vec<&'static ModelInfo> {
    let registered = registry::all_registered();
    let mut all: Vec<&'static ModelInfo> = (0..compiled::model_count())
        .map(|row| registry::registered(compiled::model_key(row)).unwrap_or(compiled::model(row)))
        .collect();
    all.extend(
        registered
            .into_iter()
            .filter(|m| compiled::model_row(m.key).is_none()),
    );
    all
}

/// How many entries the compiled catalog holds.
pub fn static_model_count() -> usize {
    compiled::model_count()
}

/// Every provider the catalog knows, by name.
pub fn providers() -> &'static [ProviderInfo] {
    compiled::providers()
}

/// The provider called `name` (LiteLLM's slug).
pub fn provider(name: &str) -> Option<&'static ProviderInfo> {
    compiled::provider_row(name).and_then(|row| compiled::providers().get(row))
}

/// Up to `limit` catalog keys closest to `name`, best first (≤ 1 ms over the
/// whole catalog; see [`suggest::closest`]).
pub fn suggest(name: &str, limit: usize) -> Vec<&'static str> {
    let registered = registry::all_registered();
    if registered.is_empty() {
        let candidates = compiled::SUGGEST
            .iter()
            .map(|&(text, row, penalty)| (compiled::text(text), row as usize, penalty));
        return suggest::closest_sorted(name, candidates, compiled::model_key, limit);
    }
    // Overrides exist: score them with the compiled keys in one ranking.
    let keys = (0..compiled::model_count())
        .map(compiled::model_key)
        .chain(registered.iter().map(|m| m.key));
    suggest::closest(name, keys, limit)
}
