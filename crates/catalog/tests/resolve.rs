#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Resolution with LiteLLM's `get_llm_provider` semantics, over the real compiled catalog.

use llmrelay_catalog::{
    get, models, provider, resolve, static_model_count, ProviderApi, ResolveError,
};

#[test]
fn every_manifest_key_resolves_to_its_own_entry() {
    let all = models();
    assert!(all.len() > 4_000, "catalog has only {} entries", all.len());
    assert_eq!(all.len(), static_model_count());
    for info in all {
        let resolved = resolve(info.key).unwrap_or_else(|e| panic!("{}: {e}", info.key));
        let expected = match info.alias_of {
            Some(target) => get(target).unwrap(),
            None => info,
        };
        assert_eq!(
            resolved.info.map(|i| i.key),
            Some(expected.key),
            "key {}",
            info.key
        );
        assert_eq!(resolved.provider, expected.provider, "key {}", info.key);
        assert!(
            provider(resolved.provider).is_some(),
            "provider of {} missing",
            info.key
        );
    }
}

#[test]
fn bare_names_resolve_to_their_provider() {
    let r = resolve("gpt-4o").unwrap();
    assert_eq!((r.provider, r.model), ("openai", "gpt-4o"));
    assert_eq!(r.info.unwrap().max_input_tokens, Some(128_000));
    assert_eq!(r.info.unwrap().price("input_cost_per_token"), Some(2.5e-6));
    let r = resolve("claude-sonnet-4-5").unwrap();
    assert_eq!(r.provider, "anthropic");
}

#[test]
fn provider_prefixes_strip_to_the_model() {
    let r = resolve("anthropic/claude-sonnet-4-5").unwrap();
    assert_eq!((r.provider, r.model), ("anthropic", "claude-sonnet-4-5"));
    assert_eq!(r.info.unwrap().key, "claude-sonnet-4-5");

    let r = resolve("gemini/gemini-2.5-pro").unwrap();
    assert_eq!((r.provider, r.model), ("gemini", "gemini-2.5-pro"));
    assert!(r.info.is_some());

    let r = resolve("openai/gpt-4o").unwrap();
    assert_eq!((r.provider, r.model), ("openai", "gpt-4o"));
}

#[test]
fn known_provider_with_unknown_model_resolves_without_pricing() {
    let r = resolve("azure/my-deployment").unwrap();
    assert_eq!(
        (r.provider, r.model, r.info),
        ("azure", "my-deployment", None)
    );
    let r = resolve("openrouter/some-vendor/new-model").unwrap();
    assert_eq!(
        (r.provider, r.model),
        ("openrouter", "some-vendor/new-model")
    );
    assert!(r.info.is_none());
    let r = resolve("groq/llama-99").unwrap();
    assert_eq!(r.provider, "groq");
    assert_eq!(provider("groq").unwrap().api, ProviderApi::OpenAiCompatible);
}

#[test]
fn bedrock_cross_region_and_route_segments() {
    let key = models()
        .into_iter()
        .find(|m| m.provider == "bedrock" && m.key.starts_with("us.anthropic."))
        .expect("a us. inference profile in the catalog")
        .key;
    let prefixed = format!("bedrock/{key}");
    let r = resolve(&prefixed).unwrap();
    assert_eq!((r.provider, r.model), ("bedrock", key));
    assert!(r.info.is_some());
    let routed = format!("bedrock/converse/{key}");
    let r = resolve(&routed).unwrap();
    assert_eq!((r.provider, r.model), ("bedrock", key));
    assert!(r.info.is_some());
}

#[test]
fn aliases_follow_to_their_target() {
    let alias = models().into_iter().find(|m| m.alias_of.is_some()).unwrap();
    let r = resolve(alias.key).unwrap();
    assert_eq!(r.info.map(|i| i.key), alias.alias_of);
}

#[test]
fn unknown_names_get_suggestions() {
    let err = resolve("gpt-4oo").unwrap_err();
    assert!(matches!(err, ResolveError::UnknownModel { .. }));
    assert!(err.suggestions().iter().any(|s| s == "gpt-4o"), "{err}");
    assert!(err.to_string().contains("did you mean"), "{err}");

    let err = resolve("claude-sonet-4-5").unwrap_err();
    assert!(
        err.suggestions()
            .iter()
            .any(|s| s.starts_with("claude-sonnet-4-5")),
        "{err}"
    );

    let err = resolve("antropic/claude-sonnet-4-5").unwrap_err();
    assert!(matches!(err, ResolveError::UnknownProvider { .. }), "{err}");
    assert!(!err.suggestions().is_empty(), "{err}");
}

#[test]
fn bad_input_is_a_clear_error() {
    assert_eq!(resolve(""), Err(ResolveError::Empty));
    assert_eq!(resolve("   "), Err(ResolveError::Empty));
    assert!(matches!(
        resolve(&"a".repeat(10_000)),
        Err(ResolveError::TooLong { len: 10_000 })
    ));
    assert!(
        resolve("gpt-4o\n").is_ok(),
        "surrounding whitespace is trimmed"
    );
    assert!(matches!(
        resolve("gpt\0-4o"),
        Err(ResolveError::ControlCharacters { .. })
    ));
    assert!(matches!(
        resolve("anthropic/"),
        Err(ResolveError::MissingModel { .. })
    ));
    for name in ["/", "///", "/gpt-4o", "🤖", "модель", "a/b/c/d/e"] {
        assert!(resolve(name).is_err(), "{name} should not resolve");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn resolve_never_panics(name in "\\PC{0,80}") {
            let _ = resolve(&name);
        }

        #[test]
        fn resolve_never_panics_on_slashy_names(name in "[a-z/._:-]{0,40}") {
            if let Ok(r) = resolve(&name) {
                prop_assert!(provider(r.provider).is_some());
            }
        }

        #[test]
        fn long_names_are_rejected_quickly(n in 513usize..20_000) {
            let long_name = "x".repeat(n);
            let too_long = matches!(resolve(&long_name), Err(ResolveError::TooLong { .. }));
            prop_assert!(too_long);
        }
    }
}

#[test]
fn fine_tuned_names_resolve_to_their_base_entry() {
    for (name, base, provider) in [
        (
            "ft:gpt-3.5-turbo:my-org:custom_suffix:id",
            "ft:gpt-3.5-turbo",
            "openai",
        ),
        (
            "openai/ft:gpt-4o-2024-08-06:org::id1",
            "ft:gpt-4o-2024-08-06",
            "openai",
        ),
        (
            "ft:gpt-4o-mini-2024-07-18:org:custom:id",
            "ft:gpt-4o-mini-2024-07-18",
            "openai",
        ),
        (
            "ft:babbage-002:my-org::id",
            "ft:babbage-002",
            "text-completion-openai",
        ),
    ] {
        let r = resolve(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.info.map(|i| i.key), Some(base), "{name}");
        assert_eq!(r.provider, provider, "{name}");
        // The provider is sent the fine-tuned model, not its base.
        assert_eq!(r.model, name.trim_start_matches("openai/"), "{name}");
    }
    // No base entry, or no suffix: not a fine-tuned name of a known base.
    assert!(resolve("ft:unknown-base:org::x").is_err());
    assert!(matches!(
        resolve("ft:"),
        Err(ResolveError::UnknownModel { .. })
    ));
}

#[test]
fn azure_spellings_and_the_catch_all_resolve_like_litellm() {
    let r = resolve("gpt-35-turbo").unwrap();
    assert_eq!((r.provider, r.model), ("azure", "gpt-35-turbo"));
    assert_eq!(r.info.unwrap().key, "azure/gpt-35-turbo");
    let r = resolve("ada").unwrap();
    assert_eq!(r.info.unwrap().key, "azure/ada");
    let r = resolve("azure/gpt-41-mini").unwrap();
    assert_eq!((r.provider, r.model), ("azure", "gpt-41-mini"));
    assert_eq!(r.info.unwrap().key, "gpt-4.1-mini");
    let r = resolve("*").unwrap();
    assert_eq!((r.provider, r.model, r.info), ("openai", "*", None));
    assert!(resolve("babbage").is_err());
}
