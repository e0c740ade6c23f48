//! Router settings with LiteLLM's names, defaults and meaning.

use std::time::Duration;

use llmrelay::ErrorKind;
use serde_json::Value;

use super::fields::{seconds, Fields};
use super::{ConfigError, ConfigWarning};

/// How the router picks one deployment of a model group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoutingStrategy {
    /// Random, weighted by `weight`, else `rpm`, else `tpm` (LiteLLM's default).
    #[default]
    SimpleShuffle,
    /// Fewest calls in flight.
    LeastBusy,
    /// Lowest recent latency (time to first token for streams), within a buffer.
    LatencyBased,
    /// Most rpm/tpm headroom this minute; full deployments are skipped.
    UsageBased,
    /// Cheapest per token (custom prices, else the catalog's).
    CostBased,
}

impl RoutingStrategy {
    /// The strategy LiteLLM calls `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "simple-shuffle" => RoutingStrategy::SimpleShuffle,
            "least-busy" => RoutingStrategy::LeastBusy,
            "latency-based-routing" => RoutingStrategy::LatencyBased,
            "usage-based-routing" | "usage-based-routing-v2" => RoutingStrategy::UsageBased,
            "cost-based-routing" => RoutingStrategy::CostBased,
            _ => return None,
        })
    }

    /// LiteLLM's name of the strategy.
    pub fn name(self) -> &'static str {
        match self {
            RoutingStrategy::SimpleShuffle => "simple-shuffle",
            RoutingStrategy::LeastBusy => "least-busy",
            RoutingStrategy::LatencyBased => "latency-based-routing",
            RoutingStrategy::UsageBased => "usage-based-routing",
            RoutingStrategy::CostBased => "cost-based-routing",
        }
    }
}

/// Fallback lists by model group, in the order given (`*` applies to every group).
pub type FallbackMap = Vec<(String, Vec<String>)>;

/// Counts per error kind (`retry_policy`, `allowed_fails_policy`).
pub type KindCounts = Vec<(ErrorKind, u32)>;

/// `router_settings` (or the Python `Router(...)` keyword arguments).
#[derive(Debug, Clone)]
pub struct RouterSettings {
    /// `routing_strategy`.
    pub routing_strategy: RoutingStrategy,
    /// `routing_strategy_args.ttl`: how long a latency sample counts. Default 1 h.
    pub latency_ttl: Duration,
    /// `routing_strategy_args.lowest_latency_buffer`: deployments within
    /// (1 + buffer) x the lowest latency share the traffic. Default 0.
    pub lowest_latency_buffer: f64,
    /// `num_retries`: retries after the first attempt, per model group. Default 2.
    pub num_retries: u32,
    /// `retry_after`: least wait before a retry. Default 0.
    pub retry_after: Duration,
    /// `retry_policy`: retries per error kind, overriding `num_retries`.
    pub retry_policy: KindCounts,
    /// `allowed_fails`: failures in a minute before a cooldown. Default 3.
    pub allowed_fails: u32,
    /// `allowed_fails_policy`: allowed failures per error kind.
    pub allowed_fails_policy: KindCounts,
    /// `cooldown_time`. Default 5 s.
    pub cooldown_time: Duration,
    /// `disable_cooldowns`.
    pub disable_cooldowns: bool,
    /// `fallbacks`: any error, after retries.
    pub fallbacks: FallbackMap,
    /// `context_window_fallbacks`.
    pub context_window_fallbacks: FallbackMap,
    /// `content_policy_fallbacks`.
    pub content_policy_fallbacks: FallbackMap,
    /// `default_fallbacks`: for groups no other list names.
    pub default_fallbacks: Vec<String>,
    /// `max_fallbacks`. Default 5.
    pub max_fallbacks: usize,
    /// `timeout`: whole-call timeout of deployments that set none.
    pub timeout: Option<Duration>,
    /// `stream_timeout`: first-token deadline of deployments that set none.
    pub stream_timeout: Option<Duration>,
    /// `enable_pre_call_checks`: context window and region filtering.
    pub enable_pre_call_checks: bool,
    /// `enable_tag_filtering`.
    pub enable_tag_filtering: bool,
}

impl Default for RouterSettings {
    fn default() -> Self {
        RouterSettings {
            routing_strategy: RoutingStrategy::SimpleShuffle,
            latency_ttl: Duration::from_secs(3600),
            lowest_latency_buffer: 0.0,
            num_retries: 2,
            retry_after: Duration::ZERO,
            retry_policy: Vec::new(),
            allowed_fails: 3,
            allowed_fails_policy: Vec::new(),
            cooldown_time: Duration::from_secs(5),
            disable_cooldowns: false,
            fallbacks: Vec::new(),
            context_window_fallbacks: Vec::new(),
            content_policy_fallbacks: Vec::new(),
            default_fallbacks: Vec::new(),
            max_fallbacks: 5,
            timeout: None,
            stream_timeout: None,
            enable_pre_call_checks: false,
            enable_tag_filtering: false,
        }
    }
}

impl RouterSettings {
    /// Reads the settings of `f`; `skip` names keys read elsewhere (`model_list`).
    pub(crate) fn read(
        mut f: Fields<'_>,
        warnings: &mut Vec<ConfigWarning>,
    ) -> Result<Self, ConfigError> {
        let d = RouterSettings::default();
        let place = f.place.clone();
        let routing_strategy = match f.string("routing_strategy")? {
            None => d.routing_strategy,
            Some(name) => RoutingStrategy::from_name(&name).ok_or_else(|| {
                ConfigError::invalid(
                    &format!("{place}.routing_strategy"),
                    format!(
                        "unknown strategy `{name}`; use simple-shuffle, least-busy, \
                         latency-based-routing, usage-based-routing or cost-based-routing"
                    ),
                )
            })?,
        };
        let (latency_ttl, lowest_latency_buffer) = match f.raw("routing_strategy_args") {
            None => (d.latency_ttl, d.lowest_latency_buffer),
            Some(args) => {
                let mut a = Fields::new(
                    args,
                    format!("{place}.routing_strategy_args"),
                    f.env_resolver(),
                )?;
                let ttl = seconds(a.non_negative("ttl")?).unwrap_or(d.latency_ttl);
                let buffer = a
                    .non_negative("lowest_latency_buffer")?
                    .unwrap_or(d.lowest_latency_buffer);
                a.unknown_keys(warnings);
                (ttl, buffer)
            }
        };
        let settings = RouterSettings {
            routing_strategy,
            latency_ttl,
            lowest_latency_buffer,
            num_retries: small(f.count("num_retries")?).unwrap_or(d.num_retries),
            retry_after: seconds(f.non_negative("retry_after")?).unwrap_or(d.retry_after),
            retry_policy: kind_counts(&mut f, "retry_policy", "Retries", warnings)?,
            allowed_fails: small(f.count("allowed_fails")?).unwrap_or(d.allowed_fails),
            allowed_fails_policy: kind_counts(
                &mut f,
                "allowed_fails_policy",
                "AllowedFails",
                warnings,
            )?,
            cooldown_time: seconds(f.non_negative("cooldown_time")?).unwrap_or(d.cooldown_time),
            disable_cooldowns: f.bool("disable_cooldowns")?.unwrap_or(false),
            fallbacks: fallback_map(&mut f, "fallbacks")?,
            context_window_fallbacks: fallback_map(&mut f, "context_window_fallbacks")?,
            content_policy_fallbacks: fallback_map(&mut f, "content_policy_fallbacks")?,
            default_fallbacks: f.strings("default_fallbacks")?,
            max_fallbacks: f.count("max_fallbacks")?.map_or(d.max_fallbacks, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            }),
            timeout: seconds(f.non_negative("timeout")?),
            stream_timeout: seconds(f.non_negative("stream_timeout")?),
            enable_pre_call_checks: f.bool("enable_pre_call_checks")?.unwrap_or(false),
            enable_tag_filtering: f.bool("enable_tag_filtering")?.unwrap_or(false),
        };
        f.unknown_keys(warnings);
        Ok(settings)
    }

    /// Every group name a fallback list mentions, with the setting naming it.
    pub(crate) fn fallback_targets(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let lists = [
            ("fallbacks", &self.fallbacks),
            ("context_window_fallbacks", &self.context_window_fallbacks),
            ("content_policy_fallbacks", &self.content_policy_fallbacks),
        ];
        lists
            .into_iter()
            .flat_map(|(setting, map)| {
                map.iter()
                    .flat_map(move |(_, to)| to.iter().map(move |t| (setting, t.as_str())))
            })
            .chain(
                self.default_fallbacks
                    .iter()
                    .map(|t| ("default_fallbacks", t.as_str())),
            )
    }
}

/// `[{"gpt-4o": ["claude", "gemini"]}, ...]` (a single mapping is accepted too).
fn fallback_map(f: &mut Fields<'_>, key: &'static str) -> Result<FallbackMap, ConfigError> {
    let Some(value) = f.raw(key) else {
        return Ok(Vec::new());
    };
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![value],
        other => return Err(f.wrong(key, "a list of {group: [fallback groups]}", other)),
    };
    let mut map = Vec::new();
    for item in items {
        let Value::Object(entries) = item else {
            return Err(f.wrong(key, "a list of {group: [fallback groups]}", item));
        };
        for (group, to) in entries {
            let targets = match to {
                Value::String(one) => vec![one.clone()],
                Value::Array(list) => list
                    .iter()
                    .map(|t| match t {
                        Value::String(s) => Ok(s.clone()),
                        other => Err(f.wrong(key, "a list of group names", other)),
                    })
                    .collect::<Result<_, _>>()?,
                other => return Err(f.wrong(key, "a list of group names", other)),
            };
            map.push((group.clone(), targets));
        }
    }
    Ok(map)
}

/// `{"RateLimitErrorRetries": 3, ...}`: counts keyed by LiteLLM exception name + suffix.
fn kind_counts(
    f: &mut Fields<'_>,
    key: &'static str,
    suffix: &str,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<KindCounts, ConfigError> {
    let Some(value) = f.raw(key) else {
        return Ok(Vec::new());
    };
    let Value::Object(map) = value else {
        return Err(f.wrong(key, "a mapping of error names to counts", value));
    };
    let mut counts = Vec::new();
    for (name, count) in map {
        let kind = name.strip_suffix(suffix).and_then(kind_by_name);
        let number = count.as_u64().map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        match (kind, number) {
            (Some(kind), Some(n)) => counts.push((kind, n)),
            (None, _) => warnings.push(ConfigWarning {
                place: format!("{}.{key}", f.place),
                key: name.clone(),
            }),
            (Some(_), None) => return Err(f.wrong(key, "whole numbers", count)),
        }
    }
    Ok(counts)
}

/// The kind LiteLLM names `name` (`RateLimitError`, `Timeout`, `TimeoutError`).
fn kind_by_name(name: &str) -> Option<ErrorKind> {
    let name = if name == "TimeoutError" {
        "Timeout"
    } else {
        name
    };
    llmrelay::Error::from_litellm_name(name).map(|e| e.kind)
}

fn small(value: Option<u64>) -> Option<u32> {
    value.map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}
