#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `llmrelay serve` with virtual keys as a process: spend survives SIGKILL
//! under load (the journal is replayed at restart) and SIGTERM (flushed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const MASTER: &str = "sk-master-spend-test-0123";

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("llmrelay-serve-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.yaml"),
        format!(
            "model_list:\n  - model_name: gpt-4o\n    litellm_params: {{model: openai/gpt-4o, api_key: sk-unused}}\ngeneral_settings:\n  master_key: {MASTER}\n"
        ),
    )
    .unwrap();
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the gateway and waits for its "listening" line.
fn start(dir: &Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args([
            "serve",
            "--no-request-log",
            "--port",
            &port.to_string(),
            "--config",
        ])
        .arg(dir.join("config.yaml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the gateway exited before listening"
        );
        if line.contains("listening on") {
            break;
        }
    }
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    child
}

/// One HTTP/1.1 request; (status, body). Status 0 when the connection failed.
fn http(port: u16, method: &str, path: &str, key: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let sent = write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut answer = String::new();
    if sent.is_err() || stream.read_to_string(&mut answer).is_err() {
        return (0, String::new());
    }
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

fn new_key(port: u16) -> String {
    let (status, body) = http(port, "POST", "/key/generate", MASTER, "{}");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["key"].as_str().unwrap().to_string()
}

fn successful_spend_rows(port: u16) -> usize {
    let (status, body) = http(port, "GET", "/spend/logs", MASTER, "");
    assert_eq!(status, 200, "{body}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    rows.iter().filter(|r| r["status"] == "success").count()
}

const CHAT: &str = r#"{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "mock_response": "hello"}"#;

#[test]
fn sigkill_under_load_loses_no_spend_row_of_an_answered_call() {
    let dir = temp_dir("sigkill");
    let port = free_port();
    let mut child = start(&dir, port);
    let key = new_key(port);

    const WORKERS: usize = 8;
    let answered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (answered, stop, key) = (answered.clone(), stop.clone(), key.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match http(port, "POST", "/v1/chat/completions", &key, CHAT).0 {
                        200 => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        0 => return,
                        other => panic!("unexpected status {other}"),
                    }
                }
            })
        })
        .collect();
    while answered.load(Ordering::SeqCst) < 150 {
        std::thread::yield_now();
    }
    child.kill().unwrap(); // SIGKILL, mid-load
    child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().unwrap();
    }
    let answered = answered.load(Ordering::SeqCst);

    // The restart replays the journal before it listens.
    let mut child = start(&dir, port);
    let rows = successful_spend_rows(port);
    // Every answered call has its row; a call journalled but cut off before
    // its answer reached the client (at most one per worker) may add one.
    assert!(
        rows >= answered && rows <= answered + WORKERS,
        "{rows} spend rows for {answered} answered calls"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_flushes_every_spend_row() {
    let dir = temp_dir("sigterm");
    let port = free_port();
    let mut child = start(&dir, port);
    let key = new_key(port);
    for _ in 0..20 {
        assert_eq!(
            http(port, "POST", "/v1/chat/completions", &key, CHAT).0,
            200
        );
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // Flushed at SIGTERM: the journal is empty and the rows are in the database.
    let journal = dir.join(format!("llmrelay-spend-{port}.journal"));
    assert_eq!(std::fs::metadata(&journal).unwrap().len(), 0);
    let mut child = start(&dir, port);
    assert_eq!(successful_spend_rows(port), 20);
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
