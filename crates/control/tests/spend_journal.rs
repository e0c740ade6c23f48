//! Spend rows survive a crash: journalled before `record` returns, replayed
//! on reopen, idempotent by request id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use llmrelay_control::{SpendFilter, SpendLog, SpendLogConfig, SpendRow, Store};
use support::*;

fn row(i: usize) -> SpendRow {
    SpendRow {
        request_id: format!("req-{i}"),
        call_type: "acompletion".into(),
        api_key: "hash-a".into(),
        spend: 0.25,
        total_tokens: 30,
        prompt_tokens: 10,
        completion_tokens: 20,
        start_time: 1_700_000_000_000 + i as i64,
        end_time: 1_700_000_000_500 + i as i64,
        model: "gpt-4o".into(),
        team_id: Some("t1".into()),
        request_tags: vec!["a".into()],
        status: "success".into(),
        cache_hit: "False".into(),
        ..SpendRow::default()
    }
}

/// Never inserts on its own: only a flush or a replay reaches the database.
fn lazy_config(journal: String) -> SpendLogConfig {
    SpendLogConfig {
        batch_rows: usize::MAX,
        flush_every: Duration::from_secs(3600),
        ..SpendLogConfig::new(journal)
    }
}

async fn crash_and_replay(store: Store, journal: String) {
    crash_and_replay_with(store, journal, true).await;
}

async fn crash_and_replay_with(store: Store, journal: String, fsync_each_batch: bool) {
    let config = SpendLogConfig {
        fsync_each_batch,
        ..lazy_config(journal.clone())
    };
    let log = SpendLog::open(store.clone(), config).await.unwrap();
    let mut tasks = Vec::new();
    let log = std::sync::Arc::new(log);
    for i in 0..300 {
        let log = log.clone();
        tasks.push(tokio::spawn(
            async move { log.record(row(i)).await.is_ok() },
        ));
    }
    let mut successes = 0;
    for t in tasks {
        successes += usize::from(t.await.unwrap());
    }
    assert_eq!(successes, 300);
    // Nothing was inserted yet; now "crash": drop without flushing.
    assert_eq!(
        store.spend_total(&SpendFilter::default()).await.unwrap().1,
        0
    );
    drop(log);
    // A torn, never-acknowledged last line from a kill mid-write.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .map(|mut f| std::io::Write::write_all(&mut f, b"{\"request_id\":\"torn"))
        .unwrap()
        .unwrap();

    let reopened = SpendLog::open(store.clone(), lazy_config(journal.clone()))
        .await
        .unwrap();
    let (total, rows) = store.spend_total(&SpendFilter::default()).await.unwrap();
    assert_eq!(rows, 300);
    assert_eq!(total, 75.0);
    // Replaying the same rows again (a second crash before truncation) adds none.
    reopened.record(row(7)).await.unwrap();
    reopened.shutdown().await.unwrap();
    assert_eq!(
        store.spend_total(&SpendFilter::default()).await.unwrap().1,
        300
    );
    assert_eq!(std::fs::metadata(&journal).unwrap().len(), 0);

    let one = store
        .spend_logs(
            &SpendFilter {
                request_id: Some("req-42".into()),
                ..SpendFilter::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(one, vec![row(42)]);
    let team = store
        .spend_total(&SpendFilter {
            team_id: Some("t1".into()),
            ..SpendFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(team, (75.0, 300));
    let none = store
        .spend_total(&SpendFilter {
            api_key: Some("other".into()),
            ..SpendFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(none, (0.0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_replay_after_crash_sqlite() {
    let dir = TempDir::new();
    crash_and_replay(
        sqlite(&dir, system_clock()).await,
        dir.file("spend.journal"),
    )
    .await;
}

/// Without an fsync per batch an acknowledged row is still in the OS's
/// copy of the journal, which a killed process does not take with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_replay_after_crash_without_fsync_per_batch() {
    let dir = TempDir::new();
    crash_and_replay_with(
        sqlite(&dir, system_clock()).await,
        dir.file("spend.journal"),
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_replay_after_crash_postgres() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let dir = TempDir::new();
    let store = Store::open(&url, system_clock()).await.unwrap();
    crash_and_replay(store.clone(), dir.file("spend.journal")).await;
    store.close().await;
    drop_postgres(&url).await;
}

#[tokio::test]
async fn batches_reach_the_database_without_a_flush() {
    let dir = TempDir::new();
    let store = sqlite(&dir, system_clock()).await;
    let log = SpendLog::open(
        store.clone(),
        SpendLogConfig {
            batch_rows: 10,
            flush_every: Duration::from_millis(50),
            ..SpendLogConfig::new(dir.file("j"))
        },
    )
    .await
    .unwrap();
    for i in 0..25 {
        log.record(row(i)).await.unwrap();
    }
    // The last 5 go in on the timer; poll rather than assume a duration.
    let mut rows = 0;
    for _ in 0..100 {
        rows = store.spend_total(&SpendFilter::default()).await.unwrap().1;
        if rows == 25 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(rows, 25);
}
