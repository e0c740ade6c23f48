//! HTTP faults and validation errors: status, headers and OpenAI's error bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{chat, error_body, post};
use llmrelay_testkit::{ApiError, FakeOpenAi, Reply};
use serde_json::{json, Value};

/// Sends a plain chat request and returns status, headers and the JSON body.
async fn fail(upstream: &FakeOpenAi, request: &Value) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = post(&upstream.base_url(), "/chat/completions", request).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json");
    (status, headers, response.json().await.unwrap())
}

#[tokio::test]
async fn rate_limit_with_retry_after_headers() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(
        Reply::rate_limited()
            .with_retry_after_secs(2)
            .with_retry_after_ms(1500),
    );
    let (status, headers, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 429);
    assert_eq!(headers["retry-after"], "2");
    assert_eq!(headers["retry-after-ms"], "1500");
    assert_eq!(
        body,
        error_body(
            "Rate limit reached for gpt-4o-mini in organization org-fake on tokens per min (TPM): \
             Limit 30000, Used 29809, Requested 1257. Please try again in 2.132s. Visit \
             https://platform.openai.com/account/rate-limits to learn more.",
            json!("tokens"),
            json!(null),
            json!("rate_limit_exceeded")
        )
    );
}

#[tokio::test]
async fn quota_server_and_overload_errors() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::insufficient_quota());
    upstream.push(Reply::server_error());
    upstream.push(Reply::service_unavailable());
    let (status, headers, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (429, &json!("insufficient_quota"))
    );
    assert_eq!(body["error"]["type"], "insufficient_quota");
    assert!(headers.get("retry-after").is_none());
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        error_body(
            "The server had an error while processing your request. Sorry about that!",
            json!("server_error"),
            json!(null),
            json!(null)
        )
    );
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 503);
    assert_eq!(
        body,
        error_body(
            "The server is overloaded or not ready yet. Please try again later.",
            json!("server_error"),
            json!(null),
            json!(null)
        )
    );
}

#[tokio::test]
async fn context_window_exceeded_is_worded_as_openai_words_it() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::context_length_exceeded(128_000, 130_532));
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        error_body(
            "This model's maximum context length is 128000 tokens. However, your messages \
             resulted in 130532 tokens. Please reduce the length of the messages.",
            json!("invalid_request_error"),
            json!("messages"),
            json!("context_length_exceeded")
        )
    );
}

#[tokio::test]
async fn content_filter_invalid_key_and_unknown_model() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content_filter());
    upstream.push(Reply::invalid_api_key());
    upstream.push(Reply::model_not_found());
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "content_filter");
    assert_eq!(body["error"]["param"], "prompt");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "invalid_api_key");
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        error_body(
            "The model `gpt-4o-mini` does not exist or you do not have access to it.",
            json!("invalid_request_error"),
            json!(null),
            json!("model_not_found")
        )
    );
}

#[tokio::test]
async fn any_status_with_a_custom_error_and_header() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let error = ApiError::new(409, "Conflict on {model}.")
        .with_type(None)
        .with_code(Some("conflict"));
    upstream.push(Reply::error(error).with_header("x-custom", "yes"));
    let (status, headers, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 409);
    assert_eq!(headers["x-custom"], "yes");
    assert_eq!(
        body,
        error_body(
            "Conflict on gpt-4o-mini.",
            json!(null),
            json!(null),
            json!("conflict")
        )
    );
}

#[tokio::test]
async fn malformed_json_body_has_status_200() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::malformed_json());
    let response = post(&upstream.base_url(), "/chat/completions", &chat(false)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(text.starts_with(r#"{"id":"chatcmpl-"#), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn disconnect_closes_before_any_response() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::disconnect());
    upstream.push(Reply::content("x").close_after(3));
    for _ in 0..2 {
        let error = common::client()
            .post(format!("{}/chat/completions", upstream.base_url()))
            .json(&chat(false))
            .send()
            .await
            .unwrap_err();
        assert!(error.is_request() && !error.is_timeout(), "{error:?}");
    }
    assert_eq!(upstream.request_count(), 2);
}

#[tokio::test]
async fn hang_and_plain_stall_never_answer() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::hang());
    upstream.push(Reply::content("x").stall_after(1));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    for _ in 0..2 {
        let error = client
            .post(format!("{}/chat/completions", upstream.base_url()))
            .json(&chat(false))
            .send()
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
    }
}

#[tokio::test]
async fn error_after_on_a_plain_request_is_an_http_error() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("x").error_after(2, ApiError::service_unavailable()));
    let (status, _, body) = fail(&upstream, &chat(false)).await;
    assert_eq!(status, 503);
    assert_eq!(body["error"]["type"], "server_error");
}

#[tokio::test]
async fn validation_errors_do_not_take_a_scripted_reply() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("kept"));
    let (status, _, body) = fail(&upstream, &json!({"messages": []})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        error_body(
            "you must provide a model parameter",
            json!("invalid_request_error"),
            json!(null),
            json!(null)
        )
    );
    let (status, _, body) = fail(&upstream, &json!({"model": "gpt-4o"})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        error_body(
            "Missing required parameter: 'messages'.",
            json!("invalid_request_error"),
            json!("messages"),
            json!("missing_required_parameter")
        )
    );
    let mut request = chat(false);
    request["stream_options"] = json!({"include_usage": true});
    let (status, _, body) = fail(&upstream, &request).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["param"], "stream_options");
    let response = common::client()
        .post(format!("{}/chat/completions", upstream.base_url()))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("We could not parse the JSON body of your request."));
    let recorded = upstream.last_request().unwrap();
    assert_eq!(recorded.body, None);
    assert_eq!(&recorded.raw_body[..], b"{not json");
    assert_eq!(upstream.queued_replies(), 1);
    assert_eq!(upstream.request_count(), 4);
}

#[tokio::test]
async fn unknown_routes_get_openais_invalid_url_error() {
    let upstream = FakeOpenAi::start().await.unwrap();
    let response = common::client()
        .get(format!("{}/nope", upstream.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        error_body(
            "Invalid URL (GET /v1/nope)",
            json!("invalid_request_error"),
            json!(null),
            json!(null)
        )
    );
}

#[tokio::test]
async fn a_required_api_key_is_checked_as_openai_does() {
    let upstream = FakeOpenAi::builder()
        .require_api_key("sk-right-key-0000")
        .start()
        .await
        .unwrap();
    let url = format!("{}/chat/completions", upstream.base_url());
    let client = common::client();
    let missing = client.post(&url).json(&chat(false)).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let body: Value = missing.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("You didn't provide an API key."));
    assert_eq!(body["error"]["code"], json!(null));
    let wrong = client
        .post(&url)
        .bearer_auth("sk-wrong-key-9999")
        .json(&chat(false))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(
        body,
        error_body(
            "Incorrect API key provided: sk-**********9999. You can find your API key at \
             https://platform.openai.com/account/api-keys.",
            json!("invalid_request_error"),
            json!(null),
            json!("invalid_api_key")
        )
    );
    let right = client
        .post(&url)
        .bearer_auth("sk-right-key-0000")
        .json(&chat(false))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
}
