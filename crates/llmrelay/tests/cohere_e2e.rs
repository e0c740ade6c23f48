#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The SDK against the testkit's fake Cohere v2 API, on real sockets.

mod harness;

use llmrelay::types::{
    Content, EmbeddingVector, FunctionDefinition, JsonSchemaFormat, ResponseFormat, Tool,
};
use llmrelay::{
    CallOptions, ChatRequest, ChatResponse, Client, EmbeddingRequest, ErrorKind, Message, Role,
};
use llmrelay_testkit::{ApiError, FakeCohere, Reply, ToolCall, Usage};
use serde_json::json;

const KEY: &str = "co-test-secret-123456";
const COMMAND: &str = "cohere_chat/command-r-08-2024";

fn options(upstream: &FakeCohere) -> CallOptions {
    harness::options(upstream.base_url(), KEY)
}

fn request() -> ChatRequest {
    harness::request(COMMAND)
}

async fn plain_and_streamed(
    upstream: &FakeCohere,
    req: ChatRequest,
) -> (ChatResponse, ChatResponse) {
    harness::plain_and_streamed(&options(upstream), req).await
}

async fn upstream() -> FakeCohere {
    FakeCohere::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn chat_speaks_cohere_v2_and_prices_billed_units() {
    let upstream = upstream().await;
    upstream.push(Reply::content("Paris.").with_usage(Usage::new(1_000, 200)));
    let response = Client::new()
        .completion(request(), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(response.choices[0].finish_reason.as_deref(), Some("stop"));
    let usage = response.usage.as_ref().unwrap();
    // Billed units, not the preamble-inflated token counts.
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (1_000, 200));
    let expected = 1_000.0 * 1.5e-7 + 200.0 * 6e-7;
    assert!((response.cost.unwrap() - expected).abs() < 1e-15);
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v2/chat")
    );
    assert_eq!(sent.bearer_token(), Some(KEY));
    assert_eq!(sent.json_field("model"), Some(&json!("command-r-08-2024")));
    assert_eq!(
        sent.json_field("messages").unwrap()[0],
        json!({"role": "system", "content": "Be brief."})
    );
}

#[tokio::test]
async fn streamed_and_unstreamed_answers_agree() {
    let upstream = upstream().await;
    let reply = || {
        Reply::content("I will look up both cities.")
            .and_tool_call(ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("w_1"))
            .and_tool_call(ToolCall::new("get_weather", &json!({"city": "Rome"})).with_id("w_2"))
            .with_usage(Usage::new(400, 60))
    };
    upstream.push(reply());
    upstream.push(reply().split_into(3));
    let mut req = request();
    req.tools = Some(vec![Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: "get_weather".into(),
            parameters: Some(json!({"type": "object", "properties": {"city": {"type": "string"}}})),
            ..FunctionDefinition::default()
        },
        extra: Default::default(),
    }]);
    let (plain, folded) = plain_and_streamed(&upstream, req).await;
    let (p, f) = (&plain.choices[0], &folded.choices[0]);
    assert_eq!(
        p.message.content.as_deref(),
        Some("I will look up both cities.")
    );
    assert_eq!(f.message.content, p.message.content);
    assert_eq!(f.message.tool_calls, p.message.tool_calls);
    assert_eq!(p.message.tool_calls.as_ref().unwrap()[1].id, "w_2");
    assert_eq!(f.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(folded.usage, plain.usage);
    assert_eq!(
        llmrelay::completion_cost(&folded, Some(COMMAND)).unwrap(),
        plain.cost.unwrap()
    );

    // The round trip: the assistant's words beside its calls are its tool plan.
    let mut req = request();
    req.messages.push(Message {
        role: Role::Assistant,
        content: p.message.content.clone().map(Content::Text),
        tool_calls: p.message.tool_calls.clone(),
        ..Message::default()
    });
    req.messages.push(Message {
        role: Role::Tool,
        content: Some(Content::Text("14C".into())),
        tool_call_id: Some("w_1".into()),
        ..Message::default()
    });
    upstream.push(Reply::content("Paris is 14C."));
    Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap();
    let messages = upstream
        .last_request()
        .unwrap()
        .json_field("messages")
        .unwrap()
        .clone();
    assert_eq!(messages[2]["tool_plan"], "I will look up both cities.");
    assert_eq!(
        messages[2]["tool_calls"][0]["function"]["arguments"],
        r#"{"city":"Paris"}"#
    );
    assert_eq!(
        messages[3],
        json!({"role": "tool", "tool_call_id": "w_1", "content": "14C"})
    );
}

#[tokio::test]
async fn thinking_is_reasoning_content_both_ways() {
    let upstream = upstream().await;
    upstream.push(Reply::content("42.").with_reasoning("Six times seven."));
    upstream.push(
        Reply::content("42.")
            .with_reasoning("Six times seven.")
            .split_into(2),
    );
    let (plain, folded) = plain_and_streamed(&upstream, request()).await;
    assert_eq!(
        plain.choices[0].message.reasoning_content.as_deref(),
        Some("Six times seven.")
    );
    assert_eq!(
        folded.choices[0].message.reasoning_content,
        plain.choices[0].message.reasoning_content
    );
    assert_eq!(folded.choices[0].message.content.as_deref(), Some("42."));
}

#[tokio::test]
async fn response_format_is_cohere_json_mode() {
    let upstream = upstream().await;
    upstream.push(Reply::content(r#"{"city":"Paris"}"#));
    let mut req = request();
    let schema = json!({"type": "object", "properties": {"city": {"type": "string"}}});
    req.response_format = Some(ResponseFormat::JsonSchema {
        json_schema: JsonSchemaFormat {
            name: "city".into(),
            schema: Some(schema.clone()),
            ..JsonSchemaFormat::default()
        },
    });
    let response = Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some(r#"{"city":"Paris"}"#)
    );
    assert_eq!(
        upstream
            .last_request()
            .unwrap()
            .json_field("response_format"),
        Some(&json!({"type": "json_object", "json_schema": schema}))
    );
}

#[tokio::test]
async fn coheres_own_wordings_and_statuses_are_their_error_kind() {
    let cases = [
        (
            Reply::error(ApiError::new(
                400,
                "invalid request: too many tokens: size limit exceeded",
            )),
            ErrorKind::ContextWindowExceeded,
            1,
        ),
        (
            Reply::error(ApiError::new(400, "invalid request: temperature")),
            ErrorKind::BadRequest,
            1,
        ),
        (
            Reply::error(ApiError::new(498, "invalid token")),
            ErrorKind::Authentication,
            1,
        ),
    ];
    for (reply, kind, attempts) in cases {
        let upstream = upstream().await;
        upstream.set_default_reply(reply);
        let opts = CallOptions {
            num_retries: Some(1),
            ..options(&upstream)
        };
        let err = Client::new()
            .completion(request(), &opts)
            .await
            .unwrap_err();
        assert_eq!(err.kind, kind, "{err}");
        assert_eq!(upstream.request_count(), attempts, "{kind:?}");
        assert_eq!(err.provider.as_deref(), Some("cohere_chat"));
    }
    let upstream = upstream().await;
    upstream.push(Reply::rate_limited().with_retry_after_ms(5));
    upstream.push(Reply::content("ok"));
    let response = Client::new()
        .completion(request(), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(response.choices[0].message.content.as_deref(), Some("ok"));
    let opts = CallOptions {
        api_key: Some("wrong".into()),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request(), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication);
}

#[tokio::test]
async fn embeddings_round_trip_with_cost() {
    let upstream = upstream().await;
    let req = EmbeddingRequest::new(
        "cohere/embed-english-v3.0",
        vec!["a cat".into(), "a dog".into()],
    );
    let response = Client::new()
        .embedding(req, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(response.data.len(), 2);
    assert!(matches!(&response.data[1].embedding, EmbeddingVector::Float(v) if v.len() == 1024));
    let tokens = response.usage.as_ref().unwrap().prompt_tokens as f64;
    assert!(tokens > 0.0);
    assert!(
        (response.cost.unwrap() - tokens * 1e-7).abs() < 1e-15,
        "{:?}",
        response.cost
    );
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v2/embed");
    assert_eq!(
        sent.json_field("input_type"),
        Some(&json!("search_document"))
    );
    assert_eq!(sent.json_field("embedding_types"), Some(&json!(["float"])));
}
