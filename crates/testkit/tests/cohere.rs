//! The fake Cohere v2 API: Cohere's validation, chat and embed bodies, named SSE events
//! and error bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use llmrelay_testkit::{ApiError, FakeCohere, Reply, ToolCall, Usage};
use serde_json::{json, Value};

const KEY: &str = "co-fake-key";

async fn upstream() -> FakeCohere {
    FakeCohere::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap()
}

async fn post(upstream: &FakeCohere, path: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{path}", upstream.base_url()))
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn chat(stream: bool) -> Value {
    json!({"model": "command-r-08-2024", "stream": stream,
        "messages": [{"role": "user", "content": "Say hi"}]})
}

#[tokio::test]
async fn checks_what_cohere_checks() {
    let upstream = upstream().await;
    let unauthenticated = reqwest::Client::new()
        .post(format!("{}/v2/chat", upstream.base_url()))
        .json(&chat(false))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let body: Value = unauthenticated.json().await.unwrap();
    assert_eq!(body["message"], "no api key supplied");
    assert!(body["id"].as_str().is_some_and(|id| id.len() == 36));

    for (field, value, words) in [
        ("top_p", json!(0.5), "unknown field `top_p`"),
        ("tool_choice", json!("auto"), "tool_choice must be one of"),
        (
            "messages",
            json!([{"role": "function", "content": "x"}]),
            "invalid role",
        ),
    ] {
        let mut body = chat(false);
        body[field] = value;
        let response = post(&upstream, "/v2/chat", &body).await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains(words), "{body}");
    }
    let response = post(
        &upstream,
        "/v2/embed",
        &json!({"model": "embed-english-v3.0", "texts": ["a"],
        "embedding_types": ["float"]}),
    )
    .await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn answers_text_or_tool_plan_and_calls() {
    let upstream = upstream().await;
    upstream.push(
        Reply::content("Hi!")
            .with_reasoning("Greet.")
            .with_usage(Usage::new(10, 3)),
    );
    let body: Value = post(&upstream, "/v2/chat", &chat(false))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["message"],
        json!({"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Greet."}, {"type": "text", "text": "Hi!"}
        ]})
    );
    assert_eq!(body["finish_reason"], "COMPLETE");
    assert_eq!(
        body["usage"],
        json!({"billed_units": {"input_tokens": 10, "output_tokens": 3},
            "tokens": {"input_tokens": 226, "output_tokens": 3}})
    );
    upstream.push(
        Reply::content("Searching.")
            .and_tool_call(ToolCall::new("search", &json!({"q": "x"})).with_id("s1")),
    );
    let body: Value = post(&upstream, "/v2/chat", &chat(false))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["message"]["tool_plan"], "Searching.");
    assert_eq!(
        body["message"]["tool_calls"],
        json!([{"id": "s1", "type": "function", "function": {"name": "search", "arguments": "{\"q\":\"x\"}"}}])
    );
    assert_eq!(body["finish_reason"], "TOOL_CALL");
}

#[tokio::test]
async fn streams_named_events() {
    let upstream = upstream().await;
    upstream.push(
        Reply::content("Hello world")
            .and_tool_call(ToolCall::new("f", &json!({})).with_id("c1"))
            .with_usage(Usage::new(5, 4)),
    );
    let text = post(&upstream, "/v2/chat", &chat(true))
        .await
        .text()
        .await
        .unwrap();
    let events: Vec<(String, Value)> = text
        .trim_end_matches("\n\n")
        .split("\n\n")
        .map(|frame| {
            let (name, data) = frame.split_once('\n').unwrap();
            let name = name.strip_prefix("event: ").unwrap().to_owned();
            let data: Value = serde_json::from_str(data.strip_prefix("data: ").unwrap()).unwrap();
            assert_eq!(data["type"], name.as_str());
            (name, data)
        })
        .collect();
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "message-start",
            "tool-plan-delta",
            "tool-plan-delta",
            "tool-call-start",
            "tool-call-delta",
            "tool-call-end",
            "message-end"
        ]
    );
    assert_eq!(events[0].1["delta"]["message"]["role"], "assistant");
    assert_eq!(
        events[3].1["delta"]["message"]["tool_calls"],
        json!({"id": "c1", "type": "function", "function": {"name": "f", "arguments": ""}})
    );
    assert_eq!(
        events[4].1["delta"]["message"]["tool_calls"]["function"]["arguments"],
        "{}"
    );
    assert_eq!(events[6].1["delta"]["finish_reason"], "TOOL_CALL");
    assert_eq!(
        events[6].1["delta"]["usage"]["billed_units"]["output_tokens"],
        4
    );

    upstream.push(Reply::content("a b").error_after(2, ApiError::server_error()));
    let text = post(&upstream, "/v2/chat", &chat(true))
        .await
        .text()
        .await
        .unwrap();
    let last = text.trim_end().rsplit("\n\n").next().unwrap();
    assert!(last.starts_with("event: message-end\n"), "{last}");
    assert!(last.contains(r#""finish_reason":"ERROR""#), "{last}");
}

#[tokio::test]
async fn embeds_texts_as_floats() {
    let upstream = upstream().await;
    let body: Value = post(
        &upstream,
        "/v2/embed",
        &json!({"model": "embed-english-light-v3.0",
        "texts": ["a", "b"], "input_type": "search_query", "embedding_types": ["float"]}),
    )
    .await
    .json()
    .await
    .unwrap();
    let vectors = body["embeddings"]["float"].as_array().unwrap();
    assert_eq!(vectors.len(), 2);
    assert_eq!(vectors[0].as_array().unwrap().len(), 384);
    assert_eq!(body["texts"], json!(["a", "b"]));
    assert_eq!(body["response_type"], "embeddings_by_type");
    assert!(
        body["meta"]["billed_units"]["input_tokens"]
            .as_u64()
            .unwrap()
            > 0
    );
}
