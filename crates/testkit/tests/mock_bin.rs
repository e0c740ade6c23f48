//! The `llmrelay-mock` binary: starts, prints its base URL, serves the scripted answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

/// Kills the child when the test ends, passing or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serves_the_given_content_on_the_printed_address() {
    let child = Command::new(env!("CARGO_BIN_EXE_llmrelay-mock"))
        .args([
            "--port",
            "0",
            "--content",
            "bench reply",
            "--latency-ms",
            "1",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Running(child);
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"),
        "{base}"
    );
    let client = reqwest::Client::new();
    for stream in [false, true] {
        let response = client
            .post(format!("{base}/chat/completions"))
            .json(&json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "stream": stream}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        if stream {
            assert!(text.contains(r#""delta":{"content":" reply"}"#), "{text}");
            assert!(text.ends_with("data: [DONE]\n\n"));
        } else {
            let body: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(body["choices"][0]["message"]["content"], "bench reply");
            assert_eq!(body["model"], "gpt-4o");
        }
    }
}

#[test]
fn bad_arguments_exit_with_status_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_llmrelay-mock"))
        .args(["--latency-ms", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("not a number of milliseconds"), "{stderr}");
}
