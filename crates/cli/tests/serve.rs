#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `llmrelay serve` as a process: config checks, serving, request logs, SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn write_config(name: &str, text: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("llmrelay-serve-{}-{name}.yaml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_validates_and_names_unknown_keys() {
    let path = write_config(
        "ok",
        "model_list:\n  - model_name: gpt\n    litellm_params: {model: openai/gpt-4o, api_key: sk-x}\nlitellm_settings:\n  success_callback: [langfuse]\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["serve", "--check", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("config OK: 1 deployment(s)"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("litellm_settings.success_callback"));
}

#[test]
fn a_bad_config_fails_with_line_and_key() {
    let path = write_config(
        "bad",
        "model_list:\n  - model_name: gpt\n    litellm_params:\n      api_base: http://x\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["serve", "--check", "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("model_list[0].litellm_params.model") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn check_with_one_model_serves_just_that_model() {
    let out = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["serve", "--model", "gpt-4o", "--check"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "config OK: 1 deployment(s), 0 warning(s)\n"
    );
}

#[test]
fn an_open_gateway_will_not_listen_publicly() {
    let out = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["serve", "--host", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-unauthenticated"));
}

#[test]
fn serves_with_no_flags_logs_json_lines_and_exits_0_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");

    let body = r#"{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "mock_response": "Hello!"}"#;
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"content\":\"Hello!\""), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(record["route"], "chat_completions");
    assert_eq!(record["model_group"], "gpt-4o-mini");
    assert_eq!(record["status"], 200);
    assert_eq!(record["outcome"], "completed");
    assert_eq!(record["call_id"].as_str().unwrap().len(), 36);
}
