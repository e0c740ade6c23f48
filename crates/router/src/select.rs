//! Choosing one deployment of a group for one attempt: tag filtering,
//! pre-call checks (region, context window), cooldowns, `max_parallel_requests`,
//! deployments not yet tried by this call, the lowest `order`, then the
//! strategy. Each filter that empties the list says why in a typed error.

use llmrelay::{Error, ErrorKind};

use crate::deployment::Deployment;
use crate::router::Inner;
use crate::strategy::StateView;

/// What one pick knows about the call.
#[derive(Debug, Default)]
pub(crate) struct PickContext<'a> {
    /// Request tags.
    pub(crate) tags: &'a [String],
    /// Region the call must stay in (pre-call checks).
    pub(crate) region: Option<&'a str>,
    /// Prompt tokens (pre-call checks), when counted.
    pub(crate) input_tokens: Option<u64>,
    /// Slots that already failed during this call.
    pub(crate) tried: &'a [usize],
}

/// Picks the deployment for the next attempt on `group` (served by `slots`).
pub(crate) fn select<'r>(
    inner: &'r Inner,
    group: &str,
    slots: &[usize],
    ctx: &PickContext<'_>,
) -> Result<&'r Deployment, Error> {
    let now = inner.clock.now_ms();
    let state = inner.state.as_ref();
    let mut candidates: Vec<&Deployment> = slots.iter().map(|&s| &inner.deployments[s]).collect();
    let fail = |kind, message: String| Err(Error::new(kind, message).with_model(group));

    if inner.settings.enable_tag_filtering {
        filter_tags(&mut candidates, ctx.tags);
        if candidates.is_empty() {
            return fail(
                ErrorKind::BadRequest,
                format!(
                    "no deployment of model group `{group}` matches the tags {:?} and none is tagged `default`",
                    ctx.tags
                ),
            );
        }
    }
    if inner.settings.enable_pre_call_checks {
        if let Some(region) = ctx.region {
            candidates.retain(|d| {
                d.config
                    .litellm_params
                    .region()
                    .is_some_and(|r| in_region(r, region))
            });
            if candidates.is_empty() {
                return fail(
                    ErrorKind::BadRequest,
                    format!("no deployment of model group `{group}` is in region `{region}`"),
                );
            }
        }
        if let Some(tokens) = ctx.input_tokens {
            let largest = candidates.iter().filter_map(|d| d.max_input_tokens()).max();
            candidates.retain(|d| d.max_input_tokens().is_none_or(|max| tokens <= max));
            if candidates.is_empty() {
                return fail(
                    ErrorKind::ContextWindowExceeded,
                    format!(
                        "the prompt ({tokens} tokens) exceeds the context window of every deployment \
                         of model group `{group}` (the largest is {} tokens)",
                        largest.unwrap_or(0)
                    ),
                );
            }
        }
    }

    // One pass for the per-call state: cooldowns, calls in flight, and the
    // lowest order among untried (and among all) deployments left.
    let (mut earliest, mut cooling, mut busy) = (u64::MAX, 0usize, 0usize);
    let (mut lowest_untried, mut lowest) = (u64::MAX, u64::MAX);
    let mut kept = 0;
    for i in 0..candidates.len() {
        let d = candidates[i];
        let until = state.cooldown_until(d.hot.slot);
        if until > now {
            earliest = earliest.min(until);
            cooling += 1;
            continue;
        }
        if d.hot.max_parallel != u64::MAX && state.in_flight(d.hot.slot) >= d.hot.max_parallel {
            busy += 1;
            continue;
        }
        lowest = lowest.min(d.hot.order);
        if !ctx.tried.contains(&d.hot.slot) {
            lowest_untried = lowest_untried.min(d.hot.order);
        }
        candidates[kept] = d;
        kept += 1;
    }
    candidates.truncate(kept);
    if candidates.is_empty() && busy == 0 {
        let wait = std::time::Duration::from_millis(earliest.saturating_sub(now));
        let mut error = Error::new(
            ErrorKind::RateLimit,
            format!(
                "no deployment available for model group `{group}`: all {cooling} are cooling down; \
                 the earliest is back in {:.1}s",
                wait.as_secs_f64()
            ),
        )
        .with_model(group);
        error.retry_after = Some(wait);
        return Err(error);
    }
    if candidates.is_empty() {
        return fail(
            ErrorKind::RateLimit,
            format!("every deployment of model group `{group}` is at its max_parallel_requests"),
        );
    }
    // A call that failed on a deployment tries the others first; then the lowest order.
    if lowest_untried != u64::MAX {
        candidates.retain(|d| d.hot.order == lowest_untried && !ctx.tried.contains(&d.hot.slot));
    } else {
        candidates.retain(|d| d.hot.order == lowest);
    }

    let view = StateView {
        state,
        now_ms: now,
        input_tokens: ctx.input_tokens,
    };
    match inner.strategy.pick(&candidates, &view) {
        Some(i) if i < candidates.len() => Ok(candidates[i]),
        _ => fail(
            ErrorKind::RateLimit,
            format!("every deployment of model group `{group}` is at its rpm/tpm limit this minute"),
        ),
    }
}

/// LiteLLM's tag routing: deployments sharing a request tag; else those
/// tagged `default`; an untagged request also goes anywhere when no
/// deployment is tagged `default`.
fn filter_tags(candidates: &mut Vec<&Deployment>, tags: &[String]) {
    let tagged = |d: &Deployment, tag: &str| d.config.litellm_params.tags.iter().any(|t| t == tag);
    if !tags.is_empty() && candidates.iter().any(|d| tags.iter().any(|t| tagged(d, t))) {
        candidates.retain(|d| tags.iter().any(|t| tagged(d, t)));
    } else if candidates.iter().any(|d| tagged(d, "default")) {
        candidates.retain(|d| tagged(d, "default"));
    } else if !tags.is_empty() {
        candidates.clear();
    }
}

/// Whether deployment region `region` is inside `allowed` (`eu` covers
/// `eu-west-1` and `europe-west4`; otherwise a prefix match).
fn in_region(region: &str, allowed: &str) -> bool {
    let region = region.to_ascii_lowercase();
    let allowed = allowed.to_ascii_lowercase();
    region.starts_with(&allowed) || (allowed == "eu" && region.starts_with("europe"))
}
