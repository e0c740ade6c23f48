//! LiteLLM's per-call cache controls (`cache={...}` on a call, `"cache":
//! {...}` in a gateway request body), and when a cache applies at all.

use std::time::Duration;

use serde_json::Value;

use crate::error::CacheError;

/// The controls one call gives (all off by default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CacheControl {
    /// `no-cache: true`: do not read the cache (the answer is still stored).
    pub no_cache: bool,
    /// `no-store: true`: do not store the answer.
    pub no_store: bool,
    /// `ttl`: the stored entry's lifetime.
    pub ttl: Option<Duration>,
    /// `s-maxage` (or `s-max-age`): refuse entries older than this many seconds.
    pub max_age: Option<f64>,
    /// `use-cache: true`: opt in, for a cache in `default_off` mode.
    pub use_cache: bool,
    /// `namespace`: the key prefix for this call (read by the key rules).
    pub namespace: Option<String>,
}

impl CacheControl {
    /// The controls in `value` (a JSON object; `null` is no controls).
    /// Flags count only when `true`, as LiteLLM tests them (`is True`).
    pub fn from_json(value: &Value) -> Result<CacheControl, CacheError> {
        let map = match value {
            Value::Null => return Ok(CacheControl::default()),
            Value::Object(map) => map,
            _ => {
                return Err(CacheError::InvalidControl(
                    "`cache` must be an object such as {\"no-cache\": true}".into(),
                ))
            }
        };
        let flag = |name: &str| map.get(name) == Some(&Value::Bool(true));
        let seconds = |name: &str| -> Result<Option<f64>, CacheError> {
            match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        CacheError::InvalidControl(format!(
                            "`cache.{name}` must be a number of seconds, at least 0"
                        ))
                    }),
            }
        };
        Ok(CacheControl {
            no_cache: flag("no-cache"),
            no_store: flag("no-store"),
            ttl: seconds("ttl")?.map(Duration::from_secs_f64),
            max_age: match seconds("s-maxage")? {
                Some(s) => Some(s),
                None => seconds("s-max-age")?,
            },
            use_cache: flag("use-cache"),
            namespace: map
                .get("namespace")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        })
    }
}

/// When the cache applies: to every call, or only to calls that opt in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Every call (LiteLLM's `default_on`).
    #[default]
    DefaultOn,
    /// Only calls with `cache: {"use-cache": true}` (`default_off`).
    DefaultOff,
}

impl Mode {
    /// LiteLLM's name of the mode (`default_on`, `default_off`).
    pub fn parse(name: &str) -> Result<Mode, CacheError> {
        match name {
            "default_on" => Ok(Mode::DefaultOn),
            "default_off" => Ok(Mode::DefaultOff),
            other => Err(CacheError::Config(format!(
                "mode must be default_on or default_off, not {other:?}"
            ))),
        }
    }

    /// LiteLLM's name of the mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::DefaultOn => "default_on",
            Mode::DefaultOff => "default_off",
        }
    }
}

/// Which calls a cache serves (LiteLLM's `Cache.should_use_cache`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// On for every call or only opted-in ones.
    pub mode: Mode,
    /// Calls with more messages than this are neither read nor stored
    /// (LiteLLM's default: 4); `None`: no limit.
    pub max_messages: Option<usize>,
    /// LiteLLM's call types served (`completion`, `acompletion`,
    /// `embedding`, `aembedding`...).
    pub supported_call_types: Vec<String>,
}

/// LiteLLM's default `supported_call_types` that llmrelay serves.
pub const DEFAULT_CALL_TYPES: &[&str] = &["completion", "acompletion", "embedding", "aembedding"];

impl Default for Policy {
    fn default() -> Self {
        Policy {
            mode: Mode::DefaultOn,
            max_messages: Some(4),
            supported_call_types: DEFAULT_CALL_TYPES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Policy {
    /// Whether a call of `call_type` with `messages` messages and `control`
    /// uses the cache at all.
    pub fn applies(&self, call_type: &str, messages: usize, control: &CacheControl) -> bool {
        self.supported_call_types.iter().any(|t| t == call_type) && self.admits(messages, control)
    }

    /// [`Policy::applies`] without the call type: mode and message count.
    pub fn admits(&self, messages: usize, control: &CacheControl) -> bool {
        if self.max_messages.is_some_and(|max| messages > max) {
            return false;
        }
        self.mode == Mode::DefaultOn || control.use_cache
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn controls_read_as_litellm_reads_them() {
        let c = CacheControl::from_json(
            &json!({"no-cache": true, "no-store": 1, "ttl": 5, "s-max-age": 2.5}),
        )
        .unwrap();
        assert!(c.no_cache && !c.no_store);
        assert_eq!(
            (c.ttl, c.max_age),
            (Some(Duration::from_secs(5)), Some(2.5))
        );
        assert!(CacheControl::from_json(&json!({"ttl": "soon"})).is_err());
        assert!(CacheControl::from_json(&json!("no-cache")).is_err());
        assert_eq!(
            CacheControl::from_json(&Value::Null).unwrap(),
            CacheControl::default()
        );
    }

    #[test]
    fn policy_limits_messages_mode_and_call_types() {
        let p = Policy::default();
        let none = CacheControl::default();
        assert!(p.applies("acompletion", 4, &none));
        assert!(!p.applies("acompletion", 5, &none));
        assert!(!p.applies("atranscription", 1, &none));
        let off = Policy {
            mode: Mode::DefaultOff,
            ..Policy::default()
        };
        assert!(!off.applies("completion", 1, &none));
        let opt_in = CacheControl {
            use_cache: true,
            ..CacheControl::default()
        };
        assert!(off.applies("completion", 1, &opt_in));
    }
}
