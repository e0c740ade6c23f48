#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Names LiteLLM 1.110.2 resolves specially (fine-tuned OpenAI names, Azure
//! spellings, providers whose API base and key it fills in, the provider names
//! it reports, the `*` catch-all), replayed from
//! `tests/data/litellm_name_cases.jsonl` (written by
//! `bench/oracle/litellm_name_cases.py`).
//!
//! Every answer LiteLLM gives must be llmrelay's. Where LiteLLM raises,
//! llmrelay may answer (it describes `openai/ft:...` and AI21's Jamba models,
//! and prices `gpt-35-turbo`, which LiteLLM's `get_model_info` knows but its
//! `cost_per_token` refuses); those are not compared.

use llmrelay_catalog::{cost_per_token_at, get_llm_provider_with, resolve, ServiceTier, Usage};
use serde_json::Value;

const CASES: &str = include_str!("data/litellm_name_cases.jsonl");

fn answered(v: &Value) -> bool {
    v.get("raises").is_none()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-15 || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

#[test]
fn names_resolve_describe_and_price_as_litellm() {
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["name"].as_str().unwrap();

        let theirs = &case["get_llm_provider"];
        if answered(theirs) {
            compared += 1;
            match get_llm_provider_with(name, None, None, |_| None) {
                Ok(p) => {
                    let ours = serde_json::json!([p.model, p.provider, p.api_key, p.api_base]);
                    if &ours != theirs {
                        mismatches.push(format!(
                            "get_llm_provider({name}): ours {ours}, LiteLLM {theirs}"
                        ));
                    }
                }
                Err(e) => mismatches.push(format!("get_llm_provider({name}) raised: {e}")),
            }
        }

        let theirs = &case["get_model_info"];
        if answered(theirs) {
            compared += 1;
            match resolve(name).map(|r| r.info) {
                Ok(Some(info)) => {
                    let ours = serde_json::json!({
                        "key": info.key,
                        "litellm_provider": info.provider,
                        "mode": info.mode.map(|m| m.as_str()),
                        "max_input_tokens": info.max_input_tokens,
                        "max_output_tokens": info.max_output_tokens,
                        "input_cost_per_token": info.price("input_cost_per_token").unwrap_or(0.0),
                        "output_cost_per_token": info.price("output_cost_per_token").unwrap_or(0.0),
                    });
                    let same =
                        ours.as_object()
                            .unwrap()
                            .iter()
                            .all(|(k, v)| match (v, &theirs[k]) {
                                (Value::Number(a), Value::Number(b)) => {
                                    close(a.as_f64().unwrap(), b.as_f64().unwrap())
                                }
                                (a, b) => a == b,
                            });
                    if !same {
                        mismatches.push(format!(
                            "get_model_info({name}): ours {ours}, LiteLLM {theirs}"
                        ));
                    }
                }
                other => mismatches.push(format!("get_model_info({name}): ours {other:?}")),
            }
        }

        let theirs = &case["cost_per_token"];
        if answered(theirs) {
            compared += 1;
            let info = resolve(name).ok().and_then(|r| r.info);
            let ours = info.map(|i| {
                cost_per_token_at(
                    i,
                    &Usage::new(1000, 500),
                    ServiceTier::Standard,
                    std::time::UNIX_EPOCH,
                )
            });
            let (p, c) = (theirs[0].as_f64().unwrap(), theirs[1].as_f64().unwrap());
            match ours {
                Some(Ok(cost)) if close(cost.prompt, p) && close(cost.completion, c) => {}
                other => mismatches.push(format!(
                    "cost_per_token({name}): ours {other:?}, LiteLLM {theirs}"
                )),
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(compared >= 55, "only {compared} answers compared");
}
