//! The router's configuration in LiteLLM's schema: a `model_list` of
//! `{model_name, litellm_params, model_info}` entries and the router settings,
//! read from `serde_json::Value`s so the gateway (config.yaml converted to
//! JSON) and the Python package (`Router(**kwargs)`) share one reader.

mod fields;
mod model_id;
mod params;
mod settings;

use serde_json::Value;

pub use fields::EnvResolver;
pub use params::{LitellmParams, ModelInfoConfig};
pub use settings::{FallbackMap, KindCounts, RouterSettings, RoutingStrategy};

use fields::Fields;

/// One `model_list` entry.
#[derive(Debug, Clone)]
pub struct DeploymentConfig {
    /// The public name (model group) callers use; may be a wildcard (`*`, `openai/*`).
    pub model_name: String,
    /// Where and how to call it.
    pub litellm_params: LitellmParams,
    /// Its id and overrides.
    pub model_info: ModelInfoConfig,
    /// `model_info.id`, or LiteLLM's SHA-256 of the name and params (the
    /// same id LiteLLM gives the entry, in every process and instance).
    pub id: String,
}

/// A whole router configuration.
#[derive(Debug, Clone, Default)]
pub struct RouterConfig {
    /// The deployments, in the order given.
    pub model_list: Vec<DeploymentConfig>,
    /// The router settings.
    pub settings: RouterSettings,
}

/// A key the reader did not know: reported, not fatal (LiteLLM keeps adding keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// Where: `model_list[0] (gpt-4o).litellm_params`, `router_settings`...
    pub place: String,
    /// The key.
    pub key: String,
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: unknown key `{}` ignored", self.place, self.key)
    }
}

/// A configuration the router cannot run with; the message names the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A value of the wrong type or out of range, a missing required key.
    #[error("{place}: {message}")]
    Invalid {
        /// Where: `model_list[2] (gpt-4o).litellm_params.weight`...
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A deployment whose model the catalog cannot resolve and that gives no `api_base`.
    #[error("{place}: cannot route `{model}`: {reason}; give an `api_base` or a model the catalog knows")]
    UnknownModel {
        /// The entry.
        place: String,
        /// The model named.
        model: String,
        /// The catalog's answer (with its "did you mean").
        reason: String,
    },
    /// A fallback list naming a model group no deployment serves.
    #[error("router_settings.{setting}: fallback to `{group}`, which no model_list entry serves")]
    UnknownFallback {
        /// `fallbacks`, `context_window_fallbacks`...
        setting: &'static str,
        /// The group named.
        group: String,
    },
    /// Two entries with the same `model_info.id`.
    #[error("{place}: model_info.id `{id}` is already used by {other}")]
    DuplicateId {
        /// The later entry.
        place: String,
        /// The id.
        id: String,
        /// The earlier entry.
        other: String,
    },
}

impl ConfigError {
    pub(crate) fn invalid(place: &str, message: impl Into<String>) -> Self {
        ConfigError::Invalid {
            place: place.to_owned(),
            message: message.into(),
        }
    }
}

impl RouterConfig {
    /// Reads `{"model_list": [...], "router_settings": {...}}` (config.yaml's
    /// shape) or `{"model_list": [...], "routing_strategy": ..., ...}` (the
    /// `Router(...)` keyword arguments). `os.environ/NAME` values are read from
    /// the process environment. Returns the config and the unknown keys.
    pub fn from_value(value: &Value) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        let env = |name: &str| std::env::var(name).ok();
        Self::from_value_with_env(value, &env)
    }

    /// [`from_value`](Self::from_value) with `os.environ/NAME` looked up by `env`.
    pub fn from_value_with_env(
        value: &Value,
        env: EnvResolver<'_>,
    ) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        let mut warnings = Vec::new();
        let mut top = Fields::new(value, "router config".into(), env)?;
        let list = top.raw("model_list");
        let nested = top.raw("router_settings");
        let model_list = match list {
            None => Vec::new(),
            Some(Value::Array(entries)) => entries
                .iter()
                .enumerate()
                .map(|(i, e)| read_entry(i, e, env, &mut warnings))
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => return Err(top.wrong("model_list", "a list", other)),
        };
        let settings = match nested {
            Some(nested) => {
                let s = Fields::new(nested, "router_settings".into(), env)?;
                top.unknown_keys(&mut warnings);
                RouterSettings::read(s, &mut warnings)?
            }
            // The keyword-argument shape: the other top-level keys are settings.
            None => RouterSettings::read(top, &mut warnings)?,
        };
        let config = RouterConfig {
            model_list,
            settings,
        };
        config.check_ids()?;
        Ok((config, warnings))
    }

    /// Reads only a `model_list` array, with default settings.
    pub fn from_model_list(list: &Value) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        Self::from_value(&serde_json::json!({ "model_list": list }))
    }

    fn check_ids(&self) -> Result<(), ConfigError> {
        for (i, entry) in self.model_list.iter().enumerate() {
            if let Some(j) = self.model_list[..i].iter().position(|e| e.id == entry.id) {
                return Err(ConfigError::DuplicateId {
                    place: entry_place(i, &entry.model_name),
                    id: entry.id.clone(),
                    other: entry_place(j, &self.model_list[j].model_name),
                });
            }
        }
        Ok(())
    }
}

/// How messages name entry `index`: `model_list[3] (gpt-4o)`.
pub(crate) fn entry_place(index: usize, model_name: &str) -> String {
    format!("model_list[{index}] ({model_name})")
}

fn read_entry(
    index: usize,
    value: &Value,
    env: EnvResolver<'_>,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<DeploymentConfig, ConfigError> {
    let mut f = Fields::new(value, format!("model_list[{index}]"), env)?;
    let model_name = f
        .string("model_name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ConfigError::invalid(&f.place, "needs a `model_name`"))?;
    let place = entry_place(index, &model_name);
    let params_value = f
        .raw("litellm_params")
        .ok_or_else(|| ConfigError::invalid(&place, "needs `litellm_params`"))?;
    let litellm_params = LitellmParams::read(
        Fields::new(params_value, format!("{place}.litellm_params"), env)?,
        warnings,
    )?;
    let model_info = match f.raw("model_info") {
        Some(info) => {
            ModelInfoConfig::read(Fields::new(info, format!("{place}.model_info"), env)?, info)?
        }
        None => ModelInfoConfig::default(),
    };
    f.place = place;
    f.unknown_keys(warnings);
    let id = model_info
        .id
        .clone()
        .unwrap_or_else(|| model_id::derive(&model_name, params_value));
    Ok(DeploymentConfig {
        model_name,
        litellm_params,
        model_info,
        id,
    })
}
