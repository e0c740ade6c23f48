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

#[tokio::test]
async fn config_routes_the_model_group_through_the_router_with_failover() {
    let broken = FakeOpenAi::start().await.unwrap();
    let good = FakeOpenAi::start().await.unwrap();
    broken.set_default_reply(Reply::server_error());
    good.push(Reply::content("Routed hello").split_into(2));
    let dir = std::env::temp_dir().join(format!("llmrelay-chat-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.yaml");
    std::fs::write(
        &path,
        format!(
            "model_list:\n\
             \x20 - model_name: team-gpt\n\
             \x20   litellm_params: {{model: openai/gpt-4o, api_base: \"{}\", api_key: os.environ/TEAM_KEY, order: 1}}\n\
             \x20   model_info: {{id: broken}}\n\
             \x20 - model_name: team-gpt\n\
             \x20   litellm_params: {{model: openai/gpt-4o, api_base: \"{}\", api_key: os.environ/TEAM_KEY, order: 2, colour: blue}}\n\
             \x20   model_info: {{id: good}}\n\
             router_settings:\n\
             \x20 num_retries: 1\n",
            broken.base_url(),
            good.base_url()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["chat", "-m", "team-gpt", "--config"])
        .arg(&path)
        .arg("Say hello")
        .env("TEAM_KEY", "sk-team-key")
        .output()
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Routed hello\n");
    assert!(stderr.contains("unknown key `colour` ignored"), "{stderr}");
    assert!(stderr.contains("via deployment good"), "{stderr}");
    assert!(stderr.contains("1 retries"), "{stderr}");
    assert_eq!(broken.request_count(), 1);
    assert_eq!(
        good.last_request().unwrap().bearer_token(),
        Some("sk-team-key")
    );
}
