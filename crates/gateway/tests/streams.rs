//! Streams end to end: OpenAI chunks, Anthropic and Responses events from an
//! OpenAI upstream, errors mid-stream, a client that leaves mid-stream, and
//! a shutdown that lets a stream finish.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{chat, raw_post, sse_events, start, start_with};
use llmrelay_testkit::{ApiError, Reply, Usage};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Polls `probe` until it holds (liveness, not speed: the deadline is generous).
async fn eventually<F, Fut>(mut probe: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if probe().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn chat_streams_chunks_then_done_and_hides_usage_unless_asked() {
    let gw = start("").await;
    gw.openai.push(
        Reply::content("one two three")
            .split_into(3)
            .with_usage(Usage::new(5, 3)),
    );
    let response = gw.post("/v1/chat/completions", &chat("gpt-4o", true)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert!(response.headers().contains_key("x-litellm-model-id"));
    let events = sse_events(&response.text().await.unwrap());
    assert_eq!(events.last().unwrap().1, "[DONE]");
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|(_, d)| serde_json::from_str(d).unwrap())
        .collect();
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "one two three");
    assert!(
        chunks.iter().all(|c| c.get("usage").is_none()),
        "{chunks:?}"
    );
    // The gateway asked upstream for usage on its own account.
    let seen = gw.openai.last_request().unwrap();
    assert_eq!(
        seen.json_field("stream_options").unwrap()["include_usage"],
        true
    );

    gw.openai
        .push(Reply::content("x").with_usage(Usage::new(5, 1)));
    let mut body = chat("gpt-4o", true);
    body["stream_options"] = json!({"include_usage": true});
    let events = sse_events(
        &gw.post("/v1/chat/completions", &body)
            .await
            .text()
            .await
            .unwrap(),
    );
    let usage_chunk: Value = serde_json::from_str(&events[events.len() - 2].1).unwrap();
    assert_eq!(usage_chunk["usage"]["prompt_tokens"], 5);
    // Streamed tokens reach the metrics.
    let metrics = gw.metrics().await;
    assert!(
        metrics.contains("llmrelay_tokens_total{model=\"gpt-4o\",type=\"prompt\"} 10"),
        "{metrics}"
    );
}

#[tokio::test]
async fn anthropic_stream_events_from_an_openai_upstream() {
    let gw = start("").await;
    gw.openai.push(
        Reply::content("Hi there")
            .split_into(2)
            .with_usage(Usage::new(9, 2)),
    );
    let response = gw
        .post(
            "/v1/messages",
            &json!({"model": "gpt-4o", "max_tokens": 20, "stream": true,
                    "messages": [{"role": "user", "content": "Hello"}]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let events = sse_events(&response.text().await.unwrap());
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"message_start"));
    assert_eq!(
        &names[names.len() - 3..],
        ["content_block_stop", "message_delta", "message_stop"]
    );
    let text: String = events
        .iter()
        .filter(|(n, _)| n == "content_block_delta")
        .map(|(_, d)| {
            serde_json::from_str::<Value>(d).unwrap()["delta"]["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(text, "Hi there");
    let delta: Value = serde_json::from_str(&events[events.len() - 2].1).unwrap();
    assert_eq!(delta["usage"]["output_tokens"], 2);
    assert_eq!(delta["delta"]["stop_reason"], "end_turn");
}

#[tokio::test]
async fn responses_stream_ends_with_response_completed() {
    let gw = start("").await;
    gw.openai
        .push(Reply::content("streamed answer").split_into(3));
    let response = gw
        .post(
            "/v1/responses",
            &json!({"model": "gpt-4o", "input": "hi", "stream": true}),
        )
        .await;
    let events = sse_events(&response.text().await.unwrap());
    assert_eq!(events[0].0, "response.created");
    let (name, data) = events.last().unwrap();
    assert_eq!(name, "response.completed");
    let last: Value = serde_json::from_str(data).unwrap();
    assert_eq!(
        last["response"]["output"][0]["content"][0]["text"],
        "streamed answer"
    );
}

#[tokio::test]
async fn an_upstream_error_mid_stream_ends_the_stream_with_an_error_event() {
    let gw = start("").await;
    gw.openai.push(
        Reply::content("a b c d")
            .split_into(4)
            .error_after(2, ApiError::server_error()),
    );
    let events = sse_events(
        &gw.post("/v1/chat/completions", &chat("gpt-4o", true))
            .await
            .text()
            .await
            .unwrap(),
    );
    let error: Value = serde_json::from_str(&events[events.len() - 2].1).unwrap();
    assert_eq!(error["error"]["code"], "500", "{events:?}");
    assert_eq!(events.last().unwrap().1, "[DONE]");

    gw.openai.push(
        Reply::content("a b c d")
            .split_into(4)
            .error_after(2, ApiError::server_error()),
    );
    let body = json!({"model": "gpt-4o", "max_tokens": 9, "stream": true, "messages": [{"role": "user", "content": "x"}]});
    let events = sse_events(&gw.post("/v1/messages", &body).await.text().await.unwrap());
    let (name, data) = events.last().unwrap();
    assert_eq!(name, "error");
    assert_eq!(
        serde_json::from_str::<Value>(data).unwrap()["error"]["type"],
        "api_error"
    );
}

#[tokio::test]
async fn a_client_leaving_mid_stream_cancels_the_upstream_call() {
    let gw = start("").await;
    // A few events (the router holds a stream until its first content), then the
    // upstream stalls: only cancellation ends this call.
    gw.openai.push(
        Reply::content("never finishes")
            .split_into(5)
            .stall_after(3),
    );
    let body = serde_json::to_vec(&chat("gpt-4o", true)).unwrap();
    let mut stream = TcpStream::connect(gw.addr).await.unwrap();
    stream
        .write_all(&raw_post("/v1/chat/completions", "application/json", &body))
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("data: ") {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the gateway closed before the first event");
        seen.extend_from_slice(&buf[..n]);
    }
    assert_eq!(gw.in_flight().await, 1);
    drop(stream);
    assert!(
        eventually(|| async { gw.in_flight().await == 0 }).await,
        "the stream was not dropped"
    );
    let metrics = gw.metrics().await;
    assert!(
        metrics.contains(
            "llmrelay_requests_total{route=\"chat_completions\",model=\"gpt-4o\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_stream_finish_then_stops_accepting() {
    let mut gw = start_with("", |mut s| {
        s.shutdown_grace = Duration::from_secs(20);
        s
    })
    .await;
    gw.openai.push(
        Reply::content("one two three four")
            .split_into(4)
            .with_stream_delay(Duration::from_millis(150)),
    );
    let response = gw.post("/v1/chat/completions", &chat("gpt-4o", true)).await;
    assert_eq!(response.status(), 200);
    gw.stop();
    let text = response.text().await.unwrap();
    let events = sse_events(&text);
    assert_eq!(events.last().unwrap().1, "[DONE]", "{text}");
    let task = gw.task.take().unwrap();
    assert!(task.await.unwrap().is_ok());
    assert!(
        TcpStream::connect(gw.addr).await.is_err(),
        "still accepting after shutdown"
    );
}

#[tokio::test]
async fn shutdown_is_bounded_by_the_grace_period() {
    let mut gw = start_with("", |mut s| {
        s.shutdown_grace = Duration::from_millis(200);
        s
    })
    .await;
    gw.openai
        .push(Reply::content("stalls").split_into(5).stall_after(3));
    let response = gw.post("/v1/chat/completions", &chat("gpt-4o", true)).await;
    assert_eq!(response.status(), 200);
    gw.stop();
    // The stalled stream cannot finish; serve returns once the grace period is over.
    let task = gw.task.take().unwrap();
    let result = tokio::time::timeout(Duration::from_secs(30), task).await;
    assert!(matches!(result, Ok(Ok(Ok(())))), "{result:?}");
}
