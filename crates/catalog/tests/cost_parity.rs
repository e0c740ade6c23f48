//! Cost parity with LiteLLM 1.110.2.
//!
//! `tests/data/litellm_cost_cases.jsonl` holds LiteLLM's own `cost_per_token`
//! figures for every chat, embedding, completion and responses entry of the
//! manifest under a set of usages and service tiers; it is written by
//! `bench/oracle/litellm_cost_cases.py` (see there how to regenerate it). Every
//! case must come out of [`llmrelay_catalog::cost_per_token`] equal to
//! LiteLLM's figure within 1e-12 relative (or 1e-15 absolute).
//!
//! The one accepted difference: an entry that states no price at all is
//! `CostError::NoPricing` here, where LiteLLM reports a cost of 0; such a case
//! passes only if LiteLLM's figures are both 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use llmrelay_catalog::{cost_per_token, CostError, ServiceTier, Usage};
use serde::Deserialize;

const CASES: &str = include_str!("data/litellm_cost_cases.jsonl");

/// Fewer cases than this means the data file was truncated or mostly skipped.
const MIN_CASES: usize = 25_000;

#[derive(Deserialize)]
struct Case {
    model: String,
    usage: Usage,
    service_tier: String,
    prompt_cost: f64,
    completion_cost: f64,
}

fn close(ours: f64, theirs: f64) -> bool {
    let diff = (ours - theirs).abs();
    diff <= 1e-15 || diff <= 1e-12 * ours.abs().max(theirs.abs())
}

#[test]
fn cost_per_token_matches_litellm() {
    let mut checked = 0usize;
    let mut models = std::collections::BTreeSet::new();
    let mut mismatches: Vec<String> = Vec::new();
    for (n, line) in CASES
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
        let ok = match cost_per_token(info, &case.usage, tier) {
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
            let ours = cost_per_token(info, &case.usage, tier);
            mismatches.push(format!(
                "{} [{}] {tier} {:?}: ours {ours:?}, LiteLLM prompt {} completion {}",
                case.model, info.provider, case.usage, case.prompt_cost, case.completion_cost
            ));
        }
    }
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
    assert!(checked >= MIN_CASES, "only {checked} cases checked");
    assert!(
        models.len() >= 3_500,
        "only {} models checked",
        models.len()
    );
    println!("{checked} cases over {} models match LiteLLM", models.len());
}
