//! What a request costs, to the figure LiteLLM 1.110.2 computes from the same
//! manifest entry.
//!
//! [`cost_per_token`] takes an entry, the token counts of one request
//! ([`Usage`], in OpenAI's convention: `prompt_tokens` includes cached and
//! cache-written tokens, `completion_tokens` includes reasoning tokens) and the
//! [`ServiceTier`] it was served at, and returns the prompt and completion cost
//! in US dollars. Like LiteLLM it picks the rules by provider:
//!
//! - most providers use the generic rules (`generic.rs`): cache reads and writes
//!   at their own rates (a missing one billed as input), the 1-hour cache-write
//!   share at its rate, `_above_Nk_tokens` prices once the prompt is above the
//!   threshold (at or above it for xAI), `tiered_pricing` bands, service-tier
//!   prices falling back to the standard ones, reasoning, audio and image rates;
//! - Dashscope and its brands, Perplexity and Vertex AI's 128k-split entries
//!   have calculators of their own (`providers.rs`);
//! - xAI bills reasoning, audio and image output as plain output; DeepSeek,
//!   Tencent, xAI, Fireworks, Perplexity and Dashscope ignore the service tier;
//!   Fireworks bills cache reads at half the input rate when no cache price is
//!   stated; Lemonade (local) is free;
//! - batch requests use LiteLLM's batch calculator (`batch.rs`) for every provider.
//!
//! Prices that depend on the time of the request (`off_peak_pricing`,
//! `off_peak.rs`) are applied at the moment given to [`cost_per_token_at`];
//! [`cost_per_token`] prices at the current time, as LiteLLM does.
//!
//! Not modelled, because a token count cannot carry them: regional and FedRAMP uplifts, per-character,
//! per-second and per-image prices, web-search and other tool fees.

mod batch;
mod generic;
mod off_peak;
mod prices;
mod providers;

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::model::{Mode, ModelInfo};
use prices::Prices;

/// Token counts of one request, in OpenAI's convention.
///
/// Every breakdown field is a subset of a total: `cached_tokens`,
/// `cache_creation_tokens`, `audio_input_tokens` and `image_input_tokens` are
/// part of `prompt_tokens`; `reasoning_tokens`, `audio_output_tokens` and
/// `image_output_tokens` are part of `completion_tokens`. Missing fields
/// deserialize as zero.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Usage {
    /// All prompt tokens, cached and cache-written ones included.
    pub prompt_tokens: u64,
    /// All completion tokens, reasoning tokens included.
    pub completion_tokens: u64,
    /// Prompt tokens read from the provider's prompt cache.
    pub cached_tokens: u64,
    /// Prompt tokens written to the prompt cache.
    pub cache_creation_tokens: u64,
    /// The part of `cache_creation_tokens` written with a one-hour lifetime
    /// (Anthropic's `ephemeral_1h_input_tokens`), billed at the 1-hour rate.
    pub cache_creation_1h_tokens: u64,
    /// Completion tokens spent on reasoning.
    pub reasoning_tokens: u64,
    /// Prompt tokens of audio input.
    pub audio_input_tokens: u64,
    /// Completion tokens of audio output.
    pub audio_output_tokens: u64,
    /// Prompt tokens of image input.
    pub image_input_tokens: u64,
    /// Completion tokens of image output.
    pub image_output_tokens: u64,
}

impl Usage {
    /// A usage of `prompt_tokens` in and `completion_tokens` out, nothing else.
    pub fn new(prompt_tokens: u64, completion_tokens: u64) -> Usage {
        Usage {
            prompt_tokens,
            completion_tokens,
            ..Usage::default()
        }
    }

    /// The prompt total, widened so that subtracting breakdowns cannot overflow.
    fn prompt(&self) -> i128 {
        i128::from(self.prompt_tokens)
    }
}

/// The processing tier a request was served at, which selects the
/// `_priority`, `_flex`... (or `_batches`) variant of each price.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceTier {
    /// The standard prices (LiteLLM's `None`, `auto`, `default`).
    #[default]
    Standard,
    /// A batch request (LiteLLM's batch cost calculator).
    Batch,
    /// Priority processing (`priority`; LiteLLM's `fast` is billed the same).
    Priority,
    /// Flex processing (`flex`).
    Flex,
    /// Balanced processing (`balanced`).
    Balanced,
    /// Ultrafast processing (`ultrafast`).
    Ultrafast,
}

impl ServiceTier {
    /// The name LiteLLM (and the providers' APIs) use for the tier.
    pub fn as_str(&self) -> &'static str {
        match self {
            ServiceTier::Standard => "standard",
            ServiceTier::Batch => "batch",
            ServiceTier::Priority => "priority",
            ServiceTier::Flex => "flex",
            ServiceTier::Balanced => "balanced",
            ServiceTier::Ultrafast => "ultrafast",
        }
    }

    /// The price-key suffix of the tier, for the non-batch tiers that have one.
    fn key_suffix(&self) -> Option<&'static str> {
        match self {
            ServiceTier::Standard | ServiceTier::Batch => None,
            other => Some(other.as_str()),
        }
    }
}

impl fmt::Display for ServiceTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ServiceTier {
    type Err = CostError;

    /// Accepts LiteLLM's and the providers' tier names, in any case: `auto`,
    /// `default` and `standard` are the standard tier, `fast` is priority,
    /// `batch`/`batches` is batch.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" | "default" | "auto" | "" => Ok(ServiceTier::Standard),
            "batch" | "batches" => Ok(ServiceTier::Batch),
            "priority" | "fast" => Ok(ServiceTier::Priority),
            "flex" => Ok(ServiceTier::Flex),
            "balanced" => Ok(ServiceTier::Balanced),
            "ultrafast" => Ok(ServiceTier::Ultrafast),
            _ => Err(CostError::UnknownServiceTier(s.to_string())),
        }
    }
}

/// The cost of one request in US dollars.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// Everything billed on the prompt side (input, cache reads and writes, audio and image input).
    pub prompt: f64,
    /// Everything billed on the completion side (output, reasoning, audio and image output).
    pub completion: f64,
}

impl Cost {
    /// Prompt plus completion.
    pub fn total(&self) -> f64 {
        self.prompt + self.completion
    }
}

/// Why a cost could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CostError {
    /// The entry states no price at all, so its cost is unknown (LiteLLM
    /// reports 0 for it).
    #[error("no pricing known for model `{0}`")]
    NoPricing(String),
    /// A service tier name that neither LiteLLM nor the providers use.
    #[error("unknown service tier `{0}` (expected standard, batch, priority, flex, balanced or ultrafast)")]
    UnknownServiceTier(String),
}

/// The cost of `usage` on the model `info` at `tier`, billed now, as LiteLLM
/// 1.110.2's `cost_per_token` computes it for the entry's provider.
///
/// See [`cost_per_token_at`] to bill at a given moment.
pub fn cost_per_token(
    info: &ModelInfo,
    usage: &Usage,
    tier: ServiceTier,
) -> Result<Cost, CostError> {
    cost_per_token_at(info, usage, tier, SystemTime::now())
}

/// The cost of `usage` on the model `info` at `tier` for a request billed at
/// `at`, as LiteLLM 1.110.2's `cost_per_token` computes it for the entry's
/// provider (with its billing moment pinned to `at`). The moment matters only
/// to entries with `off_peak_pricing` windows.
///
/// Fails only when the entry states no price at all. Token counts up to
/// `u64::MAX` are accepted; inconsistent breakdowns (more cached tokens than
/// prompt tokens...) are clamped the way LiteLLM clamps them, except that a
/// batch prompt never costs less than zero (LiteLLM's can).
pub fn cost_per_token_at(
    info: &ModelInfo,
    usage: &Usage,
    tier: ServiceTier,
    at: SystemTime,
) -> Result<Cost, CostError> {
    if info.prices.is_empty() && info.tiers.is_empty() {
        return Err(CostError::NoPricing(info.key.to_string()));
    }
    let rules = Rules::for_provider(info.provider);
    let prices = Prices::new(info);
    if tier == ServiceTier::Batch {
        return Ok(batch::cost(&prices, usage, rules.inclusive));
    }
    if billed_per_second(&prices) {
        // Priced by the second of wall-clock time, which a token count does not carry.
        return Ok(Cost::default());
    }
    let opts = generic::Options {
        tier: if rules.service_tiers {
            tier.key_suffix()
        } else {
            None
        },
        inclusive: rules.inclusive,
        off_peak: off_peak::open_rates(info, at),
    };
    let cost = match rules.calculator {
        Calculator::Free => Cost::default(),
        Calculator::Dashscope => providers::dashscope(&prices, usage),
        Calculator::Perplexity => providers::perplexity(&prices, usage),
        Calculator::Vertex => match providers::vertex_128k(&prices, usage) {
            Some(cost) => cost,
            None => generic::cost(&prices, usage, opts),
        },
        Calculator::Generic { only_if_priced } => {
            if only_if_priced && !has_token_pricing(&prices) {
                Cost::default()
            } else {
                generic::cost(
                    &rules.adjust_prices(prices),
                    &rules.adjust_usage(usage),
                    opts,
                )
            }
        }
    };
    Ok(cost)
}

/// Which calculator LiteLLM's `cost_per_token` hands a provider's models to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Calculator {
    /// The generic rules; `only_if_priced` for providers LiteLLM has no
    /// calculator for, whose models cost nothing without a token price.
    Generic { only_if_priced: bool },
    /// Vertex AI: the 128k split when the entry has it, else the generic rules.
    Vertex,
    /// Dashscope, `qwencloud`, `qwen_ai_platform`.
    Dashscope,
    /// Perplexity's own fallback formula.
    Perplexity,
    /// Local models (Lemonade): always free.
    Free,
}

/// A provider's pricing rules, from its LiteLLM provider slug.
#[derive(Debug, Clone, Copy)]
struct Rules {
    calculator: Calculator,
    /// Whether the provider's calculator passes the service tier on.
    service_tiers: bool,
    /// Thresholds apply from the threshold itself (xAI) rather than above it.
    inclusive: bool,
    /// xAI: completion details are folded into plain output tokens.
    plain_completion: bool,
    /// Fireworks: cache reads default to half the input rate.
    half_price_cache_reads: bool,
}

impl Rules {
    fn for_provider(provider: &str) -> Rules {
        let generic = Rules {
            calculator: Calculator::Generic {
                only_if_priced: false,
            },
            service_tiers: true,
            inclusive: false,
            plain_completion: false,
            half_price_cache_reads: false,
        };
        let untiered = Rules {
            service_tiers: false,
            ..generic
        };
        match provider {
            // Providers LiteLLM routes to a calculator that passes the tier on.
            "openai" | "azure" | "azure_text" | "azure_ai" | "anthropic" | "bedrock"
            | "bedrock_converse" | "gemini" | "databricks" => generic,
            p if p.starts_with("vertex_ai") => Rules {
                calculator: Calculator::Vertex,
                ..generic
            },
            "deepseek" | "tencent" | "fireworks_ai-embedding-models" => untiered,
            "fireworks_ai" => Rules {
                half_price_cache_reads: true,
                ..untiered
            },
            "xai" => Rules {
                inclusive: true,
                plain_completion: true,
                ..untiered
            },
            "perplexity" => Rules {
                calculator: Calculator::Perplexity,
                ..untiered
            },
            "dashscope" | "qwencloud" | "qwen_ai_platform" => Rules {
                calculator: Calculator::Dashscope,
                ..untiered
            },
            "lemonade" => Rules {
                calculator: Calculator::Free,
                ..untiered
            },
            _ => Rules {
                calculator: Calculator::Generic {
                    only_if_priced: true,
                },
                ..generic
            },
        }
    }

    /// Fireworks' default cache-read rate, where it applies.
    fn adjust_prices<'a>(&self, prices: Prices<'a>) -> Prices<'a> {
        match prices.get("input_cost_per_token") {
            Some(input) if self.half_price_cache_reads => {
                prices.with_cache_read_default(input * 0.5)
            }
            _ => prices,
        }
    }

    /// xAI's completion folding, where it applies.
    fn adjust_usage(&self, usage: &Usage) -> Usage {
        if !self.plain_completion {
            return *usage;
        }
        Usage {
            reasoning_tokens: 0,
            audio_output_tokens: 0,
            image_output_tokens: 0,
            ..*usage
        }
    }
}

/// LiteLLM's `_has_token_or_tiered_pricing`.
fn has_token_pricing(prices: &Prices<'_>) -> bool {
    let info = prices.info();
    prices.get("input_cost_per_token").unwrap_or(0.0) > 0.0
        || prices.get("output_cost_per_token").unwrap_or(0.0) > 0.0
        || !info.tiers.is_empty()
        || info.extra.contains("\"tiered_pricing\"")
}

/// An entry LiteLLM prices by the second: no token price, a per-second one,
/// and a mode billed by wall-clock time.
fn billed_per_second(prices: &Prices<'_>) -> bool {
    let wall_clock_mode = matches!(
        prices.info().mode,
        None | Some(
            Mode::Chat
                | Mode::Completion
                | Mode::Embedding
                | Mode::Responses
                | Mode::AudioTranscription
        )
    );
    wall_clock_mode
        && !has_token_pricing(prices)
        && [
            "cost_per_second",
            "input_cost_per_second",
            "output_cost_per_second",
        ]
        .iter()
        .any(|k| prices.get(k).is_some())
}

#[cfg(test)]
mod tests;
