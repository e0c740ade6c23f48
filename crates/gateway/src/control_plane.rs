//! The gateway's control plane: virtual keys, budgets, rate limits and spend
//! (llmrelay-control), opened from the config. It exists when the config
//! sets a master key (as in LiteLLM, virtual keys are minted by the master
//! key); the database is SQLite next to the config unless
//! `general_settings.database_url` or `DATABASE_URL` names PostgreSQL, and
//! Redis (LiteLLM's `router_settings.redis_*` or `REDIS_URL`) makes rate
//! limits global across instances.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use llmrelay_control::{
    CachePolicy, Clock, ControlError, KeyAuthorizer, LimiterHealth, RateLimiter, RedisDownPolicy,
    SpendLog, SpendLogConfig, Store,
};
use serde_json::{Map, Value};

use crate::config::{GatewayConfig, RedisDown};

/// Where the control plane keeps its state, and how it behaves when a
/// dependency is down.
#[derive(Clone)]
pub struct ControlSettings {
    /// A `postgres://` URL, or a SQLite file path.
    pub database: String,
    /// Redis for rate-limit windows shared by instances; None: per instance.
    pub redis_url: Option<String>,
    /// What rate limiting does when Redis is configured but down.
    pub redis_down: RedisDownPolicy,
    /// This instance's spend journal (one file per instance).
    pub journal: PathBuf,
    /// How stale cached key records may be (and how long they serve while
    /// the database is down).
    pub cache: CachePolicy,
    /// How often budgets whose period ended are reset.
    pub budget_reset_every: Duration,
    /// Redis key namespace (tests use one per test).
    pub redis_prefix: String,
    /// fdatasync the spend journal before each answer (see
    /// `SpendLogConfig::fsync_each_batch`).
    pub fsync_each_batch: bool,
}

impl std::fmt::Debug for ControlSettings {
    // Database and Redis URLs may carry passwords.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlSettings")
            .field("database", &redact_url(&self.database))
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("redis_down", &self.redis_down)
            .field("journal", &self.journal)
            .finish_non_exhaustive()
    }
}

/// `scheme://user:password@host` -> `scheme://***@host`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

impl ControlSettings {
    /// Settings with LiteLLM's sources: `database_url` (else `DATABASE_URL`,
    /// else `default_sqlite`), Redis from `router_settings.redis_url` or
    /// `redis_host`/`redis_port`/`redis_password` (else `REDIS_URL`).
    pub fn new(
        database_url: Option<&str>,
        router_settings: &Map<String, Value>,
        default_sqlite: PathBuf,
        journal: PathBuf,
    ) -> Self {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let database = database_url
            .map(str::to_owned)
            .or_else(|| env("DATABASE_URL"))
            .unwrap_or_else(|| default_sqlite.to_string_lossy().into_owned());
        ControlSettings {
            database,
            redis_url: redis_url(router_settings),
            redis_down: RedisDownPolicy::FailClosed,
            journal,
            cache: CachePolicy::default(),
            budget_reset_every: Duration::from_secs(60),
            redis_prefix: "llmrelay".to_owned(),
            fsync_each_batch: false,
        }
    }
}

impl ControlSettings {
    /// Settings for `config`, keeping SQLite and the spend journal in
    /// `data_dir` (the config's folder). `instance` names this instance's
    /// journal (its port): instances sharing a folder never share a journal.
    pub fn from_config(config: &GatewayConfig, data_dir: &Path, instance: &str) -> Self {
        let general = &config.general_settings;
        let mut settings = ControlSettings::new(
            general.database_url.as_deref(),
            &config.router_settings,
            data_dir.join("llmrelay.db"),
            data_dir.join(format!("llmrelay-spend-{instance}.journal")),
        );
        settings.redis_down = match general.redis_down_policy {
            Some(RedisDown::LocalFallback) => RedisDownPolicy::LocalFallback,
            Some(RedisDown::FailClosed) | None => RedisDownPolicy::FailClosed,
        };
        settings.fsync_each_batch = general.spend_journal_fsync.unwrap_or(false);
        settings
    }
}

/// The Redis URL LiteLLM's router settings describe (`redis_url`, or
/// `redis_host`/`redis_port`/`redis_password`), else `REDIS_URL`.
pub fn redis_url(settings: &Map<String, Value>) -> Option<String> {
    redis_url_in(settings).or_else(|| std::env::var("REDIS_URL").ok().filter(|v| !v.is_empty()))
}

fn redis_url_in(settings: &Map<String, Value>) -> Option<String> {
    let text = |key: &str| match settings.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(url) = text("redis_url") {
        return Some(url);
    }
    let host = text("redis_host")?;
    let port = text("redis_port").unwrap_or_else(|| "6379".to_owned());
    Some(match text("redis_password") {
        Some(password) => format!("redis://:{password}@{host}:{port}/"),
        None => format!("redis://{host}:{port}/"),
    })
}

/// The router settings that configure the control plane rather than the
/// router (so the router does not warn about them).
pub const REDIS_SETTINGS: &[&str] = &["redis_url", "redis_host", "redis_port", "redis_password"];

/// The open control plane, shared by every request.
#[derive(Debug)]
pub struct ControlPlane {
    /// Keys, users, teams, budgets, spend rows.
    pub store: Store,
    /// Key lookups through a bounded-staleness cache.
    pub keys: KeyAuthorizer,
    /// rpm / tpm / parallel limits.
    pub limiter: RateLimiter,
    /// The journalled spend writer.
    pub spend: SpendLog,
    /// Budget settlements still running off the request path.
    settling: std::sync::atomic::AtomicUsize,
    settled: tokio::sync::Notify,
    reset: tokio::task::JoinHandle<()>,
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        self.reset.abort();
    }
}

/// The state of the control plane's dependencies, for readiness and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlHealth {
    /// The database answers.
    pub database_up: bool,
    /// Where rate limits are counted, and whether Redis is down.
    pub limiter: LimiterHealth,
}

impl ControlPlane {
    /// Opens the database (migrations applied), replays the spend journal,
    /// and starts the budget-reset task. Must run inside a tokio runtime.
    pub async fn open(settings: &ControlSettings) -> Result<ControlPlane, String> {
        ControlPlane::open_with_clock(settings, Arc::new(llmrelay_control::SystemClock)).await
    }

    /// [`ControlPlane::open`] on `clock` (tests move time by hand).
    pub async fn open_with_clock(
        settings: &ControlSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<ControlPlane, String> {
        let store = Store::open(&settings.database, clock.clone())
            .await
            .map_err(|e| {
                format!(
                    "cannot open the key database {}: {e}",
                    redact_url(&settings.database)
                )
            })?;
        let limiter = RateLimiter::new(
            settings.redis_url.as_deref(),
            &settings.redis_prefix,
            settings.redis_down,
            clock,
        )
        .map_err(|e| format!("invalid Redis settings: {e}"))?;
        let journal = SpendLogConfig {
            fsync_each_batch: settings.fsync_each_batch,
            ..SpendLogConfig::new(&settings.journal)
        };
        let spend = SpendLog::open(store.clone(), journal)
            .await
            .map_err(|e: ControlError| {
                format!(
                    "cannot open the spend journal {}: {e}",
                    settings.journal.display()
                )
            })?;
        let reset = tokio::spawn(reset_budgets(store.clone(), settings.budget_reset_every));
        Ok(ControlPlane {
            keys: KeyAuthorizer::new(store.clone(), settings.cache),
            store,
            limiter,
            spend,
            settling: std::sync::atomic::AtomicUsize::new(0),
            settled: tokio::sync::Notify::new(),
            reset,
        })
    }

    /// Whether the database answers and how rate limits are counted now.
    pub async fn health(&self) -> ControlHealth {
        let database_up = tokio::time::timeout(Duration::from_secs(2), self.store.ping())
            .await
            .unwrap_or(false);
        ControlHealth {
            database_up,
            limiter: self.limiter.health(),
        }
    }

    /// Runs `settlement` (a budget settlement and permit release) off the
    /// request path, counted so that shutdown can wait for it.
    pub fn spawn_settlement(
        self: &Arc<Self>,
        settlement: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        use std::sync::atomic::Ordering;
        self.settling.fetch_add(1, Ordering::SeqCst);
        let this = Arc::clone(self);
        tokio::spawn(async move {
            settlement.await;
            if this.settling.fetch_sub(1, Ordering::SeqCst) == 1 {
                this.settled.notify_waiters();
            }
        });
    }

    /// On shutdown: waits (up to `limit`) for running settlements, then
    /// writes every journalled spend row to the database.
    pub async fn drain(&self, limit: Duration) -> Result<(), ControlError> {
        use std::sync::atomic::Ordering;
        let _ = tokio::time::timeout(limit, async {
            loop {
                let idle = self.settled.notified();
                if self.settling.load(Ordering::SeqCst) == 0 {
                    break;
                }
                idle.await;
            }
        })
        .await;
        self.spend.flush().await
    }
}

/// Resets budgets whose period ended and gives back expired holds, every
/// `every` (reservations also reset lazily, so a missed tick only delays what
/// `/key/info` shows).
async fn reset_budgets(store: Store, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = store.reset_due_budgets().await {
            eprintln!("llmrelay: budget reset failed: {e}");
        }
        // Holds of calls that never settled (an instance killed mid-call).
        if let Err(e) = store.release_expired_holds().await {
            eprintln!("llmrelay: releasing expired budget holds failed: {e}");
        }
    }
}

/// LiteLLM's words for the limiter's state.
pub fn limiter_state(health: LimiterHealth) -> &'static str {
    match health {
        LimiterHealth::Local => "local",
        LimiterHealth::Redis => "redis",
        LimiterHealth::RedisDownFailClosed => "redis_down_fail_closed",
        LimiterHealth::RedisDownLocalFallback => "redis_down_local_fallback",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redis_url_from_litellm_router_settings() {
        let s = json!({"redis_host": "cache", "redis_port": 6380, "redis_password": "pw"});
        assert_eq!(
            redis_url_in(s.as_object().unwrap_or(&Map::new())).as_deref(),
            Some("redis://:pw@cache:6380/")
        );
        let s = json!({"redis_host": "cache"});
        assert_eq!(
            redis_url_in(s.as_object().unwrap_or(&Map::new())).as_deref(),
            Some("redis://cache:6379/")
        );
        assert_eq!(redis_url_in(&Map::new()), None);
    }

    #[test]
    fn urls_print_without_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@db:5432/x"),
            "postgres://***@db:5432/x"
        );
        assert_eq!(redact_url("/tmp/llmrelay.db"), "/tmp/llmrelay.db");
    }
}
