//! The database: SQLite by default, PostgreSQL for a `postgres://` URL, one
//! set of portable queries through sqlx's `Any` driver, migrations at open.

mod accounts;
mod budget;
mod keys;

pub use budget::Reservation;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Executor, Row};

use crate::clock::Clock;
use crate::duration::parse_duration_ms;
use crate::error::{ControlError, ValidationError};
use crate::records::{Limits, SpendState};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Keys, users, teams, budgets and spend rows in one database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    clock: Arc<dyn Clock>,
    hold_ttl_ms: i64,
}

const DEFAULT_HOLD_TTL_MS: i64 = 3_600_000;

/// SHA-256 hex of a plain key: the only form a key is stored or looked up in
/// (LiteLLM hashes `sk-...` keys the same way).
pub fn hash_key(plain_key: &str) -> String {
    hex::encode(Sha256::digest(plain_key.as_bytes()))
}

pub(crate) fn to_nanos(usd: f64) -> i64 {
    (usd * 1e9).round() as i64
}

pub(crate) fn from_nanos(nanos: i64) -> f64 {
    nanos as f64 / 1e9
}

impl Store {
    /// Opens `database`: a `postgres://`/`postgresql://` URL, a `sqlite:` URL,
    /// or otherwise a SQLite file path (created if missing). Applies
    /// migrations.
    pub async fn open(database: &str, clock: Arc<dyn Clock>) -> Result<Self, ControlError> {
        sqlx::any::install_default_drivers();
        let (url, dialect) =
            if database.starts_with("postgres://") || database.starts_with("postgresql://") {
                (database.to_owned(), Dialect::Postgres)
            } else if database.starts_with("sqlite:") {
                (database.to_owned(), Dialect::Sqlite)
            } else {
                (format!("sqlite://{database}?mode=rwc"), Dialect::Sqlite)
            };
        // SQLite has one writer: one connection serializes budget updates in
        // process instead of failing them with SQLITE_BUSY.
        let max = if dialect == Dialect::Sqlite { 1 } else { 16 };
        let pool = AnyPoolOptions::new()
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // WAL with synchronous=NORMAL: a commit survives a
                        // process crash (SIGKILL) without an fsync per budget
                        // update (~10x faster reserve+settle); a power cut may
                        // lose the last commits, while spend rows stay safe in
                        // the fsync'd spend journal.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
                            .await?;
                    }
                    Ok(())
                })
            })
            .max_connections(max)
            // A database outage must surface as an error quickly (503 or the
            // key cache), not hang the request.
            .acquire_timeout(Duration::from_secs(3))
            .connect(&url)
            .await?;
        migrator().run(&pool).await?;
        Ok(Self {
            pool,
            dialect,
            clock,
            hold_ttl_ms: DEFAULT_HOLD_TTL_MS,
        })
    }

    /// How long a budget hold may stay unsettled before
    /// [`Store::release_expired_holds`] gives it back (default one hour:
    /// longer than any call the gateway lets run).
    pub fn with_hold_ttl_ms(mut self, ttl_ms: i64) -> Self {
        self.hold_ttl_ms = ttl_ms.max(1);
        self
    }

    pub(crate) fn hold_ttl_ms(&self) -> i64 {
        self.hold_ttl_ms
    }

    /// The database kind.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query::<Any>("SELECT 1")
            .execute(&self.pool)
            .await
            .is_ok()
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

fn migrator() -> Migrator {
    let init = Migration::new(
        1,
        Cow::Borrowed("init"),
        MigrationType::Simple,
        Cow::Borrowed(include_str!("../../migrations/0001_init.sql")),
        false,
    );
    let holds = Migration::new(
        2,
        Cow::Borrowed("holds"),
        MigrationType::Simple,
        Cow::Borrowed(include_str!("../../migrations/0002_holds.sql")),
        false,
    );
    Migrator {
        migrations: Cow::Owned(vec![init, holds]),
        ..Migrator::DEFAULT
    }
}

/// The limit columns every record table shares, in bind order.
pub(crate) const LIMIT_COLUMNS: &str = "models, max_budget_nanos, soft_budget_nanos, budget_duration, \
     budget_duration_ms, budget_reset_at, rpm_limit, tpm_limit, max_parallel_requests, metadata, blocked";

/// Limits checked and turned into column values.
pub(crate) struct LimitValues {
    models: String,
    max_budget: Option<i64>,
    soft_budget: Option<i64>,
    budget_duration: Option<String>,
    budget_duration_ms: Option<i64>,
    budget_reset_at: Option<i64>,
    rpm: Option<i64>,
    tpm: Option<i64>,
    parallel: Option<i64>,
    metadata: String,
    blocked: i64,
}

impl LimitValues {
    /// Validates `limits`; `reset_at` is kept when the duration is unchanged.
    pub(crate) fn new(
        limits: &Limits,
        now_ms: i64,
        previous: Option<(&Option<String>, Option<i64>)>,
    ) -> Result<Self, ValidationError> {
        let budget = |v: Option<f64>, field| match v {
            Some(x) if !x.is_finite() || x < 0.0 => Err(ValidationError::BadBudget { field }),
            other => Ok(other.map(to_nanos)),
        };
        let limit = |v: Option<i64>, field| match v {
            Some(x) if x < 0 => Err(ValidationError::BadLimit { field }),
            other => Ok(other),
        };
        let max_budget = budget(limits.max_budget, "max_budget")?;
        let soft_budget = budget(limits.soft_budget, "soft_budget")?;
        if let (Some(max), Some(soft)) = (max_budget, soft_budget) {
            if soft > max {
                return Err(ValidationError::SoftAboveMax);
            }
        }
        let budget_duration_ms = limits
            .budget_duration
            .as_deref()
            .map(parse_duration_ms)
            .transpose()?;
        let budget_reset_at = match (previous, budget_duration_ms) {
            (_, None) => None,
            (Some((old, at)), Some(_)) if *old == limits.budget_duration => at,
            (_, Some(ms)) => Some(now_ms.saturating_add(ms)),
        };
        Ok(Self {
            models: json_text(&limits.models),
            max_budget,
            soft_budget,
            budget_duration: limits.budget_duration.clone(),
            budget_duration_ms,
            budget_reset_at,
            rpm: limit(limits.rpm_limit, "rpm_limit")?,
            tpm: limit(limits.tpm_limit, "tpm_limit")?,
            parallel: limit(limits.max_parallel_requests, "max_parallel_requests")?,
            metadata: json_text(&limits.metadata),
            blocked: i64::from(limits.blocked),
        })
    }

    /// Binds the values in [`LIMIT_COLUMNS`] order.
    pub(crate) fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        q.bind(self.models)
            .bind(self.max_budget)
            .bind(self.soft_budget)
            .bind(self.budget_duration)
            .bind(self.budget_duration_ms)
            .bind(self.budget_reset_at)
            .bind(self.rpm)
            .bind(self.tpm)
            .bind(self.parallel)
            .bind(self.metadata)
            .bind(self.blocked)
    }
}

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    row: &AnyRow,
    column: &'static str,
) -> Result<T, ControlError> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| ControlError::Corrupt {
        column,
        reason: e.to_string(),
    })
}

pub(crate) fn limits_from_row(row: &AnyRow) -> Result<Limits, ControlError> {
    Ok(Limits {
        models: json_column(row, "models")?,
        max_budget: row
            .try_get::<Option<i64>, _>("max_budget_nanos")?
            .map(from_nanos),
        soft_budget: row
            .try_get::<Option<i64>, _>("soft_budget_nanos")?
            .map(from_nanos),
        budget_duration: row.try_get("budget_duration")?,
        rpm_limit: row.try_get("rpm_limit")?,
        tpm_limit: row.try_get("tpm_limit")?,
        max_parallel_requests: row.try_get("max_parallel_requests")?,
        metadata: json_column(row, "metadata")?,
        blocked: row.try_get::<i64, _>("blocked")? != 0,
    })
}

pub(crate) fn spend_from_row(row: &AnyRow) -> Result<SpendState, ControlError> {
    Ok(SpendState {
        spend: from_nanos(row.try_get("spend_nanos")?),
        reserved: from_nanos(row.try_get("reserved_nanos")?),
        budget_reset_at: row.try_get("budget_reset_at")?,
    })
}
