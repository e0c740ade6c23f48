//! What can go wrong in the cache. Messages name the store and what failed,
//! never a password.

/// A cache failure.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The configuration cannot make a cache (an unknown type, a bad port...).
    #[error("cache config: {0}")]
    Config(String),
    /// A per-request cache control is malformed (`cache: {"ttl": "soon"}`).
    #[error("{0}")]
    InvalidControl(String),
    /// Redis could not be reached, or did not answer in time.
    #[error("cannot reach Redis at {addr}: {reason}")]
    RedisUnavailable {
        /// host:port (no credentials).
        addr: String,
        /// What happened (connection refused, timed out...).
        reason: String,
    },
    /// Redis answered the command with an error.
    #[error("Redis answered an error: {0}")]
    RedisReply(String),
    /// The disk store's directory or a file in it is unusable.
    #[error("disk cache at {path}: {source}")]
    Disk {
        /// The directory or file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A stored entry is not valid JSON (another program wrote the key).
    #[error("cache entry is not JSON: {0}")]
    Corrupt(String),
}
