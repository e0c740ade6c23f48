//! `RouterConfig::from_yaml_str`: the `model_list` and `router_settings` of a
//! LiteLLM config.yaml (feature `yaml`). It lives here rather than in the
//! CLI so every front that only needs a router (the CLI's `chat --config`,
//! later Python's `Router.from_config`) shares it; the gateway reads the
//! whole file (litellm_settings, general_settings) with its own loader and
//! hands this crate JSON values.

use serde_json::{json, Value};

use crate::config::{ConfigError, ConfigWarning, RouterConfig};

impl RouterConfig {
    /// Reads the `model_list` and `router_settings` of a config.yaml text.
    /// Other top-level sections are the gateway's and are not reported.
    pub fn from_yaml_str(text: &str) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        let document: Value = serde_saphyr::from_str(text)
            .map_err(|e| ConfigError::invalid("config.yaml", format!("is not valid YAML: {e}")))?;
        let Value::Object(mut top) = document else {
            return Err(ConfigError::invalid("config.yaml", "must be a mapping"));
        };
        let model_list = top.remove("model_list").unwrap_or(Value::Array(Vec::new()));
        let settings = top
            .remove("router_settings")
            .unwrap_or(Value::Object(Default::default()));
        Self::from_value(&json!({"model_list": model_list, "router_settings": settings}))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_a_litellm_config_yaml() {
        let text = r#"
model_list:
  - model_name: gpt
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/PATH
      rpm: 60
litellm_settings:
  drop_params: true
router_settings:
  routing_strategy: least-busy
  num_retries: 1
"#;
        let (config, warnings) = RouterConfig::from_yaml_str(text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.model_list[0].litellm_params.rpm, Some(60));
        assert_eq!(config.settings.num_retries, 1);
        let err = RouterConfig::from_yaml_str("model_list: [").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("config.yaml: is not valid YAML"));
    }
}
