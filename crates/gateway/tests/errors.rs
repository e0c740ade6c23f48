//! Failures end to end: raw HTTP for what clients should not send, auth,
//! limits, upstream faults; OpenAI's error JSON on OpenAI routes and
//! Anthropic's on Anthropic routes, the right statuses, never a key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{body_of, chat, raw, raw_post, start, start_with, MASTER_KEY, UPSTREAM_KEY};
use llmrelay_testkit::Reply;
use serde_json::{json, Value};

fn openai_error(body: &Value, kind: &str, code: &str) {
    assert_eq!(body["error"]["type"], kind, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_in_each_dialect() {
    let gw = start("").await;
    let (status, answer) = raw(
        gw.addr,
        &raw_post("/v1/chat/completions", "application/json", b"{\"model\": "),
    )
    .await;
    assert_eq!(status, 400);
    openai_error(&body_of(&answer), "invalid_request_error", "400");
    let (status, answer) = raw(
        gw.addr,
        &raw_post("/v1/messages", "application/json", b"[1, 2"),
    )
    .await;
    assert_eq!(status, 400);
    let body = body_of(&answer);
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn a_body_that_is_not_a_request_names_what_is_wrong() {
    let gw = start("").await;
    for (path, body, needle) in [
        (
            "/v1/chat/completions",
            json!({"model": "gpt-4o"}),
            "messages",
        ),
        (
            "/v1/chat/completions",
            json!({"model": "gpt-4o", "messages": []}),
            "messages",
        ),
        ("/v1/chat/completions", json!([1]), "JSON object"),
        (
            "/v1/messages",
            json!({"model": "gpt-4o", "messages": [{"role": "robot", "content": "x"}]}),
            "robot",
        ),
        (
            "/v1/responses",
            json!({"model": "gpt-4o", "input": "x", "previous_response_id": "resp_1"}),
            "previous_response_id",
        ),
        (
            "/v1/embeddings",
            json!({"model": "text-embedding-3-small"}),
            "input",
        ),
    ] {
        let response = gw.post(path, &body).await;
        assert_eq!(response.status(), 400, "{path} {body}");
        let text = response.text().await.unwrap();
        assert!(text.contains(needle), "{path}: {text}");
    }
    assert_eq!(gw.openai.request_count(), 0);
}

#[tokio::test]
async fn wrong_content_type_is_415_and_empty_body_400() {
    let gw = start("").await;
    let (status, answer) = raw(
        gw.addr,
        &raw_post("/v1/chat/completions", "text/plain", b"{}"),
    )
    .await;
    assert_eq!(status, 415);
    assert!(body_of(&answer)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("application/json"));
    let (status, _) = raw(
        gw.addr,
        &raw_post("/v1/chat/completions", "application/json", b""),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_huge_body_is_413_whether_declared_or_streamed() {
    // 0.0625 MB: 64 KiB (the extra YAML continues general_settings).
    let gw = start("  max_request_size_mb: 0.0625\n").await;
    let big = vec![b'a'; 200 * 1024];
    let (status, answer) = raw(
        gw.addr,
        &raw_post("/v1/chat/completions", "application/json", &big),
    )
    .await;
    assert_eq!(status, 413);
    assert_eq!(body_of(&answer)["error"]["type"], "request_too_large");
    // Chunked: no Content-Length to refuse up front; the limit still holds.
    let mut request = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {MASTER_KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..10 {
        request.extend_from_slice(format!("{:x}\r\n", 16 * 1024).as_bytes());
        request.extend_from_slice(&[b' '; 16 * 1024]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let (status, answer) = raw(gw.addr, &request).await;
    assert_eq!(status, 413);
    assert_eq!(body_of(&answer)["error"]["type"], "request_too_large");
    assert_eq!(gw.openai.request_count(), 0);
}

#[tokio::test]
async fn oversized_headers_are_431() {
    let gw = start_with("", |mut s| {
        s.max_header_bytes = 4096;
        s
    })
    .await;
    let request = format!(
        "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {MASTER_KEY}\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(8000)
    );
    let (status, answer) = raw(gw.addr, request.as_bytes()).await;
    assert_eq!(status, 431);
    assert!(body_of(&answer)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("headers"));
}

#[tokio::test]
async fn auth_failures_are_401_in_the_routes_dialect_and_never_echo_a_key() {
    let gw = start("").await;
    let client = reqwest::Client::new();
    let guess = "sk-guessed-key-abcdef";
    for (path, auth) in [
        ("/v1/chat/completions", None),
        ("/v1/chat/completions", Some(guess)),
        ("/v1/messages", Some(guess)),
        ("/v1/embeddings", None),
    ] {
        let mut request = client
            .post(format!("{}{path}", gw.base()))
            .json(&chat("gpt-4o", false));
        if let Some(key) = auth {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{path}");
        let body: Value = response.json().await.unwrap();
        if path == "/v1/messages" {
            assert_eq!(body["error"]["type"], "authentication_error", "{body}");
            assert_eq!(body["type"], "error");
        } else {
            openai_error(&body, "authentication_error", "401");
        }
        assert!(!body.to_string().contains(guess));
    }
    let models = client
        .get(format!("{}/v1/models", gw.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(models.status(), 401);
    assert_eq!(gw.openai.request_count(), 0);
}

#[tokio::test]
async fn upstream_faults_keep_their_status_and_kind() {
    let gw = start("").await;
    gw.openai
        .push(Reply::rate_limited().with_retry_after_secs(7));
    let response = gw
        .post("/v1/chat/completions", &chat("gpt-4o", false))
        .await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    assert!(response.headers().contains_key("x-litellm-call-id"));
    let body: Value = response.json().await.unwrap();
    openai_error(&body, "rate_limit_error", "429");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("RateLimitError"));

    gw.openai.push(Reply::server_error());
    let response = gw.post("/v1/messages", &json!({"model": "gpt-4o", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]})).await;
    assert_eq!(response.status(), 500);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["type"], "api_error");

    // An upstream that rejects the deployment's key: 401 from the provider,
    // and the key it was sent appears nowhere in the answer.
    gw.openai.push(Reply::invalid_api_key());
    let response = gw
        .post("/v1/chat/completions", &chat("gpt-4o", false))
        .await;
    assert_eq!(response.status(), 401);
    let text = response.text().await.unwrap();
    assert!(
        !text.contains(UPSTREAM_KEY) && !text.contains(MASTER_KEY),
        "{text}"
    );
}

#[tokio::test]
async fn an_unknown_model_is_a_400_naming_it() {
    let gw = start("").await;
    let response = gw
        .post("/v1/chat/completions", &chat("gpt-5-nonexistent", false))
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("gpt-5-nonexistent"),
        "{body}"
    );
}

#[tokio::test]
async fn client_credentials_are_refused_unless_the_config_allows_them() {
    let gw = start("").await;
    let mut body = chat("gpt-4o", false);
    body["api_base"] = json!("http://attacker.invalid/v1");
    let response = gw.post("/v1/chat/completions", &body).await;
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["param"], "api_base");
    assert_eq!(gw.openai.request_count(), 0);

    // Allowed: the call goes where the client said, with the client's key.
    let allowed = start("  allow_client_side_credentials: true\n").await;
    let mut body = chat("gpt-4o", false);
    body["api_base"] = json!(gw.openai.base_url());
    body["api_key"] = json!("sk-client-own-key-1");
    let response = allowed.post("/v1/chat/completions", &body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["x-litellm-model-api-base"],
        gw.openai.base_url().as_str()
    );
    assert_eq!(
        gw.openai.last_request().unwrap().bearer_token(),
        Some("sk-client-own-key-1")
    );
    assert_eq!(allowed.openai.request_count(), 0);
}

#[tokio::test]
async fn a_request_timeout_is_a_408() {
    let gw = start("").await;
    gw.openai
        .push(Reply::content("late").with_latency(Duration::from_secs(30)));
    let mut body = chat("gpt-4o", false);
    body["timeout"] = json!(0.3);
    let response = gw.post("/v1/chat/completions", &body).await;
    assert_eq!(response.status(), 408);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["type"], "timeout_error");
}

#[tokio::test]
async fn an_unknown_route_is_a_404_json() {
    let gw = start("").await;
    let response = reqwest::get(format!("{}/v1/nope", gw.base()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["type"], "not_found_error");
}

#[tokio::test]
async fn an_open_gateway_refuses_to_bind_beyond_loopback() {
    let config = llmrelay_gateway::GatewayConfig::single_model("gpt-4o");
    let gw =
        llmrelay_gateway::Gateway::new(&config, false, llmrelay_gateway::RequestLog::Off).unwrap();
    let public = "0.0.0.0:4000".parse().unwrap();
    let err = gw.check_bind(public, false).unwrap_err().to_string();
    assert!(err.contains("--allow-unauthenticated"), "{err}");
    assert!(gw.check_bind(public, true).is_ok());
    assert!(gw
        .check_bind("127.0.0.1:4000".parse().unwrap(), false)
        .is_ok());
}

#[tokio::test]
async fn a_client_too_slow_to_send_its_body_gets_a_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let gw = start_with("", |mut s| {
        s.body_read_timeout = Duration::from_millis(300);
        s
    })
    .await;
    let body = serde_json::to_vec(&chat("gpt-4o", false)).unwrap();
    let request = raw_post("/v1/chat/completions", "application/json", &body);
    let mut stream = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    // Headers and half the body, then nothing: the gateway must not wait forever.
    let half = request.len() - body.len() / 2;
    stream.write_all(&request[..half]).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the gateway kept waiting for the body");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert_eq!(body_of(&text)["error"]["type"], "timeout_error");
    assert_eq!(gw.openai.request_count(), 0);
}
