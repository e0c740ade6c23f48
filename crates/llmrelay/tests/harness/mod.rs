//! What the end-to-end tests share: the calls they make, the options that
//! point a call at a fake upstream, and the comparison of a streamed answer
//! with an unstreamed one. Each test file names its provider's specifics;
//! `conformance.rs` runs the checks every wire format must pass.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use llmrelay::types::{FunctionDefinition, StreamOptions, Tool};
use llmrelay::{CallOptions, ChatRequest, ChatResponse, Client, Message, ServiceTier};
use serde_json::json;

/// Options for a call to `base_url` with `key`, retrying without delay.
pub fn options(base_url: String, key: &str) -> CallOptions {
    CallOptions {
        api_base: Some(base_url),
        api_key: Some(key.into()),
        retry_backoff: Some(Duration::from_millis(1)),
        ..CallOptions::default()
    }
}

/// A short system prompt and a question.
pub fn request(model: &str) -> ChatRequest {
    ChatRequest::new(
        model,
        vec![
            Message::system("Be brief."),
            Message::user("What is the capital of France?"),
        ],
    )
}

/// `get_weather(city)`, the tool every provider's tests call.
pub fn weather_tool() -> Tool {
    Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: "get_weather".into(),
            description: Some("Weather for a city".into()),
            parameters: Some(
                json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
            ),
            strict: None,
        },
        extra: Default::default(),
    }
}

/// The same request answered plainly and streamed-then-folded. The
/// streamed call asks for usage (OpenAI's format sends it only when asked).
pub async fn plain_and_streamed(
    options: &CallOptions,
    req: ChatRequest,
) -> (ChatResponse, ChatResponse) {
    let client = Client::new();
    let plain = client.completion(req.clone(), options).await.unwrap();
    let mut streamed = req;
    streamed.stream_options.get_or_insert(StreamOptions {
        include_usage: Some(true),
        ..StreamOptions::default()
    });
    let folded = client
        .completion_stream(streamed, options)
        .await
        .unwrap()
        .collect_response()
        .await
        .unwrap();
    (plain, folded)
}

/// What `usage` costs on `model` at the standard tier, from the catalog.
pub fn catalog_cost(model: &str, usage: &llmrelay::Usage) -> f64 {
    llmrelay::cost_per_token(model, &usage.to_billing(), ServiceTier::Standard)
        .unwrap()
        .total()
}
