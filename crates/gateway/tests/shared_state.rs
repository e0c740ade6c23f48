//! Two gateway instances on one Redis share router cooldowns: a deployment
//! one instance cools down is skipped by the other. Needs Redis at
//! 127.0.0.1:6379 (required in CI through LLMRELAY_REQUIRE_SERVICES=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{serve_on_loopback, Harness, MASTER_KEY};
use llmrelay_gateway::{Gateway, GatewayConfig, RequestLog};
use llmrelay_testkit::{FakeAnthropic, FakeOpenAi, Reply};
use serde_json::Value;

async fn instance(openai_base: &str) -> Harness {
    let config = GatewayConfig::parse(
        &format!(
            r#"
model_list:
  - model_name: pair
    litellm_params: {{model: openai/gpt-4o, api_base: "{openai_base}", api_key: sk-first, order: 1}}
  - model_name: pair
    litellm_params: {{model: openai/gpt-4o, api_base: "{openai_base}", api_key: sk-second, order: 2}}
router_settings:
  num_retries: 0
  cooldown_time: 60
  redis_host: 127.0.0.1
  redis_port: 6379
general_settings:
  master_key: {MASTER_KEY}
"#
        ),
        "shared.yaml",
    )
    .unwrap();
    let gateway = Gateway::new(&config, false, RequestLog::Off).unwrap();
    assert!(gateway.warnings().is_empty(), "{:?}", gateway.warnings());
    // Each instance has its own fakes; only the first one's OpenAI is called.
    serve_on_loopback(
        gateway,
        FakeOpenAi::start().await.unwrap(),
        FakeAnthropic::start().await.unwrap(),
    )
    .await
}

/// Deployments cooling down now, by `/model/info`.
async fn cooling(h: &Harness) -> Vec<Value> {
    let info: Value = reqwest::Client::new()
        .get(format!("{}/model/info", h.base()))
        .bearer_auth(MASTER_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    info["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["model_info"]["healthy"] == false)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cooldown_on_one_instance_is_seen_by_the_other() {
    if let Err(e) = tokio::net::TcpStream::connect("127.0.0.1:6379").await {
        assert!(
            std::env::var("LLMRELAY_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "Redis is required (LLMRELAY_REQUIRE_SERVICES=1) but unavailable: {e}"
        );
        eprintln!("SKIPPED: Redis unavailable ({e})");
        return;
    }
    let upstream = FakeOpenAi::start().await.unwrap();
    let base = upstream.base_url();
    let a = instance(&base).await;
    let b = instance(&base).await;
    assert!(cooling(&b).await.is_empty());

    // A's first pick (order 1) answers 429: A cools it down at once.
    upstream.push(Reply::rate_limited());
    let _ = a
        .post("/v1/chat/completions", &common::chat("pair", false))
        .await;
    let cooled = cooling(&a).await;
    assert_eq!(cooled.len(), 1, "A cooled its first deployment down");

    // B learns it through Redis (published in the background, pulled here).
    let deadline = Instant::now() + Duration::from_secs(10);
    let seen = loop {
        b.gateway.shared_state().unwrap().pull_now().await;
        let seen = cooling(&b).await;
        if !seen.is_empty() || Instant::now() > deadline {
            break seen;
        }
        tokio::task::yield_now().await;
    };
    assert_eq!(seen.len(), 1, "B skips the deployment A cooled down");
    assert_eq!(seen[0]["model_info"]["id"], cooled[0]["model_info"]["id"]);

    // And B's next call goes to the other deployment, whose key is sk-second.
    let response = b
        .post("/v1/chat/completions", &common::chat("pair", false))
        .await;
    assert_eq!(response.status(), 200);
    let last = upstream.last_request().unwrap();
    assert_eq!(last.header("authorization"), Some("Bearer sk-second"));
}
