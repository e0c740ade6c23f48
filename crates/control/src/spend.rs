//! Spend log rows (LiteLLM's `LiteLLM_SpendLogs`), journalled then written in
//! batches. `record` returns once the row is written to the local journal
//! (see `journal.rs`), and, with `fsync_each_batch`, once the journal is
//! fsync'd (group commit: one fsync per batch of concurrent callers). A
//! background task inserts journalled rows into the database in batches and
//! deletes the journal segment that held them once they are in. On open,
//! whatever the journal still holds (a crash, a database outage) is
//! replayed; inserts are `ON CONFLICT (request_id) DO NOTHING`, so replaying
//! twice is harmless.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{Any, Row};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::error::ControlError;
use crate::journal::Journal;
use crate::store::Store;

/// One request's spend, with LiteLLM_SpendLogs' columns (its camelCase
/// names on the wire).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpendRow {
    /// Unique per request; the idempotency key.
    pub request_id: String,
    /// "acompletion", "aembedding", ...
    pub call_type: String,
    /// The key's hash (never the plain key).
    pub api_key: String,
    /// Cost in USD.
    pub spend: f64,
    /// Tokens in all.
    pub total_tokens: i64,
    /// Prompt tokens.
    pub prompt_tokens: i64,
    /// Completion tokens.
    pub completion_tokens: i64,
    /// Request start (Unix ms).
    #[serde(rename = "startTime")]
    pub start_time: i64,
    /// Request end (Unix ms).
    #[serde(rename = "endTime")]
    pub end_time: i64,
    /// First token (Unix ms), for streams.
    #[serde(rename = "completionStartTime")]
    pub completion_start_time: Option<i64>,
    /// The model called.
    pub model: String,
    /// The router's model group.
    pub model_group: Option<String>,
    /// The deployment id.
    pub model_id: Option<String>,
    /// The upstream base URL.
    pub api_base: Option<String>,
    /// The end user (the request's `user` field).
    pub user: Option<String>,
    /// The key's user id.
    pub user_id: Option<String>,
    /// The key's team.
    pub team_id: Option<String>,
    /// Tags from the request.
    pub request_tags: Vec<String>,
    /// "success" or "failure".
    pub status: String,
    /// "True" or "False", as LiteLLM stores it.
    pub cache_hit: String,
}

/// Batching and journal settings.
#[derive(Debug, Clone)]
pub struct SpendLogConfig {
    /// The journal file (created if missing).
    pub journal: PathBuf,
    /// Insert into the database once this many rows are journalled...
    pub batch_rows: usize,
    /// ...or this long after the first one.
    pub flush_every: Duration,
    /// fdatasync the journal before acknowledging each batch (a row survives
    /// a power cut). Off, a row is acknowledged once written to the OS by the
    /// recording task (it survives SIGKILL, OOM kills and panics, not a power
    /// cut) and the journal is synced when its segment is rotated for the
    /// database: ~20 µs instead of ~0.2-4 ms on every request's path.
    pub fsync_each_batch: bool,
}

impl SpendLogConfig {
    /// Defaults: 500 rows or 1 s.
    pub fn new(journal: impl Into<PathBuf>) -> Self {
        Self {
            journal: journal.into(),
            batch_rows: 500,
            flush_every: Duration::from_secs(1),
            fsync_each_batch: true,
        }
    }
}

/// A recorded row, already in the journal, for the writer to store; with a
/// channel to answer once the journal is synced (when syncing per batch).
struct Recorded {
    row: Box<SpendRow>,
    synced: Option<oneshot::Sender<Result<(), String>>>,
}

/// The spend writer. Dropping it stops the writer without flushing (what a
/// crash does); call [`SpendLog::shutdown`] on SIGTERM.
#[derive(Debug)]
pub struct SpendLog {
    journal: Arc<Journal>,
    rows: mpsc::UnboundedSender<Recorded>,
    flushes: mpsc::UnboundedSender<oneshot::Sender<Result<(), String>>>,
    fsync_each_batch: bool,
    task: JoinHandle<()>,
}

impl Drop for SpendLog {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SpendLog {
    /// Replays the journal into `store`, then starts the writer.
    pub async fn open(store: Store, config: SpendLogConfig) -> Result<Self, ControlError> {
        let (journal, replayed, mut leftovers) = Journal::open(&config.journal)?;
        if !replayed.is_empty() {
            tracing::info!(rows = replayed.len(), "replaying spend journal");
            insert_rows(&store, &replayed).await?;
        }
        Journal::discard(&mut leftovers)?;
        let journal = Arc::new(journal);
        let (rows, rows_rx) = mpsc::unbounded_channel();
        let (flushes, flushes_rx) = mpsc::unbounded_channel();
        let fsync_each_batch = config.fsync_each_batch;
        let task = tokio::spawn(run_writer(
            store,
            config,
            Arc::clone(&journal),
            rows_rx,
            flushes_rx,
        ));
        Ok(Self {
            journal,
            rows,
            flushes,
            fsync_each_batch,
            task,
        })
    }

    /// Journals `row`: written to the journal by this task before it returns
    /// (and synced to disk first when `fsync_each_batch`); the database
    /// insert follows in a batch.
    pub async fn record(&self, row: SpendRow) -> Result<(), ControlError> {
        let mut line = serde_json::to_vec(&row).map_err(|e| {
            ControlError::Journal(std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })?;
        line.push(b'\n');
        let (synced, wait) = if self.fsync_each_batch {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let recorded = Recorded {
            row: Box::new(row),
            synced,
        };
        // Queued under the journal's lock: a rotation never misses a row.
        let queued = self
            .journal
            .append(&line, || self.rows.send(recorded).is_ok())?;
        if !queued {
            return Err(ControlError::SpendWriterStopped);
        }
        if let Some(wait) = wait {
            wait.await
                .map_err(|_| ControlError::SpendWriterStopped)?
                .map_err(|e| ControlError::Journal(std::io::Error::other(e)))?;
        }
        Ok(())
    }

    /// Inserts everything journalled so far into the database.
    pub async fn flush(&self) -> Result<(), ControlError> {
        let (done, wait) = oneshot::channel();
        self.flushes
            .send(done)
            .map_err(|_| ControlError::SpendWriterStopped)?;
        wait.await
            .map_err(|_| ControlError::SpendWriterStopped)?
            .map_err(|e| ControlError::Journal(std::io::Error::other(e)))
    }

    /// Flushes and stops (SIGTERM).
    pub async fn shutdown(self) -> Result<(), ControlError> {
        self.flush().await
    }
}

/// What the writer holds: rows journalled but not stored yet, and the
/// rotated segments that hold them.
struct Pending {
    rows: Vec<SpendRow>,
    segments: Vec<PathBuf>,
}

async fn run_writer(
    store: Store,
    config: SpendLogConfig,
    journal: Arc<Journal>,
    mut rows: mpsc::UnboundedReceiver<Recorded>,
    mut flushes: mpsc::UnboundedReceiver<oneshot::Sender<Result<(), String>>>,
) {
    let mut pending = Pending {
        rows: Vec::new(),
        segments: Vec::new(),
    };
    let mut deadline: Option<tokio::time::Instant> = None;
    loop {
        let due = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            recorded = rows.recv() => {
                let Some(first) = recorded else { return };
                // Group commit: whatever else is queued, then one sync.
                let mut batch = vec![first];
                while let Ok(more) = rows.try_recv() {
                    batch.push(more);
                }
                let mut acks = Vec::new();
                for r in batch {
                    pending.rows.push(*r.row);
                    acks.extend(r.synced);
                }
                if !acks.is_empty() {
                    let synced = journal.sync().map_err(|e| e.to_string());
                    for ack in acks {
                        let _ = ack.send(synced.clone());
                    }
                }
                if deadline.is_none() {
                    deadline = Some(tokio::time::Instant::now() + config.flush_every);
                }
                if pending.rows.len() >= config.batch_rows {
                    deadline = store_pending(&store, &journal, &mut rows, &mut pending, &config).await.err();
                }
            }
            flush = flushes.recv() => {
                let Some(ack) = flush else { return };
                let result = store_pending(&store, &journal, &mut rows, &mut pending, &config).await;
                deadline = result.err();
                let _ = ack.send(match deadline {
                    None => Ok(()),
                    Some(_) => Err("the database did not take the spend rows; they stay journalled".into()),
                });
            }
            () = due => {
                deadline = store_pending(&store, &journal, &mut rows, &mut pending, &config).await.err();
            }
        }
    }
}

/// Rotates the journal, inserts every pending row, and deletes the rotated
/// segments once the rows are in. On failure the rows stay pending (and on
/// disk) and the error is the time to try again.
async fn store_pending(
    store: &Store,
    journal: &Journal,
    queue: &mut mpsc::UnboundedReceiver<Recorded>,
    pending: &mut Pending,
    config: &SpendLogConfig,
) -> Result<(), tokio::time::Instant> {
    let retry = || tokio::time::Instant::now() + config.flush_every;
    let mut acks = Vec::new();
    let rotated = journal.rotate(|| {
        while let Ok(r) = queue.try_recv() {
            pending.rows.push(*r.row);
            acks.extend(r.synced);
        }
    });
    // Rows taken off the queue by the rotation are in the synced old segment.
    for ack in acks {
        let _ = ack.send(rotated.as_ref().map(|_| ()).map_err(|e| e.to_string()));
    }
    match rotated {
        Ok(old) => pending.segments.push(old),
        Err(e) => {
            tracing::warn!(error = %e, "spend journal rotation failed");
            return Err(retry());
        }
    }
    if !pending.rows.is_empty() {
        if let Err(e) = insert_rows(store, &pending.rows).await {
            tracing::warn!(error = %e, rows = pending.rows.len(), "spend rows not stored yet; kept in the journal");
            return Err(retry());
        }
        pending.rows.clear();
    }
    if let Err(e) = Journal::discard(&mut pending.segments) {
        tracing::warn!(error = %e, "stored spend segments could not be deleted (a replay is harmless)");
    }
    Ok(())
}

async fn insert_rows(store: &Store, rows: &[SpendRow]) -> Result<(), ControlError> {
    let mut tx = store.pool().begin().await?;
    for r in rows {
        sqlx::query::<Any>(
            "INSERT INTO llmrelay_spend_logs (request_id, call_type, api_key, spend, total_tokens, \
             prompt_tokens, completion_tokens, start_time, end_time, completion_start_time, model, \
             model_group, model_id, api_base, end_user, user_id, team_id, request_tags, status, cache_hit) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
             ON CONFLICT (request_id) DO NOTHING",
        )
        .bind(r.request_id.clone())
        .bind(r.call_type.clone())
        .bind(r.api_key.clone())
        .bind(r.spend)
        .bind(r.total_tokens)
        .bind(r.prompt_tokens)
        .bind(r.completion_tokens)
        .bind(r.start_time)
        .bind(r.end_time)
        .bind(r.completion_start_time)
        .bind(r.model.clone())
        .bind(r.model_group.clone())
        .bind(r.model_id.clone())
        .bind(r.api_base.clone())
        .bind(r.user.clone())
        .bind(r.user_id.clone())
        .bind(r.team_id.clone())
        .bind(serde_json::to_string(&r.request_tags).unwrap_or_else(|_| "[]".to_owned()))
        .bind(r.status.clone())
        .bind(r.cache_hit.clone())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Filters for [`Store::spend_logs`] and [`Store::spend_total`] (`/spend/logs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpendFilter {
    /// One key's hash.
    pub api_key: Option<String>,
    /// One user.
    pub user_id: Option<String>,
    /// One team.
    pub team_id: Option<String>,
    /// One request.
    pub request_id: Option<String>,
    /// Rows starting at or after (Unix ms).
    pub start_time: Option<i64>,
    /// Rows starting before (Unix ms).
    pub end_time: Option<i64>,
}

const FILTER_SQL: &str = "($1 = '' OR api_key = $1) AND ($2 = '' OR user_id = $2) \
     AND ($3 = '' OR team_id = $3) AND ($4 = '' OR request_id = $4) \
     AND start_time >= $5 AND start_time < $6";

fn bind_filter<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    f: &SpendFilter,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    q.bind(text(&f.api_key))
        .bind(text(&f.user_id))
        .bind(text(&f.team_id))
        .bind(text(&f.request_id))
        .bind(f.start_time.unwrap_or(i64::MIN))
        .bind(f.end_time.unwrap_or(i64::MAX))
}

impl Store {
    /// `/spend/logs`: matching rows, newest first, at most `limit`.
    pub async fn spend_logs(
        &self,
        filter: &SpendFilter,
        limit: i64,
    ) -> Result<Vec<SpendRow>, ControlError> {
        let sql = format!(
            "SELECT * FROM llmrelay_spend_logs WHERE {FILTER_SQL} ORDER BY start_time DESC, request_id LIMIT $7"
        );
        let rows = bind_filter(sqlx::query::<Any>(&sql), filter)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(SpendRow {
                    request_id: row.try_get("request_id")?,
                    call_type: row.try_get("call_type")?,
                    api_key: row.try_get("api_key")?,
                    spend: row.try_get("spend")?,
                    total_tokens: row.try_get("total_tokens")?,
                    prompt_tokens: row.try_get("prompt_tokens")?,
                    completion_tokens: row.try_get("completion_tokens")?,
                    start_time: row.try_get("start_time")?,
                    end_time: row.try_get("end_time")?,
                    completion_start_time: row.try_get("completion_start_time")?,
                    model: row.try_get("model")?,
                    model_group: row.try_get("model_group")?,
                    model_id: row.try_get("model_id")?,
                    api_base: row.try_get("api_base")?,
                    user: row.try_get("end_user")?,
                    user_id: row.try_get("user_id")?,
                    team_id: row.try_get("team_id")?,
                    request_tags: crate::store::json_column(row, "request_tags")?,
                    status: row.try_get("status")?,
                    cache_hit: row.try_get("cache_hit")?,
                })
            })
            .collect()
    }

    /// Total spend (USD) and row count of matching rows (per key/user/team totals).
    pub async fn spend_total(&self, filter: &SpendFilter) -> Result<(f64, i64), ControlError> {
        let sql = format!(
            "SELECT COALESCE(SUM(spend), 0.0) AS total, COUNT(*) AS n FROM llmrelay_spend_logs WHERE {FILTER_SQL}"
        );
        let row = bind_filter(sqlx::query::<Any>(&sql), filter)
            .fetch_one(self.pool())
            .await?;
        Ok((row.try_get("total")?, row.try_get("n")?))
    }
}
