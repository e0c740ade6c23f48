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

/// The same answer as Gemini sends it (thoughts counted, as Gemini 2.5 Pro always thinks).
const GEMINI_RESPONSE: &str = r#"{"candidates":[{"content":{"parts":[{"text":"It is 14°C in Paris with light rain expected in the afternoon, so yes, bring an umbrella. The wind is mild from the west and the evening should clear up."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":112,"candidatesTokenCount":38,"totalTokenCount":406,"thoughtsTokenCount":256,"promptTokensDetails":[{"modality":"TEXT","tokenCount":112}]},"modelVersion":"gemini-2.5-pro","responseId":"Z3ZbaPXyKqHrnvgPr6C6-Qw"}"#;

/// The same answer as Anthropic's Messages API sends it (a cached prompt).
const ANTHROPIC_RESPONSE: &str = r#"{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"It is 14°C in Paris with light rain expected in the afternoon, so yes, bring an umbrella. The wind is mild from the west and the evening should clear up."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":38,"service_tier":"standard"}}"#;

/// The same answer as Cohere's v2 chat sends it.
const COHERE_RESPONSE: &str = r#"{"id":"c14c80c3-18eb-4519-9460-6c92edd8cfb4","message":{"role":"assistant","content":[{"type":"text","text":"It is 14°C in Paris with light rain expected in the afternoon, so yes, bring an umbrella. The wind is mild from the west and the evening should clear up."}]},"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":112,"output_tokens":38},"tokens":{"input_tokens":328,"output_tokens":38}}}"#;

/// Build + parse for a native provider's model, checked once so the loop cannot
/// measure an early error return.
fn bench_native(c: &mut Criterion, model: &str, response: &'static str) {
    let target = llmrelay::bench_support::target(model).unwrap_or_else(|e| panic!("{e}"));
    let mut request = typical_request();
    request.model = model.into();
    assert!(target.build(&request).is_ok() && target.parse(response.as_bytes()).is_ok());
    c.bench_function(
        &format!("client overhead: build request + parse response ({model})"),
        |b| {
            b.iter(|| {
                let size = target.build(black_box(&request)).unwrap_or(0);
                let parsed = target.parse(black_box(response.as_bytes()));
                (size, parsed.map(|r| r.cost))
            })
        },
    );
}

fn bench_anthropic_cohere(c: &mut Criterion) {
    bench_native(c, "anthropic/claude-sonnet-4-5", ANTHROPIC_RESPONSE);
    bench_native(c, "cohere_chat/command-r-08-2024", COHERE_RESPONSE);
    // Build includes resolving AWS credentials from the options and SigV4 signing.
    bench_native(
        c,
        "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
        BEDROCK_RESPONSE,
    );
    let bedrock =
        llmrelay::bench_support::target("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0")
            .unwrap_or_else(|e| panic!("{e}"));
    let body = vec![b'x'; 1200];
    assert!(bedrock.sign_only(&body).is_some());
    c.bench_function("sigv4: sign one Bedrock request (1.2 KB body)", |b| {
        b.iter(|| bedrock.sign_only(black_box(&body)))
    });
}

const BEDROCK_RESPONSE: &str = r#"{"output":{"message":{"role":"assistant","content":[{"text":"It is 14°C in Paris with light rain expected in the afternoon, so yes, bring an umbrella. The wind is mild from the west and the evening should clear up."}]}},"stopReason":"end_turn","usage":{"inputTokens":112,"outputTokens":38,"totalTokens":150,"cacheReadInputTokens":0,"cacheWriteInputTokens":0},"metrics":{"latencyMs":812}}"#;

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
    let gemini =
        llmrelay::bench_support::target("gemini/gemini-2.5-pro").unwrap_or_else(|e| panic!("{e}"));
    let mut gemini_request = typical_request();
    gemini_request.model = "gemini/gemini-2.5-pro".into();
    // A failing translation would make the loop below measure an early return.
    assert!(
        gemini.build(&gemini_request).is_ok() && gemini.parse(GEMINI_RESPONSE.as_bytes()).is_ok()
    );
    c.bench_function(
        "client overhead: build request + parse response (gemini/gemini-2.5-pro)",
        |b| {
            b.iter(|| {
                let size = gemini.build(black_box(&gemini_request)).unwrap_or(0);
                let response = gemini.parse(black_box(GEMINI_RESPONSE.as_bytes()));
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

criterion_group!(benches, bench_round_trip, bench_anthropic_cohere, bench_sse);
criterion_main!(benches);
