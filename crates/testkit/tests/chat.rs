//! Non-streamed chat completions: the exact body, scripting, and recording.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{chat, post, scrub, usage};
use llmrelay_testkit::{FakeOpenAi, Reply, ToolCall, Usage, DEFAULT_CONTENT};
use serde_json::{json, Value};

async fn completion(upstream: &FakeOpenAi, body: &Value) -> Value {
    let response = post(&upstream.base_url(), "/chat/completions", body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        request_id.starts_with("req_") && request_id.len() == 36,
        "{request_id}"
    );
    let mut body: Value = response.json().await.unwrap();
    scrub(&mut body);
    body
}

fn expected(message: Value, finish_reason: &str, usage: Value) -> Value {
    json!({
        "id": "ID",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [{
            "index": 0,
            "message": message,
            "logprobs": null,
            "finish_reason": finish_reason
        }],
        "usage": usage,
        "service_tier": "default",
        "system_fingerprint": "fp_f33640a400"
    })
}

#[tokio::test]
async fn content_reply_has_openais_exact_shape() {
    let upstream = FakeOpenAi::start().await.unwrap();
    assert!(upstream.base_url().starts_with("http://127.0.0.1:"));
    assert!(upstream.base_url().ends_with("/v1"));
    upstream.push(Reply::content("Hello there"));
    let body = completion(&upstream, &chat(false)).await;
    let message =
        json!({"role": "assistant", "content": "Hello there", "refusal": null, "annotations": []});
    // Estimated usage: 3 + (4 + ceil(6 / 4)) prompt tokens, ceil(11 / 4) completion tokens.
    assert_eq!(body, expected(message, "stop", usage(9, 3, 0, 0)));
}

#[tokio::test]
async fn given_usage_with_cached_and_reasoning_tokens_is_reported() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let given = Usage::new(1200, 300)
        .with_cached_tokens(1024)
        .with_reasoning_tokens(256);
    upstream.push(
        Reply::content("ok")
            .with_usage(given)
            .with_finish_reason("length"),
    );
    let body = completion(&upstream, &chat(false)).await;
    assert_eq!(body["usage"], usage(1200, 300, 1024, 256));
    assert_eq!(body["choices"][0]["finish_reason"], "length");
}

#[tokio::test]
async fn echo_answers_with_the_last_user_message() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::echo());
    let request = json!({
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "noted"},
            {"role": "user", "content": [{"type": "text", "text": "repeat me"}]}
        ]
    });
    let body = completion(&upstream, &request).await;
    assert_eq!(body["choices"][0]["message"]["content"], "repeat me");
}

#[tokio::test]
async fn parallel_tool_calls_come_with_null_content_and_tool_calls_finish() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(
        Reply::tool_call(ToolCall::new("get_weather", &json!({"city": "Paris"})))
            .and_tool_call(ToolCall::new("get_time", &json!({"tz": "CET"})).with_id("fixed-id-7")),
    );
    let body = completion(&upstream, &chat(false)).await;
    let message = json!({
        "role": "assistant",
        "content": null,
        "tool_calls": [
            {"id": "CALL", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
            {"id": "fixed-id-7", "type": "function", "function": {"name": "get_time", "arguments": "{\"tz\":\"CET\"}"}}
        ],
        "refusal": null,
        "annotations": []
    });
    // Completion estimate: ceil(11/4) + ceil(16/4) + ceil(8/4) + ceil(11/4).
    assert_eq!(
        body,
        expected(message, "tool_calls", usage(9, 3 + 4 + 2 + 3, 0, 0))
    );
}

#[tokio::test]
async fn queue_is_fifo_then_the_default_reply_answers() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("one"));
    upstream.push(Reply::content("two"));
    assert_eq!(upstream.queued_replies(), 2);
    let mut answers = Vec::new();
    for _ in 0..3 {
        let body = completion(&upstream, &chat(false)).await;
        answers.push(body["choices"][0]["message"]["content"].clone());
    }
    assert_eq!(
        answers,
        [json!("one"), json!("two"), json!(DEFAULT_CONTENT)]
    );
    upstream.set_default_reply(Reply::content("new default"));
    let body = completion(&upstream, &chat(false)).await;
    assert_eq!(body["choices"][0]["message"]["content"], "new default");
    assert_eq!(upstream.queued_replies(), 0);
    assert_eq!(upstream.request_count(), 4);
}

#[tokio::test]
async fn records_method_path_headers_and_json_body() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let request = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "hi"}],
        "max_completion_tokens": 50
    });
    let response = common::client()
        .post(format!(
            "{}/chat/completions?api-version=2024-10-21",
            upstream.base_url()
        ))
        .bearer_auth("sk-secret")
        .header("OpenAI-Organization", "org-123")
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let recorded = upstream.last_request().unwrap();
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/v1/chat/completions");
    assert_eq!(recorded.query.as_deref(), Some("api-version=2024-10-21"));
    assert_eq!(recorded.bearer_token(), Some("sk-secret"));
    assert_eq!(recorded.header("openai-organization"), Some("org-123"));
    assert_eq!(recorded.header("Content-Type"), Some("application/json"));
    assert_eq!(recorded.body.as_ref(), Some(&request));
    assert_eq!(
        recorded.json_field("max_completion_tokens"),
        Some(&json!(50))
    );
    assert_eq!(recorded.raw_body, serde_json::to_vec(&request).unwrap());
    assert_eq!(upstream.take_requests().len(), 1);
    assert!(upstream.requests().is_empty());
    assert_eq!(upstream.request_count(), 1);
}

#[tokio::test]
async fn without_recording_requests_are_only_counted() {
    let upstream = FakeOpenAi::builder()
        .record_requests(false)
        .start()
        .await
        .unwrap();
    completion(&upstream, &chat(false)).await;
    assert!(upstream.requests().is_empty());
    assert_eq!(upstream.request_count(), 1);
}

#[tokio::test]
async fn latency_delays_the_headers() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("slow").with_latency(Duration::from_millis(40)));
    let started = Instant::now();
    let body = completion(&upstream, &chat(false)).await;
    assert!(started.elapsed() >= Duration::from_millis(40));
    assert_eq!(body["choices"][0]["message"]["content"], "slow");
}

#[tokio::test]
async fn shutdown_closes_kept_alive_connections_and_the_listener() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let base = upstream.base_url();
    let client = common::client();
    // Leaves an idle kept-alive connection in the client's pool.
    let response = client
        .post(format!("{base}/chat/completions"))
        .json(&chat(false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), upstream.shutdown())
        .await
        .expect("shutdown does not wait for idle connections");
    let error = client
        .post(format!("{base}/chat/completions"))
        .json(&chat(false))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error:?}");
    let fresh = common::client()
        .post(format!("{base}/chat/completions"))
        .json(&chat(false))
        .send()
        .await
        .unwrap_err();
    assert!(fresh.is_connect(), "{fresh:?}");
}
