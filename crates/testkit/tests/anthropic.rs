//! The fake Anthropic Messages API: Anthropic's validation, bodies, named SSE events and
//! error envelopes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use llmrelay_testkit::{ApiError, FakeAnthropic, Reply, ToolCall, Usage};
use serde_json::{json, Value};

const KEY: &str = "sk-ant-fake-key";

async fn upstream() -> FakeAnthropic {
    FakeAnthropic::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap()
}

fn messages(stream: bool) -> Value {
    json!({"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": stream,
        "system": "Be brief.", "messages": [{"role": "user", "content": "Say hi"}]})
}

async fn post(upstream: &FakeAnthropic, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/v1/messages", upstream.base_url()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The `(event name, data)` pairs of a complete stream, checking that each name is the
/// data's `type`.
fn events(body: &str) -> Vec<(String, Value)> {
    assert!(body.ends_with("\n\n"), "{body:?}");
    body.trim_end_matches("\n\n")
        .split("\n\n")
        .map(|frame| {
            let (name, data) = frame.split_once('\n').unwrap();
            let name = name.strip_prefix("event: ").unwrap().to_owned();
            let data: Value = serde_json::from_str(data.strip_prefix("data: ").unwrap()).unwrap();
            assert_eq!(data["type"], name.as_str());
            (name, data)
        })
        .collect()
}

#[tokio::test]
async fn checks_what_anthropic_checks_before_answering() {
    let upstream = upstream().await;
    let client = reqwest::Client::new();
    let url = format!("{}/v1/messages", upstream.base_url());
    let no_version = client
        .post(&url)
        .header("x-api-key", KEY)
        .json(&messages(false))
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status(), 400);
    let body: Value = no_version.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("anthropic-version"));

    let wrong_key = client
        .post(&url)
        .header("x-api-key", "nope")
        .header("anthropic-version", "2023-06-01")
        .json(&messages(false))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_key.status(), 401);
    let body: Value = wrong_key.json().await.unwrap();
    assert_eq!(body["error"]["type"], "authentication_error");

    for (field, value, words) in [
        ("max_tokens", Value::Null, "max_tokens: Field required"),
        ("top_n", json!(3), "top_n: Extra inputs are not permitted"),
        (
            "messages",
            json!([{"role": "system", "content": "x"}]),
            "Unexpected role \"system\"",
        ),
    ] {
        let mut body = messages(false);
        if value.is_null() {
            body.as_object_mut().unwrap().remove(field);
        } else {
            body[field] = value;
        }
        let response = post(&upstream, &body).await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains(words),
            "{body}"
        );
    }
    assert_eq!(upstream.request_count(), 5);
    upstream.push(Reply::content("still queued"));
    let body: Value = post(&upstream, &messages(false))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["content"][0]["text"], "still queued");
}

#[tokio::test]
async fn answers_with_thinking_text_and_tool_use_blocks() {
    let upstream = upstream().await;
    upstream.push(
        Reply::content("Checking.")
            .with_reasoning("Need the weather.")
            .and_tool_call(
                ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("toolu_1"),
            )
            .with_usage(
                Usage::new(1_000, 50)
                    .with_cached_tokens(600)
                    .with_cache_creation_tokens(300),
            ),
    );
    let response = post(&upstream, &messages(false)).await;
    assert_eq!(response.status(), 200);
    let mut body: Value = response.json().await.unwrap();
    assert!(body["id"].as_str().unwrap().starts_with("msg_01"));
    let signature = body["content"][0]["signature"].take();
    assert!(signature.as_str().is_some_and(|s| s.len() > 20));
    assert_eq!(
        body["content"],
        json!([
            {"type": "thinking", "thinking": "Need the weather.", "signature": null},
            {"type": "text", "text": "Checking."},
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}
        ])
    );
    assert_eq!(body["stop_reason"], "tool_use");
    assert_eq!(
        body["usage"],
        json!({"input_tokens": 100, "cache_creation_input_tokens": 300, "cache_read_input_tokens": 600,
            "cache_creation": {"ephemeral_5m_input_tokens": 300, "ephemeral_1h_input_tokens": 0},
            "output_tokens": 50, "service_tier": "standard"})
    );
}

#[tokio::test]
async fn streams_named_events_in_anthropics_order() {
    let upstream = upstream().await;
    upstream.push(
        Reply::content("Hello big world")
            .and_tool_call(ToolCall::new("f", &json!({"a": 1})).with_id("toolu_9"))
            .with_usage(Usage::new(20, 9)),
    );
    let response = post(&upstream, &messages(true)).await;
    assert_eq!(
        response.headers()["content-type"],
        "text/event-stream; charset=utf-8"
    );
    let events = events(&response.text().await.unwrap());
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "message_start",
            "ping",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    assert_eq!(events[0].1["message"]["usage"]["input_tokens"], 20);
    assert_eq!(events[0].1["message"]["usage"]["output_tokens"], 1);
    assert_eq!(
        events[4].1["delta"],
        json!({"type": "text_delta", "text": " big"})
    );
    assert_eq!(
        events[7].1["content_block"],
        json!({"type": "tool_use", "id": "toolu_9", "name": "f", "input": {}})
    );
    assert_eq!(
        events[8].1["delta"],
        json!({"type": "input_json_delta", "partial_json": ""})
    );
    assert_eq!(events[9].1["delta"]["partial_json"], r#"{"a":1}"#);
    assert_eq!(
        events[11].1,
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null},
            "usage": {"output_tokens": 9}})
    );
}

#[tokio::test]
async fn errors_come_in_anthropics_envelope_and_as_error_events() {
    let upstream = upstream().await;
    upstream.push(Reply::error(ApiError::overloaded()).with_retry_after_secs(2));
    let response = post(&upstream, &messages(false)).await;
    assert_eq!(response.status(), 529);
    assert_eq!(response.headers()["retry-after"], "2");
    assert!(response.headers().contains_key("request-id"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    );

    upstream.push(Reply::content("one two").error_after(3, ApiError::rate_limited()));
    let text = post(&upstream, &messages(true)).await.text().await.unwrap();
    let events = events(&text);
    let (name, data) = events.last().unwrap();
    assert_eq!(name, "error");
    assert_eq!(data["error"]["type"], "rate_limit_error");
    assert_eq!(events.len(), 4);
}

#[tokio::test]
async fn lists_models() {
    let upstream = FakeAnthropic::builder()
        .models(["claude-a", "claude-b"])
        .start()
        .await
        .unwrap();
    let body: Value = reqwest::Client::new()
        .get(format!("{}/v1/models", upstream.base_url()))
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"][1]["id"], "claude-b");
    assert_eq!(body["first_id"], "claude-a");
    assert_eq!(body["has_more"], false);
}
