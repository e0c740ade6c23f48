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
        None => matches!(
            error.kind,
            ErrorKind::RateLimit | ErrorKind::Authentication | ErrorKind::NotFound
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
