//! `llmrelay cost`: what a number of tokens costs on a model.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, ValueEnum};
use llmrelay::catalog::Usage;
use llmrelay::ServiceTier;
use serde_json::json;

use super::{message, to_json};
use crate::table::{dollars, Table};

/// `llmrelay cost`
#[derive(Args)]
pub struct CostArgs {
    /// Model name (`gpt-4o`, `anthropic/claude-sonnet-4-5`).
    model: String,
    /// Prompt tokens, all of them (cached and cache-creation tokens included, as OpenAI counts).
    #[arg(long, short)]
    input: u64,
    /// Completion tokens (reasoning tokens included).
    #[arg(long, short, default_value_t = 0)]
    output: u64,
    /// Of the prompt tokens, how many were read from the provider's prompt cache.
    #[arg(long, default_value_t = 0)]
    cached: u64,
    /// Of the prompt tokens, how many were written to the prompt cache.
    #[arg(long, default_value_t = 0)]
    cache_creation: u64,
    /// Of the completion tokens, how many were reasoning tokens.
    #[arg(long, default_value_t = 0)]
    reasoning: u64,
    /// Service tier the call ran on.
    #[arg(long, value_enum, default_value_t = Tier::Standard)]
    tier: Tier,
    /// When the call was billed (off-peak prices depend on it): Unix seconds or
    /// RFC 3339 (`2025-01-15T07:00:00Z`, `2025-01-15T15:00+08:00`). Default: now.
    #[arg(long, value_parser = parse_moment)]
    at: Option<i64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Tier {
    Standard,
    Batch,
    Priority,
    Flex,
}

impl From<Tier> for ServiceTier {
    fn from(t: Tier) -> Self {
        match t {
            Tier::Standard => ServiceTier::Standard,
            Tier::Batch => ServiceTier::Batch,
            Tier::Priority => ServiceTier::Priority,
            Tier::Flex => ServiceTier::Flex,
        }
    }
}

pub fn cost(args: &CostArgs) -> Result<String, String> {
    let prompt_parts = args.cached.checked_add(args.cache_creation);
    if prompt_parts.is_none_or(|parts| parts > args.input) {
        return Err(format!(
            "--cached ({}) and --cache-creation ({}) are parts of --input ({}) and cannot exceed it",
            args.cached, args.cache_creation, args.input
        ));
    }
    if args.reasoning > args.output {
        return Err(format!(
            "--reasoning ({}) is part of --output ({}) and cannot exceed it",
            args.reasoning, args.output
        ));
    }
    let usage = Usage {
        prompt_tokens: args.input,
        completion_tokens: args.output,
        cached_tokens: args.cached,
        cache_creation_tokens: args.cache_creation,
        reasoning_tokens: args.reasoning,
        ..Usage::default()
    };
    let model = llmrelay::model_info(&args.model).map_err(message)?;
    let at = match args.at {
        Some(secs) => moment(secs)?,
        None => SystemTime::now(),
    };
    // An entry the catalog lists without prices costs $0, as LiteLLM's
    // cost_per_token (and llmrelay's Python) answer; it is said, not hidden.
    let (cost, priced) =
        match llmrelay::cost_per_token_at(&args.model, &usage, args.tier.into(), at) {
            Ok(cost) => (cost, true),
            Err(_) if llmrelay::is_unpriced(&args.model) => (llmrelay::Cost::default(), false),
            Err(e) => return Err(message(e)),
        };
    if args.json {
        return to_json(&json!({
            "model": model.key,
            "provider": model.provider,
            "usage": usage,
            "at": args.at,
            "priced": priced,
            "prompt_cost": cost.prompt,
            "completion_cost": cost.completion,
            "total_cost": cost.total(),
        }));
    }
    let mut t = Table::default();
    t.row(vec![
        "model".into(),
        format!("{} ({})", model.key, model.provider),
    ]);
    t.row(vec![
        "prompt".into(),
        format!("{} for {} tokens", dollars(cost.prompt), args.input),
    ]);
    t.row(vec![
        "completion".into(),
        format!("{} for {} tokens", dollars(cost.completion), args.output),
    ]);
    t.row(vec!["total".into(), dollars(cost.total())]);
    if !priced {
        t.row(vec![
            "note".into(),
            "the catalog lists no price for this model: $0, as LiteLLM answers".into(),
        ]);
    }
    Ok(t.render())
}

/// Unix seconds as a `SystemTime` (before 1970 is refused: no model was priced then).
fn moment(secs: i64) -> Result<SystemTime, String> {
    u64::try_from(secs)
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
        .map_err(|_| format!("--at {secs} is before 1970"))
}

/// `--at`: Unix seconds, or an RFC 3339 date-time with `Z` or a `±HH:MM` offset
/// (seconds and fractions optional).
fn parse_moment(text: &str) -> Result<i64, String> {
    let bad = || {
        format!("`{text}` is neither Unix seconds nor an RFC 3339 time like 2025-01-15T07:00:00Z")
    };
    if let Ok(secs) = text.trim().parse::<i64>() {
        return Ok(secs);
    }
    let t = text.trim();
    let (date, rest) = t.split_once(['T', 't', ' ']).ok_or_else(bad)?;
    let mut ymd = date.split('-').map(str::parse::<i64>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) =
        (ymd.next(), ymd.next(), ymd.next(), ymd.next())
    else {
        return Err(bad());
    };
    let (clock, offset) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else {
        let at = rest.rfind(['+', '-']).ok_or_else(bad)?;
        let (c, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':').ok_or_else(bad)?;
        let (oh, om): (i64, i64) = (
            oh.parse().map_err(|_| bad())?,
            om.parse().map_err(|_| bad())?,
        );
        (c, sign * (oh * 3600 + om * 60))
    };
    let mut hms = clock.split(':');
    let h: i64 = hms.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let min: i64 = hms.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let sec: f64 = match hms.next() {
        Some(v) => v.parse().map_err(|_| bad())?,
        None => 0.0,
    };
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || h > 23
        || min > 59
        || !(0.0..60.0).contains(&sec)
    {
        return Err(bad());
    }
    Ok(days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + sec as i64 - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_moment;

    #[test]
    fn moments_parse_from_unix_seconds_and_rfc3339() {
        assert_eq!(parse_moment("1736924400"), Ok(1_736_924_400));
        assert_eq!(parse_moment("2025-01-15T07:00:00Z"), Ok(1_736_924_400));
        assert_eq!(parse_moment("2025-01-15T15:00+08:00"), Ok(1_736_924_400));
        assert_eq!(
            parse_moment("2025-01-15T02:00:00.5-05:00"),
            Ok(1_736_924_400)
        );
        assert_eq!(parse_moment("2024-02-29T00:00:00Z"), Ok(1_709_164_800));
        for bad in [
            "",
            "yesterday",
            "2025-13-01T00:00Z",
            "2025-01-15T24:00Z",
            "2025-01-15T07:00",
        ] {
            assert!(parse_moment(bad).is_err(), "{bad}");
        }
    }
}
