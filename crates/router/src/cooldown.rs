//! When a failure cools a deployment down: at once on 429, 401, 404 and 408
//! (the deployment, not the request, is wrong), otherwise after more than
//! `allowed_fails` failures in a minute (per error kind with
//! `allowed_fails_policy`). Errors about the request itself (bad request,
//! context window, content policy) never count. A later failure extends a
//! cooldown to `cooldown_time` from now.

use llmrelay::{Error, ErrorKind};

use crate::clock::millis;
use crate::config::RouterSettings;
use crate::state::RouterState;

/// Whether `error` says something about the request rather than the deployment.
pub(crate) fn is_request_error(error: &Error) -> bool {
    matches!(
        error.kind,
        ErrorKind::BadRequest
            | ErrorKind::ContextWindowExceeded
            | ErrorKind::ContentPolicyViolation
            | ErrorKind::UnsupportedParams
            | ErrorKind::UnprocessableEntity
    )
}

fn cools_at_once(error: &Error) -> bool {
    match error.upstream_status {
        Some(status) => matches!(status, 429 | 401 | 404 | 408),
        // Our own timeouts (no answer, or no first token in time) are 408s too.
        None => matches!(
            error.kind,
            ErrorKind::RateLimit
                | ErrorKind::Authentication
                | ErrorKind::NotFound
                | ErrorKind::Timeout
        ),
    }
}

/// Counts `error` against `slot` and cools it down when due. `group_size`:
/// a group's only deployment is never cooled down (as in LiteLLM), so its
/// retries can wait out a `Retry-After` instead of failing at once.
pub(crate) fn record_failure(
    settings: &RouterSettings,
    state: &dyn RouterState,
    slot: usize,
    group_size: usize,
    error: &Error,
    now_ms: u64,
) {
    if settings.disable_cooldowns || is_request_error(error) || group_size < 2 {
        return;
    }
    let failures = state.record_failure(slot, now_ms);
    let allowed = settings
        .allowed_fails_policy
        .iter()
        .find(|(kind, _)| *kind == error.kind)
        .map_or(settings.allowed_fails, |(_, n)| *n);
    if cools_at_once(error) || failures > allowed {
        state.cool_down(slot, now_ms.saturating_add(millis(settings.cooldown_time)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::InMemoryState;

    fn state() -> InMemoryState {
        let s = InMemoryState::new();
        s.attach(&["a".to_string(), "b".to_string()]);
        s
    }

    fn status(code: u16) -> Error {
        let mut e = Error::new(ErrorKind::from_status(code), "upstream said no");
        e.upstream_status = Some(code);
        e
    }

    #[test]
    fn policy_per_kind_immediate_statuses_and_request_errors() {
        let now = 1_000_000;
        let settings = RouterSettings {
            allowed_fails: 2,
            allowed_fails_policy: vec![(ErrorKind::InternalServer, 0)],
            ..RouterSettings::default()
        };
        let s = state();
        // InternalServerErrorAllowedFails: 0 -> the first 500 cools down.
        record_failure(&settings, &s, 0, 2, &status(500), now);
        assert_eq!(s.cooldown_until(0), now + 5_000);
        // 503 follows allowed_fails (2): the third one cools down.
        for _ in 0..2 {
            record_failure(&settings, &s, 1, 2, &status(503), now);
        }
        assert_eq!(s.cooldown_until(1), 0);
        record_failure(&settings, &s, 1, 2, &status(503), now);
        assert_eq!(s.cooldown_until(1), now + 5_000);
        // 408 at once; context-window errors never; a group's only deployment never.
        let s = state();
        record_failure(&settings, &s, 0, 2, &status(408), now);
        assert_eq!(s.cooldown_until(0), now + 5_000);
        let too_long = Error::new(ErrorKind::ContextWindowExceeded, "too long");
        for _ in 0..5 {
            record_failure(&settings, &s, 1, 2, &too_long, now);
        }
        assert_eq!((s.cooldown_until(1), s.failures(1, now)), (0, 0));
        record_failure(&settings, &s, 1, 1, &status(429), now);
        assert_eq!(s.cooldown_until(1), 0);
        let off = RouterSettings {
            disable_cooldowns: true,
            ..RouterSettings::default()
        };
        record_failure(&off, &s, 1, 2, &status(429), now);
        assert_eq!(s.cooldown_until(1), 0);
    }
}
