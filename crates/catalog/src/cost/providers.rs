//! The calculators of providers whose LiteLLM pricing does not go through the
//! generic one: Alibaba's Dashscope family, Perplexity, and Vertex AI models
//! priced with a 128k-token split.

use super::prices::{band_price, band_rate, select_band, Prices};
use super::{Cost, Usage};

const INPUT: &str = "input_cost_per_token";
const OUTPUT: &str = "output_cost_per_token";
const CACHE_READ: &str = "cache_read_input_token_cost";
const CACHE_WRITE: &str = "cache_creation_input_token_cost";
const REASONING: &str = "output_cost_per_reasoning_token";

/// Dashscope (and `qwencloud`, `qwen_ai_platform`): one `tiered_pricing` band,
/// chosen by the request's whole input, prices every token of the request.
/// Audio and image tokens are billed as text; there is no service tier.
pub(super) fn dashscope(prices: &Prices<'_>, usage: &Usage) -> Cost {
    let cached = i128::from(usage.cached_tokens);
    let written = i128::from(usage.cache_creation_tokens);
    let text = (usage.prompt() - cached - written).max(0);
    let reasoning = i128::from(usage.reasoning_tokens);
    let answer = (i128::from(usage.completion_tokens) - reasoning).max(0);

    let flat_input = prices.get(INPUT).unwrap_or(0.0);
    let flat_output = prices.get(OUTPUT).unwrap_or(0.0);
    let flat_reasoning = prices.get(REASONING);
    let (input, read, write, output, reasoning_rate) =
        match select_band(prices.info().tiers, text + cached + written) {
            None => (
                flat_input,
                prices.get(CACHE_READ).unwrap_or(flat_input),
                prices.get(CACHE_WRITE).unwrap_or(flat_input),
                flat_output,
                flat_reasoning,
            ),
            Some(band) => {
                // A band that declares output rates keeps the request on them; one
                // spelling out only input rates leaves output at the model's own.
                let declares_output = band_price(band, OUTPUT).is_some();
                (
                    band_rate(band, INPUT, None),
                    band_rate(band, CACHE_READ, Some(INPUT)),
                    band_rate(band, CACHE_WRITE, Some(INPUT)),
                    if declares_output {
                        band_rate(band, OUTPUT, None)
                    } else {
                        flat_output
                    },
                    match band_price(band, REASONING) {
                        Some(rate) => Some(rate),
                        None if declares_output => None,
                        None => flat_reasoning,
                    },
                )
            }
        };
    Cost {
        prompt: text as f64 * input + cached as f64 * read + written as f64 * write,
        completion: answer as f64 * output + reasoning as f64 * reasoning_rate.unwrap_or(output),
    }
}

/// Perplexity's own fallback (when the response carries no cost): cache reads
/// at their rate, everything else of the prompt as input, reasoning at its rate
/// only when the model has one. Cache writes are not priced separately.
pub(super) fn perplexity(prices: &Prices<'_>, usage: &Usage) -> Cost {
    let input = prices.get(INPUT).unwrap_or(0.0);
    let output = prices.get(OUTPUT).unwrap_or(0.0);
    let read = prices.get(CACHE_READ).unwrap_or(input);
    let prompt = usage.prompt();
    let cached = prompt.min(i128::from(usage.cached_tokens));
    let completion = i128::from(usage.completion_tokens);
    let reasoning = i128::from(usage.reasoning_tokens);
    let completion_cost = match prices.get(REASONING) {
        Some(rate) if reasoning > 0 => {
            (completion - reasoning).max(0) as f64 * output + reasoning as f64 * rate
        }
        _ => completion as f64 * output,
    };
    Cost {
        prompt: (prompt - cached) as f64 * input + cached as f64 * read,
        completion: completion_cost,
    }
}

/// Vertex AI entries with `_above_128k_tokens` prices: the whole prompt at the
/// above-128k rate once the prompt is over 128,000 tokens, the whole completion
/// likewise by its own length. Caching, reasoning and tiers play no part.
/// `None` when the entry has no such price (the generic rules apply).
pub(super) fn vertex_128k(prices: &Prices<'_>, usage: &Usage) -> Option<Cost> {
    let input_above = prices.get("input_cost_per_token_above_128k_tokens");
    let output_above = prices.get("output_cost_per_token_above_128k_tokens");
    if input_above.is_none() && output_above.is_none() {
        return None;
    }
    let prompt = usage.prompt();
    let completion = i128::from(usage.completion_tokens);
    let rate = |tokens: i128, above: Option<f64>, base: &str| match above {
        Some(rate) if tokens > 128_000 => rate,
        _ => prices.get(base).unwrap_or(0.0),
    };
    Some(Cost {
        prompt: prompt as f64 * rate(prompt, input_above, INPUT),
        completion: completion as f64 * rate(completion, output_above, OUTPUT),
    })
}
