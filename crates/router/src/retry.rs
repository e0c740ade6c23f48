//! How often and how long to wait before trying a group again: `num_retries`
//! (or the call's), `retry_policy` per error kind, none for errors about the
//! request itself; no wait while an untried healthy deployment remains,
//! otherwise `Retry-After` or exponential backoff, at least `retry_after`.

use std::time::Duration;

use llmrelay::Error;

use crate::config::RouterSettings;
use crate::cooldown::is_request_error;

/// The longest wait between two attempts, whatever the provider asks.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// Retries allowed after `error`.
pub(crate) fn retries_for(settings: &RouterSettings, call: Option<u32>, error: &Error) -> u32 {
    if let Some((_, n)) = settings.retry_policy.iter().find(|(k, _)| *k == error.kind) {
        return *n;
    }
    if is_request_error(error) {
        return 0;
    }
    call.unwrap_or(settings.num_retries)
}

/// The wait before retry number `retry` (0-based) after `error`.
pub(crate) fn wait(
    settings: &RouterSettings,
    backoff: Duration,
    error: &Error,
    retry: u32,
    healthy_alternative: bool,
) -> Duration {
    if healthy_alternative {
        return settings.retry_after;
    }
    let exponential = backoff.saturating_mul(1u32 << retry.min(16));
    error
        .retry_after
        .unwrap_or(exponential)
        .max(settings.retry_after)
        .min(MAX_WAIT)
}
