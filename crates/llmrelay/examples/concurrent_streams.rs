#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! 1,000 concurrent streamed completions through one `Client` against the
//! testkit's fake OpenAI upstream on loopback; reports completions, wall
//! time and peak memory. `cargo run --release -p llmrelay --example concurrent_streams [N]`

use std::time::{Duration, Instant};

use llmrelay::{CallOptions, ChatRequest, Client, Message};
use llmrelay_testkit::{FakeOpenAi, Reply};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let upstream = FakeOpenAi::start().await?;
    // 16 events per stream, 5 ms apart: every stream is open at the same time.
    upstream.set_default_reply(
        Reply::content(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
        )
        .split_into(14)
        .with_stream_delay(Duration::from_millis(5)),
    );
    let options = CallOptions {
        api_base: Some(upstream.base_url()),
        api_key: Some("sk-bench".into()),
        ..CallOptions::default()
    };
    let client = Client::new();
    let rss_before = peak_rss_kib();
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let client = client.clone();
            let options = options.clone();
            tokio::spawn(async move {
                let request =
                    ChatRequest::new("gpt-4o", vec![Message::user(format!("stream {i}"))]);
                client
                    .completion_stream(request, &options)
                    .await?
                    .collect_response()
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        if let Ok(Ok(response)) = task.await {
            ok += usize::from(
                response.choices[0]
                    .message
                    .content
                    .as_deref()
                    .is_some_and(|c| c.ends_with("fourteen")),
            );
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{ok}/{n} streams complete in {:.0} ms; peak RSS {} KiB (before: {} KiB); upstream saw {} requests",
        elapsed.as_secs_f64() * 1e3,
        peak_rss_kib().unwrap_or(0),
        rss_before.unwrap_or(0),
        upstream.request_count()
    );
    if ok != n {
        return Err(format!("only {ok} of {n} streams completed").into());
    }
    Ok(())
}
