#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Moderation, image generation and rerank against the testkit's fake OpenAI
//! and fake Cohere, on real sockets: the wire each sends, the typed answer,
//! scripted faults, and the typed refusals of bad input and of providers
//! without the endpoint.

mod harness;

use llmrelay::{
    CallOptions, Client, ErrorKind, ImageGenerationRequest, ModerationRequest, RerankRequest,
};
use llmrelay_testkit::{FakeCohere, FakeOpenAi, Reply};
use serde_json::json;

const KEY: &str = "sk-endpoint-secret-987654";

async fn openai() -> FakeOpenAi {
    FakeOpenAi::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap()
}

async fn cohere() -> FakeCohere {
    FakeCohere::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap()
}

fn options(base_url: String) -> CallOptions {
    harness::options(base_url, KEY)
}

#[tokio::test]
async fn moderation_flags_by_input_and_strips_the_provider_prefix() {
    let upstream = openai().await;
    let mut request = ModerationRequest::new("openai/omni-moderation-latest", "");
    request.input = json!(["I will kill the process", "a sunny day"]);
    let response = Client::new()
        .moderation(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert!(response.id.starts_with("modr-"));
    assert_eq!(response.model, "omni-moderation-latest");
    assert_eq!(response.results.len(), 2);
    assert!(response.results[0].flagged);
    assert_eq!(response.results[0].categories["violence"], json!(true));
    assert!(!response.results[1].flagged);
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v1/moderations");
    assert_eq!(sent.bearer_token(), Some(KEY));
    assert_eq!(
        sent.json_field("model"),
        Some(&json!("omni-moderation-latest"))
    );
}

#[tokio::test]
async fn image_generation_sends_openai_fields_and_reads_images() {
    let upstream = openai().await;
    let mut request = ImageGenerationRequest::new("dall-e-3", "a lighthouse at dusk");
    request.n = Some(2);
    request.size = Some("1024x1024".into());
    request.response_format = Some("b64_json".into());
    let response = Client::new()
        .image_generation(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(response.data.len(), 2);
    assert_eq!(response.data[0].b64_json.as_deref(), Some("iVBORw0KGgo="));
    assert!(response.data[0]
        .revised_prompt
        .as_deref()
        .unwrap()
        .contains("lighthouse"));
    assert!(response.created > 0);
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v1/images/generations");
    assert_eq!(sent.json_field("size"), Some(&json!("1024x1024")));
    assert_eq!(sent.json_field("n"), Some(&json!(2)));

    // Priced per image by the catalog's size-keyed entry.
    let mut priced = ImageGenerationRequest::new("gpt-image-1.5", "a fox");
    priced.n = Some(3);
    let response = Client::new()
        .image_generation(priced, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(response.data.len(), 3);
    assert!(response.data[0].url.as_deref().unwrap().ends_with(".png"));
    assert!(
        (response.cost.unwrap() - 3.0 * 0.009).abs() < 1e-12,
        "{:?}",
        response.cost
    );
}

#[tokio::test]
async fn rerank_orders_documents_and_prices_search_units() {
    let upstream = cohere().await;
    let mut request = RerankRequest::new(
        "cohere/rerank-v3.5",
        "capital of France",
        vec![
            "Berlin is in Germany".into(),
            "Paris is the capital of France".into(),
            "France exports wine".into(),
        ],
    );
    request.top_n = Some(2);
    request.return_documents = Some(true);
    let response = Client::new()
        .rerank(request, &options(upstream.base_url()))
        .await
        .unwrap();
    let order: Vec<u32> = response.results.iter().map(|r| r.index).collect();
    assert_eq!(order, vec![1, 2]);
    assert!(response.results[0].relevance_score > response.results[1].relevance_score);
    assert_eq!(
        response.results[0].document,
        Some(json!({"text": "Paris is the capital of France"}))
    );
    assert_eq!(response.search_units(), 1.0);
    assert!((response.cost.unwrap() - 0.002).abs() < 1e-12);
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v2/rerank");
    assert_eq!(sent.json_field("model"), Some(&json!("rerank-v3.5")));
    assert_eq!(sent.json_field("top_n"), Some(&json!(2)));
    assert_eq!(sent.json_field("return_documents"), None);
}

#[tokio::test]
async fn scripted_faults_are_typed_errors_without_the_key() {
    let upstream = openai().await;
    upstream.push(Reply::rate_limited());
    let opts = CallOptions {
        num_retries: Some(0),
        ..options(upstream.base_url())
    };
    let err = Client::new()
        .image_generation(ImageGenerationRequest::new("dall-e-2", "a cat"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert!(!err.to_string().contains(KEY));

    upstream.push(Reply::server_error());
    let err = Client::new()
        .moderation(
            ModerationRequest::new("omni-moderation-latest", "hi"),
            &opts,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);

    let cohere = cohere().await;
    let wrong_key = CallOptions {
        api_key: Some("wrong-key-abcdef".into()),
        ..options(cohere.base_url())
    };
    let err = Client::new()
        .rerank(
            RerankRequest::new("cohere/rerank-v3.5", "q", vec!["d".into()]),
            &wrong_key,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Authentication);
    assert!(!err.to_string().contains("wrong-key-abcdef"));
}

#[tokio::test]
async fn bad_input_and_missing_endpoints_are_bad_requests_before_any_io() {
    let client = Client::new();
    // Nothing listens here: a request that got this far would be a connection error.
    let opts = options("http://127.0.0.1:9".into());
    let mut image = ImageGenerationRequest::new("dall-e-3", "a cat");
    image.size = Some("huge".into());
    let err = client.image_generation(image, &opts).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("huge"), "{}", err.message);

    let empty = RerankRequest::new("cohere/rerank-v3.5", "q", vec![]);
    let err = client.rerank(empty, &opts).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);

    let err = client
        .moderation(ModerationRequest::new("", "hi"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);

    let unsupported = [
        client
            .rerank(RerankRequest::new("gpt-4o", "q", vec!["d".into()]), &opts)
            .await
            .unwrap_err(),
        client
            .image_generation(
                ImageGenerationRequest::new("anthropic/claude-3-5-sonnet-20240620", "a cat"),
                &opts,
            )
            .await
            .unwrap_err(),
        client
            .moderation(
                ModerationRequest::new("cohere/command-r-08-2024", "hi"),
                &opts,
            )
            .await
            .unwrap_err(),
    ];
    for err in unsupported {
        assert_eq!(err.kind, ErrorKind::BadRequest);
        assert!(err.message.contains("does not offer"), "{}", err.message);
    }
}
