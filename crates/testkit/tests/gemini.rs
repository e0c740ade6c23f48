//! The fake Gemini's wire format, as a plain HTTP client sees it: AI Studio and Vertex URL
//! shapes, the OAuth2 token endpoint, Google's error envelope, and the scripted faults.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use llmrelay_testkit::{ApiError, FakeGemini, Reply, ToolCall, Usage, DEFAULT_ACCESS_TOKEN};
use serde_json::{json, Value};

const KEY: &str = "AIza-test-key";

fn generate(text: &str) -> Value {
    json!({"contents": [{"role": "user", "parts": [{"text": text}]}]})
}

async fn studio(upstream: &FakeGemini, method: &str, body: &Value) -> reqwest::Response {
    common::client()
        .post(format!(
            "{}/v1beta/models/gemini-2.5-pro:{method}",
            upstream.base_url()
        ))
        .header("x-goog-api-key", KEY)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The JSON with the per-answer `responseId` checked and fixed.
fn scrubbed(mut value: Value) -> Value {
    let id = value["responseId"].as_str().unwrap();
    assert_eq!(id.len(), 22, "{id}");
    value["responseId"] = json!("ID");
    value
}

#[tokio::test]
async fn a_plain_answer_is_gemini_json() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(
        Reply::content("Paris.")
            .with_reasoning("Capital of France.")
            .and_tool_call(ToolCall::new("lookup", &json!({"q": "Paris"})))
            .with_usage(
                Usage::new(100, 30)
                    .with_cached_tokens(60)
                    .with_reasoning_tokens(10),
            ),
    );
    let response = studio(&upstream, "generateContent", &generate("Capital?")).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        scrubbed(body),
        json!({
            "candidates": [{
                "content": {"parts": [
                    {"text": "Capital of France.", "thought": true},
                    {"text": "Paris."},
                    {"functionCall": {"name": "lookup", "args": {"q": "Paris"}},
                     "thoughtSignature": "ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ=="}
                ], "role": "model"},
                "finishReason": "STOP",
                "index": 0
            }],
            "usageMetadata": {
                "promptTokenCount": 100, "candidatesTokenCount": 20, "totalTokenCount": 130,
                "cachedContentTokenCount": 60, "thoughtsTokenCount": 10,
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 100}]
            },
            "modelVersion": "gemini-2.5-pro",
            "responseId": "ID"
        })
    );
    let recorded = upstream.last_request().unwrap();
    assert_eq!(
        recorded.path,
        "/v1beta/models/gemini-2.5-pro:generateContent"
    );
    assert_eq!(recorded.header("x-goog-api-key"), Some(KEY));
}

#[tokio::test]
async fn a_stream_is_crlf_framed_events_without_an_end_marker() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(Reply::content("one two").with_usage(Usage::new(5, 2)));
    let response = common::client()
        .post(format!(
            "{}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
            upstream.base_url()
        ))
        .header("x-goog-api-key", KEY)
        .json(&generate("hi"))
        .send()
        .await
        .unwrap();
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let text = response.text().await.unwrap();
    assert!(text.ends_with("\r\n\r\n"));
    let events: Vec<Value> = text
        .trim_end()
        .split("\r\n\r\n")
        .map(|e| serde_json::from_str(e.strip_prefix("data: ").unwrap()).unwrap())
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0]["candidates"][0]["content"]["parts"][0]["text"],
        "one"
    );
    assert!(events[0]["candidates"][0].get("finishReason").is_none());
    assert_eq!(
        events[0]["usageMetadata"],
        json!({"promptTokenCount": 5, "totalTokenCount": 5,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 5}]})
    );
    assert_eq!(
        events[1]["candidates"][0]["content"]["parts"][0]["text"],
        " two"
    );
    assert_eq!(events[1]["candidates"][0]["finishReason"], "STOP");
    assert_eq!(events[1]["usageMetadata"]["totalTokenCount"], 7);
    assert_eq!(events[0]["responseId"], events[1]["responseId"]);

    // Without alt=sse, Gemini streams one JSON array.
    upstream.push(Reply::content("one two"));
    let array: Value = studio(&upstream, "streamGenerateContent", &generate("hi"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(array.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn google_checks_keys_fields_and_turns() {
    let upstream = FakeGemini::builder()
        .require_api_key(KEY)
        .start()
        .await
        .unwrap();
    let url = format!(
        "{}/v1beta/models/gemini-2.5-pro:generateContent",
        upstream.base_url()
    );
    let error = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        (
            status,
            body["error"]["status"].as_str().unwrap().to_owned(),
            body["error"]["message"].as_str().unwrap().to_owned(),
        )
    };
    let missing = common::client()
        .post(&url)
        .json(&generate("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(error(missing).await.0, 403);
    let wrong = common::client()
        .post(&url)
        .header("x-goog-api-key", "nope")
        .json(&generate("x"))
        .send()
        .await
        .unwrap();
    let (status, google_status, message) = error(wrong).await;
    assert_eq!((status, google_status.as_str()), (400, "INVALID_ARGUMENT"));
    assert!(message.starts_with("API key not valid"), "{message}");
    let by_query = common::client()
        .post(format!("{url}?key={KEY}"))
        .json(&generate("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_query.status(), 200);

    let unknown = studio(
        &upstream,
        "generateContent",
        &json!({"contents": [], "messages": []}),
    )
    .await;
    let (status, _, message) = error(unknown).await;
    assert_eq!(status, 400);
    assert!(message.contains("Unknown name \"messages\""), "{message}");
    let bad_role = studio(
        &upstream,
        "generateContent",
        &json!({"contents": [{"role": "assistant", "parts": [{"text": "x"}]}]}),
    )
    .await;
    assert_eq!(error(bad_role).await.0, 400);
    let empty = studio(
        &upstream,
        "generateContent",
        &json!({"contents": [{"role": "user", "parts": []}]}),
    )
    .await;
    assert_eq!(error(empty).await.0, 400);
    assert_eq!(upstream.queued_replies(), 0);
}

#[tokio::test]
async fn faults_come_in_googles_envelope_and_blocks_as_prompt_feedback() {
    let upstream = FakeGemini::start().await.unwrap();
    upstream.push(Reply::rate_limited().with_retry_after_secs(3));
    let response = studio(&upstream, "generateContent", &generate("x")).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "3");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}})
    );

    upstream.push(Reply::error(
        ApiError::new(400, "User location is not supported for the API use.")
            .with_code(Some("FAILED_PRECONDITION")),
    ));
    let body: Value = studio(&upstream, "generateContent", &generate("x"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["error"]["status"], "FAILED_PRECONDITION");

    upstream.push(Reply::content_filter());
    let response = studio(&upstream, "generateContent", &generate("x")).await;
    assert_eq!(
        response.status(),
        200,
        "Gemini reports a blocked prompt in a 200 answer"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["promptFeedback"]["blockReason"], "SAFETY");
    assert!(body.get("candidates").is_none());

    upstream.push(Reply::content("cut here please").close_after(1));
    let response = common::client()
        .post(format!(
            "{}/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
            upstream.base_url()
        ))
        .json(&generate("x"))
        .header("x-goog-api-key", KEY)
        .send()
        .await
        .unwrap();
    assert!(
        response.text().await.is_err(),
        "the connection drops mid-stream"
    );
}

#[tokio::test]
async fn embeddings_answer_both_studio_calls() {
    let upstream = FakeGemini::start().await.unwrap();
    let one = studio(
        &upstream,
        "embedContent",
        &json!({"content": {"parts": [{"text": "a"}]}, "outputDimensionality": 4}),
    )
    .await;
    let one: Value = one.json().await.unwrap();
    assert_eq!(one["embedding"]["values"].as_array().unwrap().len(), 4);
    let batch = json!({"requests": [
        {"model": "models/gemini-2.5-pro", "content": {"parts": [{"text": "a"}]}, "outputDimensionality": 4},
        {"model": "models/gemini-2.5-pro", "content": {"parts": [{"text": "b"}]}, "outputDimensionality": 4}]});
    let many: Value = studio(&upstream, "batchEmbedContents", &batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(many["embeddings"].as_array().unwrap().len(), 2);
    assert_eq!(
        many["embeddings"][0], one["embedding"],
        "equal inputs embed equally"
    );
    let wrong_model =
        json!({"requests": [{"model": "models/other", "content": {"parts": [{"text": "a"}]}}]});
    assert_eq!(
        studio(&upstream, "batchEmbedContents", &wrong_model)
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn vertex_routes_want_a_bearer_token_from_the_token_endpoint() {
    let upstream = FakeGemini::start().await.unwrap();
    let url = format!(
        "{}/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent",
        upstream.base_url()
    );
    let unauthenticated = common::client()
        .post(&url)
        .json(&generate("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let body: Value = unauthenticated.json().await.unwrap();
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED");

    let bad_grant = common::client()
        .post(upstream.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=not.a.jwt",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad_grant.status(), 400);
    assert_eq!(
        bad_grant.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );

    let ok = common::client()
        .post(&url)
        .bearer_auth(DEFAULT_ACCESS_TOKEN)
        .json(&generate("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let key: Value = serde_json::from_str(&upstream.service_account_json("p")).unwrap();
    assert_eq!(key["token_uri"], upstream.token_url());
    assert!(key["private_key"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----\n"));

    let predict = format!(
        "{}/v1/projects/p/locations/us-central1/publishers/google/models/text-embedding-005:predict",
        upstream.base_url()
    );
    upstream.push(Reply::content("").with_usage(Usage::new(9, 0)));
    let body: Value = common::client()
        .post(&predict)
        .bearer_auth("t")
        .json(&json!({"instances": [{"content": "a"}, {"content": "b"}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let counts: Vec<u64> = body["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["embeddings"]["statistics"]["token_count"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(counts, [4, 5]);
    assert_eq!(
        body["predictions"][0]["embeddings"]["values"]
            .as_array()
            .unwrap()
            .len(),
        768
    );
}
