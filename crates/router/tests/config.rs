#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Reading LiteLLM's model_list + router_settings: defaults, unknown keys
//! reported, bad configurations refused at construction naming the entry.

use std::time::Duration;

use llmrelay_router::{ConfigError, Router, RouterConfig, RoutingStrategy};
use serde_json::{json, Value};

fn build(config: Value) -> Result<Router, ConfigError> {
    let (config, _) = RouterConfig::from_value(&config)?;
    Router::new(config)
}

#[test]
fn reads_config_yaml_shape_and_kwargs_shape_alike() {
    let list = json!([
        {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "rpm": 100, "weight": 2,
          "timeout": 30, "stream_timeout": 5.5, "tags": ["fast"], "order": 2,
          "input_cost_per_token": 0.000001, "extra_headers": {"x-team": "a"}}},
        {"model_name": "claude", "litellm_params": {"model": "anthropic/claude-sonnet-4-5"},
         "model_info": {"id": "claude-1", "description": "kept as metadata"}},
    ]);
    let settings = json!({
        "routing_strategy": "latency-based-routing",
        "routing_strategy_args": {"ttl": 60, "lowest_latency_buffer": 0.5},
        "num_retries": 4, "allowed_fails": 1, "cooldown_time": 2.5,
        "retry_policy": {"RateLimitErrorRetries": 7, "TimeoutErrorRetries": 1},
        "allowed_fails_policy": {"InternalServerErrorAllowedFails": 9},
        "fallbacks": [{"gpt": ["claude"]}],
        "context_window_fallbacks": [{"gpt": ["claude"]}],
        "enable_pre_call_checks": true,
    });
    let (a, wa) =
        RouterConfig::from_value(&json!({"model_list": list, "router_settings": settings}))
            .unwrap();
    let mut kwargs = settings.clone();
    kwargs["model_list"] = list;
    let (b, wb) = RouterConfig::from_value(&kwargs).unwrap();
    assert!(wa.is_empty() && wb.is_empty(), "{wa:?} {wb:?}");
    for config in [&a, &b] {
        let s = &config.settings;
        assert_eq!(s.routing_strategy, RoutingStrategy::LatencyBased);
        assert_eq!(s.latency_ttl, Duration::from_secs(60));
        assert_eq!(s.lowest_latency_buffer, 0.5);
        assert_eq!((s.num_retries, s.allowed_fails), (4, 1));
        assert_eq!(s.cooldown_time, Duration::from_millis(2500));
        assert_eq!(s.retry_policy.len(), 2);
        assert_eq!(s.allowed_fails_policy.len(), 1);
        assert!(s.enable_pre_call_checks);
        let p = &config.model_list[0].litellm_params;
        assert_eq!((p.rpm, p.weight, p.order), (Some(100), Some(2.0), Some(2)));
        assert_eq!(p.stream_timeout, Some(Duration::from_millis(5500)));
        assert_eq!(
            p.call.headers,
            vec![("x-team".to_string(), "a".to_string())]
        );
        assert_eq!(config.model_list[1].id, "claude-1");
        assert_eq!(
            config.model_list[1].model_info.metadata["description"],
            "kept as metadata"
        );
    }
    // Defaults as LiteLLM's.
    let (d, _) = RouterConfig::from_value(&json!({"model_list": []})).unwrap();
    assert_eq!(d.settings.routing_strategy, RoutingStrategy::SimpleShuffle);
    assert_eq!((d.settings.num_retries, d.settings.allowed_fails), (2, 3));
    assert_eq!(d.settings.cooldown_time, Duration::from_secs(5));
    assert_eq!(d.settings.max_fallbacks, 5);
}

#[test]
fn unknown_keys_are_reported_with_their_place() {
    let (_, warnings) = RouterConfig::from_value(&json!({
        "model_list": [{"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "temprature": 1},
                        "model_infoo": {}}],
        "router_settings": {"routing_strategy": "least-busy", "num_retires": 3,
                            "retry_policy": {"NopeErrorRetries": 1}},
    }))
    .unwrap();
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(
        shown.contains(
            &"model_list[0] (gpt).litellm_params: unknown key `temprature` ignored".to_string()
        ),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"model_list[0] (gpt): unknown key `model_infoo` ignored".to_string()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"router_settings: unknown key `num_retires` ignored".to_string()),
        "{shown:?}"
    );
    assert!(
        shown.contains(
            &"router_settings.retry_policy: unknown key `NopeErrorRetries` ignored".to_string()
        ),
        "{shown:?}"
    );
    assert_eq!(shown.len(), 4);
}

#[test]
fn bad_configurations_fail_at_construction_naming_the_entry() {
    let unknown_strategy = build(json!({"model_list": [], "routing_strategy": "fastest"}));
    let e = unknown_strategy.unwrap_err().to_string();
    assert!(
        e.contains("routing_strategy") && e.contains("unknown strategy `fastest`"),
        "{e}"
    );

    let bad_fallback = build(json!({
        "model_list": [{"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o"}}],
        "fallbacks": [{"gpt": ["claude"]}],
    }));
    assert_eq!(
        bad_fallback.unwrap_err(),
        ConfigError::UnknownFallback {
            setting: "fallbacks",
            group: "claude".into()
        }
    );

    let negative = build(json!({
        "model_list": [{"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "weight": -1}}],
    }));
    let e = negative.unwrap_err().to_string();
    assert!(
        e.starts_with("model_list[0] (gpt).litellm_params.weight: must not be negative"),
        "{e}"
    );

    let unresolvable = build(json!({
        "model_list": [
            {"model_name": "ok", "litellm_params": {"model": "openai/gpt-4o"}},
            {"model_name": "mine", "litellm_params": {"model": "gpt-4oo"}},
        ],
    }));
    let e = unresolvable.unwrap_err().to_string();
    assert!(
        e.starts_with("model_list[1] (mine): cannot route `gpt-4oo`"),
        "{e}"
    );
    assert!(e.contains("did you mean"), "{e}");
    // The same name with an api_base is a self-hosted model: accepted.
    build(json!({"model_list": [{"model_name": "mine",
        "litellm_params": {"model": "gpt-4oo", "api_base": "http://127.0.0.1:1"}}]}))
    .unwrap();

    let wrong_type = build(
        json!({"model_list": [{"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "rpm": "lots"}}]}),
    );
    assert!(wrong_type
        .unwrap_err()
        .to_string()
        .contains("litellm_params.rpm: must be a number"));
    let missing = build(json!({"model_list": [{"model_name": "gpt"}]}));
    assert!(missing
        .unwrap_err()
        .to_string()
        .contains("model_list[0] (gpt): needs `litellm_params`"));
    let dup = build(json!({"model_list": [
        {"model_name": "a", "litellm_params": {"model": "openai/gpt-4o"}, "model_info": {"id": "x"}},
        {"model_name": "b", "litellm_params": {"model": "openai/gpt-4o"}, "model_info": {"id": "x"}},
    ]}));
    assert!(matches!(dup.unwrap_err(), ConfigError::DuplicateId { .. }));
    let bad_wildcard = build(
        json!({"model_list": [{"model_name": "x/*", "litellm_params": {"model": "nosuchprovider/*"}}]}),
    );
    assert!(bad_wildcard
        .unwrap_err()
        .to_string()
        .contains("unknown provider `nosuchprovider`"));
}

#[test]
fn ids_default_to_a_stable_hash_and_environment_references_resolve() {
    let config = json!({"model_list": [
        {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "api_key": "os.environ/ROUTER_TEST_KEY"}},
        {"model_name": "gpt", "litellm_params": {"api_key": "os.environ/ROUTER_TEST_KEY", "model": "openai/gpt-4o", "rpm": 5}},
    ]});
    let env = |name: &str| (name == "ROUTER_TEST_KEY").then(|| "sk-from-env".to_string());
    let (a, _) = RouterConfig::from_value_with_env(&config, &env).unwrap();
    let (b, _) = RouterConfig::from_value_with_env(&config, &env).unwrap();
    assert_eq!(a.model_list[0].id, b.model_list[0].id);
    assert_ne!(a.model_list[0].id, a.model_list[1].id);
    assert_eq!(
        a.model_list[0].litellm_params.call.api_key.as_deref(),
        Some("sk-from-env")
    );
    // Secrets stay out of Debug output.
    assert!(!format!("{a:?}").contains("sk-from-env"));
    let none = |_: &str| None;
    let e = RouterConfig::from_value_with_env(&config, &none)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("model_list[0] (gpt).litellm_params.api_key") && e.contains("ROUTER_TEST_KEY"),
        "{e}"
    );
}

#[test]
fn wildcards_route_names_the_list_does_not_have() {
    let router = build(json!({"model_list": [
        {"model_name": "openai/*", "litellm_params": {"model": "openai/*"}},
        {"model_name": "*", "litellm_params": {"model": "*"}},
        {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o"}},
    ]}))
    .unwrap();
    let options = llmrelay_router::RouteOptions::default();
    let d = router
        .get_available_deployment("openai/o3", &options)
        .unwrap();
    assert_eq!(d.model_name(), "openai/*");
    let d = router
        .get_available_deployment("groq/llama", &options)
        .unwrap();
    assert_eq!(d.model_name(), "*");
    let d = router.get_available_deployment("gpt", &options).unwrap();
    assert_eq!(d.model(), "openai/gpt-4o");
}
