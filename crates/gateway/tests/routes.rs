//! Every route end to end: a real gateway on loopback in front of the
//! testkit's fake OpenAI and Anthropic upstreams.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{chat, start, MASTER_KEY, UPSTREAM_KEY};
use llmrelay_testkit::{Reply, ToolCall, Usage};
use serde_json::{json, Value};

#[tokio::test]
async fn chat_completion_carries_litellms_headers_and_the_deployments_key() {
    let gw = start("").await;
    gw.openai
        .push(Reply::content("Hello from upstream").with_usage(Usage::new(12, 4)));
    let response = gw
        .post("/v1/chat/completions", &chat("gpt-4o", false))
        .await;
    assert_eq!(response.status(), 200);
    let h = response.headers().clone();
    let call_id = h["x-litellm-call-id"].to_str().unwrap();
    assert_eq!(call_id.len(), 36);
    assert!(!h["x-litellm-model-id"].is_empty());
    assert_eq!(h["x-litellm-model-api-base"], gw.openai.base_url().as_str());
    assert_eq!(h["x-litellm-attempted-retries"], "0");
    assert_eq!(h["x-litellm-attempted-fallbacks"], "0");
    let cost: f64 = h["x-litellm-response-cost"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // gpt-4o: $2.50 / M input, $10 / M output.
    assert!(
        (cost - (12.0 * 2.5e-6 + 4.0 * 1e-5)).abs() < 1e-12,
        "{cost}"
    );
    let overhead: f64 = h["x-litellm-overhead-duration-ms"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(overhead >= 0.0);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Hello from upstream"
    );
    assert_eq!(body["usage"]["prompt_tokens"], 12);
    // The upstream saw the deployment's key, never the gateway's.
    let seen = gw.openai.last_request().unwrap();
    assert_eq!(seen.bearer_token(), Some(UPSTREAM_KEY));
    assert_eq!(seen.json_field("model").unwrap(), "gpt-4o");
}

#[tokio::test]
async fn routes_answer_without_the_v1_prefix_and_with_x_api_key() {
    let gw = start("").await;
    let response = reqwest::Client::new()
        .post(format!("{}/chat/completions", gw.base()))
        .header("x-api-key", MASTER_KEY)
        .json(&chat("gpt-4o", false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn anthropic_messages_reach_an_openai_deployment() {
    let gw = start("").await;
    gw.openai.push(
        Reply::content("Let me look.")
            .and_tool_call(
                ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("call_7"),
            )
            .with_usage(Usage::new(30, 9)),
    );
    let response = gw
        .post(
            "/v1/messages",
            &json!({"model": "gpt-4o", "max_tokens": 100, "system": "Be brief.",
                    "messages": [{"role": "user", "content": "Weather in Paris?"}],
                    "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], "message");
    assert_eq!(body["model"], "gpt-4o");
    assert_eq!(body["stop_reason"], "tool_use");
    assert_eq!(
        body["content"][0],
        json!({"type": "text", "text": "Let me look."})
    );
    assert_eq!(
        body["content"][1],
        json!({"type": "tool_use", "id": "call_7", "name": "get_weather", "input": {"city": "Paris"}})
    );
    assert_eq!(body["usage"]["input_tokens"], 30);
    assert_eq!(body["usage"]["output_tokens"], 9);
    // What went upstream is OpenAI chat: the system prompt became a message.
    let seen = gw.openai.last_request().unwrap();
    assert_eq!(
        seen.json_field("messages").unwrap()[0],
        json!({"role": "system", "content": "Be brief."})
    );
    assert_eq!(
        seen.json_field("tools").unwrap()[0]["function"]["name"],
        "get_weather"
    );
}

#[tokio::test]
async fn anthropic_messages_reach_an_anthropic_deployment() {
    let gw = start("").await;
    gw.anthropic
        .push(Reply::content("Bonjour").with_usage(Usage::new(8, 2)));
    let response = gw
        .post(
            "/v1/messages",
            &json!({"model": "claude", "max_tokens": 50, "messages": [{"role": "user", "content": "Hi"}]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["content"],
        json!([{"type": "text", "text": "Bonjour"}])
    );
    assert_eq!(body["stop_reason"], "end_turn");
    assert_eq!(gw.anthropic.request_count(), 1);
    assert_eq!(gw.openai.request_count(), 0);
}

#[tokio::test]
async fn responses_api_is_served_through_chat() {
    let gw = start("").await;
    gw.openai
        .push(Reply::content("Four.").with_usage(Usage::new(7, 2)));
    let response = gw
        .post(
            "/v1/responses",
            &json!({"model": "gpt-4o", "instructions": "Answer in one word.", "input": "2+2?"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["object"], "response");
    assert_eq!(body["status"], "completed");
    assert_eq!(body["output"][0]["content"][0]["text"], "Four.");
    assert_eq!(body["usage"]["input_tokens"], 7);
    let seen = gw.openai.last_request().unwrap();
    assert_eq!(
        seen.json_field("messages").unwrap()[0]["content"],
        "Answer in one word."
    );
}

#[tokio::test]
async fn text_completions_are_served_through_chat() {
    let gw = start("").await;
    gw.openai.push(Reply::content(" world"));
    let response = gw
        .post(
            "/v1/completions",
            &json!({"model": "gpt-4o", "prompt": "Hello", "max_tokens": 5}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["object"], "text_completion");
    assert_eq!(body["choices"][0]["text"], " world");
}

#[tokio::test]
async fn embeddings_pass_through() {
    let gw = start("").await;
    let response = gw
        .post(
            "/v1/embeddings",
            &json!({"model": "text-embedding-3-small", "input": ["a", "b"]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-litellm-call-id"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn count_tokens_counts_on_the_groups_model() {
    let gw = start("").await;
    let response = gw
        .post(
            "/v1/messages/count_tokens",
            &json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello, world"}]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let expected = llmrelay::token_counter(
        "openai/gpt-4o",
        llmrelay::TokenInput::Messages {
            messages: &[json!({"role": "user", "content": "Hello, world"})],
            tools: None,
        },
    )
    .unwrap();
    assert_eq!(body, json!({"input_tokens": expected}));
    assert_eq!(gw.openai.request_count(), 0);
}

#[tokio::test]
async fn models_model_info_and_health_probes() {
    let gw = start("").await;
    let client = reqwest::Client::new();
    let models: Value = client
        .get(format!("{}/v1/models", gw.base()))
        .bearer_auth(MASTER_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = models["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["claude", "gpt-4o", "text-embedding-3-small"]);
    let info = client
        .get(format!("{}/model/info", gw.base()))
        .bearer_auth(MASTER_KEY)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(info.contains("anthropic/claude-sonnet-4-5"));
    assert!(!info.contains(UPSTREAM_KEY), "{info}");
    // Liveliness and readiness need no key.
    let live = reqwest::get(format!("{}/health/liveliness", gw.base()))
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    let ready: Value = reqwest::get(format!("{}/health/readiness", gw.base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "healthy");
    // /health calls each deployment once; one upstream fails.
    gw.anthropic.push(Reply::server_error());
    let health: Value = client
        .get(format!("{}/health", gw.base()))
        .bearer_auth(MASTER_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["healthy_count"], 2, "{health}");
    assert_eq!(health["unhealthy_count"], 1, "{health}");
    assert_eq!(health["unhealthy_endpoints"][0]["model_name"], "claude");
    assert!(!health.to_string().contains(UPSTREAM_KEY));
    // Each deployment is called as what it is: the embedding model embeds.
    let paths: Vec<String> = gw
        .openai
        .requests()
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("/embeddings")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("/chat/completions")),
        "{paths:?}"
    );
}

#[tokio::test]
async fn metrics_count_requests_tokens_spend_and_errors_without_keys() {
    let gw = start("").await;
    gw.openai
        .push(Reply::content("ok").with_usage(Usage::new(10, 5)));
    assert_eq!(
        gw.post("/v1/chat/completions", &chat("gpt-4o", false))
            .await
            .status(),
        200
    );
    gw.openai.push(Reply::rate_limited());
    assert_eq!(
        gw.post("/v1/chat/completions", &chat("gpt-4o", false))
            .await
            .status(),
        429
    );
    let text = gw.metrics().await;
    for line in [
        "llmrelay_requests_total{route=\"chat_completions\",model=\"gpt-4o\",status=\"200\"} 1",
        "llmrelay_requests_total{route=\"chat_completions\",model=\"gpt-4o\",status=\"429\"} 1",
        "llmrelay_tokens_total{model=\"gpt-4o\",type=\"prompt\"} 10",
        "llmrelay_tokens_total{model=\"gpt-4o\",type=\"completion\"} 5",
        "llmrelay_upstream_errors_total{model=\"gpt-4o\",kind=\"RateLimitError\"} 1",
        "llmrelay_request_duration_seconds_count{route=\"chat_completions\",model=\"gpt-4o\"} 2",
        "llmrelay_in_flight_requests 0",
        "llmrelay_router_cooldowns{model_group=\"gpt-4o\"}",
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
    assert!(text.contains("llmrelay_spend_usd_total{model=\"gpt-4o\"}"));
    assert!(!text.contains(MASTER_KEY) && !text.contains(UPSTREAM_KEY));
}

#[tokio::test]
async fn per_request_fallbacks_are_routed() {
    let gw = start("").await;
    gw.openai.push(Reply::server_error());
    gw.anthropic.push(Reply::content("from claude"));
    let mut body = chat("gpt-4o", false);
    body["fallbacks"] = json!(["claude"]);
    let response = gw.post("/v1/chat/completions", &body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-litellm-attempted-fallbacks"], "1");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["choices"][0]["message"]["content"], "from claude");
    // The gateway's own fields never reach a provider.
    assert!(gw
        .openai
        .last_request()
        .unwrap()
        .json_field("fallbacks")
        .is_none());
}
