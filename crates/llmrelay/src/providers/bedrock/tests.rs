//! Bedrock translations on fixtures of the Converse wire format.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::providers::EventParser;
use serde_json::{json, Value};

use super::request::{converse_body, JSON_TOOL};
use super::{response, stream::StreamState};
use crate::error::ErrorKind;
use crate::providers::{resolve_target, Adapter, RawEvent, StreamEvent, Target};
use crate::types::{ChatRequest, JsonSchemaFormat, ResponseFormat};

fn target() -> Target {
    let options = crate::options::CallOptions {
        api_base: Some("http://127.0.0.1:1".into()),
        aws: crate::options::AwsOptions {
            access_key_id: Some("AKID".into()),
            secret_access_key: Some("secret".into()),
            region_name: Some("us-east-1".into()),
            ..crate::options::AwsOptions::default()
        },
        ..Default::default()
    };
    let target = resolve_target(
        "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
        &options,
    )
    .unwrap();
    assert_eq!(target.adapter, Adapter::Bedrock);
    target
}

fn request(v: Value) -> ChatRequest {
    serde_json::from_value(v).unwrap()
}

#[test]
fn system_is_hoisted_roles_alternate_and_tools_round_trip() {
    let req = request(json!({
        "model": "m",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "t1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "t2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
            ]},
            {"role": "tool", "tool_call_id": "t1", "content": "14C"},
            {"role": "tool", "tool_call_id": "t2", "content": "noon"}
        ],
        "max_tokens": 100, "temperature": 0.5, "stop": "END",
        "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
        "tool_choice": "required"
    }));
    let body = serde_json::to_value(converse_body(&target(), &req).unwrap()).unwrap();
    assert_eq!(body["system"], json!([{"text": "Be brief."}]));
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(
        messages.len(),
        3,
        "two tool results merge into one user turn: {body}"
    );
    assert_eq!(
        messages[1]["content"][0]["toolUse"],
        json!({"toolUseId": "t1", "name": "get_weather", "input": {"city": "Paris"}})
    );
    assert_eq!(messages[2]["role"], "user");
    assert_eq!(messages[2]["content"][1]["toolResult"]["toolUseId"], "t2");
    assert_eq!(
        body["inferenceConfig"],
        json!({"maxTokens": 100, "temperature": 0.5, "stopSequences": ["END"]})
    );
    assert_eq!(body["toolConfig"]["toolChoice"], json!({"any": {}}));
    assert_eq!(
        body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"],
        json!({"type": "object"})
    );
}

#[test]
fn images_must_be_base64_and_arguments_must_be_json() {
    let with_image = |url: &str| {
        request(
            json!({"model": "m", "messages": [{"role": "user", "content": [
                {"type": "text", "text": "what is this"},
                {"type": "image_url", "image_url": {"url": url}}
            ]}]}),
        )
    };
    let body = serde_json::to_value(
        converse_body(&target(), &with_image("data:image/png;base64,iVBORw0KGgo=")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        body["messages"][0]["content"][1]["image"],
        json!({"format": "png", "source": {"bytes": "iVBORw0KGgo="}})
    );
    for bad in [
        "https://example.com/cat.png",
        "data:image/png,notbase64",
        "data:;base64,AAAA",
        "ftp://x",
    ] {
        let err = converse_body(&target(), &with_image(bad)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadRequest, "{bad}");
    }
    let bad_args = request(json!({"model": "m", "messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "tool_calls": [{"id": "t", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]}
    ]}));
    let err = converse_body(&target(), &bad_args).unwrap_err();
    assert!(err.message.contains("not JSON"), "{err}");
}

#[test]
fn response_format_becomes_a_forced_tool_and_comes_back_as_content() {
    let mut req =
        request(json!({"model": "m", "messages": [{"role": "user", "content": "a city"}]}));
    req.response_format = Some(ResponseFormat::JsonSchema {
        json_schema: JsonSchemaFormat {
            name: "city".into(),
            schema: Some(json!({"type": "object", "properties": {"name": {"type": "string"}}})),
            ..JsonSchemaFormat::default()
        },
    });
    let body = serde_json::to_value(converse_body(&target(), &req).unwrap()).unwrap();
    assert_eq!(
        body["toolConfig"]["toolChoice"],
        json!({"tool": {"name": JSON_TOOL}})
    );
    let answer = json!({
        "output": {"message": {"role": "assistant", "content": [{"toolUse": {"toolUseId": "x", "name": JSON_TOOL, "input": {"name": "Paris"}}}]}},
        "stopReason": "tool_use",
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15}
    });
    let r = response::parse_chat(
        &target(),
        answer.to_string().as_bytes(),
        crate::providers::TEST_NOW,
    )
    .map(|r| crate::providers::priced(&target(), r))
    .unwrap();
    assert_eq!(
        r.choices[0].message.content.as_deref(),
        Some(r#"{"name":"Paris"}"#)
    );
    assert!(r.choices[0].message.tool_calls.is_none());
    assert_eq!(r.choices[0].finish_reason.as_deref(), Some("stop"));
}

#[test]
fn usage_counts_cache_tokens_in_the_prompt_and_prices_them() {
    let answer = json!({
        "output": {"message": {"role": "assistant", "content": [
            {"reasoningContent": {"reasoningText": {"text": "thinking...", "signature": "sig"}}},
            {"text": "Hello"}
        ]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 100, "outputTokens": 20, "totalTokens": 1620, "cacheReadInputTokens": 1000, "cacheWriteInputTokens": 500}
    });
    let t = target();
    let r = response::parse_chat(
        &t,
        answer.to_string().as_bytes(),
        crate::providers::TEST_NOW,
    )
    .map(|r| crate::providers::priced(&t, r))
    .unwrap();
    let usage = r.usage.as_ref().unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (1600, 20, 1620)
    );
    let details = usage.prompt_tokens_details.as_ref().unwrap();
    assert_eq!(
        (details.cached_tokens, details.cache_creation_tokens),
        (1000, Some(500))
    );
    assert_eq!(
        r.choices[0].message.reasoning_content.as_deref(),
        Some("thinking...")
    );
    let expected = llmrelay_catalog::cost_per_token(
        t.info.unwrap(),
        &usage.to_billing(),
        llmrelay_catalog::ServiceTier::Standard,
    )
    .unwrap()
    .total();
    assert_eq!(r.cost, Some(expected));
    let info = t.info.unwrap();
    let by_hand = 100.0 * info.price("input_cost_per_token").unwrap()
        + 1000.0 * info.price("cache_read_input_token_cost").unwrap()
        + 500.0 * info.price("cache_creation_input_token_cost").unwrap()
        + 20.0 * info.price("output_cost_per_token").unwrap();
    assert!(
        (expected - by_hand).abs() < 1e-12,
        "{expected} vs {by_hand}"
    );
}

#[test]
fn stream_events_become_chunks_that_fold_into_the_same_answer() {
    let t = target();
    let mut state =
        <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
    let events = [
        ("messageStart", json!({"role": "assistant"})),
        (
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "Let me "}}),
        ),
        (
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "check."}}),
        ),
        ("contentBlockStop", json!({"contentBlockIndex": 0})),
        (
            "contentBlockStart",
            json!({"contentBlockIndex": 1, "start": {"toolUse": {"toolUseId": "tu1", "name": "get_weather"}}}),
        ),
        (
            "contentBlockDelta",
            json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": "{\"city\":"}}}),
        ),
        (
            "contentBlockDelta",
            json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": "\"Paris\"}"}}}),
        ),
        ("contentBlockStop", json!({"contentBlockIndex": 1})),
        ("messageStop", json!({"stopReason": "tool_use"})),
        (
            "metadata",
            json!({"usage": {"inputTokens": 30, "outputTokens": 12, "totalTokens": 42}, "metrics": {"latencyMs": 100}}),
        ),
    ];
    let mut chunks = Vec::new();
    for (name, payload) in events {
        let data = payload.to_string();
        match state
            .parse(
                &t,
                RawEvent {
                    event: name,
                    data: &data,
                },
            )
            .unwrap()
        {
            StreamEvent::Chunk(c) => chunks.push(*c),
            StreamEvent::Skip => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    let folded = crate::stream_chunk_builder(&chunks).unwrap();
    let message = &folded.choices[0].message;
    assert_eq!(message.content.as_deref(), Some("Let me check."));
    let calls = message.tool_calls.as_ref().unwrap();
    assert_eq!(
        (calls[0].id.as_str(), calls[0].function.name.as_str()),
        ("tu1", "get_weather")
    );
    assert_eq!(calls[0].function.arguments, r#"{"city":"Paris"}"#);
    assert_eq!(
        folded.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    assert_eq!(folded.usage.unwrap().total_tokens, 42);
}

#[test]
fn exceptions_and_garbage_in_streams_are_typed_errors() {
    let t = target();
    let mut state =
        <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
    let err = state
        .parse(
            &t,
            RawEvent {
                event: "exception/throttlingException",
                data: r#"{"message":"Too many requests"}"#,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert_eq!(err.upstream_status, None, "never retried mid-stream");
    let err = state
        .parse(
            &t,
            RawEvent {
                event: "contentBlockDelta",
                data: "{not json",
            },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);
    let err = state
        .parse(
            &t,
            RawEvent {
                event: "contentBlockDelta",
                data: r#"{"contentBlockIndex":7,"delta":{"toolUse":{"input":"x"}}}"#,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);
}

#[test]
fn errors_map_by_status_and_wording() {
    let t = target();
    let cases = [
        (
            400,
            r#"{"message":"Input is too long for requested model."}"#,
            ErrorKind::ContextWindowExceeded,
        ),
        (
            400,
            r#"{"message":"Malformed input request"}"#,
            ErrorKind::BadRequest,
        ),
        (
            403,
            r#"{"message":"You don't have access to the model"}"#,
            ErrorKind::PermissionDenied,
        ),
        (404, r#"{"message":"Model not found"}"#, ErrorKind::NotFound),
        (
            429,
            r#"{"message":"Too many requests, please wait"}"#,
            ErrorKind::RateLimit,
        ),
        (
            408,
            r#"{"message":"Model has timed out"}"#,
            ErrorKind::Timeout,
        ),
        (
            503,
            r#"{"message":"Service unavailable"}"#,
            ErrorKind::ServiceUnavailable,
        ),
        (
            500,
            r#"{"message":"secret leaked? secret"}"#,
            ErrorKind::InternalServer,
        ),
    ];
    for (status, body, kind) in cases {
        let err = crate::providers::upstream_error::from_json_body(&t, status, body.as_bytes());
        assert_eq!(err.kind, kind, "{status} {body}");
        assert!(
            !err.message.contains("secret"),
            "the secret key is redacted: {err}"
        );
    }
}
