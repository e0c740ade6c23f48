//! Helpers shared by the router's end-to-end tests: fake OpenAI upstreams on
//! loopback and model_list entries pointing at them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use llmrelay::{ChatRequest, ChatResponse, ChatStream, Error, Message};
use llmrelay_router::{ManualClock, Router, RouterConfig};
use llmrelay_testkit::FakeOpenAi;
use serde_json::{json, Value};

pub const KEY: &str = "sk-router-test-key-0001";

/// A model_list entry for group `name` served by `upstream`, with `extra` params.
pub fn entry(name: &str, upstream: &FakeOpenAi, extra: Value) -> Value {
    let mut params = json!({
        "model": "openai/gpt-4o",
        "api_base": upstream.base_url(),
        "api_key": KEY,
    });
    if let (Some(p), Value::Object(extra)) = (params.as_object_mut(), extra) {
        p.extend(extra);
    }
    json!({"model_name": name, "litellm_params": params})
}

/// Same as [`entry`] with an explicit `model_info.id`.
pub fn entry_id(name: &str, id: &str, upstream: &FakeOpenAi, extra: Value) -> Value {
    let mut e = entry(name, upstream, extra);
    e["model_info"] = json!({"id": id});
    e
}

/// A router over `config`, failing the test on warnings or errors.
pub fn router(config: Value) -> Router {
    builder(config).build().unwrap()
}

/// A builder with a short backoff, for tests that retry.
pub fn builder(config: Value) -> llmrelay_router::RouterBuilder {
    let (config, warnings) = RouterConfig::from_value(&config).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Router::builder(config).retry_backoff(Duration::from_millis(1))
}

/// A router reading time from a clock the test moves.
pub fn router_with_clock(config: Value) -> (Router, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let router = builder(config).clock(clock.clone()).build().unwrap();
    (router, clock)
}

pub fn request(model: &str, text: &str) -> ChatRequest {
    ChatRequest::new(model, vec![Message::user(text)])
}

pub fn text(response: &ChatResponse) -> String {
    response.choices[0]
        .message
        .content
        .clone()
        .unwrap_or_default()
}

/// Every item of a stream: the text it carried and the error it ended with.
pub async fn drain(mut stream: ChatStream) -> (String, Option<Error>) {
    let mut out = String::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(chunk) => {
                for choice in &chunk.choices {
                    out.push_str(choice.delta.content.as_deref().unwrap_or(""));
                }
            }
            Err(e) => return (out, Some(e)),
        }
    }
    (out, None)
}

/// Every item of a stream, as they came.
pub async fn items(stream: ChatStream) -> Vec<Result<llmrelay::ChatChunk, Error>> {
    stream.collect().await
}
