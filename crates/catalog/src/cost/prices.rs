//! An entry's prices as LiteLLM's cost code sees them.
//!
//! LiteLLM does not price from the manifest row itself but from what
//! `get_model_info` returns for it, and that differs in three ways this view
//! reproduces:
//! - a missing `input_cost_per_token` / `output_cost_per_token` reads as `0.0`;
//! - a key suffixed with a service tier or `_batches` survives only if LiteLLM
//!   declares it (or it is an `_above_Nk_tokens` threshold key); any other such
//!   key of the manifest is invisible to LiteLLM's arithmetic;
//! - a tier-suffixed lookup that misses falls back to the key without the suffix
//!   (`get_cost_per_unit`).

use crate::model::{ModelInfo, PriceTier};

/// Service-tier key suffixes, longest first, in the order LiteLLM tries them
/// (so `_ultrafast` is recognised before `_fast`).
const TIER_SUFFIXES: [&str; 6] = [
    "_ultrafast",
    "_balanced",
    "_priority",
    "_auto",
    "_flex",
    "_fast",
];

/// Suffixes that make a price non-standard: the service tiers, then batch.
const NON_STANDARD_SUFFIXES: [&str; 7] = [
    "_ultrafast",
    "_balanced",
    "_priority",
    "_auto",
    "_flex",
    "_fast",
    "_batches",
];

/// The tier- and batch-suffixed price keys LiteLLM 1.110.2's `get_model_info`
/// passes through (besides `_above_Nk_tokens[_batches]` keys, which it always
/// keeps). Sorted, for binary search.
const DECLARED_SUFFIXED_KEYS: [&str; 57] = [
    "cache_creation_input_token_cost_above_12hr_above_272k_tokens_flex",
    "cache_creation_input_token_cost_above_12hr_above_272k_tokens_priority",
    "cache_creation_input_token_cost_above_12hr_above_272k_tokens_ultrafast",
    "cache_creation_input_token_cost_above_12hr_batches",
    "cache_creation_input_token_cost_above_12hr_flex",
    "cache_creation_input_token_cost_above_12hr_priority",
    "cache_creation_input_token_cost_above_12hr_ultrafast",
    "cache_creation_input_token_cost_above_272k_tokens_flex",
    "cache_creation_input_token_cost_above_272k_tokens_priority",
    "cache_creation_input_token_cost_above_272k_tokens_ultrafast",
    "cache_creation_input_token_cost_batches",
    "cache_creation_input_token_cost_flex",
    "cache_creation_input_token_cost_priority",
    "cache_creation_input_token_cost_ultrafast",
    "cache_read_input_audio_token_cost_batches",
    "cache_read_input_audio_token_cost_flex",
    "cache_read_input_audio_token_cost_priority",
    "cache_read_input_token_cost_above_200k_tokens_priority",
    "cache_read_input_token_cost_above_272k_tokens_flex",
    "cache_read_input_token_cost_above_272k_tokens_priority",
    "cache_read_input_token_cost_above_272k_tokens_ultrafast",
    "cache_read_input_token_cost_balanced",
    "cache_read_input_token_cost_batches",
    "cache_read_input_token_cost_flex",
    "cache_read_input_token_cost_priority",
    "cache_read_input_token_cost_ultrafast",
    "input_cost_per_audio_token_above_200k_tokens_flex",
    "input_cost_per_audio_token_above_200k_tokens_priority",
    "input_cost_per_audio_token_batches",
    "input_cost_per_audio_token_flex",
    "input_cost_per_audio_token_priority",
    "input_cost_per_image_token_batches",
    "input_cost_per_token_above_200k_tokens_flex",
    "input_cost_per_token_above_200k_tokens_priority",
    "input_cost_per_token_above_272k_tokens_flex",
    "input_cost_per_token_above_272k_tokens_priority",
    "input_cost_per_token_above_272k_tokens_ultrafast",
    "input_cost_per_token_balanced",
    "input_cost_per_token_batches",
    "input_cost_per_token_flex",
    "input_cost_per_token_priority",
    "input_cost_per_token_ultrafast",
    "input_cost_per_video_token_batches",
    "output_cost_per_image_token_batches",
    "output_cost_per_image_token_priority",
    "output_cost_per_reasoning_token_flex",
    "output_cost_per_reasoning_token_priority",
    "output_cost_per_token_above_200k_tokens_flex",
    "output_cost_per_token_above_200k_tokens_priority",
    "output_cost_per_token_above_272k_tokens_flex",
    "output_cost_per_token_above_272k_tokens_priority",
    "output_cost_per_token_above_272k_tokens_ultrafast",
    "output_cost_per_token_balanced",
    "output_cost_per_token_batches",
    "output_cost_per_token_flex",
    "output_cost_per_token_priority",
    "output_cost_per_token_ultrafast",
];

const CACHE_READ: &str = "cache_read_input_token_cost";

/// The prices of one entry, read the way LiteLLM's cost calculators read them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Prices<'a> {
    info: &'a ModelInfo,
    /// A cache-read rate standing in for a missing `cache_read_input_token_cost`
    /// (Fireworks bills cache hits at half the input rate by default).
    cache_read_default: Option<f64>,
}

impl<'a> Prices<'a> {
    pub(super) fn new(info: &'a ModelInfo) -> Self {
        Prices {
            info,
            cache_read_default: None,
        }
    }

    /// Uses `rate` as the cache-read price when the entry states none.
    pub(super) fn with_cache_read_default(self, rate: f64) -> Self {
        Prices {
            cache_read_default: Some(rate),
            ..self
        }
    }

    /// The raw entry.
    pub(super) fn info(&self) -> &'a ModelInfo {
        self.info
    }

    /// `model_info.get(key)`: the price if LiteLLM sees it.
    pub(super) fn get(&self, key: &str) -> Option<f64> {
        if !visible(key) {
            return None;
        }
        match self.info.price(key) {
            Some(v) => Some(v),
            None if key == "input_cost_per_token" || key == "output_cost_per_token" => Some(0.0),
            None if key == CACHE_READ => self.cache_read_default,
            None => None,
        }
    }

    /// `get_cost_per_unit`: the price, else (for a tier-suffixed key) the price
    /// without the first tier suffix found in it, else `default`.
    pub(super) fn unit(&self, key: &str, default: Option<f64>) -> Option<f64> {
        if let Some(v) = self.get(key) {
            return Some(v);
        }
        if let Some(suffix) = TIER_SUFFIXES.iter().find(|s| key.contains(*s)) {
            if let Some(v) = self.get(&key.replace(suffix, "")) {
                return Some(v);
            }
        }
        default
    }

    /// Every price LiteLLM sees, with its key.
    pub(super) fn entries(&self) -> impl Iterator<Item = (&'static str, f64)> + 'a {
        self.info.prices.iter().copied().filter(|(k, _)| visible(k))
    }

    /// LiteLLM's `get_modality_token_cost_key`: the `_above_Nk_tokens` variant of
    /// `cost_key` for the highest threshold the prompt crosses, keeping its tier
    /// or batch suffix; `cost_key` itself when none is crossed.
    pub(super) fn threshold_variant(
        &self,
        cost_key: &str,
        prompt: i128,
        inclusive: bool,
    ) -> String {
        let suffix = NON_STANDARD_SUFFIXES
            .iter()
            .copied()
            .find(|s| cost_key.ends_with(s))
            .unwrap_or("");
        let base = &cost_key[..cost_key.len() - suffix.len()];
        let prefix = format!("{base}_above_");
        let tokens_suffix = format!("_tokens{suffix}");
        let mut best: Option<(&'static str, f64)> = None;
        for (key, _) in self.entries() {
            if !key.starts_with(&prefix)
                || !(key.ends_with("_tokens") || key.ends_with(&tokens_suffix))
            {
                continue;
            }
            let Some((_, threshold)) = threshold_of(key) else {
                continue;
            };
            if exceeds(prompt, threshold, inclusive) && best.is_none_or(|(_, t)| threshold > t) {
                best = Some((key, threshold));
            }
        }
        match best {
            Some((key, _)) => format!("{}{suffix}", key.strip_suffix(suffix).unwrap_or(key)),
            None => cost_key.to_string(),
        }
    }
}

/// Whether LiteLLM's `get_model_info` keeps `key`.
fn visible(key: &str) -> bool {
    !NON_STANDARD_SUFFIXES.iter().any(|s| key.ends_with(s))
        || is_threshold_key(key)
        || DECLARED_SUFFIXED_KEYS.binary_search(&key).is_ok()
}

/// `_above_\d+k?_tokens(_batches)?$`, LiteLLM's test for a threshold price key.
fn is_threshold_key(key: &str) -> bool {
    let unbatched = key.strip_suffix("_batches");
    [Some(key), unbatched].into_iter().flatten().any(|k| {
        let Some(head) = k.strip_suffix("_tokens") else {
            return false;
        };
        let head = head.strip_suffix('k').unwrap_or(head);
        let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
        digits > 0 && head[..head.len() - digits].ends_with("_above_")
    })
}

/// The threshold of an `..._above_<N>[k]_tokens...` key, as written and in
/// tokens (LiteLLM reads the part after the last `_above_`).
pub(super) fn threshold_of(key: &str) -> Option<(&str, f64)> {
    let at = key.rfind("_above_")?;
    let written = key[at + "_above_".len()..].split("_tokens").next()?;
    let kilo = written.contains('k');
    let number: f64 = written.replace('k', "").parse().ok()?;
    Some((written, if kilo { number * 1000.0 } else { number }))
}

/// LiteLLM's threshold comparison: strictly above, or at it for providers
/// that bill the higher tier from the threshold on (xAI).
pub(super) fn exceeds(prompt: i128, threshold: f64, inclusive: bool) -> bool {
    let prompt = prompt as f64;
    prompt > threshold || (inclusive && prompt == threshold)
}

/// The `tiered_pricing` band a request of `input_tokens` prompt tokens is
/// billed in: the first (by start) with `start < tokens <= end`, else the last.
pub(super) fn select_band(tiers: &[PriceTier], input_tokens: i128) -> Option<&PriceTier> {
    if tiers.is_empty() || input_tokens <= 0 {
        return None;
    }
    let mut sorted: Vec<&PriceTier> = tiers.iter().collect();
    sorted.sort_by(|a, b| a.start.total_cmp(&b.start));
    let tokens = input_tokens as f64;
    sorted
        .iter()
        .find(|b| b.start < tokens && tokens <= b.end)
        .or(sorted.last())
        .copied()
}

/// A price stated in a band.
pub(super) fn band_price(band: &PriceTier, key: &str) -> Option<f64> {
    band.prices
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| band.prices[i].1)
}

/// LiteLLM's `tier_rate`: the band's `key`, else its `fallback`, else 0.
pub(super) fn band_rate(band: &PriceTier, key: &str, fallback: Option<&str>) -> f64 {
    band_price(band, key)
        .or_else(|| fallback.and_then(|f| band_price(band, f)))
        .unwrap_or(0.0)
}

/// `base` with the service-tier suffix LiteLLM prices `tier` under.
pub(super) fn tier_key(base: &str, tier: Option<&str>) -> String {
    match tier {
        Some(t) => format!("{base}_{t}"),
        None => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn declared_keys_are_sorted() {
        assert!(DECLARED_SUFFIXED_KEYS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recognises_threshold_keys_like_litellm() {
        assert!(is_threshold_key("input_cost_per_token_above_200k_tokens"));
        assert!(is_threshold_key(
            "input_cost_per_token_above_128000_tokens_batches"
        ));
        assert!(is_threshold_key(
            "cache_creation_input_token_cost_above_1hr_above_200k_tokens"
        ));
        assert!(!is_threshold_key(
            "input_cost_per_token_above_200k_tokens_flex"
        ));
        assert!(!is_threshold_key(
            "cache_creation_input_token_cost_above_1hr"
        ));
    }

    #[test]
    fn hides_undeclared_tier_keys() {
        assert!(visible("input_cost_per_token_priority"));
        assert!(visible("output_cost_per_reasoning_token"));
        assert!(!visible(
            "cache_read_input_token_cost_above_200k_tokens_flex"
        ));
        assert!(!visible("input_cost_per_token_decisions_flex"));
    }

    #[test]
    fn parses_thresholds_from_the_last_above() {
        assert_eq!(
            threshold_of("cache_creation_input_token_cost_above_1hr_above_272k_tokens_priority"),
            Some(("272k", 272_000.0))
        );
        assert_eq!(
            threshold_of("input_cost_per_token_above_128000_tokens"),
            Some(("128000", 128_000.0))
        );
        assert_eq!(
            threshold_of("cache_creation_input_token_cost_above_1hr"),
            None
        );
    }
}
