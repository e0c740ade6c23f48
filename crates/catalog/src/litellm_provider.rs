//! LiteLLM's `get_llm_provider` answer for a model name: the model and
//! provider as LiteLLM spells them, and the API base and key it fills in.
//!
//! [`resolve`](crate::resolve) answers what llmrelay needs to make the call
//! (the catalog's provider slug, the name to send). LiteLLM reports a few
//! things differently, and its users compare against that:
//! - the provider: AI21's chat models are `ai21_chat`, Bedrock's Converse
//!   models (Nova) are `bedrock`;
//! - the model: whatever follows the provider prefix, route segments kept
//!   (`bedrock/converse/amazon.nova-lite-v1:0` -> `converse/amazon.nova-lite-v1:0`);
//! - the API base and key of providers LiteLLM has defaults for: the value
//!   passed in, else the provider's environment variables, else its default
//!   (`fake-api-key` for local servers that need none).

use crate::model::Mode;
use crate::resolve::{resolve, ResolveError};

/// Where LiteLLM finds a provider's API base and key.
struct Endpoint {
    provider: &'static str,
    base_env: &'static [&'static str],
    default_base: Option<&'static str>,
    key_env: &'static [&'static str],
    default_key: Option<&'static str>,
}

/// The providers whose base and key LiteLLM's `get_llm_provider` fills in
/// from its own rules rather than from a provider row.
const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        provider: "ai21_chat",
        base_env: &["AI21_API_BASE"],
        default_base: Some("https://api.ai21.com/studio/v1"),
        key_env: &["AI21_API_KEY"],
        default_key: None,
    },
    Endpoint {
        provider: "hosted_vllm",
        base_env: &["HOSTED_VLLM_API_BASE"],
        default_base: None,
        key_env: &["HOSTED_VLLM_API_KEY"],
        default_key: Some("fake-api-key"),
    },
    Endpoint {
        provider: "jina_ai",
        base_env: &["JINA_AI_API_BASE"],
        default_base: Some("https://api.jina.ai/v1"),
        key_env: &["JINA_AI_API_KEY", "JINA_API_KEY", "JINA_AI_TOKEN"],
        default_key: None,
    },
    Endpoint {
        provider: "litellm_proxy",
        base_env: &["LITELLM_PROXY_API_BASE"],
        default_base: None,
        key_env: &["LITELLM_PROXY_API_KEY"],
        default_key: None,
    },
    Endpoint {
        provider: "llamafile",
        base_env: &["LLAMAFILE_API_BASE"],
        default_base: Some("http://127.0.0.1:8080/v1"),
        key_env: &["LLAMAFILE_API_KEY"],
        default_key: Some("fake-api-key"),
    },
];

/// LiteLLM's `get_llm_provider` result. `Debug` shows whether a key is set,
/// never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct LlmProvider<'a> {
    /// The model name as LiteLLM returns it (provider prefix removed).
    pub model: &'a str,
    /// The provider as LiteLLM names it.
    pub provider: &'static str,
    /// The API key LiteLLM would use, for providers it has rules for.
    pub api_key: Option<String>,
    /// The API base LiteLLM would use, for providers it has rules for.
    pub api_base: Option<String>,
    /// Whether LiteLLM has base and key rules for this provider (when false,
    /// `api_key` and `api_base` are only what the caller passed).
    pub known_endpoint: bool,
}

impl std::fmt::Debug for LlmProvider<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmProvider")
            .field("model", &self.model)
            .field("provider", &self.provider)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("api_base", &self.api_base)
            .field("known_endpoint", &self.known_endpoint)
            .finish()
    }
}

/// LiteLLM's `get_llm_provider(model, api_base=..., api_key=...)`, reading
/// the environment through `env` (so tests need not touch the process's).
pub fn get_llm_provider_with<'a>(
    name: &'a str,
    api_base: Option<String>,
    api_key: Option<String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<LlmProvider<'a>, ResolveError> {
    let resolved = resolve(name)?;
    let name = name.trim();
    let provider = match (resolved.provider, resolved.info.and_then(|i| i.mode)) {
        ("ai21", Some(Mode::Chat)) => "ai21_chat",
        ("bedrock_converse", _) => "bedrock",
        (other, _) => other,
    };
    // Whatever follows a provider prefix, as written; else the resolved name.
    let model = match name.split_once('/') {
        Some((prefix, rest)) if !rest.is_empty() && crate::provider(prefix).is_some() => rest,
        _ => resolved.model,
    };
    let first_set = |vars: &[&str]| vars.iter().find_map(|v| env(v).filter(|s| !s.is_empty()));
    let endpoint = ENDPOINTS.iter().find(|e| e.provider == provider);
    let (api_base, api_key) = match endpoint {
        Some(e) => (
            api_base
                .or_else(|| first_set(e.base_env))
                .or_else(|| e.default_base.map(str::to_owned)),
            api_key
                .or_else(|| first_set(e.key_env))
                .or_else(|| e.default_key.map(str::to_owned)),
        ),
        None => (api_base, api_key),
    };
    Ok(LlmProvider {
        model,
        provider,
        api_key,
        api_base,
        known_endpoint: endpoint.is_some(),
    })
}

/// [`get_llm_provider_with`] over the process environment.
pub fn get_llm_provider(
    name: &str,
    api_base: Option<String>,
    api_key: Option<String>,
) -> Result<LlmProvider<'_>, ResolveError> {
    get_llm_provider_with(name, api_base, api_key, |v| std::env::var(v).ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn local_servers_get_litellms_defaults() {
        let p = get_llm_provider_with("llamafile/my-model", None, None, no_env).unwrap();
        assert_eq!((p.model, p.provider), ("my-model", "llamafile"));
        assert_eq!(p.api_key.as_deref(), Some("fake-api-key"));
        assert_eq!(p.api_base.as_deref(), Some("http://127.0.0.1:8080/v1"));
        let env = |v: &str| (v == "HOSTED_VLLM_API_BASE").then(|| "http://gpu:8000/v1".to_owned());
        let p = get_llm_provider_with("hosted_vllm/m", None, None, env).unwrap();
        assert_eq!(p.api_base.as_deref(), Some("http://gpu:8000/v1"));
        assert_eq!(p.api_key.as_deref(), Some("fake-api-key"));
        let p = get_llm_provider_with("hosted_vllm/m", Some("b".into()), Some("k".into()), env)
            .unwrap();
        assert_eq!(
            (p.api_base.as_deref(), p.api_key.as_deref()),
            (Some("b"), Some("k"))
        );
        assert!(!format!("{p:?}").contains("\"k\""));
    }

    #[test]
    fn provider_spellings_follow_litellm() {
        let p = get_llm_provider_with("jamba-1.5-large", None, None, no_env).unwrap();
        assert_eq!(p.provider, "ai21_chat");
        assert_eq!(
            p.api_base.as_deref(),
            Some("https://api.ai21.com/studio/v1")
        );
        let p = get_llm_provider_with("bedrock/converse/amazon.nova-lite-v1:0", None, None, no_env)
            .unwrap();
        assert_eq!(
            (p.model, p.provider),
            ("converse/amazon.nova-lite-v1:0", "bedrock")
        );
        let p = get_llm_provider_with("*", None, None, no_env).unwrap();
        assert_eq!((p.model, p.provider), ("*", "openai"));
        let p = get_llm_provider_with("openai/ft:gpt-4o-2024-08-06:org::id1", None, None, no_env)
            .unwrap();
        assert_eq!(
            (p.model, p.provider),
            ("ft:gpt-4o-2024-08-06:org::id1", "openai")
        );
    }
}
