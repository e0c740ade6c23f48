#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The SDK against the testkit's fake Gemini (AI Studio URLs), on real sockets.

mod harness;

use std::time::Duration;

use futures_util::StreamExt;
use harness::{catalog_cost, request, weather_tool};
use llmrelay::types::{JsonSchemaFormat, ResponseFormat, ToolChoice, ToolChoiceMode};
use llmrelay::{CallOptions, Client, EmbeddingRequest, ErrorKind, Message};
use llmrelay_testkit::{ApiError, FakeGemini, Reply, ToolCall, Usage};
use serde_json::{json, Value};

const KEY: &str = "AIzaSy-test-secret-key-123456";
const MODEL: &str = "gemini/gemini-2.5-pro";

fn options(upstream: &FakeGemini) -> CallOptions {
    harness::options(upstream.base_url(), KEY)
}

/// What the catalog says `usage` costs on `model`: the figure every response must carry.
#[tokio::test]
async fn completion_sends_gemini_wire_format_and_prices_the_answer() {
    let upstream = FakeGemini::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap();
    upstream.push(Reply::content("Paris.").with_usage(Usage::new(1000, 500)));
    let response = Client::new()
        .completion(request(MODEL), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(response.choices[0].finish_reason.as_deref(), Some("stop"));
    assert_eq!(response.model, "gemini-2.5-pro");
    let usage = response.usage.as_ref().unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (1000, 500, 1500)
    );
    let expected = 1000.0 * 1.25e-6 + 500.0 * 1e-5;
    assert!(
        (response.cost.unwrap() - expected).abs() < 1e-12,
        "{:?}",
        response.cost
    );

    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v1beta/models/gemini-2.5-pro:generateContent");
    assert_eq!(sent.query, None, "the key never travels in the URL");
    assert_eq!(sent.header("x-goog-api-key"), Some(KEY));
    assert_eq!(
        sent.body.unwrap(),
        json!({
            "contents": [{"role": "user", "parts": [{"text": "What is the capital of France?"}]}],
            "systemInstruction": {"parts": [{"text": "Be brief."}]}
        })
    );
}

#[tokio::test]
async fn streamed_and_unstreamed_answers_agree_with_thoughts_tools_usage_and_cost() {
    let upstream = FakeGemini::start().await.unwrap();
    let usage = Usage::new(3000, 900)
        .with_cached_tokens(2000)
        .with_reasoning_tokens(300);
    let reply = || {
        Reply::content("It is sunny in Paris today.")
            .with_reasoning("The user wants the weather.")
            .and_tool_call(ToolCall::new("get_weather", &json!({"city": "Paris"})))
            .and_tool_call(ToolCall::new("get_time", &json!({"tz": "Europe/Paris"})))
            .with_usage(usage)
    };
    upstream.push(reply());
    upstream.push(reply().split_into(4));
    let client = Client::new();
    let mut req = request(MODEL);
    req.tools = Some(vec![weather_tool()]);
    let plain = client
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap();
    let chunks: Vec<_> = client
        .completion_stream(req, &options(&upstream))
        .await
        .unwrap()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        chunks.len() >= 8,
        "the answer arrives in pieces: {}",
        chunks.len()
    );
    assert!(upstream
        .last_request()
        .unwrap()
        .path
        .ends_with(":streamGenerateContent"));
    assert_eq!(
        upstream.last_request().unwrap().query.as_deref(),
        Some("alt=sse")
    );
    let folded = llmrelay::stream_chunk_builder(&chunks).unwrap();
    let (p, f) = (&plain.choices[0], &folded.choices[0]);
    assert_eq!(
        p.message.content.as_deref(),
        Some("It is sunny in Paris today.")
    );
    assert_eq!(f.message.content, p.message.content);
    assert_eq!(
        f.message.reasoning_content.as_deref(),
        Some("The user wants the weather.")
    );
    assert_eq!(f.message.reasoning_content, p.message.reasoning_content);
    let names = |m: &llmrelay::types::ResponseMessage| {
        m.tool_calls
            .iter()
            .flatten()
            .map(|c| {
                (
                    c.function.name.clone(),
                    serde_json::from_str::<Value>(&c.function.arguments).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&f.message), names(&p.message));
    assert_eq!(
        names(&p.message)[1],
        ("get_time".into(), json!({"tz": "Europe/Paris"}))
    );
    assert_eq!(p.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(f.finish_reason, p.finish_reason);
    assert_eq!(folded.usage, plain.usage);
    let u = plain.usage.as_ref().unwrap();
    assert_eq!((u.prompt_tokens, u.completion_tokens), (3000, 900));
    assert_eq!(
        u.prompt_tokens_details.as_ref().unwrap().cached_tokens,
        2000
    );
    assert_eq!(
        u.completion_tokens_details
            .as_ref()
            .unwrap()
            .reasoning_tokens,
        300
    );
    assert_eq!(
        llmrelay::completion_cost(&folded, Some(MODEL)).unwrap(),
        plain.cost.unwrap()
    );
}

#[tokio::test]
async fn cached_and_thought_tokens_are_priced_as_the_catalog_prices_them() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(
        Reply::content("ok").with_usage(
            Usage::new(10_000, 2_500)
                .with_cached_tokens(8_000)
                .with_reasoning_tokens(2_000),
        ),
    );
    let response = Client::new()
        .completion(request(MODEL), &options(&upstream))
        .await
        .unwrap();
    let usage = response.usage.as_ref().unwrap();
    // 2,000 fresh input, 8,000 cached reads, 2,500 output (500 text + 2,000 thoughts).
    let by_hand = 2_000.0 * 1.25e-6 + 8_000.0 * 1.25e-7 + 2_500.0 * 1e-5;
    assert!(
        (response.cost.unwrap() - by_hand).abs() < 1e-12,
        "{:?}",
        response.cost
    );
    assert!((response.cost.unwrap() - catalog_cost(MODEL, usage)).abs() < 1e-15);
}

#[tokio::test]
async fn a_function_call_round_trip_replays_the_call_and_its_signature() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(Reply::tool_call(ToolCall::new(
        "get_weather",
        &json!({"city": "Paris"}),
    )));
    upstream.push(Reply::content("14°C and sunny."));
    let client = Client::new();
    let mut req = request(MODEL);
    req.tools = Some(vec![weather_tool()]);
    req.tool_choice = Some(ToolChoice::Mode(ToolChoiceMode::Required));
    let first = client
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap();
    let calls = first.choices[0].message.tool_calls.clone().unwrap();
    assert_eq!(
        first.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    assert_eq!(first.choices[0].message.content, None);

    let mut assistant = Message {
        role: llmrelay::Role::Assistant,
        tool_calls: Some(calls.clone()),
        ..Message::default()
    };
    assistant.content = None;
    req.messages.push(assistant);
    req.messages.push(Message {
        role: llmrelay::Role::Tool,
        tool_call_id: Some(calls[0].id.clone()),
        content: Some(llmrelay::types::Content::Text(r#"{"temp_c": 14}"#.into())),
        ..Message::default()
    });
    let second = client.completion(req, &options(&upstream)).await.unwrap();
    assert_eq!(
        second.choices[0].message.content.as_deref(),
        Some("14°C and sunny.")
    );

    let body = upstream.last_request().unwrap().body.unwrap();
    assert_eq!(
        body["toolConfig"],
        json!({"functionCallingConfig": {"mode": "ANY"}})
    );
    assert_eq!(
        body["tools"][0]["functionDeclarations"][0]["parameters"],
        json!({"type": "OBJECT", "properties": {"city": {"type": "STRING"}}, "required": ["city"]})
    );
    let contents = body["contents"].as_array().unwrap();
    assert_eq!(contents.len(), 3);
    assert_eq!(contents[1]["role"], "model");
    assert_eq!(
        contents[1]["parts"][0]["functionCall"],
        json!({"name": "get_weather", "args": {"city": "Paris"}})
    );
    assert_eq!(
        contents[1]["parts"][0]["thoughtSignature"], "ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ==",
        "Gemini's signature comes back with the call"
    );
    assert_eq!(
        contents[2],
        json!({"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"temp_c": 14}}}]})
    );
}

#[tokio::test]
async fn json_schema_becomes_gemini_structured_output() {
    let upstream = FakeGemini::start().await.unwrap();
    let schema = json!({"type": "object", "properties": {"capital": {"type": "string"}},
                        "required": ["capital"], "additionalProperties": false});
    let mut req = request(MODEL);
    req.response_format = Some(ResponseFormat::JsonSchema {
        json_schema: JsonSchemaFormat {
            name: "answer".into(),
            schema: Some(schema.clone()),
            strict: Some(true),
            ..JsonSchemaFormat::default()
        },
    });
    upstream.push(Reply::content(r#"{"capital": "Paris"}"#));
    let response = Client::new()
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some(r#"{"capital": "Paris"}"#)
    );
    let config = upstream
        .last_request()
        .unwrap()
        .json_field("generationConfig")
        .cloned()
        .unwrap();
    assert_eq!(
        config,
        json!({"responseMimeType": "application/json", "responseJsonSchema": schema})
    );

    // Gemini 1.5 takes the OpenAPI subset in `responseSchema`.
    req.model = "gemini/gemini-1.5-pro".into();
    Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap();
    let config = upstream
        .last_request()
        .unwrap()
        .json_field("generationConfig")
        .cloned()
        .unwrap();
    assert_eq!(
        config["responseSchema"],
        json!({"type": "OBJECT", "propertyOrdering": ["capital"],
               "properties": {"capital": {"type": "STRING"}}, "required": ["capital"]})
    );
}

#[tokio::test]
async fn safety_stops_are_content_filter_and_blocked_prompts_are_errors() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(Reply::content("").with_finish_reason("SAFETY"));
    upstream.push(Reply::content("").with_finish_reason("SAFETY"));
    upstream.push(Reply::content_filter());
    upstream.push(Reply::content_filter());
    let client = Client::new();
    let plain = client
        .completion(request(MODEL), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        plain.choices[0].finish_reason.as_deref(),
        Some("content_filter")
    );
    assert_eq!(plain.choices[0].message.content, None);
    let folded = client
        .completion_stream(request(MODEL), &options(&upstream))
        .await
        .unwrap()
        .collect_response()
        .await
        .unwrap();
    assert_eq!(
        folded.choices[0].finish_reason.as_deref(),
        Some("content_filter")
    );

    let err = client
        .completion(request(MODEL), &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContentPolicyViolation);
    let mut stream = client
        .completion_stream(request(MODEL), &options(&upstream))
        .await
        .unwrap();
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContentPolicyViolation);
    assert_eq!(
        upstream.request_count(),
        4,
        "content refusals are not retried"
    );
}

#[tokio::test]
async fn googles_own_wordings_and_statuses_are_their_error_kind() {
    let upstream = FakeGemini::start().await.unwrap();
    let client = Client::new();
    let cases = [
        (
            Reply::context_length_exceeded(1_048_576, 1_200_000),
            ErrorKind::ContextWindowExceeded,
        ),
        (Reply::invalid_api_key(), ErrorKind::Authentication),
        (
            Reply::error(ApiError::new(
                403,
                "Generative Language API has not been used in project 1",
            )),
            ErrorKind::PermissionDenied,
        ),
        (
            Reply::error(ApiError::new(400, "Invalid value at 'contents'")),
            ErrorKind::BadRequest,
        ),
    ];
    for (reply, kind) in cases {
        upstream.push(reply);
        let before = upstream.request_count();
        let err = client
            .completion(request(MODEL), &options(&upstream))
            .await
            .unwrap_err();
        assert_eq!(err.kind, kind, "{err}");
        assert_eq!(
            upstream.request_count() - before,
            1,
            "4xx are never retried: {err}"
        );
        assert!(!err.message.contains(KEY));
    }
}

#[tokio::test]
async fn a_wrong_key_is_an_authentication_error() {
    let upstream = FakeGemini::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap();
    let wrong = CallOptions {
        api_key: Some("AIza-wrong-key-000000".into()),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request(MODEL), &wrong)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication);
    assert_eq!(
        err.upstream_status,
        Some(400),
        "Gemini answers a bad key with 400"
    );
    assert!(!err.message.contains("AIza-wrong-key-000000"));
}

#[tokio::test]
async fn rate_limits_and_overloads_are_retried() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(Reply::rate_limited());
    upstream.push(Reply::service_unavailable());
    upstream.push(Reply::content("Paris."));
    let response = Client::new()
        .completion(request(MODEL), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(upstream.request_count(), 3);

    upstream.push(Reply::rate_limited());
    upstream.push(Reply::rate_limited());
    let err = Client::new()
        .completion(
            request(MODEL),
            &CallOptions {
                num_retries: Some(1),
                ..options(&upstream)
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert_eq!(upstream.request_count(), 5);
}

#[tokio::test]
async fn broken_streams_are_typed_errors() {
    let upstream = FakeGemini::start().await.unwrap();
    let client = Client::new();
    let collect = |options: CallOptions| {
        let client = client.clone();
        async move {
            client
                .completion_stream(request(MODEL), &options)
                .await?
                .collect_response()
                .await
        }
    };
    upstream.push(Reply::content("one two three four").close_after(2));
    assert_eq!(
        collect(options(&upstream)).await.unwrap_err().kind,
        ErrorKind::ApiConnection
    );
    upstream.push(Reply::malformed_json());
    assert_eq!(
        collect(options(&upstream)).await.unwrap_err().kind,
        ErrorKind::InternalServer
    );
    upstream.push(Reply::content("one two three").error_after(1, ApiError::service_unavailable()));
    let err = collect(options(&upstream)).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::ServiceUnavailable);
    upstream.push(Reply::content("one two").stall_after(1));
    let idle = CallOptions {
        stream_idle_timeout: Some(Duration::from_millis(200)),
        ..options(&upstream)
    };
    assert_eq!(collect(idle).await.unwrap_err().kind, ErrorKind::Timeout);
}

#[tokio::test]
async fn bad_input_fails_before_the_network() {
    let upstream = FakeGemini::start().await.unwrap();
    let client = Client::new();
    let mut req = request(MODEL);
    req.messages.push(
        serde_json::from_value(json!({"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "file:///etc/passwd"}}]}))
        .unwrap(),
    );
    let err = client
        .completion(req, &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    let mut req = request(MODEL);
    req.messages.push(
        serde_json::from_value(json!({"role": "assistant", "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"city\": "}}]}))
        .unwrap(),
    );
    let err = client
        .completion(req, &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert_eq!(upstream.request_count(), 0);
}

#[tokio::test]
async fn embeddings_one_and_many() {
    let upstream = FakeGemini::start().await.unwrap();
    let client = Client::new();
    let mut one = EmbeddingRequest::new("gemini/gemini-embedding-001", vec!["hello".into()]);
    one.dimensions = Some(16);
    let response = client.embedding(one, &options(&upstream)).await.unwrap();
    assert_eq!(response.data.len(), 1);
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.path,
        "/v1beta/models/gemini-embedding-001:embedContent"
    );
    assert_eq!(sent.json_field("outputDimensionality"), Some(&json!(16)));
    match &response.data[0].embedding {
        llmrelay::types::EmbeddingVector::Float(v) => assert_eq!(v.len(), 16),
        other => panic!("{other:?}"),
    }
    let many = EmbeddingRequest::new(
        "gemini/gemini-embedding-001",
        vec!["a".into(), "b".into(), "c".into()],
    );
    let response = client.embedding(many, &options(&upstream)).await.unwrap();
    assert_eq!(response.data.len(), 3);
    assert_eq!(response.data[2].index, 2);
    assert!(upstream
        .last_request()
        .unwrap()
        .path
        .ends_with(":batchEmbedContents"));
}
