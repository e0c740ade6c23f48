//! LiteLLM's batch pricing (`batch_cost_calculator`), the same for every
//! provider: the entry's `_batches` prices (switched at `_above_Nk_tokens_batches`
//! thresholds) when it has them, else half the standard input and output rates.

use super::generic::cache_write_cost;
use super::prices::{exceeds, Prices};
use super::{Cost, Usage};

const INPUT: &str = "input_cost_per_token";
const OUTPUT: &str = "output_cost_per_token";
const CACHE_READ: &str = "cache_read_input_token_cost";
const CACHE_WRITE: &str = "cache_creation_input_token_cost";
const CACHE_WRITE_1H: &str = "cache_creation_input_token_cost_above_1hr";
const CACHE_WRITE_12H: &str = "cache_creation_input_token_cost_above_12hr";

/// Prices `usage` as a batch request.
pub(super) fn cost(prices: &Prices<'_>, usage: &Usage, inclusive: bool) -> Cost {
    let prompt = usage.prompt();
    let prompt_cost = match batch_rate(prices, INPUT, prompt, inclusive) {
        Some(input) => batch_prompt(prices, usage, input, inclusive),
        None => halved_prompt(prices, usage),
    };

    let completion = i128::from(usage.completion_tokens);
    let text_rate = batch_rate(prices, OUTPUT, prompt, inclusive)
        .unwrap_or_else(|| prices.get(OUTPUT).unwrap_or(0.0) / 2.0);
    let image_rate = prices
        .get("output_cost_per_image_token_batches")
        .or_else(|| prices.get("output_cost_per_image_token").map(|r| r / 2.0))
        .unwrap_or(text_rate);
    let image = i128::from(usage.image_output_tokens).min(completion);
    Cost {
        prompt: prompt_cost,
        completion: (completion - image) as f64 * text_rate + image as f64 * image_rate,
    }
}

/// `<prefix>_batches`, or `<prefix>_above_<N>_tokens_batches` for the highest
/// threshold the prompt crosses.
fn batch_rate(prices: &Prices<'_>, prefix: &str, prompt: i128, inclusive: bool) -> Option<f64> {
    let head = format!("{prefix}_above_");
    let crossed = prices
        .entries()
        .filter_map(|(key, rate)| {
            let written = key.strip_prefix(&head)?.strip_suffix("_tokens_batches")?;
            let digits = written.strip_suffix('k').unwrap_or(written);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let threshold =
                digits.parse::<f64>().ok()? * if written.ends_with('k') { 1000.0 } else { 1.0 };
            exceeds(prompt, threshold, inclusive).then_some((threshold, rate))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match crossed {
        Some((_, rate)) => Some(rate),
        None => prices.get(&format!("{prefix}_batches")),
    }
}

/// The prompt side when the entry has batch input prices.
fn batch_prompt(prices: &Prices<'_>, usage: &Usage, input: f64, inclusive: bool) -> f64 {
    let prompt = usage.prompt();
    let cache_read = batch_rate(prices, CACHE_READ, prompt, inclusive).or_else(|| {
        let key = prices.threshold_variant(CACHE_READ, prompt, false);
        prices.unit(&key, None)
    });
    let cache_write = batch_rate(prices, CACHE_WRITE, prompt, inclusive);
    let cache_write_1h = batch_rate(prices, CACHE_WRITE_1H, prompt, inclusive);
    let bills_writes = cache_write.is_some()
        || cache_write_1h.is_some()
        || batch_rate(prices, CACHE_WRITE_12H, prompt, inclusive).is_some();

    // Cache reads (writes) without a rate are billed as input text.
    let cached = if cache_read.is_some() {
        i128::from(usage.cached_tokens)
    } else {
        0
    };
    let written = if bills_writes {
        i128::from(usage.cache_creation_tokens)
    } else {
        0
    };
    let audio = i128::from(usage.audio_input_tokens);
    let image = i128::from(usage.image_input_tokens);
    let text = (prompt - audio - image - cached - written).max(0);

    let audio_rate = modality_rate(prices, "input_cost_per_audio_token_batches", input, prompt);
    let image_rate = modality_rate(prices, "input_cost_per_image_token_batches", input, 0);
    let mut cost = text as f64 * input
        + audio as f64 * audio_rate
        + image as f64 * image_rate
        + cached as f64 * cache_read.unwrap_or(0.0);
    if bills_writes {
        let rate = cache_write.unwrap_or(input);
        let written_1h = i128::from(usage.cache_creation_1h_tokens);
        cost += cache_write_cost(written, written_1h, rate, cache_write_1h.unwrap_or(rate));
    }
    cost
}

/// A modality's batch rate, threshold aware, else `fallback`.
fn modality_rate(prices: &Prices<'_>, key: &str, fallback: f64, prompt: i128) -> f64 {
    let variant = prices.threshold_variant(key, prompt, false);
    prices
        .unit(&variant, None)
        .or_else(|| prices.get(key))
        .unwrap_or(fallback)
}

/// The prompt side without batch input prices: half of every standard rate.
/// Cache reads are billed only at a stated cache price.
fn halved_prompt(prices: &Prices<'_>, usage: &Usage) -> f64 {
    let input = prices.get(INPUT).unwrap_or(0.0);
    let cached = i128::from(usage.cached_tokens);
    let written = i128::from(usage.cache_creation_tokens);
    // LiteLLM lets this go below zero (and the cost with it) when the cache
    // counts exceed the prompt; a cost is never negative here.
    let uncached = (usage.prompt() - cached - written).max(0);
    uncached as f64 * input / 2.0
        + cached as f64 * prices.get(CACHE_READ).unwrap_or(0.0) / 2.0
        + written as f64 * prices.get(CACHE_WRITE).unwrap_or(input) / 2.0
}
