#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Client-side cost of a call without the network: resolve + build the
//! request and parse + price a typical answer (target ≤ 20 µs), and SSE
//! stream decoding throughput (target ≥ 50 MB/s).

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures_util::StreamExt;
use llmrelay::bench_support::target;
use llmrelay::types::{FunctionDefinition, Tool};
use llmrelay::{ChatRequest, Message};
use serde_json::json;

fn typical_request() -> ChatRequest {
    let mut request = ChatRequest::new(
        "gpt-4o",
        vec![
            Message::system("You are a helpful assistant that answers concisely."),
            Message::user(
                "What is the weather like in Paris today, and should I bring an umbrella?",
            ),
            Message::assistant("Let me check the forecast for Paris."),
            Message::user("Thanks. Also tell me the temperature in Celsius."),
        ],
    );
    request.temperature = Some(0.2);
    request.max_tokens = Some(512);
    request.tools = Some(vec![Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: "get_weather".into(),
            description: Some("Current weather for a city".into()),
            parameters: Some(
                json!({"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}}, "required": ["city"]}),
            ),
            strict: None,
        },
        extra: Default::default(),
    }]);
    request
}

const TYPICAL_RESPONSE: &str = r#"{"id":"chatcmpl-AbC123","object":"chat.completion","created":1733000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc123","choices":[{"index":0,"message":{"role":"assistant","content":"It is 14°C in Paris with light rain expected in the afternoon, so yes, bring an umbrella. The wind is mild from the west and the evening should clear up.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":112,"completion_tokens":38,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default"}"#;

fn sse_body(target_bytes: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(target_bytes + 512);
    while body.len() < target_bytes {
        body.extend_from_slice(br#"data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc123","choices":[{"index":0,"delta":{"content":" umbrella"},"logprobs":null,"finish_reason":null}]}"#);
        body.extend_from_slice(b"\n\n");
    }
    body.extend_from_slice(br#"data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#);
    body.extend_from_slice(b"\n\ndata: [DONE]\n\n");
    body
}

fn bench_round_trip(c: &mut Criterion) {
    let target = target("gpt-4o").unwrap_or_else(|e| panic!("{e}"));
    let request = typical_request();
    c.bench_function(
        "client overhead: build request + parse response (gpt-4o)",
        |b| {
            b.iter(|| {
                let size = target.build(black_box(&request)).unwrap_or(0);
                let response = target.parse(black_box(TYPICAL_RESPONSE.as_bytes()));
                (size, response.map(|r| r.cost))
            })
        },
    );
}

fn bench_sse(c: &mut Criterion) {
    let target = target("gpt-4o").unwrap_or_else(|e| panic!("{e}"));
    let body = sse_body(1 << 20);
    // Network-sized pieces, cut without regard to event boundaries.
    let pieces: Vec<Bytes> = body.chunks(16 * 1024).map(Bytes::copy_from_slice).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut group = c.benchmark_group("sse");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("decode 1 MiB of OpenAI chunks", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let mut stream = target.stream(pieces.clone());
                let mut n = 0usize;
                while let Some(chunk) = stream.next().await {
                    n += usize::from(chunk.is_ok());
                }
                n
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench_round_trip, bench_sse);
criterion_main!(benches);
