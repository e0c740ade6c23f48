//! A cache's settings from LiteLLM's names: `Cache(type=..., host=...,
//! ttl=...)` in Python and `litellm_settings.cache_params` in a proxy
//! config are the same keys, read here once for both.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::control::{Mode, Policy};
use crate::error::CacheError;
use crate::store::memory::DEFAULT_MAX_ENTRIES;
use crate::store::redis::DEFAULT_TIMEOUT;
use crate::store::{disk, RedisTarget};

/// LiteLLM's in-memory entries live 600 s unless a ttl says otherwise.
pub const DEFAULT_LOCAL_TTL: Duration = Duration::from_secs(600);

/// Which store a cache uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// In process (`type: local`).
    Local {
        /// Most entries held.
        max_entries: usize,
    },
    /// Redis (`type: redis`).
    Redis(RedisTarget),
    /// A directory (`type: disk`).
    Disk(PathBuf),
}

impl PartialEq for RedisTarget {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.host,
            self.port,
            self.db,
            &self.username,
            &self.password,
        ) == (
            &other.host,
            other.port,
            other.db,
            &other.username,
            &other.password,
        )
    }
}

/// Everything needed to open a [`crate::ResponseCache`].
#[derive(Debug, Clone, PartialEq)]
pub struct CacheConfig {
    /// The store.
    pub kind: Kind,
    /// The key prefix (`namespace:`), also what a Redis flush removes.
    pub namespace: Option<String>,
    /// Lifetime of every entry (LiteLLM's `ttl`), unless a call sets one.
    pub ttl: Option<Duration>,
    /// Lifetime when neither the cache nor the call sets one.
    pub default_ttl: Option<Duration>,
    /// Bound on connecting to Redis and on each command.
    pub timeout: Duration,
    /// Which calls use the cache.
    pub policy: Policy,
    /// Keys given that this cache does not act on (for a warning).
    pub ignored: Vec<String>,
}

impl CacheConfig {
    /// An in-process cache with LiteLLM's defaults.
    pub fn local() -> Self {
        CacheConfig {
            kind: Kind::Local {
                max_entries: DEFAULT_MAX_ENTRIES,
            },
            namespace: None,
            ttl: None,
            default_ttl: Some(DEFAULT_LOCAL_TTL),
            timeout: DEFAULT_TIMEOUT,
            policy: Policy::default(),
            ignored: Vec::new(),
        }
    }

    /// Reads LiteLLM's cache parameters (`type`, `host`, `port`,
    /// `password`, `username`, `db`, `url`/`redis_url`, `namespace`, `ttl`,
    /// `default_in_memory_ttl`, `default_in_redis_ttl`, `mode`,
    /// `supported_call_types`, `max_messages`, `disk_cache_dir`,
    /// `max_size_in_memory`, `socket_timeout`). Redis settings not given
    /// come from `env` (`REDIS_URL`, `REDIS_HOST`, `REDIS_PORT`,
    /// `REDIS_PASSWORD`, `REDIS_USERNAME`), as in LiteLLM.
    pub fn from_litellm(
        params: &Map<String, Value>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<CacheConfig, CacheError> {
        let bad = |key: &str, what: &str| CacheError::Config(format!("`{key}` must be {what}"));
        let text = |key: &str| -> Result<Option<String>, CacheError> {
            match params.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) => Ok(Some(n.to_string())),
                Some(_) => Err(bad(key, "a string")),
            }
        };
        let seconds = |key: &str| -> Result<Option<Duration>, CacheError> {
            match params.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(|s| Some(Duration::from_secs_f64(s)))
                    .ok_or_else(|| bad(key, "a number of seconds, at least 0")),
            }
        };
        let count = |key: &str| -> Result<Option<u64>, CacheError> {
            match params.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                    .map(Some)
                    .ok_or_else(|| bad(key, "a whole number")),
            }
        };
        let kind_name = text("type")?.unwrap_or_else(|| "local".into());
        let ttl = seconds("ttl")?;
        let (kind, default_ttl) = match kind_name.as_str() {
            "local" => {
                let max = count("max_size_in_memory")?.map_or(DEFAULT_MAX_ENTRIES, |n| n as usize);
                let ttl = seconds("default_in_memory_ttl")?.or(Some(DEFAULT_LOCAL_TTL));
                (Kind::Local { max_entries: max }, ttl)
            }
            "redis" => (
                Kind::Redis(redis_target(params, &text, &env)?),
                seconds("default_in_redis_ttl")?,
            ),
            "disk" => {
                let dir = text("disk_cache_dir")?.unwrap_or_else(|| disk::DEFAULT_DIR.into());
                (Kind::Disk(PathBuf::from(dir)), None)
            }
            other => {
                return Err(CacheError::Config(format!(
                    "type {other:?} is not supported: llmrelay's cache is \"local\", \"redis\" or \"disk\" \
                     ({other:?} is a LiteLLM back end that needs its own service client)"
                )))
            }
        };
        let mut policy = Policy::default();
        if let Some(mode) = text("mode")? {
            policy.mode = Mode::parse(&mode)?;
        }
        match params.get("max_messages") {
            None => {}
            Some(Value::Null) => policy.max_messages = None,
            Some(_) => policy.max_messages = count("max_messages")?.map(|n| n as usize),
        }
        match params.get("supported_call_types") {
            None | Some(Value::Null) => {}
            Some(Value::Array(types)) => {
                policy.supported_call_types = types
                    .iter()
                    .map(|t| t.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad("supported_call_types", "a list of call type names"))?;
            }
            Some(_) => return Err(bad("supported_call_types", "a list of call type names")),
        }
        let timeout = seconds("socket_timeout")?
            .filter(|t| !t.is_zero())
            .unwrap_or(DEFAULT_TIMEOUT);
        let ignored = params
            .keys()
            .filter(|k| !KNOWN.contains(&k.as_str()))
            .cloned()
            .collect();
        Ok(CacheConfig {
            kind,
            namespace: text("namespace")?.filter(|n| !n.is_empty()),
            ttl,
            default_ttl,
            timeout,
            policy,
            ignored,
        })
    }
}

const KNOWN: &[&str] = &[
    "type",
    "mode",
    "host",
    "port",
    "password",
    "username",
    "db",
    "url",
    "redis_url",
    "namespace",
    "ttl",
    "default_in_memory_ttl",
    "default_in_redis_ttl",
    "supported_call_types",
    "max_messages",
    "disk_cache_dir",
    "max_size_in_memory",
    "socket_timeout",
];

fn redis_target(
    params: &Map<String, Value>,
    text: &dyn Fn(&str) -> Result<Option<String>, CacheError>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<RedisTarget, CacheError> {
    let url = match text("url")? {
        Some(url) => Some(url),
        None => text("redis_url")?,
    };
    let host = text("host")?;
    let mut target = match (url, &host) {
        (Some(url), None) => RedisTarget::from_url(&url)?,
        (None, None) => match env("REDIS_URL").filter(|u| !u.is_empty()) {
            Some(url) if env("REDIS_HOST").is_none() => RedisTarget::from_url(&url)?,
            _ => RedisTarget {
                host: env("REDIS_HOST").unwrap_or_else(|| "127.0.0.1".into()),
                port: 6379,
                ..RedisTarget::default()
            },
        },
        (_, Some(host)) => RedisTarget {
            host: host.clone(),
            port: 6379,
            ..RedisTarget::default()
        },
    };
    let port = match text("port")? {
        Some(p) => Some(p),
        None if host.is_none() && params.get("url").is_none() => env("REDIS_PORT"),
        None => None,
    };
    if let Some(port) = port {
        target.port = port
            .parse()
            .map_err(|_| CacheError::Config("`port` must be a port number".into()))?;
    }
    if let Some(db) = text("db")? {
        target.db = db
            .parse()
            .map_err(|_| CacheError::Config("`db` must be a database number".into()))?;
    }
    if let Some(password) = text("password")?.or_else(|| env("REDIS_PASSWORD")) {
        target.password = Some(password).filter(|p| !p.is_empty());
    }
    if let Some(username) = text("username")?.or_else(|| env("REDIS_USERNAME")) {
        target.username = Some(username).filter(|u| !u.is_empty());
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    fn parse(v: Value, env: &[(&str, &str)]) -> Result<CacheConfig, CacheError> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        CacheConfig::from_litellm(v.as_object().unwrap(), |n| {
            env.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn litellm_cache_params_read() {
        let c = parse(
            json!({"type": "redis", "host": "r.local", "port": "6380", "password": "pw", "ttl": 30,
                   "namespace": "gw", "supported_call_types": ["acompletion"], "mystery": 1}),
            &[("REDIS_PASSWORD", "env-pw")],
        )
        .unwrap();
        let Kind::Redis(t) = &c.kind else {
            panic!("not redis")
        };
        assert_eq!(
            (t.host.as_str(), t.port, t.password.as_deref()),
            ("r.local", 6380, Some("pw"))
        );
        assert_eq!(c.ttl, Some(Duration::from_secs(30)));
        assert_eq!(c.namespace.as_deref(), Some("gw"));
        assert_eq!(c.policy.supported_call_types, ["acompletion"]);
        assert_eq!(c.ignored, ["mystery"]);
        let c = parse(
            json!({"type": "redis"}),
            &[
                ("REDIS_HOST", "h"),
                ("REDIS_PORT", "7000"),
                ("REDIS_PASSWORD", "e"),
            ],
        )
        .unwrap();
        assert_eq!(
            c.kind,
            Kind::Redis(RedisTarget {
                host: "h".into(),
                port: 7000,
                password: Some("e".into()),
                ..RedisTarget::default()
            })
        );
        let c = parse(json!({}), &[]).unwrap();
        assert_eq!(c, CacheConfig::local());
        assert!(parse(json!({"type": "s3"}), &[])
            .unwrap_err()
            .to_string()
            .contains("s3"));
        assert!(parse(json!({"ttl": "x"}), &[]).is_err());
        assert!(parse(json!({"type": "redis", "port": "http"}), &[]).is_err());
    }
}
