#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The SDK against the testkit's fake Gemini on Vertex AI URLs, with OAuth2 service-account
//! tokens from the fake's token endpoint: all on loopback, no Google account involved.

use std::time::Duration;

use llmrelay::{
    CallOptions, ChatRequest, Client, EmbeddingRequest, ErrorKind, Message, ServiceTier,
};
use llmrelay_testkit::{FakeGemini, Reply, ToolCall, Usage, DEFAULT_ACCESS_TOKEN};
use serde_json::json;

const PROJECT: &str = "llmrelay-test";
const MODEL: &str = "vertex_ai/gemini-2.5-pro";
const TOKEN: &str = "ya29.test-bearer-token";

/// A call that brings its own bearer token: no OAuth at all.
fn with_token(upstream: &FakeGemini) -> CallOptions {
    CallOptions {
        api_base: Some(upstream.base_url()),
        api_key: Some(TOKEN.into()),
        vertex: llmrelay::VertexOptions {
            project: Some(PROJECT.into()),
            ..llmrelay::VertexOptions::default()
        },
        retry_backoff: Some(Duration::from_millis(1)),
        ..CallOptions::default()
    }
}

/// A call that authenticates with a service-account key whose token endpoint is the fake's.
fn with_service_account(upstream: &FakeGemini) -> CallOptions {
    CallOptions {
        api_base: Some(upstream.base_url()),
        vertex: llmrelay::VertexOptions {
            credentials: Some(upstream.service_account_json(PROJECT).into()),
            ..llmrelay::VertexOptions::default()
        },
        retry_backoff: Some(Duration::from_millis(1)),
        ..CallOptions::default()
    }
}

fn request(model: &str) -> ChatRequest {
    ChatRequest::new(
        model,
        vec![
            Message::system("Be brief."),
            Message::user("Capital of France?"),
        ],
    )
}

fn generate_path(location: &str, method: &str) -> String {
    format!("/v1/projects/{PROJECT}/locations/{location}/publishers/google/models/gemini-2.5-pro:{method}")
}

#[tokio::test]
async fn a_bearer_token_goes_straight_to_the_vertex_url() {
    let upstream = FakeGemini::builder()
        .require_api_key(TOKEN)
        .start()
        .await
        .unwrap();
    upstream
        .push(Reply::content("Paris.").with_usage(Usage::new(1000, 200).with_cached_tokens(600)));
    let response = Client::new()
        .completion(request(MODEL), &with_token(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    let expected = 400.0 * 1.25e-6 + 600.0 * 1.25e-7 + 200.0 * 1e-5;
    assert!(
        (response.cost.unwrap() - expected).abs() < 1e-12,
        "{:?}",
        response.cost
    );
    let requests = upstream.requests();
    assert_eq!(requests.len(), 1, "no token request");
    assert_eq!(
        requests[0].path,
        generate_path("us-central1", "generateContent")
    );
    assert_eq!(requests[0].bearer_token(), Some(TOKEN));
    assert_eq!(requests[0].header("x-goog-api-key"), None);
    assert_eq!(
        requests[0].json_field("contents").unwrap()[0]["role"],
        "user"
    );
}

#[tokio::test]
async fn a_service_account_key_is_exchanged_for_a_token_once() {
    // The fake issues this token and accepts no other.
    let upstream = FakeGemini::builder()
        .require_api_key("ya29.issued-by-fake")
        .start()
        .await
        .unwrap();
    let client = Client::new();
    let base = with_service_account(&upstream);
    let options = CallOptions {
        vertex: llmrelay::VertexOptions {
            location: Some("europe-west4".into()),
            ..base.vertex.clone()
        },
        ..base
    };
    for _ in 0..2 {
        let response = client.completion(request(MODEL), &options).await.unwrap();
        assert!(response.choices[0].message.content.is_some());
    }
    let requests = upstream.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let generate = generate_path("europe-west4", "generateContent");
    assert_eq!(
        paths,
        ["/token", &generate, &generate],
        "one token, cached for the second call"
    );
    let form = String::from_utf8_lossy(&requests[0].raw_body).into_owned();
    assert!(
        form.starts_with(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="
        ),
        "{form}"
    );
    assert_eq!(requests[1].bearer_token(), Some("ya29.issued-by-fake"));
    // The project came from the key file.
    assert!(requests[1].path.contains(&format!("/projects/{PROJECT}/")));
}

#[tokio::test]
async fn credentials_may_be_a_file_path() {
    let upstream = FakeGemini::start().await.unwrap();
    let path = std::env::temp_dir().join(format!("llmrelay-vertex-sa-{}.json", std::process::id()));
    std::fs::write(&path, upstream.service_account_json(PROJECT)).unwrap();
    let options = CallOptions {
        vertex: llmrelay::VertexOptions {
            credentials: Some(path.to_string_lossy().into_owned().into()),
            project: Some("explicit-project".into()),
            ..llmrelay::VertexOptions::default()
        },
        ..with_service_account(&upstream)
    };
    let result = Client::new().completion(request(MODEL), &options).await;
    let _ = std::fs::remove_file(&path);
    result.unwrap();
    let last = upstream.last_request().unwrap();
    assert_eq!(last.bearer_token(), Some(DEFAULT_ACCESS_TOKEN));
    assert!(
        last.path.starts_with("/v1/projects/explicit-project/"),
        "the option wins over the key's project"
    );
}

#[tokio::test]
async fn unusable_credentials_are_authentication_errors() {
    let upstream = FakeGemini::start().await.unwrap();
    let client = Client::new();
    let broken = CallOptions {
        vertex: llmrelay::VertexOptions {
            credentials: Some(r#"{"type": "service_account", "private_key": "nope"}"#.into()),
            ..llmrelay::VertexOptions::default()
        },
        ..with_service_account(&upstream)
    };
    let err = client
        .completion(request(MODEL), &broken)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication, "{err}");
    let missing = CallOptions {
        vertex: llmrelay::VertexOptions {
            credentials: Some("/nonexistent/llmrelay/key.json".into()),
            ..llmrelay::VertexOptions::default()
        },
        ..with_service_account(&upstream)
    };
    let err = client
        .completion(request(MODEL), &missing)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication, "{err}");
    // A key whose token endpoint refuses it.
    let refused = upstream.service_account_json(PROJECT).replace(
        &upstream.token_url(),
        &format!("{}/refuses", upstream.token_url()),
    );
    let refused = CallOptions {
        vertex: llmrelay::VertexOptions {
            credentials: Some(refused.into()),
            ..llmrelay::VertexOptions::default()
        },
        ..with_service_account(&upstream)
    };
    let err = client
        .completion(request(MODEL), &refused)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication, "{err}");
    assert!(
        upstream
            .requests()
            .iter()
            .all(|r| !r.path.contains(":generateContent")),
        "no model call without a token"
    );
    assert!(!err.message.contains("PRIVATE KEY"));
}

#[tokio::test]
async fn a_missing_project_fails_before_the_network() {
    let upstream = FakeGemini::start().await.unwrap();
    let options = CallOptions {
        vertex: llmrelay::VertexOptions {
            project: None,
            ..llmrelay::VertexOptions::default()
        },
        ..with_token(&upstream)
    };
    let err = Client::new()
        .completion(request(MODEL), &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("vertex_project"), "{}", err.message);
    assert_eq!(upstream.request_count(), 0);
}

#[tokio::test]
async fn streamed_and_plain_agree_on_vertex() {
    let upstream = FakeGemini::start().await.unwrap();
    let reply = || {
        Reply::content("Paris is the capital.")
            .with_reasoning("Easy one.")
            .and_tool_call(ToolCall::new("lookup", &json!({"q": "Paris"})))
            .with_usage(Usage::new(50, 30).with_reasoning_tokens(10))
    };
    upstream.push(reply());
    upstream.push(reply().split_into(3));
    let client = Client::new();
    let plain = client
        .completion(request(MODEL), &with_token(&upstream))
        .await
        .unwrap();
    let folded = client
        .completion_stream(request(MODEL), &with_token(&upstream))
        .await
        .unwrap()
        .collect_response()
        .await
        .unwrap();
    let last = upstream.last_request().unwrap();
    assert_eq!(
        last.path,
        generate_path("us-central1", "streamGenerateContent")
    );
    assert_eq!(last.query.as_deref(), Some("alt=sse"));
    let (p, f) = (&plain.choices[0].message, &folded.choices[0].message);
    assert_eq!(f.content, p.content);
    assert_eq!(f.reasoning_content, p.reasoning_content);
    let calls = |m: &llmrelay::types::ResponseMessage| {
        m.tool_calls
            .iter()
            .flatten()
            .map(|c| (c.function.name.clone(), c.function.arguments.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(calls(f), calls(p));
    assert_eq!(folded.usage, plain.usage);
    assert_eq!(
        llmrelay::completion_cost(&folded, Some(MODEL)).unwrap(),
        plain.cost.unwrap()
    );
}

#[tokio::test]
async fn vertex_faults_map_to_their_kind_and_retries_happen() {
    let upstream = FakeGemini::builder()
        .require_api_key(TOKEN)
        .start()
        .await
        .unwrap();
    let client = Client::new();
    let wrong = CallOptions {
        api_key: Some("ya29.wrong".into()),
        ..with_token(&upstream)
    };
    let err = client.completion(request(MODEL), &wrong).await.unwrap_err();
    assert_eq!(
        (err.kind, err.upstream_status),
        (ErrorKind::Authentication, Some(401))
    );
    assert!(!err.message.contains("ya29.wrong"));

    upstream.push(Reply::rate_limited());
    upstream.push(Reply::service_unavailable());
    upstream.push(Reply::content("ok"));
    let before = upstream.request_count();
    client
        .completion(request(MODEL), &with_token(&upstream))
        .await
        .unwrap();
    assert_eq!(upstream.request_count() - before, 3);

    upstream.push(Reply::context_length_exceeded(1_048_576, 2_000_000));
    let err = client
        .completion(request(MODEL), &with_token(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContextWindowExceeded);
}

#[tokio::test]
async fn embeddings_through_predict_count_and_price_tokens() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(Reply::content("").with_usage(Usage::new(12, 0)));
    let mut request = EmbeddingRequest::new(
        "vertex_ai/text-embedding-005",
        vec!["a".into(), "bb".into()],
    );
    request.dimensions = Some(8);
    let response = Client::new()
        .embedding(request, &with_token(&upstream))
        .await
        .unwrap();
    assert_eq!(response.data.len(), 2);
    assert_eq!(response.usage.as_ref().unwrap().prompt_tokens, 12);
    let expected = llmrelay::cost_per_token(
        "vertex_ai/text-embedding-005",
        &llmrelay::catalog::Usage::new(12, 0),
        ServiceTier::Standard,
    )
    .unwrap()
    .total();
    assert_eq!(response.cost, Some(expected));
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.path,
        format!("/v1/projects/{PROJECT}/locations/us-central1/publishers/google/models/text-embedding-005:predict")
    );
    assert_eq!(
        sent.body.unwrap(),
        json!({"instances": [{"content": "a"}, {"content": "bb"}], "parameters": {"outputDimensionality": 8}})
    );
}

const CLAUDE: &str = "vertex_ai/claude-sonnet-4-5";

fn claude_path(method: &str) -> String {
    format!("/v1/projects/{PROJECT}/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:{method}")
}

fn claude_options(upstream: &FakeGemini) -> CallOptions {
    CallOptions {
        vertex: llmrelay::VertexOptions {
            location: Some("us-east5".into()),
            ..with_token(upstream).vertex
        },
        ..with_token(upstream)
    }
}

#[tokio::test]
async fn anthropic_models_go_through_raw_predict_with_the_vertex_body() {
    let upstream = FakeGemini::builder()
        .require_api_key(TOKEN)
        .start()
        .await
        .unwrap();
    upstream
        .push(Reply::content("Paris.").with_usage(Usage::new(1200, 40).with_cached_tokens(1000)));
    let response = Client::new()
        .completion(request(CLAUDE), &claude_options(&upstream))
        .await
        .unwrap();
    assert_eq!(
        response.choices[0].message.content.as_deref(),
        Some("Paris.")
    );
    assert_eq!(response.choices[0].finish_reason.as_deref(), Some("stop"));
    let usage = response.usage.as_ref().unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (1200, 40));
    let catalog = llmrelay::cost_per_token(CLAUDE, &usage.to_billing(), ServiceTier::Standard)
        .unwrap()
        .total();
    assert!(
        (response.cost.unwrap() - catalog).abs() < 1e-15,
        "{:?} vs {catalog}",
        response.cost
    );

    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, claude_path("rawPredict"));
    assert_eq!(sent.bearer_token(), Some(TOKEN));
    assert_eq!(sent.header("x-api-key"), None);
    let body = sent.body.unwrap();
    assert_eq!(body["anthropic_version"], "vertex-2023-10-16");
    assert!(body.get("model").is_none(), "the URL names the model");
    assert!(
        body["system"].to_string().contains("Be brief."),
        "{}",
        body["system"]
    );
    assert!(body["max_tokens"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn anthropic_on_vertex_streams_agree_with_plain_answers() {
    let upstream = FakeGemini::start().await.unwrap();
    let reply = || {
        Reply::content("It is sunny.")
            .with_reasoning("Check the weather.")
            .and_tool_call(
                ToolCall::new("get_weather", &json!({"city": "Paris"})).with_id("toolu_01vertex"),
            )
            .with_usage(Usage::new(500, 80))
    };
    upstream.push(reply());
    upstream.push(reply().split_into(3));
    let client = Client::new();
    let plain = client
        .completion(request(CLAUDE), &claude_options(&upstream))
        .await
        .unwrap();
    let folded = client
        .completion_stream(request(CLAUDE), &claude_options(&upstream))
        .await
        .unwrap()
        .collect_response()
        .await
        .unwrap();
    assert_eq!(
        upstream.last_request().unwrap().path,
        claude_path("streamRawPredict")
    );
    let (p, f) = (&plain.choices[0], &folded.choices[0]);
    assert_eq!(p.message.content.as_deref(), Some("It is sunny."));
    assert_eq!(f.message.content, p.message.content);
    assert_eq!(f.message.reasoning_content, p.message.reasoning_content);
    let calls = |m: &llmrelay::types::ResponseMessage| {
        m.tool_calls
            .iter()
            .flatten()
            .map(|c| {
                (
                    c.id.clone(),
                    c.function.name.clone(),
                    c.function.arguments.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(calls(&f.message), calls(&p.message));
    assert_eq!(f.finish_reason, p.finish_reason);
    assert_eq!(
        folded
            .usage
            .as_ref()
            .map(|u| (u.prompt_tokens, u.completion_tokens)),
        Some((500, 80))
    );
    assert_eq!(
        llmrelay::completion_cost(&folded, Some(CLAUDE)).unwrap(),
        plain.cost.unwrap()
    );
}

#[tokio::test]
async fn anthropic_on_vertex_errors_keep_their_meaning() {
    let upstream = FakeGemini::start().await.unwrap();
    let client = Client::new();
    upstream.push(Reply::error(llmrelay_testkit::ApiError::overloaded()));
    upstream.push(Reply::content("ok"));
    client
        .completion(request(CLAUDE), &claude_options(&upstream))
        .await
        .unwrap();
    assert_eq!(upstream.request_count(), 2, "529 overloaded is retried");
    upstream.push(Reply::error(llmrelay_testkit::ApiError::prompt_too_long(
        200_000, 250_000,
    )));
    let err = client
        .completion(request(CLAUDE), &claude_options(&upstream))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContextWindowExceeded);
    let err = client
        .completion(
            request(CLAUDE),
            &CallOptions {
                vertex: llmrelay::VertexOptions {
                    project: None,
                    ..llmrelay::VertexOptions::default()
                },
                ..claude_options(&upstream)
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
}
