#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bedrock Converse through the SDK against the testkit's fake Bedrock, on
//! real sockets, with every request's SigV4 signature checked by the fake.

use std::time::Duration;

use futures_util::StreamExt;
use llmrelay::types::StreamOptions;
use llmrelay::{CallOptions, ChatRequest, Client, EmbeddingRequest, ErrorKind, Message};
use llmrelay_testkit::{ApiError, FakeBedrock, Reply, ToolCall, Usage};
use serde_json::json;

const MODEL: &str = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

async fn fake() -> FakeBedrock {
    FakeBedrock::builder()
        .require_api_key(SECRET)
        .start()
        .await
        .unwrap()
}

fn options(upstream: &FakeBedrock) -> CallOptions {
    CallOptions {
        api_base: Some(upstream.base_url()),
        aws: llmrelay::AwsOptions {
            access_key_id: Some("AKIDEXAMPLE".into()),
            secret_access_key: Some(SECRET.into()),
            region_name: Some("us-east-1".into()),
            ..llmrelay::AwsOptions::default()
        },
        retry_backoff: Some(Duration::from_millis(1)),
        ..CallOptions::default()
    }
}

fn request() -> ChatRequest {
    ChatRequest::new(
        MODEL,
        vec![
            Message::system("Be brief."),
            Message::user("Capital of France?"),
        ],
    )
}

#[tokio::test]
async fn converse_is_signed_and_translated() {
    let upstream = fake().await;
    upstream.push(
        Reply::content("Paris.").with_usage(
            Usage::new(1500, 10)
                .with_cached_tokens(1000)
                .with_cache_creation_tokens(300),
        ),
    );
    let response = Client::new()
        .completion(request(), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(response.choices[0].finish_reason.as_deref(), Some("stop"));
    let usage = response.usage.clone().unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (1500, 10));
    let details = usage.prompt_tokens_details.clone().unwrap();
    assert_eq!(
        (details.cached_tokens, details.cache_creation_tokens),
        (1000, Some(300))
    );
    // The cost is the catalog's pricing of exactly those tokens.
    let info = llmrelay::model_info(MODEL).unwrap();
    let expected = 200.0 * info.price("input_cost_per_token").unwrap()
        + 1000.0 * info.price("cache_read_input_token_cost").unwrap()
        + 300.0 * info.price("cache_creation_input_token_cost").unwrap()
        + 10.0 * info.price("output_cost_per_token").unwrap();
    assert!(
        (response.cost.unwrap() - expected).abs() < 1e-12,
        "{:?} vs {expected}",
        response.cost
    );

    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.path,
        "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
    );
    assert!(sent
        .header("authorization")
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assert_eq!(
        sent.json_field("system"),
        Some(&json!([{"text": "Be brief."}]))
    );
    assert_eq!(
        sent.json_field("messages").unwrap()[0]["content"][0]["text"],
        "Capital of France?"
    );
}

#[tokio::test]
async fn a_wrong_secret_fails_the_signature_check() {
    let upstream = fake().await;
    let base = options(&upstream);
    let opts = CallOptions {
        aws: llmrelay::AwsOptions {
            secret_access_key: Some("not-the-secret-key".into()),
            ..base.aws.clone()
        },
        ..base
    };
    let err = Client::new()
        .completion(request(), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied, "{err}");
    assert!(err.message.contains("signature"), "{err}");
    assert!(!err.message.contains("not-the-secret-key"));
}

#[tokio::test]
async fn streamed_and_unstreamed_agree_with_tool_calls() {
    let upstream = fake().await;
    let reply = || {
        Reply::content("Checking.")
            .and_tool_call(
                ToolCall::new("get_weather", &json!({"city": "Paris", "unit": "c"}))
                    .with_id("tu_1"),
            )
            .with_usage(Usage::new(40, 12))
    };
    upstream.push(reply());
    upstream.push(reply().split_into(4));
    let client = Client::new();
    let plain = client
        .completion(request(), &options(&upstream))
        .await
        .unwrap();
    let mut req = request();
    req.stream_options = Some(StreamOptions {
        include_usage: Some(true),
        ..StreamOptions::default()
    });
    let stream = client
        .completion_stream(req, &options(&upstream))
        .await
        .unwrap();
    let chunks: Vec<_> = stream
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let folded = llmrelay::stream_chunk_builder(&chunks).unwrap();
    assert_eq!(
        upstream.last_request().unwrap().path,
        "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream"
    );
    let (a, b) = (&plain.choices[0], &folded.choices[0]);
    assert_eq!(a.message.content, b.message.content);
    assert_eq!(a.message.tool_calls, b.message.tool_calls);
    assert_eq!(a.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(a.finish_reason, b.finish_reason);
    assert_eq!(
        plain.usage.as_ref().unwrap().total_tokens,
        folded.usage.as_ref().unwrap().total_tokens
    );
    let args: serde_json::Value =
        serde_json::from_str(&a.message.tool_calls.as_ref().unwrap()[0].function.arguments)
            .unwrap();
    assert_eq!(args, json!({"city": "Paris", "unit": "c"}));
}

#[tokio::test]
async fn throttling_is_a_retried_rate_limit() {
    let upstream = fake().await;
    upstream.push(Reply::rate_limited());
    upstream.push(Reply::content("ok"));
    let response = Client::new()
        .completion(request(), &options(&upstream))
        .await
        .unwrap();
    assert_eq!(response.choices[0].message.content.as_deref(), Some("ok"));
    assert_eq!(
        upstream.request_count(),
        2,
        "each retry is signed afresh and accepted"
    );

    upstream.push(Reply::rate_limited());
    let opts = CallOptions {
        num_retries: Some(0),
        ..options(&upstream)
    };
    let err = Client::new()
        .completion(request(), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
}

#[tokio::test]
async fn context_window_and_stream_exceptions_are_typed() {
    let upstream = fake().await;
    upstream.push(Reply::context_length_exceeded(200_000, 250_000));
    let err = Client::new()
        .completion(request(), &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContextWindowExceeded, "{err}");

    upstream.push(
        Reply::content("one two three")
            .split_into(3)
            .error_after(2, ApiError::rate_limited()),
    );
    let items: Vec<_> = Client::new()
        .completion_stream(request(), &options(&upstream))
        .await
        .unwrap()
        .collect()
        .await;
    let err = items.into_iter().find_map(Result::err).unwrap();
    assert_eq!(err.kind, ErrorKind::RateLimit, "{err}");

    upstream.push(Reply::malformed_json());
    let items: Vec<_> = Client::new()
        .completion_stream(request(), &options(&upstream))
        .await
        .unwrap()
        .collect()
        .await;
    let err = items.into_iter().find_map(Result::err).unwrap();
    assert_eq!(
        err.kind,
        ErrorKind::ApiConnection,
        "a frame with a bad CRC: {err}"
    );

    upstream.push(Reply::content("one two three").split_into(3).close_after(2));
    let items: Vec<_> = Client::new()
        .completion_stream(request(), &options(&upstream))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(
        items.last().unwrap().as_ref().unwrap_err().kind,
        ErrorKind::ApiConnection
    );
}

#[tokio::test]
async fn response_format_is_a_forced_tool_answered_as_content() {
    let upstream = fake().await;
    upstream.push(Reply::tool_call(ToolCall::new(
        "json_response",
        &json!({"name": "Paris"}),
    )));
    let mut req = request();
    req.response_format = Some(serde_json::from_value(json!({"type": "json_schema", "json_schema": {"name": "city", "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}})).unwrap());
    let response = Client::new()
        .completion(req, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some(r#"{"name":"Paris"}"#)
    );
    assert!(response.choices[0].message.tool_calls.is_none());
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.json_field("toolConfig").unwrap()["toolChoice"],
        json!({"tool": {"name": "json_response"}})
    );
}

#[tokio::test]
async fn titan_and_cohere_embeddings_through_invoke_model() {
    let upstream = fake().await;
    let titan = EmbeddingRequest::new(
        "bedrock/amazon.titan-embed-text-v2:0",
        vec!["hello world".into()],
    );
    let r = Client::new()
        .embedding(titan, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(r.data.len(), 1);
    assert!(r.usage.as_ref().unwrap().prompt_tokens > 0);
    assert!(r.cost.is_some());
    assert_eq!(
        upstream.last_request().unwrap().json_field("inputText"),
        Some(&json!("hello world"))
    );

    let cohere = EmbeddingRequest::new(
        "bedrock/cohere.embed-english-v3",
        vec!["a".into(), "b".into()],
    );
    let r = Client::new()
        .embedding(cohere, &options(&upstream))
        .await
        .unwrap();
    assert_eq!(r.data.len(), 2);
    assert_eq!(
        upstream.last_request().unwrap().json_field("input_type"),
        Some(&json!("search_document"))
    );

    let two = EmbeddingRequest::new(
        "bedrock/amazon.titan-embed-text-v2:0",
        vec!["a".into(), "b".into()],
    );
    let err = Client::new()
        .embedding(two, &options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
}

/// One test owns this process's AWS environment variables, so no other test
/// of this binary can see them half-set.
#[tokio::test]
async fn credentials_come_from_the_shared_file_profile_or_fail_clearly() {
    std::env::remove_var("AWS_ACCESS_KEY_ID");
    std::env::remove_var("AWS_SECRET_ACCESS_KEY");
    std::env::remove_var("AWS_PROFILE");
    let upstream = fake().await;
    let dir = std::env::temp_dir().join(format!("llmrelay-aws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        format!("[default]\naws_access_key_id = WRONG\naws_secret_access_key = wrong\n\n[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = {SECRET}\n"),
    )
    .unwrap();
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &file);
    let opts = CallOptions {
        api_base: Some(upstream.base_url()),
        aws: llmrelay::AwsOptions {
            region_name: Some("eu-west-1".into()),
            profile_name: Some("work".into()),
            ..llmrelay::AwsOptions::default()
        },
        ..CallOptions::default()
    };
    Client::new().completion(request(), &opts).await.unwrap();
    let authz = upstream
        .last_request()
        .unwrap()
        .header("authorization")
        .unwrap()
        .to_string();
    assert!(
        authz.contains("Credential=AKIDWORK/") && authz.contains("/eu-west-1/bedrock/"),
        "{authz}"
    );

    // The default profile's key is wrong: the fake's signature check refuses it.
    let opts = CallOptions {
        aws: llmrelay::AwsOptions {
            profile_name: None,
            ..opts.aws.clone()
        },
        ..opts
    };
    let err = Client::new()
        .completion(request(), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::PermissionDenied, "{err}");

    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("missing"));
    let err = Client::new()
        .completion(request(), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication, "{err}");
    assert!(err.message.contains("AWS_ACCESS_KEY_ID"), "{err}");
}
