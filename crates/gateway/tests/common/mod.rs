//! A gateway on an ephemeral loopback port in front of the testkit's fake
//! upstreams, and raw-HTTP helpers for what a well-behaved client never sends.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::sync::Arc;

use llmrelay_gateway::{Gateway, GatewayConfig, RequestLog, Settings};
use llmrelay_testkit::{FakeAnthropic, FakeOpenAi};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The master key of the test config.
pub const MASTER_KEY: &str = "sk-master-test-0123456789";
/// The key the deployments send upstream.
pub const UPSTREAM_KEY: &str = "sk-upstream-test-0123456789";

/// A running gateway and its upstreams.
pub struct Harness {
    pub openai: FakeOpenAi,
    pub anthropic: FakeAnthropic,
    pub addr: SocketAddr,
    pub gateway: Arc<Gateway>,
    stop: Option<oneshot::Sender<()>>,
    pub task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Harness {
    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM's equivalent: stop accepting, drain, return.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// POSTs JSON with the master key.
    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!("{}{path}", self.base()))
            .bearer_auth(MASTER_KEY)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The `/metrics` text.
    pub async fn metrics(&self) -> String {
        reqwest::get(format!("{}/metrics", self.base()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The `llmrelay_in_flight_requests` gauge.
    pub async fn in_flight(&self) -> i64 {
        let text = self.metrics().await;
        text.lines()
            .find_map(|l| l.strip_prefix("llmrelay_in_flight_requests "))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

/// The config every test starts from: `gpt-4o` on the fake OpenAI, `claude`
/// on the fake Anthropic, no retries (so each scripted fault is seen once).
pub fn config_text(openai: &FakeOpenAi, anthropic: &FakeAnthropic, extra: &str) -> String {
    format!(
        r#"
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: {openai}
      api_key: {UPSTREAM_KEY}
  - model_name: text-embedding-3-small
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: {openai}
      api_key: {UPSTREAM_KEY}
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_base: {anthropic}
      api_key: {UPSTREAM_KEY}
router_settings:
  num_retries: 0
general_settings:
  master_key: {MASTER_KEY}
{extra}
"#,
        openai = openai.base_url(),
        anthropic = anthropic.base_url(),
    )
}

/// A gateway with the default test config plus `extra` YAML.
pub async fn start(extra: &str) -> Harness {
    start_with(extra, |s| s).await
}

/// A gateway with `extra` YAML and settings adjusted by `settings`.
pub async fn start_with(extra: &str, settings: impl FnOnce(Settings) -> Settings) -> Harness {
    let openai = FakeOpenAi::start().await.unwrap();
    let anthropic = FakeAnthropic::start().await.unwrap();
    let config =
        GatewayConfig::parse(&config_text(&openai, &anthropic, extra), "test.yaml").unwrap();
    let gateway = Gateway::new(&config, false, RequestLog::Off).unwrap();
    let adjusted = settings(gateway.settings().clone());
    serve_on_loopback(gateway.with_settings(adjusted), openai, anthropic).await
}

/// Serves `gateway` on an ephemeral loopback port.
pub async fn serve_on_loopback(
    gateway: Gateway,
    openai: FakeOpenAi,
    anthropic: FakeAnthropic,
) -> Harness {
    let gateway = Arc::new(gateway);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(llmrelay_gateway::serve(
        listener,
        Arc::clone(&gateway),
        async move {
            let _ = stopped.await;
        },
    ));
    Harness {
        openai,
        anthropic,
        addr,
        gateway,
        stop: Some(stop),
        task: Some(task),
    }
}

/// A chat request for `model`.
pub fn chat(model: &str, stream: bool) -> Value {
    serde_json::json!({
        "model": model,
        "messages": [{"role": "user", "content": "Say hi"}],
        "stream": stream,
    })
}

/// Sends `request` as raw bytes and reads the whole answer (the gateway
/// closes the connection because the request says `Connection: close`).
pub async fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A raw POST with the master key, `content_type` and `body`.
pub fn raw_post(path: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {MASTER_KEY}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// The JSON body of a raw answer.
pub fn body_of(answer: &str) -> Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"))
}

/// `(event name, JSON data)` of each server-sent event in `text`.
pub fn sse_events(text: &str) -> Vec<(String, String)> {
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let mut name = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                }
            }
            (name, data)
        })
        .collect()
}

/// A gateway with virtual keys on `settings`' database (and Redis), with
/// time from `clock`, plus `extra` YAML.
pub async fn start_keyed(
    extra: &str,
    settings: llmrelay_gateway::ControlSettings,
    clock: Arc<dyn llmrelay_control::Clock>,
) -> Harness {
    let openai = FakeOpenAi::start().await.unwrap();
    let anthropic = FakeAnthropic::start().await.unwrap();
    let config =
        GatewayConfig::parse(&config_text(&openai, &anthropic, extra), "test.yaml").unwrap();
    let control = llmrelay_gateway::ControlPlane::open_with_clock(&settings, clock)
        .await
        .unwrap();
    let gateway = Gateway::new(&config, false, RequestLog::Off)
        .unwrap()
        .with_control(Arc::new(control))
        .unwrap();
    serve_on_loopback(gateway, openai, anthropic).await
}
