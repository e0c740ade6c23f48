//! How often and how long to wait before trying a group again: `num_retries`
//! (or the call's), `retry_policy` per error kind, none for errors about the
//! request itself; no wait while an untried healthy deployment remains,
//! otherwise `Retry-After` or exponential backoff, at least `retry_after`.

use std::time::Duration;

use llmrelay::{Error, ErrorKind};

use crate::config::RouterSettings;
use crate::cooldown::is_request_error;

/// The longest wait between two attempts, whatever the provider asks.
const MAX_WAIT: Duration = Duration::from_secs(60);

/// Whether `error` is about the deployment's identity (key, model name,
/// permission): trying it again cannot help, another deployment might.
pub(crate) fn needs_another_deployment(error: &Error) -> bool {
    matches!(
        error.kind,
        ErrorKind::Authentication | ErrorKind::PermissionDenied | ErrorKind::NotFound
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_honour_retry_after_backoff_and_healthy_alternatives() {
        let settings = RouterSettings::default();
        let backoff = Duration::from_millis(100);
        let mut limited = Error::new(ErrorKind::RateLimit, "slow down");
        limited.retry_after = Some(Duration::from_secs(3));
        assert_eq!(
            wait(&settings, backoff, &limited, 0, false),
            Duration::from_secs(3)
        );
        assert_eq!(wait(&settings, backoff, &limited, 0, true), Duration::ZERO);
        let failed = Error::new(ErrorKind::InternalServer, "oops");
        assert_eq!(
            wait(&settings, backoff, &failed, 2, false),
            Duration::from_millis(400)
        );
        limited.retry_after = Some(Duration::from_secs(3600));
        assert_eq!(wait(&settings, backoff, &limited, 0, false), MAX_WAIT);
        let floor = RouterSettings {
            retry_after: Duration::from_secs(1),
            ..RouterSettings::default()
        };
        assert_eq!(
            wait(&floor, backoff, &failed, 0, false),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn request_errors_are_not_retried_unless_the_policy_says_so() {
        let mut settings = RouterSettings::default();
        let bad = Error::new(ErrorKind::ContextWindowExceeded, "too long");
        assert_eq!(retries_for(&settings, None, &bad), 0);
        assert_eq!(
            retries_for(&settings, Some(5), &Error::new(ErrorKind::Timeout, "t")),
            5
        );
        settings.retry_policy = vec![(ErrorKind::ContextWindowExceeded, 1)];
        assert_eq!(retries_for(&settings, None, &bad), 1);
    }
}
