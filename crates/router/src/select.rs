//! Choosing one deployment of a group for one attempt: tag filtering,
//! pre-call checks (region, context window), cooldowns, `max_parallel_requests`,
//! deployments not yet tried by this call, the lowest `order`, then the
//! strategy. Each filter that empties the list says why in a typed error.
//!
//! The common case (no filter configured, nothing cooling down, one `order`,
//! no parallel limit, a first attempt) hands the group's slots straight to
//! the strategy: no allocation and one pass, which keeps a pick among 100
//! deployments well under a microsecond.

use llmrelay::{Error, ErrorKind};

use crate::deployment::Deployment;
use crate::groups::Group;
use crate::router::Inner;
use crate::strategy::{Candidates, StateView};

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

fn fail<T>(name: &str, kind: ErrorKind, message: String) -> Result<T, Error> {
    Err(Error::new(kind, message).with_model(name))
}

/// Picks the deployment for the next attempt on group `name`.
pub(crate) fn select<'r>(
    inner: &'r Inner,
    name: &str,
    group: &Group,
    ctx: &PickContext<'_>,
) -> Result<&'r Deployment, Error> {
    let now = inner.clock.now_ms();
    let state = inner.state.as_ref();
    let settings = &inner.settings;
    let mut slots: &[usize] = &group.slots;

    let configured;
    let pre_call =
        settings.enable_pre_call_checks && (ctx.region.is_some() || ctx.input_tokens.is_some());
    if settings.enable_tag_filtering || pre_call {
        configured = configured_filters(inner, name, slots, ctx)?;
        slots = &configured;
    }

    let live;
    let any_cooling = state.latest_cooldown_end() > now;
    if any_cooling || !group.plain || !ctx.tried.is_empty() {
        live = live_filters(inner, name, slots, ctx, now, any_cooling)?;
        slots = &live;
    }

    let view = StateView {
        state,
        now_ms: now,
        input_tokens: ctx.input_tokens,
    };
    let whole_group = std::ptr::eq(slots, group.slots.as_slice());
    let candidates = Candidates {
        deployments: &inner.deployments,
        slots,
        cumulative_weights: whole_group.then_some(group.cumulative_weights.as_slice()),
    };
    match inner.strategy.pick(&candidates, &view) {
        Some(i) => slots
            .get(i)
            .and_then(|&s| inner.deployments.get(s))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InternalServer,
                    format!(
                        "the routing strategy picked candidate {i} of {}",
                        slots.len()
                    ),
                )
            }),
        None => fail(
            name,
            ErrorKind::RateLimit,
            format!("every deployment of model group `{name}` is at its rpm/tpm limit this minute"),
        ),
    }
}

/// Tags and pre-call checks: filters the configuration asks for.
fn configured_filters(
    inner: &Inner,
    name: &str,
    slots: &[usize],
    ctx: &PickContext<'_>,
) -> Result<Vec<usize>, Error> {
    let d = |s: &usize| &inner.deployments[*s];
    let mut kept: Vec<usize> = slots.to_vec();
    if inner.settings.enable_tag_filtering {
        filter_tags(
            &mut kept,
            |s| &d(s).cold.config.litellm_params.tags,
            ctx.tags,
        );
        if kept.is_empty() {
            return fail(
                name,
                ErrorKind::BadRequest,
                format!(
                    "no deployment of model group `{name}` matches the tags {:?} and none is tagged `default`",
                    ctx.tags
                ),
            );
        }
    }
    if !inner.settings.enable_pre_call_checks {
        return Ok(kept);
    }
    if let Some(region) = ctx.region {
        kept.retain(|s| {
            d(s).cold
                .config
                .litellm_params
                .region()
                .is_some_and(|r| in_region(r, region))
        });
        if kept.is_empty() {
            return fail(
                name,
                ErrorKind::BadRequest,
                format!("no deployment of model group `{name}` is in region `{region}`"),
            );
        }
    }
    if let Some(tokens) = ctx.input_tokens {
        let largest = kept.iter().filter_map(|s| d(s).max_input_tokens()).max();
        kept.retain(|s| d(s).max_input_tokens().is_none_or(|max| tokens <= max));
        if kept.is_empty() {
            return fail(
                name,
                ErrorKind::ContextWindowExceeded,
                format!(
                    "the prompt ({tokens} tokens) exceeds the context window of every deployment \
                     of model group `{name}` (the largest is {} tokens)",
                    largest.unwrap_or(0)
                ),
            );
        }
    }
    Ok(kept)
}

/// Cooldowns, calls in flight, deployments this call already tried, `order`:
/// filters on the state of the moment, in one pass.
fn live_filters(
    inner: &Inner,
    name: &str,
    slots: &[usize],
    ctx: &PickContext<'_>,
    now: u64,
    any_cooling: bool,
) -> Result<Vec<usize>, Error> {
    let state = inner.state.as_ref();
    let (mut earliest, mut cooling, mut busy) = (u64::MAX, 0usize, 0usize);
    let (mut lowest_untried, mut lowest) = (u64::MAX, u64::MAX);
    let mut kept = Vec::with_capacity(slots.len());
    for &slot in slots {
        let hot = &inner.deployments[slot].hot;
        if any_cooling {
            let until = state.cooldown_until(slot);
            if until > now {
                earliest = earliest.min(until);
                cooling += 1;
                continue;
            }
        }
        if hot.max_parallel != u64::MAX && state.in_flight(slot) >= hot.max_parallel {
            busy += 1;
            continue;
        }
        lowest = lowest.min(hot.order);
        if !ctx.tried.contains(&slot) {
            lowest_untried = lowest_untried.min(hot.order);
        }
        kept.push(slot);
    }
    if kept.is_empty() && busy == 0 {
        let wait = std::time::Duration::from_millis(earliest.saturating_sub(now));
        let mut error = Error::new(
            ErrorKind::RateLimit,
            format!(
                "no deployment available for model group `{name}`: all {cooling} are cooling down; \
                 the earliest is back in {:.1}s",
                wait.as_secs_f64()
            ),
        )
        .with_model(name);
        error.retry_after = Some(wait);
        return Err(error);
    }
    if kept.is_empty() {
        return fail(
            name,
            ErrorKind::RateLimit,
            format!("every deployment of model group `{name}` is at its max_parallel_requests"),
        );
    }
    // A call that failed on a deployment tries the others first; then the lowest order.
    let order = |s: &usize| inner.deployments[*s].hot.order;
    if lowest_untried != u64::MAX {
        kept.retain(|s| order(s) == lowest_untried && !ctx.tried.contains(s));
    } else {
        kept.retain(|s| order(s) == lowest);
    }
    Ok(kept)
}

/// LiteLLM's tag routing: deployments sharing a request tag; else those
/// tagged `default`; an untagged request also goes anywhere when no
/// deployment is tagged `default`.
fn filter_tags<'d>(
    slots: &mut Vec<usize>,
    tags_of: impl Fn(&usize) -> &'d Vec<String>,
    tags: &[String],
) {
    let tagged = |s: &usize, tag: &str| tags_of(s).iter().any(|t| t == tag);
    let matches = |s: &usize| tags.iter().any(|t| tagged(s, t));
    if !tags.is_empty() && slots.iter().any(matches) {
        slots.retain(matches);
    } else if slots.iter().any(|s| tagged(s, "default")) {
        slots.retain(|s| tagged(s, "default"));
    } else if !tags.is_empty() {
        slots.clear();
    }
}

/// Whether deployment region `region` is inside `allowed` (`eu` covers
/// `eu-west-1` and `europe-west4`; otherwise a prefix match).
fn in_region(region: &str, allowed: &str) -> bool {
    let region = region.to_ascii_lowercase();
    let allowed = allowed.to_ascii_lowercase();
    region.starts_with(&allowed) || (allowed == "eu" && region.starts_with("europe"))
}
