//! LiteLLM's generic token pricing (`generic_cost_per_token`), which most
//! providers' calculators delegate to.
//!
//! Rates first: a `tiered_pricing` band when the entry has one, else the
//! service-tier prices (falling back to the standard ones), switched to the
//! `_above_Nk_tokens` prices of every threshold the prompt crosses. Then each
//! kind of token is billed at its rate: uncached text, cache reads, cache
//! writes (the 1-hour share at its own rate), audio and image input, and on the
//! completion side text, audio, reasoning and image output.

use super::off_peak::OffPeakRates;
use super::prices::{band_price, band_rate, exceeds, select_band, threshold_of, tier_key, Prices};
use super::{Cost, Usage};

const INPUT: &str = "input_cost_per_token";
const OUTPUT: &str = "output_cost_per_token";
const CACHE_READ: &str = "cache_read_input_token_cost";
const CACHE_WRITE: &str = "cache_creation_input_token_cost";
const CACHE_WRITE_1H: &str = "cache_creation_input_token_cost_above_1hr";
const REASONING: &str = "output_cost_per_reasoning_token";

/// How a provider's calculator calls the generic one.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Options {
    /// The service tier's key suffix (`priority`, `flex`...), or `None` for the
    /// standard prices or a provider whose calculator ignores the tier.
    pub tier: Option<&'static str>,
    /// Bill the higher tier from the threshold itself on (xAI), not above it.
    pub inclusive: bool,
    /// The entry's off-peak rates, when the request falls in an off-peak window.
    pub off_peak: Option<OffPeakRates>,
}

/// The per-token rates a request is billed at.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rates {
    input: f64,
    output: f64,
    cache_read: f64,
    cache_write: f64,
    cache_write_1h: f64,
}

/// Prices `usage` with LiteLLM's generic rules.
pub(super) fn cost(prices: &Prices<'_>, usage: &Usage, opts: Options) -> Cost {
    let rates = rates(prices, usage.prompt(), opts);
    Cost {
        prompt: prompt_cost(prices, usage, &rates, opts),
        completion: completion_cost(prices, usage, &rates, opts),
    }
}

/// LiteLLM's `_get_token_base_cost`.
fn rates(prices: &Prices<'_>, prompt: i128, opts: Options) -> Rates {
    if let Some(band) = priced_band(prices, prompt) {
        // A band bills every token of the request at its rates; the service
        // tier plays no part. Missing cache rates fall back to the band's input.
        // Off-peak rates replace the band's for the whole request; the
        // band's own 1-hour write rate survives them.
        let rates = off_peak(
            Rates {
                input: band_rate(band, INPUT, None),
                output: match band_price(band, OUTPUT) {
                    Some(rate) => rate,
                    None => prices.unit(OUTPUT, Some(0.0)).unwrap_or(0.0),
                },
                cache_read: band_rate(band, CACHE_READ, Some(INPUT)),
                cache_write: band_rate(band, CACHE_WRITE, Some(INPUT)),
                cache_write_1h: 0.0,
            },
            opts.off_peak,
        );
        return Rates {
            cache_write_1h: band_price(band, CACHE_WRITE_1H).unwrap_or(rates.cache_write),
            ..rates
        };
    }

    let tier = opts.tier;
    let mut input = prices
        .unit(&tier_key(INPUT, tier), Some(0.0))
        .unwrap_or(0.0);
    let mut output = prices
        .unit(&tier_key(OUTPUT, tier), Some(0.0))
        .unwrap_or(0.0);
    if output == 0.0 {
        // Image models price their whole output per image token.
        if let Some(rate) = prices.unit("output_cost_per_image_token", None) {
            output = rate;
        }
    }
    let mut cache_write = prices.unit(&tier_key(CACHE_WRITE, tier), None);
    let mut cache_read = prices.unit(&tier_key(CACHE_READ, tier), None);
    let mut cache_write_1h_key = tier_key(CACHE_WRITE_1H, tier);

    for threshold in crossed_thresholds(prices, prompt, opts) {
        let above = |base: &str| tier_key(&format!("{base}_above_{threshold}_tokens"), tier);
        input = prices.unit(&above(INPUT), Some(input)).unwrap_or(input);
        output = prices.unit(&above(OUTPUT), Some(output)).unwrap_or(output);
        cache_write = prices.unit(&above(CACHE_WRITE), cache_write);
        cache_read = prices.unit(&above(CACHE_READ), cache_read);
        // The 1-hour rate switches only when the tier's own threshold key exists.
        let key_1h = above(CACHE_WRITE_1H);
        if prices.get(&key_1h).is_some() {
            cache_write_1h_key = key_1h;
        }
    }

    // A cache price the provider does not publish is billed as plain input
    // (the off-peak input while a window is open).
    let missing_cache_rate = opts.off_peak.and_then(|o| o.input).unwrap_or(input);
    let rates = off_peak(
        Rates {
            input,
            output,
            cache_read: cache_read.unwrap_or(missing_cache_rate),
            cache_write: cache_write.unwrap_or(missing_cache_rate),
            cache_write_1h: 0.0,
        },
        opts.off_peak,
    );
    Rates {
        cache_write_1h: prices
            .unit(&cache_write_1h_key, None)
            .unwrap_or(rates.cache_write),
        ..rates
    }
}

/// LiteLLM's `apply_off_peak_pricing`: each rate the open block states
/// replaces the one resolved so far.
fn off_peak(rates: Rates, open: Option<OffPeakRates>) -> Rates {
    let Some(o) = open else {
        return rates;
    };
    Rates {
        input: o.input.unwrap_or(rates.input),
        output: o.output.unwrap_or(rates.output),
        cache_read: o.cache_read.unwrap_or(rates.cache_read),
        cache_write: o.cache_write.unwrap_or(rates.cache_write),
        cache_write_1h: rates.cache_write_1h,
    }
}

/// The `tiered_pricing` band that prices the request, if the entry has one
/// and the band states an input price.
fn priced_band<'p>(prices: &Prices<'p>, prompt: i128) -> Option<&'p crate::model::PriceTier> {
    select_band(prices.info().tiers, prompt).filter(|b| band_price(b, INPUT).is_some())
}

/// The written thresholds (`200k`) of the standard (or this tier's)
/// `_above_Nk_tokens` prices the prompt crosses, lowest first.
fn crossed_thresholds(prices: &Prices<'_>, prompt: i128, opts: Options) -> Vec<&'static str> {
    const PREFIXES: [&str; 4] = [
        "input_cost_per_token_above_",
        "output_cost_per_token_above_",
        "cache_read_input_token_cost_above_",
        "cache_creation_input_token_cost_above_",
    ];
    const NON_STANDARD: [&str; 7] = [
        "_ultrafast",
        "_balanced",
        "_priority",
        "_auto",
        "_flex",
        "_fast",
        "_batches",
    ];
    let tier_suffix = opts.tier.map(|t| format!("_{t}"));
    let mut found: Vec<(f64, &'static str)> = prices
        .entries()
        .filter(|(k, _)| PREFIXES.iter().any(|p| k.starts_with(p)) && k.contains("_tokens"))
        .filter(|(k, _)| {
            !NON_STANDARD.iter().any(|s| k.ends_with(s))
                || tier_suffix.as_deref().is_some_and(|s| k.ends_with(s))
        })
        .filter_map(|(k, _)| threshold_of(k).map(|(written, t)| (t, written)))
        .filter(|(t, _)| exceeds(prompt, *t, opts.inclusive))
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    found.dedup_by(|a, b| a.1 == b.1);
    found.into_iter().map(|(_, written)| written).collect()
}

/// LiteLLM's `_calculate_input_cost` over the usage's prompt breakdown.
fn prompt_cost(prices: &Prices<'_>, usage: &Usage, rates: &Rates, opts: Options) -> f64 {
    let prompt = usage.prompt();
    let cached = i128::from(usage.cached_tokens);
    let written = i128::from(usage.cache_creation_tokens);
    let written_1h = i128::from(usage.cache_creation_1h_tokens);
    let mut audio = i128::from(usage.audio_input_tokens);
    let mut image = i128::from(usage.image_input_tokens);

    // Cached and per-modality counts are subsets of the prompt; when they add
    // up to more than it, modalities only bill what the cache left over.
    let text = if (cached > 0 || written > 0) && cached + audio + written + image > prompt {
        let uncached = (prompt - cached - written).max(0);
        audio = audio.min(uncached);
        image = image.min(uncached - audio);
        uncached - audio - image
    } else {
        (prompt - cached - audio - written - image).max(0)
    };

    let mut cost = text as f64 * rates.input + cached as f64 * rates.cache_read;
    if audio > 0 {
        cost += modality_cost(
            prices,
            "input_cost_per_audio_token",
            audio,
            rates.input,
            opts,
            prompt,
        );
    }
    if image > 0 {
        cost += modality_cost(
            prices,
            "input_cost_per_image_token",
            image,
            rates.input,
            opts,
            0,
        );
    }
    if written > 0 || written_1h > 0 {
        cost += cache_write_cost(written, written_1h, rates.cache_write, rates.cache_write_1h);
    }
    cost
}

/// Cache writes: the 1-hour share at its rate, the rest at the base write rate.
pub(super) fn cache_write_cost(written: i128, written_1h: i128, rate: f64, rate_1h: f64) -> f64 {
    if written_1h == 0 {
        return written as f64 * rate;
    }
    (written - written_1h).max(0) as f64 * rate + written_1h as f64 * rate_1h
}

/// Audio or image prompt tokens at their modality rate (tier and threshold
/// aware), or as plain input when the entry has no such rate.
fn modality_cost(
    prices: &Prices<'_>,
    base: &str,
    tokens: i128,
    input_rate: f64,
    opts: Options,
    prompt: i128,
) -> f64 {
    let key = prices.threshold_variant(&tier_key(base, opts.tier), prompt, opts.inclusive);
    let standard = match opts.tier {
        Some(t) => key.strip_suffix(&format!("_{t}")).unwrap_or(&key),
        None => &key,
    };
    if prices.get(&key).is_none() && prices.get(standard).is_none() {
        return tokens as f64 * input_rate;
    }
    tokens as f64 * prices.unit(&key, Some(0.0)).unwrap_or(0.0)
}

/// The completion side: text at the output rate, then audio, reasoning and
/// image tokens at theirs.
fn completion_cost(prices: &Prices<'_>, usage: &Usage, rates: &Rates, opts: Options) -> f64 {
    let completion = i128::from(usage.completion_tokens);
    let reasoning = i128::from(usage.reasoning_tokens);
    let audio = i128::from(usage.audio_output_tokens);
    let image = i128::from(usage.image_output_tokens);
    if reasoning == 0 && audio == 0 && image == 0 {
        return completion as f64 * rates.output;
    }
    let text = (completion - reasoning - audio - image).max(0);
    let mut cost = text as f64 * rates.output;
    if audio > 0 {
        let rate = prices
            .unit("output_cost_per_audio_token", None)
            .unwrap_or(rates.output);
        cost += audio as f64 * rate;
    }
    if reasoning > 0 {
        cost += reasoning as f64 * reasoning_rate(prices, usage.prompt(), opts, rates.output);
    }
    if image > 0 {
        let rate = prices
            .unit(&tier_key("output_cost_per_image_token", opts.tier), None)
            .unwrap_or(rates.output);
        cost += image as f64 * rate;
    }
    cost
}

/// LiteLLM's `_resolve_billed_reasoning_rate`: an open off-peak block's
/// reasoning rate, else the band's reasoning (or
/// output) rate, else the tier's reasoning rate, else the tier's output rate
/// when the tier prices output itself, else the standard reasoning rate, else
/// the output rate.
fn reasoning_rate(prices: &Prices<'_>, prompt: i128, opts: Options, output: f64) -> f64 {
    if let Some(rate) = opts.off_peak.and_then(|o| o.reasoning) {
        return rate;
    }
    if let Some(band) = priced_band(prices, prompt) {
        if band_price(band, REASONING).is_some() || band_price(band, OUTPUT).is_some() {
            return band_rate(band, REASONING, Some(OUTPUT));
        }
    }
    let tiered = tier_key(REASONING, opts.tier);
    if prices.get(&tiered).is_some() {
        if let Some(rate) = prices.unit(&tiered, None) {
            return rate;
        }
    }
    if let Some(tier) = opts.tier {
        if prices.get(&format!("{OUTPUT}_{tier}")).is_some() {
            return output;
        }
    }
    prices.unit(REASONING, None).unwrap_or(output)
}
