//! Cost parity with LiteLLM 1.110.2.
//!
//! `tests/data/litellm_cost_cases.jsonl` holds LiteLLM's own `cost_per_token`
//! figures for every chat, embedding, completion and responses entry of the
//! manifest under a set of usages and service tiers; it is written by
//! `bench/oracle/litellm_cost_cases.py` (see there how to regenerate it). Every
//! case must come out of [`llmrelay_catalog::cost_per_token`] equal to
//! LiteLLM's figure within 1e-12 relative (or 1e-15 absolute).
//!
//! `tests/data/litellm_off_peak_cases.jsonl` holds the same for the entries
//! with `off_peak_pricing`, each priced at a fixed set of instants inside and
//! outside every window (`bench/oracle/litellm_off_peak_cases.py`); those cases
//! carry their moment (`at`, Unix seconds), the others were priced by LiteLLM
//! at [`PEAK`].
//!
//! The one accepted difference: an entry that states no price at all is
//! `CostError::NoPricing` here, where LiteLLM reports a cost of 0; such a case
//! passes only if LiteLLM's figures are both 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, UNIX_EPOCH};

use llmrelay_catalog::{cost_per_token_at, CostError, ServiceTier, Usage};
use serde::Deserialize;

const CASES: &str = include_str!("data/litellm_cost_cases.jsonl");
const OFF_PEAK_CASES: &str = include_str!("data/litellm_off_peak_cases.jsonl");

/// The moment the oracle pins for the cases without `at`: Wednesday
/// 2025-01-15 07:00 UTC, outside every off-peak window of the manifest.
const PEAK: u64 = 1_736_924_400;

/// Fewer cases than this means the data file was truncated or mostly skipped.
const MIN_CASES: usize = 25_000;

#[derive(Deserialize)]
struct Case {
    model: String,
    usage: Usage,
    service_tier: String,
    at: Option<u64>,
    prompt_cost: f64,
    completion_cost: f64,
}

fn close(ours: f64, theirs: f64) -> bool {
    let diff = (ours - theirs).abs();
    diff <= 1e-15 || diff <= 1e-12 * ours.abs().max(theirs.abs())
}

struct Outcome {
    checked: usize,
    models: std::collections::BTreeSet<String>,
    mismatches: Vec<String>,
}

fn replay(cases: &str) -> Outcome {
    let mut checked = 0usize;
    let mut models = std::collections::BTreeSet::new();
    let mut mismatches: Vec<String> = Vec::new();
    for (n, line) in cases
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let tier: ServiceTier = case.service_tier.parse().unwrap();
        let Some(info) = llmrelay_catalog::get(&case.model) else {
            mismatches.push(format!("{}: not in the catalog", case.model));
            continue;
        };
        checked += 1;
        models.insert(case.model.clone());
        let at = UNIX_EPOCH + Duration::from_secs(case.at.unwrap_or(PEAK));
        let ok = match cost_per_token_at(info, &case.usage, tier, at) {
            Ok(cost) => {
                close(cost.prompt, case.prompt_cost) && close(cost.completion, case.completion_cost)
            }
            Err(CostError::NoPricing(_)) => case.prompt_cost == 0.0 && case.completion_cost == 0.0,
            Err(e) => {
                mismatches.push(format!("{} {tier}: {e}", case.model));
                continue;
            }
        };
        if !ok {
            let ours = cost_per_token_at(info, &case.usage, tier, at);
            mismatches.push(format!(
                "{} [{}] {tier} at {:?} {:?}: ours {ours:?}, LiteLLM prompt {} completion {}",
                case.model,
                info.provider,
                case.at,
                case.usage,
                case.prompt_cost,
                case.completion_cost
            ));
        }
    }
    Outcome {
        checked,
        models,
        mismatches,
    }
}

fn assert_no_mismatches(
    Outcome {
        checked,
        mismatches,
        ..
    }: &Outcome,
) {
    assert!(
        mismatches.is_empty(),
        "{} of {checked} cases differ from LiteLLM; first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn cost_per_token_matches_litellm() {
    let outcome = replay(CASES);
    assert_no_mismatches(&outcome);
    let Outcome {
        checked, models, ..
    } = outcome;
    assert!(checked >= MIN_CASES, "only {checked} cases checked");
    assert!(
        models.len() >= 3_500,
        "only {} models checked",
        models.len()
    );
    println!("{checked} cases over {} models match LiteLLM", models.len());
}

#[test]
fn off_peak_prices_match_litellm_at_every_instant() {
    let outcome = replay(OFF_PEAK_CASES);
    assert_no_mismatches(&outcome);
    assert!(
        outcome.checked >= 6_000,
        "only {} cases checked",
        outcome.checked
    );
    assert!(
        outcome.models.len() >= 10,
        "only {} models",
        outcome.models.len()
    );
    // The instants are both inside and outside the windows: the same usage is
    // billed at two different figures.
    let figures: std::collections::BTreeSet<String> = OFF_PEAK_CASES
        .lines()
        .filter(|l| {
            l.contains("\"model\":\"deepseek-flash\"")
                && l.contains("\"usage\":{\"completion_tokens\":500,\"prompt_tokens\":1000}")
        })
        .filter_map(|l| l.split("\"prompt_cost\":").nth(1))
        .map(|rest| rest.split(',').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(figures.len(), 2, "{figures:?}");
}
