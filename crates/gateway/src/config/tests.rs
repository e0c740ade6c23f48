#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use serde_json::json;

const LITELLM_EXAMPLE: &str = r#"
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/LLMRELAY_TEST_CONFIG_KEY
      rpm: 60
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-5
    model_info:
      id: claude-1
router_settings:
  routing_strategy: simple-shuffle
  num_retries: 2
litellm_settings:
  request_timeout: 30
  drop_params: true
  fallbacks: [{"gpt-4o": ["claude"]}]
  success_callback: ["langfuse"]
general_settings:
  master_key: sk-1234
  alerting: ["slack"]
environment_variables:
  LLMRELAY_TEST_CONFIG_KEY: sk-from-file
  LLMRELAY_TEST_CONFIG_NUMBER: 3
"#;

#[test]
fn litellms_file_loads_unchanged() {
    let config = GatewayConfig::parse(LITELLM_EXAMPLE, "config.yaml").unwrap();
    assert_eq!(config.model_list.len(), 2);
    // The reference resolves from the file's own environment_variables.
    assert_eq!(
        config.model_list[0]["litellm_params"],
        json!({"model": "openai/gpt-4o", "api_key": "sk-from-file", "rpm": 60})
    );
    assert_eq!(
        config.model_list[1]["model_info"],
        json!({"id": "claude-1"})
    );
    assert_eq!(config.router_settings["routing_strategy"], "simple-shuffle");
    // litellm_settings' fallbacks reach the router.
    assert_eq!(
        config.router_settings["fallbacks"],
        json!([{"gpt-4o": ["claude"]}])
    );
    assert_eq!(config.request_timeout(), Duration::from_secs(30));
    assert_eq!(config.litellm_settings.drop_params, Some(true));
    assert_eq!(
        config.general_settings.master_key.as_deref(),
        Some("sk-1234")
    );
    assert_eq!(
        config.environment_variables["LLMRELAY_TEST_CONFIG_NUMBER"],
        "3"
    );
    assert_eq!(
        config.warnings,
        vec![
            "litellm_settings.success_callback",
            "general_settings.alerting"
        ]
    );
}

#[test]
fn unknown_top_level_and_deployment_keys_are_named() {
    let text = "model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o}\n    tpm: 5\nmodel_lsit: []\n";
    let config = GatewayConfig::parse(text, "c.yaml").unwrap();
    assert_eq!(config.warnings, vec!["model_lsit", "model_list[0].tpm"]);
}

#[test]
fn a_value_of_the_wrong_type_names_its_line_and_key() {
    let text = "general_settings:\n  master_key: sk-1\n  allow_client_side_credentials: [1, 2]\n";
    let err = GatewayConfig::parse(text, "c.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("c.yaml: "), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("allow_client_side_credentials"), "{err}");
}

#[test]
fn malformed_yaml_names_its_line() {
    let text = "model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o\n";
    let err = GatewayConfig::parse(text, "c.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line"), "{err}");
}

#[test]
fn a_deployment_without_a_model_names_the_entry_and_line() {
    let text = "model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o}\n  - model_name: b\n    litellm_params: {api_base: http://x}\n";
    let err = GatewayConfig::parse(text, "c.yaml").unwrap_err();
    match &err {
        ConfigError::Invalid { key, line, .. } => {
            assert_eq!(key, "model_list[1].litellm_params.model");
            assert_eq!(*line, Some(4));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("deployment `b`"), "{err}");
}

#[test]
fn an_unset_environment_reference_names_key_and_variable() {
    let text = "general_settings:\n  master_key: os.environ/LLMRELAY_TEST_SURELY_UNSET\n";
    let err = GatewayConfig::parse(text, "c.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("general_settings.master_key"), "{err}");
    assert!(err.contains("LLMRELAY_TEST_SURELY_UNSET"), "{err}");
}

#[test]
fn empty_file_is_an_empty_config() {
    let config = GatewayConfig::parse("\n# nothing\n", "c.yaml").unwrap();
    assert!(config.model_list.is_empty());
    assert!(config.warnings.is_empty());
}

#[test]
fn the_master_key_never_prints() {
    let config = GatewayConfig::parse(LITELLM_EXAMPLE, "config.yaml").unwrap();
    let debug = format!("{:?}", config.general_settings);
    assert!(!debug.contains("sk-1234"), "{debug}");
}

#[test]
fn a_non_positive_timeout_is_refused() {
    let text = "litellm_settings:\n  request_timeout: 0\n";
    let err = GatewayConfig::parse(text, "c.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("litellm_settings.request_timeout"), "{err}");
}

#[test]
fn litellm_cache_settings_turn_on_the_response_cache() {
    std::env::set_var("LLMRELAY_TEST_CACHE_PASSWORD", "pw-from-env");
    let text = r#"
litellm_settings:
  cache: true
  cache_params:
    type: redis
    host: 127.0.0.1
    port: 6379
    password: os.environ/LLMRELAY_TEST_CACHE_PASSWORD
    ttl: 60
    namespace: gw
    supported_call_types: ["acompletion"]
    similarity_threshold: 0.8
"#;
    let config = GatewayConfig::parse(text, "c.yaml").unwrap();
    let cache = config.cache.as_ref().unwrap();
    let llmrelay_cache::Kind::Redis(target) = &cache.kind else {
        panic!("not a Redis cache: {cache:?}")
    };
    assert_eq!(target.password.as_deref(), Some("pw-from-env"));
    assert!(!format!("{config:?}").contains("pw-from-env"));
    assert_eq!(cache.ttl, Some(std::time::Duration::from_secs(60)));
    assert_eq!(cache.namespace.as_deref(), Some("gw"));
    assert_eq!(cache.policy.supported_call_types, ["acompletion"]);
    assert_eq!(
        config.warnings,
        ["litellm_settings.cache_params.similarity_threshold"]
    );
    // `cache: true` alone is LiteLLM's default, an in-process cache.
    let config = GatewayConfig::parse("litellm_settings:\n  cache: true\n", "c.yaml").unwrap();
    assert_eq!(config.cache, Some(llmrelay_cache::CacheConfig::local()));
    let off = GatewayConfig::parse(
        "litellm_settings:\n  cache: false\n  cache_params: {type: redis}\n",
        "c.yaml",
    )
    .unwrap();
    assert!(off.cache.is_none());
    let err = GatewayConfig::parse(
        "litellm_settings:\n  cache: true\n  cache_params: {type: s3}\n",
        "c.yaml",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("cache_params") && err.to_string().contains("s3"),
        "{err}"
    );
}
