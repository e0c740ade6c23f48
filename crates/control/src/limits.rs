//! rpm, tpm and max_parallel_requests per key, team and user: global across
//! instances through one Lua script on Redis (check every limit, then count,
//! atomically), in-process when Redis is not configured, and a declared
//! policy when Redis is down.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

use crate::auth::Authorized;
use crate::clock::Clock;
use crate::error::{AuthError, LimitKind, Scope};

/// What to do when Redis is configured but does not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedisDownPolicy {
    /// Refuse requests with `Unavailable` (503): limits stay global or nothing.
    #[default]
    FailClosed,
    /// Count in this instance only (limits multiply by the instance count).
    LocalFallback,
}

/// The limiter's state, for `/health/readiness` and `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimiterHealth {
    /// No Redis configured: limits are per instance by design.
    Local,
    /// Redis answers: limits are global.
    Redis,
    /// Redis is down and requests are refused.
    RedisDownFailClosed,
    /// Redis is down and limits are per instance.
    RedisDownLocalFallback,
}

const WINDOW_MS: i64 = 60_000;
const RECONNECT_AFTER_MS: i64 = 5_000;
/// A permit never released (a crashed instance) stops counting after this.
const PARALLEL_TTL_S: i64 = 600;

// KEYS: per scope, rpm, tpm and parallel counters. ARGV: window TTL, then per
// scope the three limits (-1 = none). Returns {scope index, kind} of the limit
// hit, or {-1, requests, tokens} after counting the request in every rpm and
// parallel counter, where requests and tokens are the key's (first scope's)
// counts this minute, for the x-ratelimit-* response headers.
const ACQUIRE_LUA: &str = r"
local n = #KEYS / 3
for i = 0, n - 1 do
  for k = 1, 3 do
    local limit = tonumber(ARGV[2 + i * 3 + k - 1])
    if limit >= 0 and tonumber(redis.call('GET', KEYS[i * 3 + k]) or '0') >= limit then
      return {i, k}
    end
  end
end
for i = 0, n - 1 do
  redis.call('INCR', KEYS[i * 3 + 1])
  redis.call('EXPIRE', KEYS[i * 3 + 1], ARGV[1])
  redis.call('INCR', KEYS[i * 3 + 3])
  redis.call('EXPIRE', KEYS[i * 3 + 3], ARGV[#ARGV])
end
return {-1, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0')}
";

/// Proof a request was admitted; give it back to [`RateLimiter::release`].
#[derive(Debug)]
#[must_use = "a permit holds a parallel-request slot until released"]
pub struct RatePermit {
    counters: Vec<[String; 3]>,
    redis: bool,
    key_usage: (i64, i64),
}

impl RatePermit {
    /// The key's requests (this one included) and tokens counted in the
    /// current minute, for LiteLLM's `x-ratelimit-remaining-*` headers.
    pub fn key_usage(&self) -> (i64, i64) {
        self.key_usage
    }
}

/// Counts requests and tokens against every applicable limit.
pub struct RateLimiter {
    prefix: String,
    clock: Arc<dyn Clock>,
    policy: RedisDownPolicy,
    redis: Option<(redis::Client, OnceCell<ConnectionManager>)>,
    local: Mutex<HashMap<String, (i64, i64)>>,
    health: AtomicU8,
    script: redis::Script,
    // After a failed connect, wait before the next attempt, so requests under
    // a Redis outage do not each pay a connect timeout.
    last_connect_failure_ms: AtomicI64,
}

impl std::fmt::Debug for RateLimiter {
    // Manual: the Redis client holds the URL, which may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("prefix", &self.prefix)
            .field("policy", &self.policy)
            .field("redis", &self.redis.is_some())
            .field("health", &self.health())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// A limiter on `redis_url` (None: in-process). `prefix` namespaces the
    /// Redis keys (one per deployment; tests use one per test).
    pub fn new(
        redis_url: Option<&str>,
        prefix: &str,
        policy: RedisDownPolicy,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, redis::RedisError> {
        let redis = redis_url
            .map(|url| redis::Client::open(url).map(|c| (c, OnceCell::new())))
            .transpose()?;
        let health = if redis.is_some() {
            LimiterHealth::Redis
        } else {
            LimiterHealth::Local
        };
        Ok(Self {
            prefix: prefix.to_owned(),
            clock,
            policy,
            redis,
            local: Mutex::new(HashMap::new()),
            health: AtomicU8::new(health as u8),
            script: redis::Script::new(ACQUIRE_LUA),
            last_connect_failure_ms: AtomicI64::new(i64::MIN),
        })
    }

    /// Whether limits are currently global, local, or refused.
    pub fn health(&self) -> LimiterHealth {
        match self.health.load(Ordering::Relaxed) {
            0 => LimiterHealth::Local,
            1 => LimiterHealth::Redis,
            2 => LimiterHealth::RedisDownFailClosed,
            _ => LimiterHealth::RedisDownLocalFallback,
        }
    }

    fn set_health(&self, to: LimiterHealth) {
        let was = self.health.swap(to as u8, Ordering::Relaxed);
        if was != to as u8 {
            match to {
                LimiterHealth::Redis => {
                    tracing::info!("redis is back: rate limits are global again")
                }
                LimiterHealth::RedisDownFailClosed => {
                    tracing::error!("redis unreachable: refusing requests (policy fail_closed)")
                }
                LimiterHealth::RedisDownLocalFallback => {
                    tracing::error!(
                        "redis unreachable: rate limits are per instance (policy local_fallback)"
                    )
                }
                LimiterHealth::Local => {}
            }
        }
    }

    /// Admits one request against every rpm, tpm and parallel limit of `auth`.
    pub async fn acquire(&self, auth: &Authorized) -> Result<RatePermit, AuthError> {
        let now = self.clock.now_ms();
        let minute = now / WINDOW_MS;
        let mut counters = Vec::new();
        let mut limits = Vec::new();
        for (scope, id, l) in auth.limits() {
            let base = format!("{}:{}:{}", self.prefix, scope.as_str(), id);
            counters.push([
                format!("{base}:rpm:{minute}"),
                format!("{base}:tpm:{minute}"),
                format!("{base}:parallel"),
            ]);
            limits.push((scope, [l.rpm_limit, l.tpm_limit, l.max_parallel_requests]));
        }
        let retry_after_s = u64::try_from((WINDOW_MS - now % WINDOW_MS + 999) / 1000).unwrap_or(60);
        let refuse = |i: usize, k: usize| {
            let (scope, l) = limits.get(i).copied().unwrap_or((Scope::Key, [None; 3]));
            let kind = [LimitKind::Rpm, LimitKind::Tpm, LimitKind::Parallel][k.min(2)];
            AuthError::RateLimited {
                scope,
                kind,
                limit: l[k.min(2)].unwrap_or(0),
                retry_after_s: if kind == LimitKind::Parallel {
                    0
                } else {
                    retry_after_s
                },
            }
        };
        if let Some(conn) = self.connection().await {
            let mut script = self.script.prepare_invoke();
            for c in &counters {
                script.key(&c[0]).key(&c[1]).key(&c[2]);
            }
            script.arg(WINDOW_MS / 1000 + 1);
            for (_, l) in &limits {
                for v in l {
                    script.arg(v.unwrap_or(-1));
                }
            }
            script.arg(PARALLEL_TTL_S);
            let mut conn = conn.clone();
            match script.invoke_async::<Vec<i64>>(&mut conn).await {
                Ok(reply) if reply.first() == Some(&-1) => {
                    self.set_health(LimiterHealth::Redis);
                    let at = |n: usize| reply.get(n).copied().unwrap_or(0);
                    return Ok(RatePermit {
                        counters,
                        redis: true,
                        key_usage: (at(1), at(2)),
                    });
                }
                Ok(reply) => {
                    let (i, k) = (
                        reply.first().copied().unwrap_or(0),
                        reply.get(1).copied().unwrap_or(1),
                    );
                    self.set_health(LimiterHealth::Redis);
                    return Err(refuse(i as usize, (k - 1) as usize));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "redis rate-limit call failed");
                    self.redis_down()?;
                }
            }
        } else if self.redis.is_some() {
            self.redis_down()?;
        }
        let mut local = self
            .local
            .lock()
            .map_err(|_| AuthError::Unavailable("limiter".into()))?;
        local.retain(|_, (_, expires)| *expires > now);
        for (i, (c, (_, l))) in counters.iter().zip(&limits).enumerate() {
            for (k, (counter, limit)) in c.iter().zip(l).enumerate() {
                let used = local.get(counter).map_or(0, |(n, _)| *n);
                if limit.is_some_and(|limit| used >= limit) {
                    return Err(refuse(i, k));
                }
            }
        }
        for c in &counters {
            for (k, ttl) in [(0, WINDOW_MS * 2), (2, PARALLEL_TTL_S * 1000)] {
                let e = local.entry(c[k].clone()).or_insert((0, now + ttl));
                e.0 += 1;
            }
        }
        let count = |name: &String| local.get(name).map_or(0, |(n, _)| *n);
        let key_usage = counters
            .first()
            .map_or((0, 0), |c| (count(&c[0]), count(&c[1])));
        Ok(RatePermit {
            counters,
            redis: false,
            key_usage,
        })
    }

    /// Frees the permit's parallel slot and counts `tokens` against tpm.
    pub async fn release(&self, permit: RatePermit, tokens: u64) {
        let tokens = i64::try_from(tokens).unwrap_or(i64::MAX);
        if permit.redis {
            if let Some(conn) = self.connection().await {
                let mut pipe = redis::pipe();
                for c in &permit.counters {
                    pipe.incr(&c[1], tokens)
                        .ignore()
                        .expire(&c[1], WINDOW_MS / 1000 + 1)
                        .ignore();
                    pipe.decr(&c[2], 1).ignore();
                }
                let mut conn = conn.clone();
                if let Err(e) = pipe.query_async::<()>(&mut conn).await {
                    // The parallel counters expire on their own (PARALLEL_TTL_S).
                    tracing::warn!(error = %e, "redis release failed");
                }
            }
            return;
        }
        let now = self.clock.now_ms();
        if let Ok(mut local) = self.local.lock() {
            for c in &permit.counters {
                let e = local
                    .entry(c[1].clone())
                    .or_insert((0, now + WINDOW_MS * 2));
                e.0 = e.0.saturating_add(tokens);
                if let Some(p) = local.get_mut(&c[2]) {
                    p.0 -= 1;
                }
            }
        }
    }

    fn redis_down(&self) -> Result<(), AuthError> {
        match self.policy {
            RedisDownPolicy::FailClosed => {
                self.set_health(LimiterHealth::RedisDownFailClosed);
                Err(AuthError::Unavailable(
                    "rate limiter (redis) unreachable".into(),
                ))
            }
            RedisDownPolicy::LocalFallback => {
                self.set_health(LimiterHealth::RedisDownLocalFallback);
                Ok(())
            }
        }
    }

    async fn connection(&self) -> Option<&ConnectionManager> {
        let (client, cell) = self.redis.as_ref()?;
        if let Some(conn) = cell.get() {
            return Some(conn);
        }
        let now = self.clock.now_ms();
        if now.saturating_sub(self.last_connect_failure_ms.load(Ordering::Relaxed))
            < RECONNECT_AFTER_MS
        {
            return None;
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(1))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(1);
        cell.get_or_try_init(|| ConnectionManager::new_with_config(client.clone(), config))
            .await
            .map_err(|e| {
                self.last_connect_failure_ms.store(now, Ordering::Relaxed);
                tracing::warn!(error = %e, "cannot connect to redis");
            })
            .ok()
    }
}
