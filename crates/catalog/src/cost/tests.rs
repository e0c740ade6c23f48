#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::model::PriceTier;

/// A test entry of `provider` with `prices` (any order).
fn model(provider: &'static str, prices: &[(&'static str, f64)]) -> ModelInfo {
    let mut prices = prices.to_vec();
    prices.sort_by(|a, b| a.0.cmp(b.0));
    ModelInfo {
        key: "test-model",
        provider,
        mode: Some(Mode::Chat),
        max_input_tokens: None,
        max_output_tokens: None,
        prices: Box::leak(prices.into_boxed_slice()),
        tiers: &[],
        capabilities: &[],
        deprecation_date: None,
        alias_of: None,
        extra: "{}",
    }
}

fn cost(info: &ModelInfo, usage: Usage, tier: ServiceTier) -> Cost {
    cost_per_token(info, &usage, tier).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) + 1e-18
}

#[track_caller]
fn assert_cost(got: Cost, prompt: f64, completion: f64) {
    assert!(
        close(got.prompt, prompt) && close(got.completion, completion),
        "got {got:?}, want prompt {prompt} completion {completion}"
    );
}

const IN: f64 = 3e-6;
const OUT: f64 = 15e-6;

fn claude() -> ModelInfo {
    model(
        "anthropic",
        &[
            ("input_cost_per_token", IN),
            ("output_cost_per_token", OUT),
            ("cache_read_input_token_cost", 0.3e-6),
            ("cache_creation_input_token_cost", 3.75e-6),
            ("cache_creation_input_token_cost_above_1hr", 6e-6),
            ("input_cost_per_token_above_200k_tokens", 6e-6),
            ("output_cost_per_token_above_200k_tokens", 22.5e-6),
            ("cache_read_input_token_cost_above_200k_tokens", 0.6e-6),
        ],
    )
}

#[test]
fn plain_prompt_and_completion() {
    assert_cost(
        cost(&claude(), Usage::new(1000, 500), ServiceTier::Standard),
        1000.0 * IN,
        500.0 * OUT,
    );
}

#[test]
fn cache_reads_and_writes_bill_at_their_own_rates() {
    let usage = Usage {
        cached_tokens: 1500,
        cache_creation_tokens: 1200,
        cache_creation_1h_tokens: 400,
        ..Usage::new(5000, 0)
    };
    let want = 2300.0 * IN + 1500.0 * 0.3e-6 + 800.0 * 3.75e-6 + 400.0 * 6e-6;
    assert_cost(cost(&claude(), usage, ServiceTier::Standard), want, 0.0);
}

#[test]
fn missing_cache_prices_bill_as_input() {
    let info = model(
        "openai",
        &[("input_cost_per_token", IN), ("output_cost_per_token", OUT)],
    );
    let usage = Usage {
        cached_tokens: 100,
        cache_creation_tokens: 50,
        ..Usage::new(1000, 0)
    };
    assert_cost(cost(&info, usage, ServiceTier::Standard), 1000.0 * IN, 0.0);
}

#[test]
fn thresholds_switch_strictly_above_except_for_xai() {
    let at = Usage::new(200_000, 10);
    let above = Usage::new(200_001, 10);
    assert_cost(
        cost(&claude(), at, ServiceTier::Standard),
        200_000.0 * IN,
        10.0 * OUT,
    );
    assert_cost(
        cost(&claude(), above, ServiceTier::Standard),
        200_001.0 * 6e-6,
        10.0 * 22.5e-6,
    );

    let grok = model(
        "xai",
        &[
            ("input_cost_per_token", 2e-6),
            ("output_cost_per_token", 10e-6),
            ("input_cost_per_token_above_128k_tokens", 4e-6),
        ],
    );
    assert_cost(
        cost(&grok, Usage::new(128_000, 0), ServiceTier::Standard),
        128_000.0 * 4e-6,
        0.0,
    );
}

#[test]
fn service_tier_prices_fall_back_to_standard_ones() {
    let info = model(
        "openai",
        &[
            ("input_cost_per_token", 1e-6),
            ("output_cost_per_token", 4e-6),
            ("input_cost_per_token_priority", 2e-6),
            ("cache_read_input_token_cost", 0.1e-6),
        ],
    );
    let usage = Usage {
        cached_tokens: 100,
        ..Usage::new(1100, 10)
    };
    // Output and cache reads have no priority price: the standard ones apply.
    assert_cost(
        cost(&info, usage, ServiceTier::Priority),
        1000.0 * 2e-6 + 100.0 * 0.1e-6,
        10.0 * 4e-6,
    );
    // DeepSeek's calculator ignores the tier.
    let deepseek = model("deepseek", info.prices);
    assert_cost(
        cost(&deepseek, usage, ServiceTier::Priority),
        1000.0 * 1e-6 + 100.0 * 0.1e-6,
        10.0 * 4e-6,
    );
}

#[test]
fn reasoning_bills_at_its_rate_or_the_output_rate() {
    let usage = Usage {
        reasoning_tokens: 1500,
        ..Usage::new(0, 2000)
    };
    assert_cost(
        cost(&claude(), usage, ServiceTier::Standard),
        0.0,
        2000.0 * OUT,
    );
    let info = model(
        "openai",
        &[
            ("input_cost_per_token", IN),
            ("output_cost_per_token", OUT),
            ("output_cost_per_reasoning_token", 1e-6),
        ],
    );
    assert_cost(
        cost(&info, usage, ServiceTier::Standard),
        0.0,
        500.0 * OUT + 1500.0 * 1e-6,
    );
}

#[test]
fn audio_and_image_tokens_bill_at_modality_rates() {
    let info = model(
        "openai",
        &[
            ("input_cost_per_token", IN),
            ("output_cost_per_token", OUT),
            ("input_cost_per_audio_token", 40e-6),
            ("output_cost_per_audio_token", 80e-6),
        ],
    );
    let usage = Usage {
        audio_input_tokens: 100,
        image_input_tokens: 50,
        audio_output_tokens: 20,
        ..Usage::new(1000, 200)
    };
    // No image rate: image tokens are plain input.
    assert_cost(
        cost(&info, usage, ServiceTier::Standard),
        900.0 * IN + 100.0 * 40e-6,
        180.0 * OUT + 20.0 * 80e-6,
    );
}

#[test]
fn tiered_pricing_bands_price_the_whole_request() {
    let mut info = model(
        "opencode_go",
        &[
            ("input_cost_per_token", 1.0),
            ("output_cost_per_token", 1.0),
        ],
    );
    info.tiers = &[
        PriceTier {
            start: 0.0,
            end: 32_000.0,
            prices: &[
                ("input_cost_per_token", 1e-6),
                ("output_cost_per_token", 2e-6),
            ],
        },
        PriceTier {
            start: 32_000.0,
            end: 128_000.0,
            prices: &[
                ("input_cost_per_token", 3e-6),
                ("output_cost_per_token", 6e-6),
            ],
        },
    ];
    // A request of exactly the band's end stays in the band.
    assert_cost(
        cost(&info, Usage::new(32_000, 10), ServiceTier::Standard),
        32_000.0 * 1e-6,
        10.0 * 2e-6,
    );
    assert_cost(
        cost(&info, Usage::new(32_001, 10), ServiceTier::Standard),
        32_001.0 * 3e-6,
        10.0 * 6e-6,
    );
    // Past the last band: the last band.
    assert_cost(
        cost(&info, Usage::new(500_000, 0), ServiceTier::Standard),
        500_000.0 * 3e-6,
        0.0,
    );
}

#[test]
fn batch_uses_batch_prices_or_half_the_standard_ones() {
    let info = model(
        "openai",
        &[
            ("input_cost_per_token", 2e-6),
            ("output_cost_per_token", 8e-6),
        ],
    );
    assert_cost(
        cost(&info, Usage::new(1000, 100), ServiceTier::Batch),
        1000.0 * 1e-6,
        100.0 * 4e-6,
    );
    let info = model(
        "openai",
        &[
            ("input_cost_per_token", 2e-6),
            ("output_cost_per_token", 8e-6),
            ("input_cost_per_token_batches", 0.5e-6),
            ("output_cost_per_token_batches", 3e-6),
        ],
    );
    assert_cost(
        cost(&info, Usage::new(1000, 100), ServiceTier::Batch),
        1000.0 * 0.5e-6,
        100.0 * 3e-6,
    );
}

#[test]
fn huge_and_inconsistent_counts_neither_panic_nor_go_negative() {
    let usage = Usage {
        prompt_tokens: u64::MAX,
        completion_tokens: u64::MAX,
        cached_tokens: u64::MAX,
        cache_creation_tokens: u64::MAX,
        cache_creation_1h_tokens: u64::MAX,
        reasoning_tokens: u64::MAX,
        audio_input_tokens: u64::MAX,
        audio_output_tokens: u64::MAX,
        image_input_tokens: u64::MAX,
        image_output_tokens: u64::MAX,
    };
    for provider in [
        "anthropic",
        "xai",
        "dashscope",
        "perplexity",
        "vertex_ai-language-models",
        "lemonade",
    ] {
        for tier in [
            ServiceTier::Standard,
            ServiceTier::Priority,
            ServiceTier::Batch,
        ] {
            let c = cost(&model(provider, claude().prices), usage, tier);
            assert!(
                c.total().is_finite() && c.prompt >= 0.0 && c.completion >= 0.0,
                "{provider} {tier}: {c:?}"
            );
        }
    }
    let c = cost(
        &claude(),
        Usage {
            cached_tokens: 900,
            ..Usage::new(100, 0)
        },
        ServiceTier::Standard,
    );
    assert!(c.prompt >= 0.0);
}

#[test]
fn entries_without_prices_are_an_error() {
    let info = model("openai", &[]);
    assert_eq!(
        cost_per_token(&info, &Usage::new(1, 1), ServiceTier::Standard),
        Err(CostError::NoPricing("test-model".into()))
    );
}

#[test]
fn service_tier_names() {
    assert_eq!(
        "Priority".parse::<ServiceTier>().unwrap(),
        ServiceTier::Priority
    );
    assert_eq!(
        "fast".parse::<ServiceTier>().unwrap(),
        ServiceTier::Priority
    );
    assert_eq!(
        "auto".parse::<ServiceTier>().unwrap(),
        ServiceTier::Standard
    );
    assert_eq!(
        "batches".parse::<ServiceTier>().unwrap(),
        ServiceTier::Batch
    );
    assert!("turbo".parse::<ServiceTier>().is_err());
    for tier in [
        ServiceTier::Standard,
        ServiceTier::Batch,
        ServiceTier::Flex,
        ServiceTier::Ultrafast,
    ] {
        assert_eq!(tier.to_string().parse::<ServiceTier>().unwrap(), tier);
    }
}

#[test]
fn batch_never_bills_a_negative_prompt() {
    let info = model(
        "openai",
        &[
            ("input_cost_per_token", 2e-6),
            ("output_cost_per_token", 8e-6),
        ],
    );
    let usage = Usage {
        cached_tokens: 900,
        cache_creation_tokens: 900,
        ..Usage::new(1000, 0)
    };
    // Cache writes at the input rate, cache reads unpriced: nothing is left for plain input.
    assert_cost(cost(&info, usage, ServiceTier::Batch), 900.0 * 1e-6, 0.0);
}

#[test]
fn vertex_128k_split_prices_each_side_by_its_own_length() {
    let info = model(
        "vertex_ai-language-models",
        &[
            ("input_cost_per_token", 1e-6),
            ("output_cost_per_token", 2e-6),
            ("input_cost_per_token_above_128k_tokens", 3e-6),
            ("output_cost_per_token_above_128k_tokens", 4e-6),
            ("cache_read_input_token_cost", 0.1e-6),
        ],
    );
    let usage = Usage {
        cached_tokens: 100_000,
        ..Usage::new(128_001, 1000)
    };
    // Cached tokens are not priced apart, and the completion is under 128k.
    assert_cost(
        cost(&info, usage, ServiceTier::Priority),
        128_001.0 * 3e-6,
        1000.0 * 2e-6,
    );
}

#[test]
fn dashscope_picks_the_band_by_the_sum_of_the_parts() {
    let mut info = model("dashscope", &[("input_cost_per_token", 1.0)]);
    info.tiers = &[
        PriceTier {
            start: 0.0,
            end: 32_000.0,
            prices: &[
                ("cache_read_input_token_cost", 0.1e-6),
                ("input_cost_per_token", 1e-6),
                ("output_cost_per_token", 2e-6),
            ],
        },
        PriceTier {
            start: 32_000.0,
            end: 128_000.0,
            prices: &[
                ("input_cost_per_token", 3e-6),
                ("output_cost_per_token", 6e-6),
            ],
        },
    ];
    let usage = Usage {
        cached_tokens: 20_000,
        cache_creation_tokens: 20_000,
        reasoning_tokens: 10,
        ..Usage::new(32_000, 100)
    };
    // 0 text + 20k read + 20k written = 40k: the second band, whose cache rates are its input rate.
    assert_cost(
        cost(&info, usage, ServiceTier::Standard),
        40_000.0 * 3e-6,
        100.0 * 6e-6,
    );
}

#[test]
fn provider_quirks() {
    let prices: &[(&str, f64)] = &[
        ("input_cost_per_token", 2e-6),
        ("output_cost_per_token", 8e-6),
    ];
    let usage = Usage {
        cached_tokens: 1000,
        reasoning_tokens: 50,
        ..Usage::new(3000, 100)
    };
    // Fireworks: cache reads at half the input rate when no cache price is stated.
    assert_cost(
        cost(&model("fireworks_ai", prices), usage, ServiceTier::Standard),
        2000.0 * 2e-6 + 1000.0 * 1e-6,
        100.0 * 8e-6,
    );
    // xAI: reasoning is plain output even with a reasoning price.
    let mut grok_prices = prices.to_vec();
    grok_prices.push(("output_cost_per_reasoning_token", 1.0));
    assert_cost(
        cost(
            &model("xai", &grok_prices),
            Usage {
                cached_tokens: 0,
                ..usage
            },
            ServiceTier::Standard,
        ),
        3000.0 * 2e-6,
        100.0 * 8e-6,
    );
    // Local models are free.
    assert_cost(
        cost(&model("lemonade", prices), usage, ServiceTier::Standard),
        0.0,
        0.0,
    );
    // Priced by the second only: nothing a token count can bill.
    let per_second = model("replicate", &[("input_cost_per_second", 0.001)]);
    assert_cost(cost(&per_second, usage, ServiceTier::Standard), 0.0, 0.0);
}
