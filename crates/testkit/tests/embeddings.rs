//! Embeddings (floats and base64) and the model list.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine as _;
use common::{error_body, post};
use llmrelay_testkit::{FakeOpenAi, Reply, Usage};
use serde_json::{json, Value};

async fn embed(upstream: &FakeOpenAi, request: &Value) -> Value {
    let response = post(&upstream.base_url(), "/embeddings", request).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    response.json().await.unwrap()
}

fn vector(item: &Value) -> Vec<f32> {
    item["embedding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

#[tokio::test]
async fn float_embeddings_have_openais_shape() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let request = json!({"model": "text-embedding-3-small", "input": ["hello world", "hi"]});
    let mut body = embed(&upstream, &request).await;
    let first = vector(&body["data"][0]);
    let second = vector(&body["data"][1]);
    assert_eq!((first.len(), second.len()), (1536, 1536));
    assert_ne!(first, second);
    let norm = first.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    for item in body["data"].as_array_mut().unwrap() {
        item["embedding"] = json!("VECTOR");
    }
    assert_eq!(
        body,
        json!({
            "object": "list",
            "data": [
                {"object": "embedding", "index": 0, "embedding": "VECTOR"},
                {"object": "embedding", "index": 1, "embedding": "VECTOR"}
            ],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 3 + 1, "total_tokens": 4}
        })
    );
    // The same input embeds the same way.
    let again = embed(
        &upstream,
        &json!({"model": "text-embedding-3-small", "input": "hello world"}),
    )
    .await;
    assert_eq!(vector(&again["data"][0]), first);
}

#[tokio::test]
async fn base64_embeddings_decode_to_the_float_vector() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let plain = embed(
        &upstream,
        &json!({"model": "m", "input": "abc", "dimensions": 8}),
    )
    .await;
    let encoded = embed(
        &upstream,
        &json!({"model": "m", "input": "abc", "dimensions": 8, "encoding_format": "base64"}),
    )
    .await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded["data"][0]["embedding"].as_str().unwrap())
        .unwrap();
    let decoded: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    assert_eq!(decoded.len(), 8);
    assert_eq!(decoded, vector(&plain["data"][0]));
}

#[tokio::test]
async fn token_inputs_usage_and_large_dimensions() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::default().with_usage(Usage::new(77, 0)));
    let body = embed(
        &upstream,
        &json!({"model": "text-embedding-3-large", "input": [[1, 2, 3], [4]]}),
    )
    .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    assert_eq!(vector(&body["data"][1]).len(), 3072);
    assert_eq!(
        body["usage"],
        json!({"prompt_tokens": 77, "total_tokens": 77})
    );
    let body = embed(&upstream, &json!({"model": "m", "input": [1, 2, 3]})).await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    assert_eq!(body["usage"]["prompt_tokens"], 3);
}

#[tokio::test]
async fn invalid_input_and_scripted_faults() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let response = post(
        &upstream.base_url(),
        "/embeddings",
        &json!({"model": "m", "input": []}),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        error_body(
            "'$.input' is invalid. Please check the API reference: \
             https://platform.openai.com/docs/api-reference.",
            json!("invalid_request_error"),
            json!(null),
            json!(null)
        )
    );
    let response = post(&upstream.base_url(), "/embeddings", &json!({"model": "m"})).await;
    assert_eq!(response.status(), 400);
    upstream.push(Reply::rate_limited().with_retry_after_secs(1));
    let response = post(
        &upstream.base_url(),
        "/embeddings",
        &json!({"model": "m", "input": "x"}),
    )
    .await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
}

#[tokio::test]
async fn models_lists_the_configured_ids() {
    let upstream = FakeOpenAi::builder()
        .models(["gpt-4o", "o3-mini"])
        .start()
        .await
        .unwrap();
    let response = common::client()
        .get(format!("{}/models", upstream.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "object": "list",
            "data": [
                {"id": "gpt-4o", "object": "model", "created": 1_715_367_049, "owned_by": "system"},
                {"id": "o3-mini", "object": "model", "created": 1_715_367_049, "owned_by": "system"}
            ]
        })
    );
    let recorded = upstream.last_request().unwrap();
    assert_eq!(
        (recorded.method.as_str(), recorded.path.as_str()),
        ("GET", "/v1/models")
    );
    assert_eq!(recorded.body, None);
}
