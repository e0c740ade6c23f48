//! Spend rows written per second: 64 tasks record 20,000 rows through
//! `SpendLog` (journal, then batched inserts), then a flush; on SQLite and,
//! when it answers, on PostgreSQL at 127.0.0.1:5432; with and without an
//! fsync per journal batch. Prints one line per case (not criterion: the
//! figure is a throughput of the whole pipeline, not one call's time).
//!
//! `cargo bench -p llmrelay-control --bench spend_rows`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Instant;

use llmrelay_control::{SpendFilter, SpendLog, SpendLogConfig, SpendRow, Store, SystemClock};
use sqlx::{Connection, Executor, PgConnection};

const ROWS: usize = 20_000;
const TASKS: usize = 64;

fn row(i: usize) -> SpendRow {
    SpendRow {
        request_id: format!("bench-{i}"),
        call_type: "acompletion".into(),
        api_key: "0".repeat(64),
        spend: 0.000225,
        total_tokens: 30,
        prompt_tokens: 10,
        completion_tokens: 20,
        start_time: 1_700_000_000_000,
        end_time: 1_700_000_000_100,
        model: "gpt-4o".into(),
        model_group: Some("gpt-4o".into()),
        status: "success".into(),
        cache_hit: "False".into(),
        ..SpendRow::default()
    }
}

async fn measure(label: &str, database: &str, journal: std::path::PathBuf, fsync: bool) {
    let store = Store::open(database, Arc::new(SystemClock)).await.unwrap();
    let config = SpendLogConfig {
        fsync_each_batch: fsync,
        ..SpendLogConfig::new(journal)
    };
    let log = Arc::new(SpendLog::open(store.clone(), config).await.unwrap());
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let log = log.clone();
            tokio::spawn(async move {
                for i in (t..ROWS).step_by(TASKS) {
                    log.record(row(i)).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let journalled = started.elapsed();
    log.flush().await.unwrap();
    let total = started.elapsed();
    let stored = store.spend_total(&SpendFilter::default()).await.unwrap().1;
    assert_eq!(stored as usize, ROWS);
    println!(
        "{label:44} fsync/batch={fsync:<5} journalled {:>7.0} rows/s, in the database {:>7.0} rows/s",
        ROWS as f64 / journalled.as_secs_f64(),
        ROWS as f64 / total.as_secs_f64()
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("llmrelay_spend_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    rt.block_on(async {
        for fsync in [false, true] {
            let db = dir.join(format!("bench-{fsync}.db"));
            measure(
                "SQLite (WAL, synchronous=NORMAL)",
                &db.to_string_lossy(),
                dir.join(format!("sqlite-{fsync}.journal")),
                fsync,
            )
            .await;
        }
        match PgConnection::connect("postgres://postgres@127.0.0.1:5432/postgres").await {
            Ok(mut admin) => {
                for fsync in [false, true] {
                    let name = format!("llmrelay_spend_bench_{}_{fsync}", std::process::id());
                    admin
                        .execute(format!("CREATE DATABASE {name}").as_str())
                        .await
                        .unwrap();
                    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
                    measure(
                        "PostgreSQL 127.0.0.1:5432",
                        &url,
                        dir.join(format!("pg-{fsync}.journal")),
                        fsync,
                    )
                    .await;
                    let _ = admin
                        .execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
                        .await;
                }
            }
            Err(e) => println!("PostgreSQL not measured: {e}"),
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}
