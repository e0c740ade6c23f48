//! Real services for the tests: a temp SQLite file always; a throwaway
//! PostgreSQL database and a Redis key prefix when the services answer. With
//! LLMRELAY_REQUIRE_SERVICES=1 a missing service fails the test instead of
//! skipping it (CI sets it).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use llmrelay_control::{Clock, ManualClock, Store, SystemClock};
use sqlx::{Connection, Executor, PgConnection};

pub const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";
pub const REDIS_URL: &str = "redis://127.0.0.1:6379/";

fn required() -> bool {
    std::env::var("LLMRELAY_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

fn skip_or_fail(service: &str, why: &str) {
    if required() {
        panic!("{service} is required (LLMRELAY_REQUIRE_SERVICES=1) but unavailable: {why}");
    }
    eprintln!(
        "SKIPPED: {service} unavailable ({why}); set LLMRELAY_REQUIRE_SERVICES=1 to make this fail"
    );
}

pub fn unique(tag: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{tag}_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A temp directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let dir = std::env::temp_dir().join(unique("llmrelay_control"));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    pub fn file(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub async fn sqlite(dir: &TempDir, clock: Arc<dyn Clock>) -> Store {
    Store::open(&dir.file("control.db"), clock).await.unwrap()
}

/// A fresh PostgreSQL database; None (after printing why) when absent.
pub async fn postgres_url() -> Option<String> {
    let mut admin = match PgConnection::connect(PG_ADMIN).await {
        Ok(c) => c,
        Err(e) => {
            skip_or_fail("PostgreSQL at 127.0.0.1:5432", &e.to_string());
            return None;
        }
    };
    let name = unique("llmrelay_test");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    Some(format!("postgres://postgres@127.0.0.1:5432/{name}"))
}

pub async fn drop_postgres(url: &str) {
    let name = url.rsplit('/').next().unwrap_or_default();
    if let Ok(mut admin) = PgConnection::connect(PG_ADMIN).await {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}

/// Whether Redis answers; prints why not and skips (or fails when required).
pub async fn redis_available() -> bool {
    let answer = async {
        let client = redis::Client::open(REDIS_URL)?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await
    };
    match tokio::time::timeout(std::time::Duration::from_secs(3), answer).await {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => {
            skip_or_fail("Redis at 127.0.0.1:6379", &e.to_string());
            false
        }
        Err(_) => {
            skip_or_fail("Redis at 127.0.0.1:6379", "timed out");
            false
        }
    }
}

pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

pub fn manual_clock(at: i64) -> Arc<ManualClock> {
    Arc::new(ManualClock::new(at))
}
