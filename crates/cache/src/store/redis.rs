//! Entries in Redis: GET, SET with EX (PX for a fractional lifetime), DEL,
//! and a flush that removes only this cache's namespace. The connection is
//! made on first use and kept by redis-rs's ConnectionManager (which
//! reconnects); every command is bounded by a short timeout, so a dead
//! Redis is an error within that time, never a hang, and after a failed
//! connect the store fails fast for a second instead of dialling again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{ConnectionAddr, ConnectionInfo, RedisConnectionInfo};
use tokio::sync::OnceCell;

use crate::error::CacheError;

/// Default bound on connecting and on each command.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a failed connect is remembered before the next attempt.
const RETRY_CONNECT_AFTER: Duration = Duration::from_secs(1);

/// Where the Redis is and how to log in. `Debug` never shows the password.
#[derive(Clone, Default)]
pub struct RedisTarget {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Database number.
    pub db: i64,
    /// ACL user name.
    pub username: Option<String>,
    /// Password.
    pub password: Option<String>,
}

impl std::fmt::Debug for RedisTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisTarget")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("db", &self.db)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl RedisTarget {
    /// Reads `redis://[user][:password@]host[:port][/db]` (also `rediss://`
    /// is refused: this store speaks plain TCP).
    pub fn from_url(url: &str) -> Result<RedisTarget, CacheError> {
        let bad = |why: &str| CacheError::Config(format!("redis url: {why}"));
        let rest = url
            .strip_prefix("redis://")
            .ok_or_else(|| bad("must start with redis:// (TLS is not supported here)"))?;
        let (auth, rest) = match rest.rsplit_once('@') {
            Some((auth, rest)) => (Some(auth), rest),
            None => (None, rest),
        };
        let (hostport, db) = match rest.split_once('/') {
            Some((hp, db)) if !db.is_empty() => (
                hp,
                db.parse::<i64>()
                    .map_err(|_| bad("database must be a number"))?,
            ),
            Some((hp, _)) => (hp, 0),
            None => (rest, 0),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>().map_err(|_| bad("port must be a number"))?,
            ),
            None => (hostport, 6379),
        };
        let (username, password) = match auth {
            Some(a) => match a.split_once(':') {
                Some((u, p)) => ((!u.is_empty()).then(|| u.to_string()), Some(p.to_string())),
                None => (Some(a.to_string()), None),
            },
            None => (None, None),
        };
        Ok(RedisTarget {
            host: if host.is_empty() {
                "127.0.0.1".into()
            } else {
                host.into()
            },
            port,
            db,
            username,
            password,
        })
    }

    fn addr(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// A Redis-backed store.
pub struct RedisStore {
    client: redis::Client,
    addr: String,
    timeout: Duration,
    conn: OnceCell<ConnectionManager>,
    /// Milliseconds since `epoch` of the last failed connect (0: none).
    failed_at_ms: AtomicU64,
    epoch: Instant,
    /// The namespace `flush` is limited to (None: the whole database).
    namespace: Option<String>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("addr", &self.addr)
            .field("timeout", &self.timeout)
            .field("namespace", &self.namespace)
            .finish()
    }
}

impl RedisStore {
    /// A store on `target` (nothing is dialled until the first command).
    /// `namespace` limits `flush` to the keys `namespace:*`.
    pub fn new(
        target: &RedisTarget,
        timeout: Duration,
        namespace: Option<String>,
    ) -> Result<Self, CacheError> {
        let info = ConnectionInfo {
            addr: ConnectionAddr::Tcp(target.host.clone(), target.port),
            redis: RedisConnectionInfo {
                db: target.db,
                username: target.username.clone(),
                password: target.password.clone(),
                ..RedisConnectionInfo::default()
            },
        };
        let client = redis::Client::open(info).map_err(|e| CacheError::Config(e.to_string()))?;
        Ok(RedisStore {
            client,
            addr: target.addr(),
            timeout,
            conn: OnceCell::new(),
            failed_at_ms: AtomicU64::new(0),
            epoch: Instant::now(),
            namespace: namespace.filter(|n| !n.is_empty()),
        })
    }

    fn unavailable(&self, reason: impl std::fmt::Display) -> CacheError {
        CacheError::RedisUnavailable {
            addr: self.addr.clone(),
            reason: reason.to_string(),
        }
    }

    fn error(&self, e: redis::RedisError) -> CacheError {
        if e.kind() == redis::ErrorKind::ResponseError
            || e.kind() == redis::ErrorKind::ExtensionError
            || e.kind() == redis::ErrorKind::AuthenticationFailed
        {
            CacheError::RedisReply(e.to_string())
        } else {
            self.unavailable(e)
        }
    }

    async fn connection(&self) -> Result<ConnectionManager, CacheError> {
        if let Some(conn) = self.conn.get() {
            return Ok(conn.clone());
        }
        let failed = self.failed_at_ms.load(Ordering::Relaxed);
        let now = self.epoch.elapsed().as_millis() as u64 + 1;
        if failed != 0 && now.saturating_sub(failed) < RETRY_CONNECT_AFTER.as_millis() as u64 {
            return Err(self.unavailable("the last connection attempt failed under a second ago"));
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(self.timeout)
            .set_response_timeout(self.timeout)
            .set_number_of_retries(0);
        let connect = ConnectionManager::new_with_config(self.client.clone(), config);
        let made = self
            .conn
            .get_or_try_init(|| async {
                match tokio::time::timeout(self.timeout * 2, connect).await {
                    Ok(Ok(conn)) => Ok(conn),
                    Ok(Err(e)) => Err(self.error(e)),
                    Err(_) => Err(self.unavailable("timed out connecting")),
                }
            })
            .await;
        match made {
            Ok(conn) => Ok(conn.clone()),
            Err(e) => {
                let failed = self.epoch.elapsed().as_millis() as u64 + 1;
                self.failed_at_ms.store(failed, Ordering::Relaxed);
                Err(e)
            }
        }
    }

    async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, CacheError> {
        let mut conn = self.connection().await?;
        match tokio::time::timeout(self.timeout, cmd.query_async::<T>(&mut conn)).await {
            Ok(result) => result.map_err(|e| self.error(e)),
            Err(_) => Err(self.unavailable("timed out waiting for an answer")),
        }
    }

    /// The value under `key`, if any.
    pub async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        self.run(redis::cmd("GET").arg(key)).await
    }

    /// Stores `value` under `key` for `ttl` (None: no expiry).
    pub async fn set(
        &self,
        key: &str,
        value: &str,
        ttl: Option<Duration>,
    ) -> Result<(), CacheError> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(key).arg(value);
        match ttl {
            Some(t) if t.subsec_nanos() == 0 => {
                cmd.arg("EX").arg(t.as_secs().max(1));
            }
            Some(t) => {
                cmd.arg("PX").arg((t.as_millis() as u64).max(1));
            }
            None => {}
        }
        self.run::<()>(&cmd).await
    }

    /// Removes `key`.
    pub async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.run::<()>(redis::cmd("DEL").arg(key)).await
    }

    /// Removes this cache's entries: the keys `namespace:*` when the store
    /// has a namespace, else every key of the database (LiteLLM's flush).
    pub async fn flush(&self) -> Result<(), CacheError> {
        let Some(ns) = &self.namespace else {
            return self.run::<()>(&redis::cmd("FLUSHDB")).await;
        };
        let pattern = format!("{}:*", escape_glob(ns));
        let mut cursor: u64 = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = self
                .run(
                    redis::cmd("SCAN")
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(&pattern)
                        .arg("COUNT")
                        .arg(500),
                )
                .await?;
            if !keys.is_empty() {
                self.run::<()>(redis::cmd("DEL").arg(&keys)).await?;
            }
            if next == 0 {
                return Ok(());
            }
            cursor = next;
        }
    }

    /// The store's own namespace (the keys `flush` removes).
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
}

/// A namespace as a literal inside a Redis glob pattern.
fn escape_glob(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\' | '^') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn urls_parse_and_debug_hides_the_password() {
        let t = RedisTarget::from_url("redis://:s3cret@cache.local:6380/2").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.db), ("cache.local", 6380, 2));
        assert_eq!(t.password.as_deref(), Some("s3cret"));
        assert!(!format!("{t:?}").contains("s3cret"));
        let t = RedisTarget::from_url("redis://127.0.0.1").unwrap();
        assert_eq!((t.port, t.db, t.password), (6379, 0, None));
        assert!(RedisTarget::from_url("rediss://x").is_err());
        assert!(RedisTarget::from_url("redis://h:port").is_err());
        assert_eq!(escape_glob("a*b"), "a\\*b");
    }
}
