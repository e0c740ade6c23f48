//! Vertex URLs, adapter choice and the Anthropic-on-Vertex body, without a server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};

use crate::error::ErrorKind;
use crate::options::CallOptions;
use crate::providers::{resolve_target, Adapter, Target};
use crate::types::ChatRequest;

fn target(model: &str, options: CallOptions) -> Target {
    resolve_target(
        model,
        &CallOptions {
            api_key: Some("ya29.token".into()),
            vertex: crate::options::VertexOptions {
                project: Some("proj".into()),
                ..options.vertex.clone()
            },
            ..options
        },
    )
    .unwrap()
}

fn chat() -> ChatRequest {
    serde_json::from_value(json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]}))
        .unwrap()
}

#[test]
fn catalog_families_pick_their_adapter() {
    let adapter = |model: &str| resolve_target(model, &CallOptions::default()).map(|t| t.adapter);
    assert_eq!(
        adapter("vertex_ai/gemini-2.5-pro").unwrap(),
        Adapter::VertexGemini
    );
    assert_eq!(
        adapter("vertex_ai/claude-sonnet-4-5").unwrap(),
        Adapter::VertexAnthropic
    );
    assert_eq!(
        adapter("vertex_ai/claude-sonnet-4-5@20250929").unwrap(),
        Adapter::VertexAnthropic
    );
    assert_eq!(
        adapter("vertex_ai/text-embedding-005").unwrap(),
        Adapter::VertexGemini
    );
    assert_eq!(
        adapter("vertex_ai/some-future-gemini").unwrap(),
        Adapter::VertexGemini
    );
    let err = adapter("vertex_ai/meta/llama-4-maverick-17b-128e-instruct-maas").unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("Model Garden"), "{}", err.message);
}

#[test]
fn urls_follow_location_and_api_base() {
    let url = |options: CallOptions| {
        let t = target("vertex_ai/gemini-2.5-pro", options);
        t.adapter
            .chat_request(&t, &chat(), crate::providers::TEST_NOW)
            .unwrap()
            .url
    };
    assert_eq!(
        url(CallOptions::default()),
        "https://us-central1-aiplatform.googleapis.com/v1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent"
    );
    assert_eq!(
        url(CallOptions { vertex: crate::options::VertexOptions { location: Some("global".into()), ..Default::default() }, ..CallOptions::default() }),
        "https://aiplatform.googleapis.com/v1/projects/proj/locations/global/publishers/google/models/gemini-2.5-pro:generateContent"
    );
    assert_eq!(
        url(CallOptions { api_base: Some("https://proxy.example/v1beta1/".into()), ..CallOptions::default() }),
        "https://proxy.example/v1beta1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent"
    );
    assert_eq!(
        url(CallOptions {
            api_base: Some("https://gw.example/vertex/my-tuned-endpoint".into()),
            ..CallOptions::default()
        }),
        "https://gw.example/vertex/my-tuned-endpoint:generateContent"
    );
    let err = resolve_target(
        "vertex_ai/gemini-2.5-pro",
        &CallOptions {
            vertex: crate::options::VertexOptions {
                location: Some("evil.com/x".into()),
                ..crate::options::VertexOptions::default()
            },
            ..CallOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
}

#[test]
fn the_token_is_a_bearer_header_and_never_in_the_url() {
    let t = target("vertex_ai/gemini-2.5-pro", CallOptions::default());
    let http = t
        .adapter
        .chat_request(&t, &chat(), crate::providers::TEST_NOW)
        .unwrap();
    assert!(http
        .headers
        .contains(&("authorization".into(), "Bearer ya29.token".into())));
    assert!(!http.url.contains("ya29"));
    assert!(!format!("{t:?}").contains("ya29"), "Debug hides the token");
}

#[test]
fn anthropic_bodies_name_the_vertex_version_and_no_model() {
    let t = target(
        "vertex_ai/claude-sonnet-4-5",
        CallOptions {
            headers: vec![("anthropic-beta".into(), "context-1m-2025-08-07".into())].into(),
            ..CallOptions::default()
        },
    );
    let http = t
        .adapter
        .chat_request(&t, &chat(), crate::providers::TEST_NOW)
        .unwrap();
    assert!(
        http.url
            .ends_with("/publishers/anthropic/models/claude-sonnet-4-5:rawPredict"),
        "{}",
        http.url
    );
    assert!(http
        .headers
        .iter()
        .all(|(name, _)| name != "anthropic-beta" && name != "x-api-key"));
    let body: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(body["anthropic_version"], "vertex-2023-10-16");
    assert_eq!(body["anthropic_beta"], json!(["context-1m-2025-08-07"]));
    assert!(body.get("model").is_none());
    assert_eq!(body["messages"][0]["role"], "user");
    let mut streamed = chat();
    streamed.stream = Some(true);
    let http = t
        .adapter
        .chat_request(&t, &streamed, crate::providers::TEST_NOW)
        .unwrap();
    assert!(http.url.ends_with(":streamRawPredict"));
}

#[test]
fn vertex_errors_in_either_envelope() {
    let t = target("vertex_ai/claude-sonnet-4-5", CallOptions::default());
    let google = json!({"error": {"code": 429, "message": "Quota exceeded for aiplatform.googleapis.com", "status": "RESOURCE_EXHAUSTED"}});
    assert_eq!(
        t.adapter
            .map_error(&t, 429, google.to_string().as_bytes())
            .kind,
        ErrorKind::RateLimit
    );
    let anthropic = json!({"type": "error", "error": {"type": "invalid_request_error", "message": "prompt is too long: 250000 tokens > 200000 maximum"}});
    assert_eq!(
        t.adapter
            .map_error(&t, 400, anthropic.to_string().as_bytes())
            .kind,
        ErrorKind::ContextWindowExceeded
    );
}
