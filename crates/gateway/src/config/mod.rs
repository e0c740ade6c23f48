//! LiteLLM's `config.yaml`, read unchanged: `model_list`, `router_settings`,
//! `litellm_settings`, `general_settings`, `environment_variables`, with
//! `os.environ/NAME` anywhere a value goes.
//!
//! The file is read twice: once into typed sections (so a value of the wrong
//! type fails with serde-saphyr's line and column and the key at fault), and
//! once as a plain tree to name every key llmrelay does not act on, so a
//! setting that silently does nothing is at least warned about.

mod environ;
mod known_keys;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

pub use environ::resolve_environ;

/// Why a config file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The YAML is malformed or a value has the wrong type.
    #[error("{path}: {message}")]
    Syntax {
        /// The file (or `<config>` for text).
        path: String,
        /// serde-saphyr's message, with the line, column and key at fault.
        message: String,
    },
    /// A value is well-formed YAML but not a usable setting.
    #[error("{path}: `{key}`{line}: {message}", line = line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Invalid {
        /// The file (or `<config>` for text).
        path: String,
        /// The dotted key at fault (`model_list[2].litellm_params.model`).
        key: String,
        /// The line of the key, when known.
        line: Option<u64>,
        /// What is wrong with it.
        message: String,
    },
}

/// One entry of `model_list`, as LiteLLM writes it. Its `litellm_params`
/// stay a JSON object: the router reads them.
#[derive(Debug, Clone, Deserialize)]
struct RawDeployment {
    model_name: serde_saphyr::Spanned<String>,
    #[serde(default)]
    litellm_params: Option<Map<String, Value>>,
    #[serde(default)]
    model_info: Option<Map<String, Value>>,
}

/// The sections of the file with the types llmrelay needs.
#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    #[serde(default)]
    model_list: Option<Vec<RawDeployment>>,
    #[serde(default)]
    router_settings: Option<Map<String, Value>>,
    #[serde(default)]
    litellm_settings: Option<LitellmSettings>,
    #[serde(default)]
    general_settings: Option<GeneralSettings>,
    #[serde(default)]
    environment_variables: Option<BTreeMap<String, Value>>,
}

/// `litellm_settings` that the gateway acts on (others are warned about).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LitellmSettings {
    /// Whole-call timeout in seconds (LiteLLM's default: 600).
    #[serde(default)]
    pub request_timeout: Option<f64>,
    /// Retries after the first attempt.
    #[serde(default)]
    pub num_retries: Option<u32>,
    /// Drop parameters a provider does not support instead of failing.
    #[serde(default)]
    pub drop_params: Option<bool>,
    /// Fallbacks, handed to the router with `router_settings`.
    #[serde(default)]
    pub fallbacks: Option<Value>,
    /// Context-window fallbacks, handed to the router.
    #[serde(default)]
    pub context_window_fallbacks: Option<Value>,
    /// Content-policy fallbacks, handed to the router.
    #[serde(default)]
    pub content_policy_fallbacks: Option<Value>,
    /// Longest silence between two stream events, in seconds.
    #[serde(default)]
    pub stream_timeout: Option<f64>,
    /// Turns on the response cache (`cache_params` says which store).
    #[serde(default)]
    pub cache: Option<bool>,
    /// LiteLLM's cache parameters: `type` (local, redis, disk), `host`,
    /// `port`, `password`, `ttl`, `namespace`, `supported_call_types`...
    #[serde(default)]
    pub cache_params: Option<Map<String, Value>>,
}

/// `general_settings` that the gateway acts on (others are warned about).
#[derive(Clone, Default, Deserialize)]
pub struct GeneralSettings {
    /// The admin key: `Authorization: Bearer <key>` or `x-api-key: <key>`.
    #[serde(default)]
    pub master_key: Option<String>,
    /// Accept `api_base` / `api_key` in a request body (LiteLLM's
    /// `allow_client_side_credentials`); refused by default.
    #[serde(default)]
    pub allow_client_side_credentials: Option<bool>,
    /// Largest request body, in megabytes.
    #[serde(default)]
    pub max_request_size_mb: Option<f64>,
    /// Database for keys, budgets and spend: a `postgres://` URL (else
    /// `DATABASE_URL`, else SQLite next to the config).
    #[serde(default)]
    pub database_url: Option<String>,
    /// What keyed calls do while the rate limiter's Redis is down:
    /// `fail_closed` (the default: 503, limits stay global or nothing) or
    /// `local_fallback` (limits count per instance meanwhile).
    #[serde(default)]
    pub redis_down_policy: Option<RedisDown>,
    /// fdatasync the spend journal before each answer (survives a power
    /// cut). Default false: an answered call's row survives SIGKILL and OOM
    /// kills, and the journal is synced when rows reach the database.
    #[serde(default)]
    pub spend_journal_fsync: Option<bool>,
}

/// `general_settings.redis_down_policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedisDown {
    /// Refuse keyed calls (503) until Redis answers.
    FailClosed,
    /// Count limits in this instance until Redis answers.
    LocalFallback,
}

impl std::fmt::Debug for GeneralSettings {
    // The master key and the database URL (which may hold a password) never print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneralSettings")
            .field("master_key", &self.master_key.as_ref().map(|_| "***"))
            .field(
                "allow_client_side_credentials",
                &self.allow_client_side_credentials,
            )
            .field("max_request_size_mb", &self.max_request_size_mb)
            .field("database_url", &self.database_url.as_ref().map(|_| "***"))
            .field("redis_down_policy", &self.redis_down_policy)
            .field("spend_journal_fsync", &self.spend_journal_fsync)
            .finish()
    }
}

/// A loaded, validated config: what the gateway serves and how.
#[derive(Debug, Clone, Default)]
pub struct GatewayConfig {
    /// `model_list`, `os.environ/` references resolved, as the router takes it.
    pub model_list: Vec<Value>,
    /// `router_settings`, resolved, with `litellm_settings`' fallbacks merged in
    /// where `router_settings` does not set them.
    pub router_settings: Map<String, Value>,
    /// `litellm_settings` the gateway acts on.
    pub litellm_settings: LitellmSettings,
    /// `general_settings` the gateway acts on.
    pub general_settings: GeneralSettings,
    /// `environment_variables`: set in the process environment by
    /// [`GatewayConfig::apply_environment`] before the server starts.
    pub environment_variables: BTreeMap<String, String>,
    /// The response cache, when `litellm_settings.cache` is true.
    pub cache: Option<llmrelay_cache::CacheConfig>,
    /// Keys the file sets that llmrelay does not act on, by dotted name.
    pub warnings: Vec<String>,
}

impl GatewayConfig {
    /// Reads and validates the file at `path`.
    pub fn load(path: &Path) -> Result<GatewayConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        GatewayConfig::parse(&text, &path.display().to_string())
    }

    /// Validates `text`, naming it `path` in errors.
    pub fn parse(text: &str, path: &str) -> Result<GatewayConfig, ConfigError> {
        let syntax = |e: serde_saphyr::Error| ConfigError::Syntax {
            path: path.to_string(),
            message: e.to_string(),
        };
        // An empty file is a valid, empty config (as in LiteLLM).
        if text.trim().is_empty() {
            return Ok(GatewayConfig::default());
        }
        let raw: Option<RawConfig> = serde_saphyr::from_str(text).map_err(syntax)?;
        let raw = raw.unwrap_or_default();
        let tree: Value = serde_saphyr::from_str(text).map_err(syntax)?;
        let mut warnings = known_keys::unknown_keys(&tree);

        let env_vars = resolve_environment_variables(raw.environment_variables, path)?;
        let lookup = |name: &str| {
            env_vars
                .get(name)
                .cloned()
                .or_else(|| std::env::var(name).ok())
        };
        let invalid = |key: String, line: Option<u64>, message: String| ConfigError::Invalid {
            path: path.to_string(),
            key,
            line,
            message,
        };

        let mut model_list = Vec::new();
        for (i, entry) in raw.model_list.unwrap_or_default().into_iter().enumerate() {
            let line = Some(entry.model_name.referenced.line());
            let name = entry.model_name.value;
            if name.trim().is_empty() {
                return Err(invalid(
                    format!("model_list[{i}].model_name"),
                    line,
                    "must not be empty".into(),
                ));
            }
            let Some(mut params) = entry.litellm_params else {
                return Err(invalid(
                    format!("model_list[{i}].litellm_params"),
                    line,
                    format!("deployment `{name}` has no litellm_params"),
                ));
            };
            match params.get("model") {
                Some(Value::String(m)) if !m.trim().is_empty() => {}
                _ => {
                    return Err(invalid(
                        format!("model_list[{i}].litellm_params.model"),
                        line,
                        format!("deployment `{name}` needs a `model` string"),
                    ))
                }
            }
            for (key, value) in params.iter_mut() {
                resolve_environ(value, &lookup).map_err(|var| {
                    invalid(
                        format!("model_list[{i}].litellm_params.{key}"),
                        line,
                        format!("environment variable {var} is not set"),
                    )
                })?;
            }
            let mut deployment = Map::new();
            deployment.insert("model_name".into(), Value::String(name));
            deployment.insert("litellm_params".into(), Value::Object(params));
            if let Some(info) = entry.model_info {
                deployment.insert("model_info".into(), Value::Object(info));
            }
            model_list.push(Value::Object(deployment));
        }

        let mut router_settings = raw.router_settings.unwrap_or_default();
        for (key, value) in router_settings.iter_mut() {
            resolve_environ(value, &lookup).map_err(|var| {
                invalid(
                    format!("router_settings.{key}"),
                    None,
                    format!("environment variable {var} is not set"),
                )
            })?;
        }
        let litellm_settings = raw.litellm_settings.unwrap_or_default();
        for (key, value) in [
            ("fallbacks", &litellm_settings.fallbacks),
            (
                "context_window_fallbacks",
                &litellm_settings.context_window_fallbacks,
            ),
            (
                "content_policy_fallbacks",
                &litellm_settings.content_policy_fallbacks,
            ),
        ] {
            if let Some(value) = value {
                router_settings
                    .entry(key.to_string())
                    .or_insert_with(|| value.clone());
            }
        }
        if let Some(t) = litellm_settings.request_timeout {
            if !(t.is_finite() && t > 0.0) {
                return Err(invalid(
                    "litellm_settings.request_timeout".into(),
                    None,
                    "must be a positive number of seconds".into(),
                ));
            }
        }

        let mut general_settings = raw.general_settings.unwrap_or_default();
        for (key, slot) in [
            ("master_key", &mut general_settings.master_key),
            ("database_url", &mut general_settings.database_url),
        ] {
            if let Some(value) = slot.take() {
                let mut v = Value::String(value);
                resolve_environ(&mut v, &lookup).map_err(|var| {
                    invalid(
                        format!("general_settings.{key}"),
                        None,
                        format!("environment variable {var} is not set"),
                    )
                })?;
                *slot = v.as_str().map(str::to_string);
            }
        }
        if let Some(mb) = general_settings.max_request_size_mb {
            if !(mb.is_finite() && mb > 0.0) {
                return Err(invalid(
                    "general_settings.max_request_size_mb".into(),
                    None,
                    "must be a positive number".into(),
                ));
            }
        }

        let cache = cache_config(&litellm_settings, &lookup, &invalid)?;
        if let Some(cache) = &cache {
            warnings.extend(
                cache
                    .ignored
                    .iter()
                    .map(|k| format!("litellm_settings.cache_params.{k}")),
            );
        }
        Ok(GatewayConfig {
            model_list,
            router_settings,
            litellm_settings,
            general_settings,
            environment_variables: env_vars,
            cache,
            warnings,
        })
    }

    /// A config serving one model (`llmrelay serve --model gpt-4o`, as
    /// `litellm --model`): a single deployment named after it.
    pub fn single_model(model: &str) -> GatewayConfig {
        let deployment = serde_json::json!({
            "model_name": model,
            "litellm_params": {"model": model},
        });
        GatewayConfig {
            model_list: vec![deployment],
            ..GatewayConfig::default()
        }
    }

    /// Sets `environment_variables` in the process environment, as LiteLLM
    /// does at start, so providers read keys put there. Call it before the
    /// async runtime starts (no other thread reads the environment yet).
    pub fn apply_environment(&self) {
        for (name, value) in &self.environment_variables {
            std::env::set_var(name, value);
        }
    }

    /// The whole-call timeout (`litellm_settings.request_timeout`, else 600 s).
    pub fn request_timeout(&self) -> Duration {
        self.litellm_settings
            .request_timeout
            .map_or(Duration::from_secs(600), Duration::from_secs_f64)
    }
}

/// The response cache `litellm_settings` asks for: `cache: true` with
/// `cache_params` (LiteLLM's defaults: an in-process cache), its values
/// allowed to be `os.environ/` references; `REDIS_*` fill in what a Redis
/// cache leaves unset, as in LiteLLM.
fn cache_config(
    settings: &LitellmSettings,
    lookup: &dyn Fn(&str) -> Option<String>,
    invalid: &dyn Fn(String, Option<u64>, String) -> ConfigError,
) -> Result<Option<llmrelay_cache::CacheConfig>, ConfigError> {
    if settings.cache != Some(true) {
        return Ok(None);
    }
    let mut params = settings.cache_params.clone().unwrap_or_default();
    for (key, value) in params.iter_mut() {
        resolve_environ(value, lookup).map_err(|var| {
            invalid(
                format!("litellm_settings.cache_params.{key}"),
                None,
                format!("environment variable {var} is not set"),
            )
        })?;
    }
    llmrelay_cache::CacheConfig::from_litellm(&params, lookup)
        .map(Some)
        .map_err(|e| invalid("litellm_settings.cache_params".into(), None, e.to_string()))
}

/// `environment_variables` as strings (YAML numbers and booleans written
/// plainly), themselves allowed to be `os.environ/` references.
fn resolve_environment_variables(
    vars: Option<BTreeMap<String, Value>>,
    path: &str,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut out = BTreeMap::new();
    for (name, mut value) in vars.unwrap_or_default() {
        resolve_environ(&mut value, &|n: &str| std::env::var(n).ok()).map_err(|var| {
            ConfigError::Invalid {
                path: path.to_string(),
                key: format!("environment_variables.{name}"),
                line: None,
                message: format!("environment variable {var} is not set"),
            }
        })?;
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
            _ => {
                return Err(ConfigError::Invalid {
                    path: path.to_string(),
                    key: format!("environment_variables.{name}"),
                    line: None,
                    message: "must be a string, number or boolean".into(),
                })
            }
        };
        out.insert(name, text);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
