//! Streamed chat completions: the exact SSE events, pacing, and mid-stream faults.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{chat, chunk, chunks, data_lines, post, usage};
use llmrelay_testkit::{ApiError, FakeOpenAi, Reply, ToolCall, Usage};
use serde_json::{json, Value};

/// Streams a chat request and returns the whole body as text.
async fn stream_text(upstream: &FakeOpenAi, body: &Value) -> String {
    let response = post(&upstream.base_url(), "/chat/completions", body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/event-stream; charset=utf-8"
    );
    response.text().await.unwrap()
}

/// Reads body chunks until the body ends or fails; returns the text and whether it failed.
async fn read_until_end(response: &mut reqwest::Response) -> (String, bool) {
    let mut text = String::new();
    loop {
        match response.chunk().await {
            Ok(Some(bytes)) => text.push_str(std::str::from_utf8(&bytes).unwrap()),
            Ok(None) => return (text, false),
            Err(_) => return (text, true),
        }
    }
}

#[tokio::test]
async fn content_streams_role_then_words_then_finish_then_done() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("Hello big world"));
    let body = stream_text(&upstream, &chat(true)).await;
    assert_eq!(
        chunks(&body),
        [
            chunk(
                json!({"role": "assistant", "content": "", "refusal": null}),
                json!(null)
            ),
            chunk(json!({"content": "Hello"}), json!(null)),
            chunk(json!({"content": " big"}), json!(null)),
            chunk(json!({"content": " world"}), json!(null)),
            chunk(json!({}), json!("stop")),
        ]
    );
}

#[tokio::test]
async fn include_usage_adds_null_usage_to_each_chunk_and_a_final_usage_chunk() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let given = Usage::new(40, 2)
        .with_cached_tokens(32)
        .with_reasoning_tokens(1);
    upstream.push(Reply::content("Hi").with_usage(given));
    let mut request = chat(true);
    request["stream_options"] = json!({"include_usage": true});
    let body = stream_text(&upstream, &request).await;
    let with_null_usage = |mut c: Value| {
        c["usage"] = json!(null);
        c
    };
    let mut last = chunk(json!({}), json!(null));
    last["choices"] = json!([]);
    last["usage"] = usage(40, 2, 32, 1);
    assert_eq!(
        chunks(&body),
        [
            with_null_usage(chunk(
                json!({"role": "assistant", "content": "", "refusal": null}),
                json!(null)
            )),
            with_null_usage(chunk(json!({"content": "Hi"}), json!(null))),
            with_null_usage(chunk(json!({}), json!("stop"))),
            last,
        ]
    );
}

#[tokio::test]
async fn tool_calls_stream_as_openai_fragments() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(
        Reply::tool_calls([
            ToolCall::new("get_weather", &json!({"city": "Paris"})),
            ToolCall::new("get_time", &json!({"tz": "CET"})),
        ])
        .split_into(2),
    );
    let body = stream_text(&upstream, &chat(true)).await;
    let header = |index: u64, name: &str| json!([{"index": index, "id": "CALL", "type": "function", "function": {"name": name, "arguments": ""}}]);
    let piece = |index: u64, arguments: &str| json!({"tool_calls": [{"index": index, "function": {"arguments": arguments}}]});
    assert_eq!(
        chunks(&body),
        [
            chunk(
                json!({"role": "assistant", "content": null, "tool_calls": header(0, "get_weather"), "refusal": null}),
                json!(null)
            ),
            chunk(piece(0, "{\"city\":"), json!(null)),
            chunk(piece(0, "\"Paris\"}"), json!(null)),
            chunk(json!({"tool_calls": header(1, "get_time")}), json!(null)),
            chunk(piece(1, "{\"tz\":"), json!(null)),
            chunk(piece(1, "\"CET\"}"), json!(null)),
            chunk(json!({}), json!("tool_calls")),
        ]
    );
    // Each call keeps one id across its fragments' header; the two calls differ.
    let raw: Vec<Value> = data_lines(&body)
        .iter()
        .filter(|l| *l != "[DONE]")
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let id_of = |c: &Value| c["choices"][0]["delta"]["tool_calls"][0]["id"].clone();
    assert_ne!(id_of(&raw[0]), id_of(&raw[3]));
}

#[tokio::test]
async fn content_then_tool_call_streams_content_before_the_call() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream
        .push(Reply::content("Checking").and_tool_call(ToolCall::with_raw_arguments("f", "{}")));
    let body = stream_text(&upstream, &chat(true)).await;
    let chunks = chunks(&body);
    let deltas: Vec<&Value> = chunks.iter().map(|c| &c["choices"][0]["delta"]).collect();
    assert_eq!(
        deltas,
        [
            &json!({"role": "assistant", "content": "", "refusal": null}),
            &json!({"content": "Checking"}),
            &json!({"tool_calls": [{"index": 0, "id": "CALL", "type": "function", "function": {"name": "f", "arguments": ""}}]}),
            &json!({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}),
            &json!({}),
        ]
    );
    assert_eq!(chunks[4]["choices"][0]["finish_reason"], "tool_calls");
}

#[tokio::test]
async fn split_into_and_echo_cut_the_echoed_text_evenly() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::echo().split_into(3));
    let mut request = chat(true);
    request["messages"] = json!([{"role": "user", "content": "abcdefgh"}]);
    let body = stream_text(&upstream, &request).await;
    let pieces: Vec<Value> = chunks(&body)[1..4]
        .iter()
        .map(|c| c["choices"][0]["delta"]["content"].clone())
        .collect();
    assert_eq!(pieces, [json!("ab"), json!("cde"), json!("fgh")]);
}

#[tokio::test]
async fn stream_delay_paces_the_events() {
    let upstream = FakeOpenAi::start().await.unwrap();
    // Six events (role, two pieces, finish, [DONE] and one more piece): five gaps.
    upstream.push(
        Reply::content("abc")
            .split_into(3)
            .with_stream_delay(Duration::from_millis(10)),
    );
    let started = Instant::now();
    let body = stream_text(&upstream, &chat(true)).await;
    assert!(
        started.elapsed() >= Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(data_lines(&body).len(), 6);
}

#[tokio::test]
async fn close_after_drops_the_connection_without_done() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("one two three").close_after(2));
    let mut response = post(&upstream.base_url(), "/chat/completions", &chat(true)).await;
    assert_eq!(response.status(), 200);
    let (text, failed) = read_until_end(&mut response).await;
    assert!(failed, "the body should end in an error, got {text:?}");
    let lines = data_lines(&text);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(r#""content":"one""#), "{}", lines[1]);
}

#[tokio::test]
async fn close_after_zero_sends_headers_then_drops() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("x").close_after(0));
    let mut response = post(&upstream.base_url(), "/chat/completions", &chat(true)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(read_until_end(&mut response).await, (String::new(), true));
}

#[tokio::test]
async fn stall_after_keeps_the_connection_open_until_the_server_is_dropped() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("one two three").stall_after(2));
    let mut response = post(&upstream.base_url(), "/chat/completions", &chat(true)).await;
    let mut text = String::new();
    while text.matches("\n\n").count() < 2 {
        let bytes = response.chunk().await.unwrap().unwrap();
        text.push_str(std::str::from_utf8(&bytes).unwrap());
    }
    assert_eq!(data_lines(&text).len(), 2);
    // Nothing more comes while the server lives.
    let waited = tokio::time::timeout(Duration::from_millis(50), response.chunk()).await;
    assert!(waited.is_err(), "the stream should stall");
    drop(upstream);
    let ended = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("dropping the server ends the stall");
    assert!(
        ended.is_err(),
        "a stalled stream ends with a dropped connection"
    );
}

#[tokio::test]
async fn shutdown_ends_a_stalled_stream_and_returns() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("one").stall_after(1));
    let mut response = post(&upstream.base_url(), "/chat/completions", &chat(true)).await;
    let first = response.chunk().await.unwrap().unwrap();
    assert!(first.starts_with(b"data: {"));
    tokio::time::timeout(Duration::from_secs(5), upstream.shutdown())
        .await
        .expect("shutdown ends stalled streams");
    assert!(response.chunk().await.is_err());
}

#[tokio::test]
async fn error_after_sends_an_error_event_and_no_done() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("one two").error_after(1, ApiError::server_error()));
    let body = stream_text(&upstream, &chat(true)).await;
    let lines = data_lines(&body);
    assert_eq!(lines.len(), 2);
    let error: Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(
        error,
        common::error_body(
            "The server had an error while processing your request. Sorry about that!",
            json!("server_error"),
            json!(null),
            json!(null)
        )
    );
}

#[tokio::test]
async fn malformed_json_in_a_stream_is_a_truncated_event_then_done() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::malformed_json());
    let body = stream_text(&upstream, &chat(true)).await;
    let lines = data_lines(&body);
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(r#"{"id":"chatcmpl-"#), "{}", lines[0]);
    assert!(serde_json::from_str::<Value>(&lines[0]).is_err());
    assert_eq!(lines[1], "[DONE]");
}
