#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Run-time overrides: `register_model` and LiteLLM-format files.

use std::io::Write;

use llmrelay_catalog::{get, load_litellm_file, register_litellm_json, resolve, RegistryError};

#[test]
fn registering_merges_into_an_existing_entry() {
    let before = get("gpt-4o-mini").unwrap();
    let window = before.max_input_tokens;
    register_litellm_json(r#"{"gpt-4o-mini": {"input_cost_per_token": 0.5}}"#).unwrap();
    let after = get("gpt-4o-mini").unwrap();
    assert_eq!(after.price("input_cost_per_token"), Some(0.5));
    assert_eq!(after.max_input_tokens, window, "fields not given are kept");
    assert_eq!(after.provider, "openai");
}

#[test]
fn registering_a_new_model_makes_it_resolvable() {
    assert!(resolve("my-private-model-7b").is_err());
    let n = register_litellm_json(
        r#"{"my-private-model-7b": {"litellm_provider": "openai", "mode": "chat",
             "max_input_tokens": 4096, "input_cost_per_token": 1e-7, "output_cost_per_token": 2e-7}}"#,
    )
    .unwrap();
    assert_eq!(n, 1);
    let r = resolve("my-private-model-7b").unwrap();
    assert_eq!(r.provider, "openai");
    assert_eq!(r.info.unwrap().max_input_tokens, Some(4096));
}

#[test]
fn malformed_files_are_clear_errors_and_register_nothing() {
    let mut file = tempfile();
    file.1.write_all(br#"{"half-model": {"litellm_provider": "openai"}, "bad": {"max_input_tokens": "many"}}"#).unwrap();
    let err = load_litellm_file(&file.0).unwrap_err();
    assert!(matches!(err, RegistryError::Format { .. }));
    assert!(err.to_string().contains("max_input_tokens"), "{err}");
    assert!(
        get("half-model").is_none(),
        "a malformed file must register nothing"
    );

    let err = load_litellm_file(std::path::Path::new("/nonexistent/cost-map.json")).unwrap_err();
    assert!(matches!(err, RegistryError::Io { .. }), "{err}");
    assert!(register_litellm_json("not json").is_err());
    assert!(register_litellm_json("[1,2]").is_err());
}

fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!("llmrelay-registry-{}.json", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}
