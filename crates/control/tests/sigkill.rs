//! SIGKILL under load: a child process records spend rows as fast as it can
//! and prints each acknowledged request id; the parent kills it with SIGKILL
//! mid-stream, reopens, and checks every acknowledged row is in the database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;

use llmrelay_control::{SpendFilter, SpendLog, SpendLogConfig, SpendRow, Store};
use support::*;

const CHILD_ENV: &str = "LLMRELAY_CONTROL_SIGKILL_CHILD";

fn row(i: u64) -> SpendRow {
    SpendRow {
        request_id: format!("req-{i}"),
        call_type: "acompletion".into(),
        api_key: "hash".into(),
        spend: 0.5,
        model: "gpt-4o".into(),
        status: "success".into(),
        cache_hit: "False".into(),
        ..SpendRow::default()
    }
}

/// The child: only runs when the parent re-executes this test binary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_child_writer() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let store = Store::open(&dir.join("db").to_string_lossy(), system_clock())
        .await
        .unwrap();
    let mut config = SpendLogConfig::new(dir.join("journal"));
    config.batch_rows = 64;
    let log = Arc::new(SpendLog::open(store, config).await.unwrap());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for worker in 0..8u64 {
        let log = log.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 0.. {
                let id = worker * 1_000_000 + i;
                if log.record(row(id)).await.is_ok() {
                    let _ = tx.send(id);
                }
            }
        });
    }
    let mut out = std::io::stdout().lock();
    while let Some(id) = rx.recv().await {
        writeln!(out, "ok {id}").unwrap();
        out.flush().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_acknowledged_row() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = TempDir::new();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "sigkill_child_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &dir.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acked.len() < 2_000 {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(id) = line.strip_prefix("ok ") {
            acked.push(id.to_owned());
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(acked.len(), 2_000, "the child stopped early");

    let store = Store::open(&dir.0.join("db").to_string_lossy(), system_clock())
        .await
        .unwrap();
    let log = SpendLog::open(store.clone(), SpendLogConfig::new(dir.0.join("journal")))
        .await
        .unwrap();
    log.shutdown().await.unwrap();
    for id in &acked {
        let found = store
            .spend_total(&SpendFilter {
                request_id: Some(format!("req-{id}")),
                ..SpendFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(found.1, 1, "acknowledged row req-{id} lost");
    }
    // Rows written but killed before their acknowledgement was printed may
    // also be there; never anything more than once (request_id is the key).
    let (total, rows) = store.spend_total(&SpendFilter::default()).await.unwrap();
    assert!(rows >= 2_000);
    assert_eq!(total, rows as f64 * 0.5);
}
