#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The SDK against the testkit's fake Anthropic Messages API, on real sockets.

mod harness;

use std::time::Duration;

use harness::{request, weather_tool};
use llmrelay::types::{Content, ContentPart, ImageUrl, JsonSchemaFormat, ResponseFormat};
use llmrelay::{CallOptions, ChatRequest, ChatResponse, Client, ErrorKind, Message, Role};
use llmrelay_testkit::{ApiError, FakeAnthropic, Reply, ToolCall, Usage};
use serde_json::{json, Value};

const KEY: &str = "sk-ant-test-secret-123456";
const SONNET: &str = "anthropic/claude-sonnet-4-5";
/// Not in the catalog: no structured outputs, no price.
const UNKNOWN: &str = "anthropic/claude-3-5-haiku-20241022";

fn options(upstream: &FakeAnthropic) -> CallOptions {
    harness::options(upstream.base_url(), KEY)
}

async fn plain_and_streamed(
    upstream: &FakeAnthropic,
    req: ChatRequest,
) -> (ChatResponse, ChatResponse) {
    harness::plain_and_streamed(&options(upstream), req).await
}

async fn upstream() -> FakeAnthropic {
    FakeAnthropic::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn completion_speaks_the_messages_api_and_prices_cache_tokens() {
    let upstream = upstream().await;
    upstream.push(
        Reply::content("Paris.").with_usage(
            Usage::new(10_000, 500)
                .with_cached_tokens(8_000)
                .with_cache_creation_tokens(1_000),
        ),
    );
    let response = Client::new()
        .completion(request(SONNET), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(response.choices[0].finish_reason.as_deref(), Some("stop"));
    assert!(response.id.starts_with("msg_"));
    let usage = response.usage.as_ref().unwrap();
    assert_eq!(
        (usage.prompt_tokens, usage.completion_tokens),
        (10_000, 500)
    );
    let details = usage.prompt_tokens_details.as_ref().unwrap();
    assert_eq!(details.cached_tokens, 8_000);
    assert_eq!(details.cache_creation_tokens, Some(1_000));
    // The catalog's prices of the tokens the provider reported.
    let expected = 1_000.0 * 3e-6 + 8_000.0 * 3e-7 + 1_000.0 * 3.75e-6 + 500.0 * 1.5e-5;
    assert!(
        (response.cost.unwrap() - expected).abs() < 1e-12,
        "{:?}",
        response.cost
    );
    assert_eq!(
        llmrelay::completion_cost(
            &ChatResponse {
                cost: None,
                ..response.clone()
            },
            Some(SONNET)
        )
        .unwrap(),
        response.cost.unwrap()
    );

    let sent = upstream.last_request().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v1/messages")
    );
    assert_eq!(sent.header("x-api-key"), Some(KEY));
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(sent.json_field("model"), Some(&json!("claude-sonnet-4-5")));
    assert_eq!(sent.json_field("system"), Some(&json!("Be brief.")));
    assert_eq!(sent.json_field("max_tokens"), Some(&json!(64000)));
    assert_eq!(sent.json_field("messages").unwrap()[0]["role"], "user");
}

#[tokio::test]
async fn streamed_and_unstreamed_answers_agree() {
    let upstream = upstream().await;
    let reply = || {
        Reply::content("Let me check the weather.")
            .with_reasoning("The user wants the weather in Paris.")
            .and_tool_call(
                ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("toolu_a"),
            )
            .and_tool_call(
                ToolCall::new("get_weather", &json!({"city": "Rome"})).with_id("toolu_b"),
            )
            .with_usage(Usage::new(3_000, 120).with_cached_tokens(2_048))
    };
    upstream.push(reply());
    upstream.push(reply().split_into(4));
    let mut req = request(SONNET);
    req.tools = Some(vec![weather_tool()]);
    let (plain, folded) = plain_and_streamed(&upstream, req).await;
    let (p, f) = (&plain.choices[0], &folded.choices[0]);
    assert_eq!(f.message.content, p.message.content);
    assert_eq!(f.message.reasoning_content, p.message.reasoning_content);
    assert_eq!(f.message.tool_calls, p.message.tool_calls);
    assert_eq!(p.message.tool_calls.as_ref().unwrap().len(), 2);
    assert_eq!(f.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(f.finish_reason, p.finish_reason);
    assert_eq!(folded.usage, plain.usage);
    assert_eq!(folded.id.len(), plain.id.len());
    assert_eq!(
        llmrelay::completion_cost(&folded, Some(SONNET)).unwrap(),
        plain.cost.unwrap()
    );
    assert_eq!(
        upstream.last_request().unwrap().json_field("stream"),
        Some(&json!(true))
    );
}

#[tokio::test]
async fn a_tool_round_trip_sends_tool_use_and_merged_tool_results() {
    let upstream = upstream().await;
    upstream.push(Reply::tool_calls([
        ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("toolu_1"),
        ToolCall::new("get_weather", &json!({"city": "Rome"})).with_id("toolu_2"),
    ]));
    upstream.push(Reply::content("Paris 14C, Rome 20C."));
    let client = Client::new();
    let mut req = request(SONNET);
    req.tools = Some(vec![weather_tool()]);
    let first = client
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap();
    let calls = first.choices[0].message.tool_calls.clone().unwrap();
    req.messages.push(Message {
        role: Role::Assistant,
        content: first.choices[0].message.content.clone().map(Content::Text),
        tool_calls: Some(calls.clone()),
        ..Message::default()
    });
    for (call, result) in calls.iter().zip(["14C", "20C"]) {
        req.messages.push(Message {
            role: Role::Tool,
            content: Some(Content::Text(result.into())),
            tool_call_id: Some(call.id.clone()),
            ..Message::default()
        });
    }
    let second = client.completion(req, &options(&upstream)).await.unwrap();
    assert_eq!(
        second.choices[0].message.content.as_deref(),
        Some("Paris 14C, Rome 20C.")
    );
    let sent = upstream.last_request().unwrap();
    let messages = sent.json_field("messages").unwrap();
    assert_eq!(messages.as_array().unwrap().len(), 3);
    assert_eq!(
        messages[1]["content"],
        json!([
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
            {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Rome"}}
        ])
    );
    assert_eq!(
        messages[2],
        json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "14C"},
            {"type": "tool_result", "tool_use_id": "toolu_2", "content": "20C"}
        ]})
    );
}

#[tokio::test]
async fn thinking_comes_back_as_reasoning_and_goes_back_with_its_signature() {
    let upstream = upstream().await;
    upstream.push(Reply::content("42.").with_reasoning("Six times seven."));
    upstream.push(Reply::content("Yes."));
    let client = Client::new();
    let mut req = request(SONNET);
    req.reasoning_effort = Some("high".into());
    let response = client
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap();
    let message = &response.choices[0].message;
    assert_eq!(
        message.reasoning_content.as_deref(),
        Some("Six times seven.")
    );
    let blocks = message.extra["thinking_blocks"].clone();
    assert!(blocks[0]["signature"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(
        upstream.last_request().unwrap().json_field("thinking"),
        Some(&json!({"type": "enabled", "budget_tokens": 4096}))
    );
    let mut echo = Message::assistant("42.");
    echo.extra.insert("thinking_blocks".into(), blocks.clone());
    req.messages.push(echo);
    req.messages.push(Message::user("Sure?"));
    client.completion(req, &options(&upstream)).await.unwrap();
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.json_field("messages").unwrap()[1]["content"][0],
        blocks[0]
    );
}

#[tokio::test]
async fn retries_overload_and_rate_limits_then_succeeds() {
    let upstream = upstream().await;
    upstream.push(Reply::error(ApiError::overloaded()));
    upstream.push(Reply::rate_limited().with_retry_after_ms(5));
    upstream.push(Reply::content("ok"));
    let response = Client::new()
        .completion(request(SONNET), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(response.choices[0].message.content.as_deref(), Some("ok"));
    assert_eq!(upstream.request_count(), 3);

    for _ in 0..3 {
        upstream.push(Reply::error(ApiError::overloaded()));
    }
    let opts = CallOptions {
        num_retries: Some(1),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request(SONNET), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ServiceUnavailable);
    assert_eq!(err.upstream_status, Some(529));
    assert_eq!(upstream.request_count(), 5);
}

#[tokio::test]
async fn anthropics_own_wordings_and_statuses_are_their_error_kind() {
    let cases = [
        (
            Reply::error(ApiError::prompt_too_long(200_000, 208_310)),
            ErrorKind::ContextWindowExceeded,
            1,
        ),
        (Reply::invalid_api_key(), ErrorKind::Authentication, 1),
        (
            Reply::error(ApiError::new(403, "no access")),
            ErrorKind::PermissionDenied,
            1,
        ),
        (
            Reply::error(ApiError::new(400, "messages: roles must alternate")),
            ErrorKind::BadRequest,
            1,
        ),
        (
            Reply::error(ApiError::new(
                413,
                "Request exceeds the maximum allowed size.",
            )),
            ErrorKind::BadRequest,
            1,
        ),
        (
            Reply::error(ApiError::overloaded()),
            ErrorKind::ServiceUnavailable,
            2,
        ),
    ];
    for (reply, kind, attempts) in cases {
        let upstream = upstream().await;
        upstream.set_default_reply(reply);
        let opts = CallOptions {
            num_retries: Some(1),
            timeout: Some(Duration::from_millis(200)),
            ..options(&upstream)
        };
        let err = Client::new()
            .completion(request(SONNET), &opts)
            .await
            .unwrap_err();
        assert_eq!(err.kind, kind, "{err}");
        assert_eq!(upstream.request_count(), attempts, "{kind:?}");
        assert_eq!(err.provider.as_deref(), Some("anthropic"));
        assert!(!format!("{err:?}").contains(KEY));
    }
    // A wrong key is the fake's own 401, in Anthropic's words.
    let upstream = upstream().await;
    let opts = CallOptions {
        api_key: Some("sk-ant-wrong".into()),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request(SONNET), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication);
    assert!(err.message.contains("invalid x-api-key"), "{err}");
}

fn with_format(model: &str, format: ResponseFormat) -> ChatRequest {
    let mut req = request(model);
    req.response_format = Some(format);
    req
}

fn city_schema() -> ResponseFormat {
    ResponseFormat::JsonSchema {
        json_schema: JsonSchemaFormat {
            name: "city".into(),
            schema: Some(
                json!({"type": "object", "properties": {"city": {"type": "string"}},
                "required": ["city"], "additionalProperties": false}),
            ),
            ..JsonSchemaFormat::default()
        },
    }
}

#[tokio::test]
async fn response_format_is_structured_output_or_a_forced_tool() {
    let upstream = upstream().await;
    // Structured outputs: the model answers in text, which is the JSON.
    upstream.push(Reply::content(r#"{"city":"Paris"}"#));
    let response = Client::new()
        .completion(with_format(SONNET, city_schema()), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some(r#"{"city":"Paris"}"#)
    );
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.json_field("output_config").unwrap()["format"]["type"],
        "json_schema"
    );
    assert!(sent.json_field("tools").is_none());

    // No structured outputs: the forced tool's input is the content, plain or streamed.
    let answer = || Reply::tool_call(ToolCall::new("json_tool_call", &json!({"city": "Paris"})));
    upstream.push(answer());
    upstream.push(answer().split_into(3));
    let (plain, folded) = plain_and_streamed(&upstream, with_format(UNKNOWN, city_schema())).await;
    for response in [&plain, &folded] {
        let choice = &response.choices[0];
        let content: Value =
            serde_json::from_str(choice.message.content.as_deref().unwrap()).unwrap();
        assert_eq!(content, json!({"city": "Paris"}));
        assert!(choice.message.tool_calls.is_none());
        assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
    }
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.json_field("tool_choice").unwrap()["name"],
        "json_tool_call"
    );

    // json_object: an open-object tool, even on a model with structured outputs.
    upstream.push(answer());
    Client::new()
        .completion(
            with_format(SONNET, ResponseFormat::JsonObject),
            &options(&upstream),
        )
        .await
        .unwrap();
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.json_field("tools").unwrap()[0]["input_schema"]["additionalProperties"],
        true
    );

    // Neither possible: rejected before the network.
    let mut req = with_format(UNKNOWN, city_schema());
    req.reasoning_effort = Some("low".into());
    let before = upstream.request_count();
    let err = Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedParams, "{err}");
    assert_eq!(upstream.request_count(), before);
}

#[tokio::test]
async fn bad_input_is_a_typed_error_before_the_network() {
    let upstream = upstream().await;
    let image = |url: &str| {
        let mut req = request(SONNET);
        req.messages.push(Message {
            role: Role::User,
            content: Some(Content::Parts(vec![ContentPart::ImageUrl {
                image_url: ImageUrl {
                    url: url.into(),
                    ..ImageUrl::default()
                },
                extra: Default::default(),
            }])),
            ..Message::default()
        });
        req
    };
    for url in [
        "picture.png",
        "data:image/png,raw",
        "data:image/png;base64,%%%",
    ] {
        let err = Client::new()
            .completion(image(url), &options(&upstream))
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadRequest, "{url}");
    }
    let mut req = request(SONNET);
    req.messages.push(Message {
        role: Role::Assistant,
        tool_calls: Some(vec![llmrelay::types::ToolCall {
            id: "toolu_x".into(),
            kind: "function".into(),
            function: llmrelay::types::FunctionCall {
                name: "get_weather".into(),
                arguments: "{city: Paris".into(),
            },
        }]),
        ..Message::default()
    });
    let err = Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("toolu_x"));
    assert_eq!(upstream.request_count(), 0);

    // Images that are URLs or base64 go through, as Anthropic's blocks.
    upstream.push(Reply::echo());
    Client::new()
        .completion(
            image("data:image/jpeg;base64,/9j/4AAQ"),
            &options(&upstream),
        )
        .await
        .unwrap();
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        // Two user messages in a row are one user turn.
        sent.json_field("messages").unwrap()[0]["content"][1]["source"],
        json!({"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"})
    );
}
