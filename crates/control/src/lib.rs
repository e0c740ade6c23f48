//! llmrelay-control: what the gateway needs to control spend, and nothing
//! HTTP. Virtual keys, users and teams (LiteLLM's fields), budgets that cannot
//! be overspent under concurrency, rate limits that stay global across
//! instances, and spend logs that survive a crash.
//!
//! Storage is SQLite by default (a file, no set-up) or PostgreSQL (a
//! `postgres://` URL); Redis, when configured, holds the rate-limit windows.
//! The gateway maps [`AuthError`] and [`ControlError`] to HTTP statuses.
//!
//! A request's path through this crate:
//! [`KeyAuthorizer::authorize`] -> [`RateLimiter::acquire`] ->
//! [`Store::reserve`] -> (the upstream call) -> [`Store::settle`] ->
//! [`RateLimiter::release`] -> [`SpendLog::record`].
#![warn(missing_docs)]

mod auth;
mod clock;
mod duration;
mod error;
mod journal;
mod limits;
mod records;
mod spend;
mod store;

pub use auth::{Authorized, CachePolicy, KeyAuthorizer};
pub use clock::{Clock, ManualClock, SystemClock};
pub use duration::parse_duration_ms;
pub use error::{AuthError, ControlError, LimitKind, Scope, ValidationError};
pub use limits::{LimiterHealth, RateLimiter, RatePermit, RedisDownPolicy};
pub use records::{
    GenerateKey, GeneratedKey, KeyRecord, Limits, LimitsUpdate, SpendState, TeamRecord,
    TeamRequest, UpdateKey, UserRecord, UserRequest,
};
pub use spend::{SpendFilter, SpendLog, SpendLogConfig, SpendRow};
pub use store::{hash_key, Dialect, Reservation, Store};
