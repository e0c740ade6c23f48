//! Fixtures of Anthropic's answers and errors: what we must read (shapes from
//! Anthropic's API reference). The request side is in `tests.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};

use super::tests::{target, SONNET, UNKNOWN};
use crate::error::ErrorKind;

fn parse(model: &str, body: Value) -> crate::types::ChatResponse {
    crate::providers::parse_priced(&target(model), &body).unwrap()
}

#[test]
fn parses_text_and_normalises_cached_usage_and_prices_it() {
    let response = parse(
        SONNET,
        json!({
            "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
            "model": "claude-sonnet-4-5-20250929",
            "content": [{"type": "text", "text": "Paris."}],
            "stop_reason": "end_turn", "stop_sequence": null,
            "usage": {"input_tokens": 100, "cache_creation_input_tokens": 2000,
                "cache_read_input_tokens": 30000, "output_tokens": 50,
                "cache_creation": {"ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 500},
                "service_tier": "standard"}
        }),
    );
    assert_eq!(response.id, "msg_01XFDUDYJgAACzvnptvVoYEL");
    assert_eq!(response.model, "claude-sonnet-4-5-20250929");
    let choice = &response.choices[0];
    assert_eq!(choice.message.content.as_deref(), Some("Paris."));
    assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
    let usage = response.usage.as_ref().unwrap();
    assert_eq!(usage.prompt_tokens, 32100);
    assert_eq!(usage.completion_tokens, 50);
    assert_eq!(usage.total_tokens, 32150);
    let details = usage.prompt_tokens_details.as_ref().unwrap();
    assert_eq!(details.cached_tokens, 30000);
    assert_eq!(details.cache_creation_tokens, Some(2000));
    assert_eq!(details.cache_creation_1h_tokens(), 500);
    // Catalog prices: input 3e-6, read 3e-7, write 3.75e-6 (5m) / 6e-6 (1h), output 1.5e-5.
    let expected = 100.0 * 3e-6 + 30000.0 * 3e-7 + 1500.0 * 3.75e-6 + 500.0 * 6e-6 + 50.0 * 1.5e-5;
    assert!(
        (response.cost.unwrap() - expected).abs() < 1e-12,
        "{:?} vs {expected}",
        response.cost
    );
}

#[test]
fn parses_tool_use_thinking_and_stop_reasons() {
    let response = parse(
        SONNET,
        json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [
                {"type": "thinking", "thinking": "Need weather.", "signature": "sig=="},
                {"type": "redacted_thinking", "data": "EmwKAhgB"},
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}},
                {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}
            ],
            "stop_reason": "tool_use", "usage": {"input_tokens": 10, "output_tokens": 20}
        }),
    );
    let message = &response.choices[0].message;
    assert_eq!(message.content.as_deref(), Some("Checking."));
    assert_eq!(message.reasoning_content.as_deref(), Some("Need weather."));
    let calls = message.tool_calls.as_ref().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].id, "toolu_01A");
    assert_eq!(calls[0].function.arguments, r#"{"city":"Paris"}"#);
    assert_eq!(
        message.extra["thinking_blocks"],
        json!([
            {"type": "thinking", "thinking": "Need weather.", "signature": "sig=="},
            {"type": "redacted_thinking", "data": "EmwKAhgB"}
        ])
    );
    assert_eq!(
        response.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    for (stop, finish) in [
        ("max_tokens", "length"),
        ("stop_sequence", "stop"),
        ("refusal", "content_filter"),
        ("pause_turn", "stop"),
    ] {
        let response = parse(
            SONNET,
            json!({"id": "m", "content": [], "stop_reason": stop, "usage": {"input_tokens": 1, "output_tokens": 1}}),
        );
        assert_eq!(response.choices[0].finish_reason.as_deref(), Some(finish));
        assert_eq!(response.choices[0].message.content, None);
    }
}

#[test]
fn the_response_format_tool_is_the_content() {
    let response = parse(
        UNKNOWN,
        json!({"id": "m", "model": "claude-3-5-haiku-20241022", "content": [
            {"type": "text", "text": "Here you go:"},
            {"type": "tool_use", "id": "toolu_9", "name": "json_tool_call", "input": {"city": "Paris"}}
        ], "stop_reason": "tool_use", "usage": {"input_tokens": 5, "output_tokens": 7}}),
    );
    let choice = &response.choices[0];
    assert_eq!(
        choice.message.content.as_deref(),
        Some(r#"{"city":"Paris"}"#)
    );
    assert!(choice.message.tool_calls.is_none());
    assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
    assert_eq!(response.cost, None, "the model is not in the catalog");
}

#[test]
fn unreadable_bodies_are_typed_errors() {
    let target = target(SONNET);
    for body in [
        &b"{\"id\":\"m\",\"content\":[{\"type\":\"text\""[..],
        b"",
        b"[]",
    ] {
        let err = target
            .adapter
            .parse_chat(&target, body, crate::providers::TEST_NOW)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InternalServer);
    }
}

#[test]
fn errors_map_to_the_taxonomy() {
    let target = target(SONNET);
    let body = |kind: &str, message: &str| {
        json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_1"})
            .to_string()
    };
    let cases = [
        (
            529,
            body("overloaded_error", "Overloaded"),
            ErrorKind::ServiceUnavailable,
        ),
        (
            400,
            body(
                "invalid_request_error",
                "prompt is too long: 208310 tokens > 200000 maximum",
            ),
            ErrorKind::ContextWindowExceeded,
        ),
        (
            400,
            body(
                "invalid_request_error",
                "input length and `max_tokens` exceed context limit: 197000 + 64000 > 200000",
            ),
            ErrorKind::ContextWindowExceeded,
        ),
        (
            400,
            body("invalid_request_error", "messages: roles must alternate"),
            ErrorKind::BadRequest,
        ),
        (
            401,
            body("authentication_error", "invalid x-api-key"),
            ErrorKind::Authentication,
        ),
        (
            403,
            body("permission_error", "no access"),
            ErrorKind::PermissionDenied,
        ),
        (
            404,
            body("not_found_error", "model: claude-x"),
            ErrorKind::NotFound,
        ),
        (
            413,
            body(
                "request_too_large",
                "Request exceeds the maximum allowed size.",
            ),
            ErrorKind::BadRequest,
        ),
        (
            429,
            body(
                "rate_limit_error",
                "Number of request tokens has exceeded your per-minute rate limit",
            ),
            ErrorKind::RateLimit,
        ),
        (
            500,
            body("api_error", "Internal server error"),
            ErrorKind::InternalServer,
        ),
        (
            502,
            String::from("<html>bad gateway</html>"),
            ErrorKind::InternalServer,
        ),
    ];
    for (status, body, kind) in cases {
        let err = target.adapter.map_error(&target, status, body.as_bytes());
        assert_eq!(err.kind, kind, "{status} {body}");
        assert_eq!(err.upstream_status, Some(status));
        assert_eq!(err.provider.as_deref(), Some("anthropic"));
    }
    let overloaded = target.adapter.map_error(
        &target,
        529,
        body("overloaded_error", "Overloaded").as_bytes(),
    );
    assert!(overloaded.is_retryable());
    assert!(overloaded.message.contains("Overloaded"));
    let echoed = target.adapter.map_error(
        &target,
        401,
        body("authentication_error", "bad key sk-ant-test-key").as_bytes(),
    );
    assert!(!echoed.message.contains("sk-ant-test-key"));
}
