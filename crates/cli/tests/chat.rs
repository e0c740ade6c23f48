#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `llmrelay chat` against the testkit's fake OpenAI upstream: a real process
//! streaming from a real socket.

use llmrelay_testkit::{FakeOpenAi, Reply, Usage};
use tokio::process::Command;

async fn chat(upstream: &FakeOpenAi, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["chat", "-m", "gpt-4o", "--api-base", &upstream.base_url()])
        .args(extra)
        .arg("Say hello")
        .env("OPENAI_API_KEY", "sk-cli-test-key")
        .output()
        .await
        .unwrap()
}

#[tokio::test]
async fn streams_the_answer_then_usage_and_cost() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(
        Reply::content("Hello there, friend")
            .split_into(3)
            .with_usage(Usage::new(1000, 100)),
    );
    let out = chat(&upstream, &[]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Hello there, friend\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("1000 prompt + 100 completion = 1100 tokens"),
        "{stderr}"
    );
    // 1000 × $2.5/M + 100 × $10/M
    assert!(stderr.contains("$0.003500"), "{stderr}");
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.json_field("stream"), Some(&serde_json::json!(true)));
    assert_eq!(sent.bearer_token(), Some("sk-cli-test-key"));
}

#[tokio::test]
async fn json_mode_prints_the_response_with_its_cost() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::content("Hi").with_usage(Usage::new(10, 2)));
    let out = chat(&upstream, &["--json"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["choices"][0]["message"]["content"], "Hi");
    assert!(v["response_cost"].as_f64().unwrap() > 0.0);
}

#[tokio::test]
async fn upstream_errors_exit_non_zero_without_leaking_the_key() {
    let upstream = FakeOpenAi::start().await.unwrap();
    upstream.push(Reply::invalid_api_key());
    let out = chat(&upstream, &[]).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("(status 401)"), "{stderr}");
    assert!(!stderr.contains("sk-cli-test-key"), "{stderr}");
}
