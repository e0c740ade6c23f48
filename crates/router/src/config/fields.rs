//! Reading one JSON object of LiteLLM's config: typed getters that name the
//! entry and key in their errors, `os.environ/NAME` references resolved, and
//! every key nobody asked for reported afterwards.

use std::time::Duration;

use serde_json::{Map, Value};

use super::{ConfigError, ConfigWarning};

/// Looks up `NAME` of an `os.environ/NAME` value.
pub type EnvResolver<'r> = &'r dyn Fn(&str) -> Option<String>;

/// One object being read: where it is (for messages) and which keys were read.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    /// `model_list[2] (gpt-4o).litellm_params`, `router_settings`...
    pub(crate) place: String,
    used: Vec<&'a str>,
    env: EnvResolver<'a>,
}

impl<'a> Fields<'a> {
    /// Reads `value` as an object, or fails naming `place`.
    pub(crate) fn new(
        value: &'a Value,
        place: String,
        env: EnvResolver<'a>,
    ) -> Result<Self, ConfigError> {
        match value {
            Value::Object(map) => Ok(Fields {
                map,
                place,
                used: Vec::new(),
                env,
            }),
            other => Err(ConfigError::invalid(
                &place,
                format!("must be a mapping, not {}", kind_of(other)),
            )),
        }
    }

    /// The `os.environ/NAME` resolver, for nested objects.
    pub(crate) fn env_resolver(&self) -> EnvResolver<'a> {
        self.env
    }

    /// The raw value under `key` (null counts as absent, as in LiteLLM).
    pub(crate) fn raw(&mut self, key: &'static str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.used.push(k.as_str());
        (!v.is_null()).then_some(v)
    }

    /// A string; `os.environ/NAME` is replaced by the variable's value.
    pub(crate) fn string(&mut self, key: &'static str) -> Result<Option<String>, ConfigError> {
        let Some(value) = self.raw(key) else {
            return Ok(None);
        };
        match value {
            Value::String(s) => self.resolve_env(key, s).map(Some),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            other => Err(self.wrong(key, "a string", other)),
        }
    }

    fn resolve_env(&self, key: &str, s: &str) -> Result<String, ConfigError> {
        match s.strip_prefix("os.environ/") {
            Some(name) => (self.env)(name).ok_or_else(|| {
                ConfigError::invalid(
                    &format!("{}.{key}", self.place),
                    format!("refers to the environment variable `{name}`, which is not set"),
                )
            }),
            None => Ok(s.to_owned()),
        }
    }

    /// A number; numeric strings (from environment variables) are accepted.
    pub(crate) fn f64(&mut self, key: &'static str) -> Result<Option<f64>, ConfigError> {
        let Some(value) = self.raw(key) else {
            return Ok(None);
        };
        let number = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => self.resolve_env(key, s)?.trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(self.wrong(key, "a number", value)),
        }
    }

    /// A number that may not be negative.
    pub(crate) fn non_negative(&mut self, key: &'static str) -> Result<Option<f64>, ConfigError> {
        match self.f64(key)? {
            Some(n) if n < 0.0 => Err(ConfigError::invalid(
                &format!("{}.{key}", self.place),
                format!("must not be negative (got {n})"),
            )),
            other => Ok(other),
        }
    }

    /// A whole, non-negative number.
    pub(crate) fn count(&mut self, key: &'static str) -> Result<Option<u64>, ConfigError> {
        match self.non_negative(key)? {
            Some(n) if n.fract() != 0.0 => Err(ConfigError::invalid(
                &format!("{}.{key}", self.place),
                format!("must be a whole number (got {n})"),
            )),
            // A whole, finite, non-negative f64: the cast saturates at u64::MAX.
            Some(n) => Ok(Some(n as u64)),
            None => Ok(None),
        }
    }

    /// A boolean; "true"/"false" strings are accepted.
    pub(crate) fn bool(&mut self, key: &'static str) -> Result<Option<bool>, ConfigError> {
        let Some(value) = self.raw(key) else {
            return Ok(None);
        };
        match value {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) => match self.resolve_env(key, s)?.trim() {
                "true" | "True" => Ok(Some(true)),
                "false" | "False" => Ok(Some(false)),
                _ => Err(self.wrong(key, "true or false", value)),
            },
            other => Err(self.wrong(key, "true or false", other)),
        }
    }

    /// A list of strings (a single string counts as a list of one).
    pub(crate) fn strings(&mut self, key: &'static str) -> Result<Vec<String>, ConfigError> {
        let Some(value) = self.raw(key) else {
            return Ok(Vec::new());
        };
        match value {
            Value::String(s) => Ok(vec![self.resolve_env(key, s)?]),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => self.resolve_env(key, s),
                    other => Err(self.wrong(key, "a list of strings", other)),
                })
                .collect(),
            other => Err(self.wrong(key, "a list of strings", other)),
        }
    }

    /// A mapping of strings to strings (extra headers).
    pub(crate) fn string_map(
        &mut self,
        key: &'static str,
    ) -> Result<Vec<(String, String)>, ConfigError> {
        let Some(value) = self.raw(key) else {
            return Ok(Vec::new());
        };
        let Value::Object(map) = value else {
            return Err(self.wrong(key, "a mapping of names to strings", value));
        };
        map.iter()
            .map(|(name, v)| match v {
                Value::String(s) => Ok((name.clone(), self.resolve_env(key, s)?)),
                Value::Number(n) => Ok((name.clone(), n.to_string())),
                other => Err(self.wrong(key, "a mapping of names to strings", other)),
            })
            .collect()
    }

    /// An error saying `key` should have been `expected`.
    pub(crate) fn wrong(&self, key: &str, expected: &str, got: &Value) -> ConfigError {
        ConfigError::invalid(
            &format!("{}.{key}", self.place),
            format!("must be {expected}, not {}", kind_of(got)),
        )
    }

    /// Every key that was not read, as warnings naming this object.
    pub(crate) fn unknown_keys(self, warnings: &mut Vec<ConfigWarning>) {
        for key in self.map.keys() {
            if !self.used.contains(&key.as_str()) {
                warnings.push(ConfigWarning {
                    place: self.place.clone(),
                    key: key.clone(),
                });
            }
        }
    }
}

/// Seconds as a duration (already checked finite and non-negative).
pub(crate) fn seconds(value: Option<f64>) -> Option<Duration> {
    value.and_then(|s| Duration::try_from_secs_f64(s).ok())
}

/// What kind of JSON value this is, for messages (never the value: it may be a key).
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
