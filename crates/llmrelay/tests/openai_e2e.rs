#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The SDK against the testkit's fake OpenAI upstream, on real sockets.

mod harness;

use std::time::Duration;

use futures_util::StreamExt;
use harness::request;
use llmrelay::types::{FunctionDefinition, StreamOptions, Tool};
use llmrelay::{CallOptions, ChatRequest, Client, EmbeddingRequest, ErrorKind};
use llmrelay_testkit::{ApiError, FakeOpenAi, Reply, ToolCall, Usage};
use serde_json::json;

const KEY: &str = "sk-test-secret-key-123456";

fn options(upstream: &FakeOpenAi) -> CallOptions {
    harness::options(upstream.base_url(), KEY)
}

fn streamed(mut request: ChatRequest) -> ChatRequest {
    request.stream_options = Some(StreamOptions {
        include_usage: Some(true),
        ..StreamOptions::default()
    });
    request
}

#[tokio::test]
async fn completion_sends_openai_wire_format_and_prices_the_answer() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream
        .push(Reply::content("Paris.").with_usage(Usage::new(1000, 500).with_cached_tokens(400)));
    let client = Client::new();
    let response = client
        .completion(request("openai/gpt-4o"), &options(&upstream))
        .await
        .unwrap();

    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(response.choices[0].finish_reason.as_deref(), Some("stop"));
    let usage = response.usage.as_ref().unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (1000, 500));
    assert_eq!(
        usage.prompt_tokens_details.as_ref().unwrap().cached_tokens,
        400
    );
    let expected = 600.0 * 2.5e-6 + 400.0 * 1.25e-6 + 500.0 * 1e-5;
    assert!(
        (response.cost.unwrap() - expected).abs() < 1e-12,
        "{:?}",
        response.cost
    );

    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.bearer_token(), Some(KEY));
    assert_eq!(
        sent.json_field("model"),
        Some(&json!("gpt-4o")),
        "provider prefix is stripped"
    );
    assert_eq!(sent.json_field("messages").unwrap()[0]["role"], "system");
}

#[tokio::test]
async fn unknown_fields_pass_through_both_ways() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let mut req = request("gpt-4o");
    req.extra.insert(
        "prediction".into(),
        json!({"type": "content", "content": "x"}),
    );
    let response = Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        upstream
            .last_request()
            .unwrap()
            .json_field("prediction")
            .unwrap()["content"],
        "x"
    );
    assert!(
        response.system_fingerprint.is_some()
            || !response.extra.is_empty()
            || response.id.starts_with("chatcmpl")
    );
}

#[tokio::test]
async fn streamed_and_unstreamed_answers_agree() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let usage = Usage::new(12, 6);
    upstream.push(Reply::content("The capital is Paris.").with_usage(usage));
    upstream.push(
        Reply::content("The capital is Paris.")
            .with_usage(usage)
            .split_into(5),
    );
    let client = Client::new();
    let plain = client
        .completion(request("gpt-4o"), &options(&upstream))
        .await
        .unwrap();
    let stream = client
        .completion_stream(streamed(request("gpt-4o")), &options(&upstream))
        .await
        .unwrap();
    let chunks: Vec<_> = stream
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        chunks.len() >= 6,
        "the answer arrives in pieces: {}",
        chunks.len()
    );
    let folded = llmrelay::stream_chunk_builder(&chunks).unwrap();
    assert_eq!(
        folded.choices[0].message.content,
        plain.choices[0].message.content
    );
    assert_eq!(
        folded.choices[0].finish_reason,
        plain.choices[0].finish_reason
    );
    assert_eq!(
        folded.usage.as_ref().map(|u| u.total_tokens),
        plain.usage.as_ref().map(|u| u.total_tokens)
    );
    assert_eq!(
        llmrelay::completion_cost(&folded, Some("gpt-4o")).unwrap(),
        plain.cost.unwrap()
    );
    assert_eq!(
        upstream.last_request().unwrap().json_field("stream"),
        Some(&json!(true))
    );
}

#[tokio::test]
async fn parallel_tool_calls_agree_streamed_and_not() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let calls = || {
        [
            ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("call_a"),
            ToolCall::new("get_time", &json!({"tz": "Europe/Paris"})).with_id("call_b"),
        ]
    };
    upstream.push(Reply::tool_calls(calls()));
    upstream.push(Reply::tool_calls(calls()));
    let mut req = request("gpt-4o");
    req.tools = Some(vec![Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: "get_weather".into(),
            parameters: Some(json!({"type": "object", "properties": {"city": {"type": "string"}}})),
            ..FunctionDefinition::default()
        },
        extra: Default::default(),
    }]);
    let client = Client::new();
    let plain = client
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap();
    let folded = client
        .completion_stream(req, &options(&upstream))
        .await
        .unwrap()
        .collect_response()
        .await
        .unwrap();
    let plain_calls = plain.choices[0].message.tool_calls.clone().unwrap();
    assert_eq!(plain_calls.len(), 2);
    assert_eq!(plain_calls[0].function.name, "get_weather");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&plain_calls[0].function.arguments).unwrap()
            ["city"],
        "Paris"
    );
    assert_eq!(folded.choices[0].message.tool_calls, Some(plain_calls));
    assert_eq!(
        folded.choices[0].message.content,
        plain.choices[0].message.content
    );
    assert_eq!(
        folded.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
}

#[tokio::test]
async fn retries_honour_retry_after_then_succeed() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::rate_limited().with_retry_after_ms(5));
    upstream.push(Reply::server_error());
    upstream.push(Reply::content("ok"));
    let response = Client::new()
        .completion(request("gpt-4o"), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(response.choices[0].message.content.as_deref(), Some("ok"));
    assert_eq!(upstream.request_count(), 3);
}

#[tokio::test]
async fn retries_stop_at_num_retries() {
    let upstream = FakeOpenAi::start().await.unwrap();
    for _ in 0..5 {
        upstream.push(Reply::service_unavailable());
    }
    let opts = CallOptions {
        num_retries: Some(1),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request("gpt-4o"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ServiceUnavailable);
    assert_eq!(err.upstream_status, Some(503));
    assert_eq!(upstream.request_count(), 2);
}

#[tokio::test]
async fn rate_limit_error_carries_retry_after() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::rate_limited().with_retry_after_secs(7));
    let opts = CallOptions {
        num_retries: Some(0),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request("gpt-4o"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert_eq!(err.status(), 429);
    assert_eq!(err.retry_after, Some(Duration::from_secs(7)));
    assert_eq!(err.provider.as_deref(), Some("openai"));
    assert_eq!(err.model.as_deref(), Some("gpt-4o"));
}

#[tokio::test]
async fn client_errors_map_to_their_kind_and_are_never_retried() {
    let cases = [
        (
            Reply::context_length_exceeded(128_000, 200_000),
            ErrorKind::ContextWindowExceeded,
        ),
        (Reply::content_filter(), ErrorKind::ContentPolicyViolation),
        (Reply::invalid_api_key(), ErrorKind::Authentication),
        (Reply::model_not_found(), ErrorKind::NotFound),
        (
            Reply::error(ApiError::new(403, "forbidden")),
            ErrorKind::PermissionDenied,
        ),
        (
            Reply::error(ApiError::new(422, "unprocessable")),
            ErrorKind::UnprocessableEntity,
        ),
        (
            Reply::error(ApiError::new(400, "bad temperature")),
            ErrorKind::BadRequest,
        ),
    ];
    for (reply, kind) in cases {
        let upstream = FakeOpenAi::start().await.unwrap();
        upstream.push(reply);
        upstream.push(Reply::content("must not be reached"));
        let err = Client::new()
            .completion(request("gpt-4o"), &options(&upstream))
            .await
            .unwrap_err();
        assert_eq!(err.kind, kind, "{err}");
        assert_eq!(upstream.request_count(), 1, "{kind:?} must not be retried");
        assert!(!err.message.is_empty());
    }
}

#[tokio::test]
async fn an_error_event_mid_stream_is_typed() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(
        Reply::content("partial answer")
            .split_into(2)
            .error_after(1, ApiError::rate_limited()),
    );
    let stream = Client::new()
        .completion_stream(request("gpt-4o"), &options(&upstream))
        .await
        .unwrap();
    let items: Vec<_> = stream.collect().await;
    let err = items.into_iter().find_map(Result::err).unwrap();
    assert_eq!(err.kind, ErrorKind::RateLimit, "{err}");
}

#[tokio::test]
async fn openai_compatible_providers_are_data_renames_and_unsupported_params() {
    let upstream = FakeOpenAi::start().await.unwrap();
    // groq declares logprobs unsupported.
    let mut req = request("groq/llama-3.3-70b-versatile");
    req.logprobs = Some(true);
    let err = Client::new()
        .completion(req.clone(), &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
    assert!(err.message.contains("logprobs"), "{err}");
    assert_eq!(upstream.request_count(), 0, "rejected before sending");

    let opts = CallOptions {
        drop_params: Some(true),
        ..options(&upstream)
    };
    Client::new().completion(req, &opts).await.unwrap();
    let sent = upstream.last_request().unwrap();
    assert!(sent.json_field("logprobs").is_none());
    assert_eq!(
        sent.json_field("model"),
        Some(&json!("llama-3.3-70b-versatile"))
    );

    // publicai renames max_completion_tokens to max_tokens.
    let mut req = request("publicai/some-model");
    req.max_completion_tokens = Some(64);
    Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap();
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.json_field("max_tokens"), Some(&json!(64)));
    assert!(sent.json_field("max_completion_tokens").is_none());
}

#[tokio::test]
async fn embeddings_round_trip_with_cost() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let req = EmbeddingRequest::new("text-embedding-3-small", vec!["a".into(), "b".into()]);
    let response = Client::new()
        .embedding(req, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(response.data.len(), 2);
    assert_eq!(response.data[1].index, 1);
    assert!(
        matches!(&response.data[0].embedding, llmrelay::types::EmbeddingVector::Float(v) if !v.is_empty())
    );
    let tokens = response.usage.as_ref().unwrap().prompt_tokens as f64;
    assert!((response.cost.unwrap() - tokens * 2e-8).abs() < 1e-15);
    assert_eq!(upstream.last_request().unwrap().path, "/v1/embeddings");
}

#[tokio::test]
async fn mock_response_needs_no_network() {
    let opts = CallOptions {
        api_base: Some("http://127.0.0.1:9".into()),
        mock_response: Some("canned".into()),
        ..CallOptions::default()
    };
    let client = Client::new();
    let response = client.completion(request("gpt-4o"), &opts).await.unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("canned")
    );
    assert!(response.cost.unwrap() > 0.0);
    let folded = client
        .completion_stream(streamed(request("gpt-4o")), &opts)
        .await
        .unwrap()
        .collect_response()
        .await
        .unwrap();
    assert_eq!(folded.choices[0].message.content.as_deref(), Some("canned"));
    let opts = CallOptions {
        mock_response: Some("litellm.RateLimitError".into()),
        ..opts
    };
    assert_eq!(
        client
            .completion(request("gpt-4o"), &opts)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::RateLimit
    );
}

#[tokio::test]
async fn many_concurrent_streams_share_one_client() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.set_default_reply(Reply::content("a b c d e f g h").split_into(8));
    let client = Client::new();
    let opts = options(&upstream);
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            let opts = opts.clone();
            tokio::spawn(async move {
                client
                    .completion_stream(request("gpt-4o"), &opts)
                    .await?
                    .collect_response()
                    .await
            })
        })
        .collect();
    for task in tasks {
        let response = task.await.unwrap().unwrap();
        assert_eq!(
            response.choices[0].message.content.as_deref(),
            Some("a b c d e f g h")
        );
    }
    assert_eq!(upstream.request_count(), 200);
}

#[tokio::test]
async fn bad_requests_fail_before_the_network() {
    let client = Client::new();
    let opts = CallOptions::default();
    let err = client
        .completion(ChatRequest::new("gpt-4o", vec![]), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    let err = client
        .completion(request("gpt-4oo"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.suggestions().iter().any(|s| s == "gpt-4o"), "{err}");
    let err = client
        .completion(request("replicate/anthropic/claude-3.5-haiku"), &opts)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::BadRequest,
        "native providers arrive with their adapters: {err}"
    );
}

#[tokio::test]
async fn list_models_reads_the_upstream_list() {
    let upstream = FakeOpenAi::builder()
        .models(["gpt-4o", "gpt-4o-mini"])
        .start()
        .await
        .unwrap();
    let list = Client::new()
        .list_models("openai", &options(&upstream))
        .await
        .unwrap();
    let ids: Vec<&str> = list.data.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["gpt-4o", "gpt-4o-mini"]);
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/v1/models")
    );
}

#[tokio::test]
async fn a_call_that_outlives_its_timeout_is_a_timeout_error() {
    let upstream = FakeOpenAi::start().await.unwrap();
    for _ in 0..3 {
        upstream.push(Reply::hang());
    }
    let opts = CallOptions {
        timeout: Some(Duration::from_millis(100)),
        num_retries: Some(1),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request("gpt-4o"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
    assert_eq!(err.status(), 408);
    assert_eq!(upstream.request_count(), 2, "a timeout is retried");
}

#[tokio::test]
async fn azure_calls_deployment_urls_with_api_version_and_api_key_header() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let opts = CallOptions {
        api_base: Some(upstream.base_url().trim_end_matches("/v1").to_string()),
        api_version: Some("2024-10-21".into()),
        ..options(&upstream)
    };
    upstream.push(Reply::content("Hi from Azure."));
    let response = Client::new()
        .completion(request("azure/my-gpt4o"), &opts)
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Hi from Azure.")
    );
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/openai/deployments/my-gpt4o/chat/completions");
    assert_eq!(sent.query.as_deref(), Some("api-version=2024-10-21"));
    assert_eq!(sent.header("api-key"), Some(KEY));
    assert!(sent.header("authorization").is_none());
}

#[test]
fn call_options_debug_hides_every_secret() {
    let opts = CallOptions {
        api_key: Some("sk-visible?".into()),
        aws: llmrelay::AwsOptions {
            secret_access_key: Some("aws-secret-value".into()),
            session_token: Some("aws-session-value".into()),
            ..llmrelay::AwsOptions::default()
        },
        vertex: llmrelay::VertexOptions {
            credentials: Some("{\"private_key\": \"-----BEGIN\"}".into()),
            ..llmrelay::VertexOptions::default()
        },
        headers: vec![("authorization".into(), "Bearer hdr-secret".into())].into(),
        ..CallOptions::default()
    };
    let shown = format!("{opts:?}");
    for secret in [
        "sk-visible?",
        "aws-secret-value",
        "aws-session-value",
        "private_key",
        "hdr-secret",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("authorization"));
}
