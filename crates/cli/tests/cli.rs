#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The `llmrelay` binary end to end: real processes, real stdout/stderr and exit codes.

use std::process::{Command, Output};

use serde_json::Value;

fn llmrelay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(args)
        .env_remove("LLMRELAY_MODEL_COST_MAP")
        .output()
        .unwrap()
}

fn stdout_json(args: &[&str]) -> Value {
    let out = llmrelay(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn info_json_has_litellms_keys() {
    let info = stdout_json(&["info", "gpt-4o", "--json"]);
    assert_eq!(info["key"], "gpt-4o");
    assert_eq!(info["litellm_provider"], "openai");
    assert_eq!(info["mode"], "chat");
    assert_eq!(info["max_input_tokens"], 128_000);
    assert_eq!(info["input_cost_per_token"], 2.5e-6);
    assert_eq!(info["supports_vision"], true);
    assert!(
        info.as_object().unwrap().contains_key("supports_reasoning"),
        "always-present keys are null, not missing"
    );
}

#[test]
fn info_human_output_is_an_aligned_table() {
    let out = llmrelay(&["info", "anthropic/claude-sonnet-4-5"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("model"));
    let column = lines[0].find("claude-sonnet-4-5").unwrap();
    assert!(lines.iter().all(|l| l.len() > column), "{text}");
    assert!(text.contains("200,000"), "{text}");
}

#[test]
fn unknown_model_fails_with_suggestions() {
    let out = llmrelay(&["info", "gpt-4oo"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown model `gpt-4oo`")
            && err.contains("did you mean")
            && err.contains("`gpt-4o`"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn models_filters_and_counts() {
    let rows = stdout_json(&[
        "models",
        "--provider",
        "anthropic",
        "--mode",
        "chat",
        "--json",
    ]);
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 10);
    assert!(rows
        .iter()
        .all(|r| r["provider"] == "anthropic" && r["mode"] == "chat"));
    let out = llmrelay(&["models", "--provider", "antropic"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`anthropic`"), "{}", stderr(&out));
}

#[test]
fn cost_prices_cached_tokens_at_their_own_rate() {
    let plain = stdout_json(&[
        "cost", "gpt-4o", "--input", "1000", "--output", "500", "--json",
    ]);
    assert!((plain["prompt_cost"].as_f64().unwrap() - 1000.0 * 2.5e-6).abs() < 1e-12);
    assert!((plain["completion_cost"].as_f64().unwrap() - 500.0 * 1e-5).abs() < 1e-12);
    let cached = stdout_json(&[
        "cost", "gpt-4o", "--input", "1000", "--output", "500", "--cached", "400", "--json",
    ]);
    let expected = 600.0 * 2.5e-6 + 400.0 * 1.25e-6;
    assert!(
        (cached["prompt_cost"].as_f64().unwrap() - expected).abs() < 1e-12,
        "{cached}"
    );
}

#[test]
fn cost_rejects_impossible_counts() {
    for args in [
        &["cost", "gpt-4o", "--input", "-5"][..],
        &["cost", "gpt-4o", "--input", "lots"],
        &["cost", "gpt-4o", "--input", "99999999999999999999999"],
    ] {
        let out = llmrelay(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = llmrelay(&["cost", "gpt-4o", "--input", "10", "--cached", "11"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot exceed"), "{}", stderr(&out));
    let huge = stdout_json(&["cost", "gpt-4o", "--input", &u64::MAX.to_string(), "--json"]);
    assert!(huge["total_cost"].as_f64().unwrap().is_finite());
}

#[test]
fn tokens_counts_text_and_files() {
    let out = llmrelay(&["tokens", "gpt-4o", "hello world"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "2");
    let path = std::env::temp_dir().join(format!("llmrelay-cli-tokens-{}.txt", std::process::id()));
    std::fs::write(&path, "hello world").unwrap();
    let v = stdout_json(&[
        "tokens",
        "gpt-4o",
        "--file",
        path.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(v["tokens"], 2);
    let out = llmrelay(&["tokens", "gpt-4o", "--file", "/nonexistent/file.txt"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn providers_lists_the_openai_compatible_family_as_data() {
    let rows = stdout_json(&["providers", "--json"]);
    let groq = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["provider"] == "groq")
        .unwrap();
    assert_eq!(groq["api"], "openai_compatible");
    assert_eq!(groq["base_url"], "https://api.groq.com/openai/v1");
    assert_eq!(groq["api_key_env"], "GROQ_API_KEY");
}

#[test]
fn catalog_file_overrides_and_malformed_files_fail_cleanly() {
    let dir = std::env::temp_dir();
    let good = dir.join(format!("llmrelay-cli-map-{}.json", std::process::id()));
    std::fs::write(&good, r#"{"acme/rocket-1": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "max_input_tokens": 1000}}"#).unwrap();
    let info = stdout_json(&[
        "info",
        "acme/rocket-1",
        "--json",
        "--catalog-file",
        good.to_str().unwrap(),
    ]);
    assert_eq!(info["max_input_tokens"], 1000);

    let out = Command::new(env!("CARGO_BIN_EXE_llmrelay"))
        .args(["info", "acme/rocket-1", "--json"])
        .env("LLMRELAY_MODEL_COST_MAP", &good)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let bad = dir.join(format!("llmrelay-cli-bad-{}.json", std::process::id()));
    std::fs::write(&bad, "{ not json").unwrap();
    let out = llmrelay(&["info", "gpt-4o", "--catalog-file", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
}

#[test]
fn hostile_model_names_are_errors_not_crashes() {
    let long = "x".repeat(10_000);
    for name in ["", "/", "///", "🤖🤖", long.as_str(), "a\u{0}b"] {
        if name.contains('\0') {
            continue; // argv cannot carry NUL
        }
        let out = llmrelay(&["info", name]);
        assert_eq!(out.status.code(), Some(1), "{name:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
}

#[test]
fn cost_bills_off_peak_prices_at_the_given_moment() {
    // LiteLLM 1.110.2's figures (crates/catalog/tests/data/litellm_off_peak_cases.jsonl):
    // deepseek-flash, 1000 in / 500 out, Monday 2025-01-13 00:30 UTC (off-peak)
    // and 01:30 UTC (peak).
    let at = |moment: &str| {
        stdout_json(&[
            "cost",
            "deepseek-flash",
            "--input",
            "1000",
            "--output",
            "500",
            "--at",
            moment,
            "--json",
        ])
    };
    let off_peak = at("2025-01-13T00:30:00Z");
    assert!((off_peak["prompt_cost"].as_f64().unwrap() - 0.00015).abs() < 1e-15);
    assert!((off_peak["completion_cost"].as_f64().unwrap() - 0.0003).abs() < 1e-15);
    let peak = at("1736731800");
    assert!((peak["prompt_cost"].as_f64().unwrap() - 0.0003).abs() < 1e-15);
    assert!((peak["completion_cost"].as_f64().unwrap() - 0.0006).abs() < 1e-15);
    let out = llmrelay(&["cost", "deepseek-flash", "--input", "1", "--at", "noon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("RFC 3339"), "{}", stderr(&out));
}
