//! Where a call goes: the resolved provider, the upstream model name, the
//! base URL and the key, from the call's options, the provider's environment
//! variables and the catalog, in that order.

use std::fmt;

use llmrelay_catalog::{ModelInfo, ProviderApi, ProviderInfo};

use super::Adapter;
use crate::client::CallOptions;
use crate::credentials::aws::AwsAuth;
use crate::error::{Error, ErrorKind};

/// The resolved destination of one call.
pub(crate) struct Target {
    pub adapter: Adapter,
    pub provider: &'static ProviderInfo,
    /// The name the provider knows the model by.
    pub model: String,
    /// The name the caller used (for errors and responses).
    pub requested_model: String,
    pub info: Option<&'static ModelInfo>,
    /// Base URL without a trailing slash.
    pub api_base: String,
    pub api_key: Option<String>,
    pub api_version: Option<String>,
    pub extra_headers: Vec<(String, String)>,
    /// Drop parameters the provider does not take instead of failing.
    pub drop_params: bool,
    /// What the provider needs beyond a base URL and a key.
    pub settings: ProviderSettings,
}

/// Per-provider settings of a target, so `Target` does not grow a field per
/// provider.
#[derive(Debug, Default)]
pub(crate) enum ProviderSettings {
    /// A base URL and a key are all it takes.
    #[default]
    Plain,
    /// Bedrock: SigV4 credentials and region.
    Aws(AwsAuth),
    /// Vertex AI: project, location and credentials.
    Vertex(super::vertex::VertexSettings),
}

impl Target {
    /// Bedrock's credentials, when this is a Bedrock target.
    pub(crate) fn aws(&self) -> Option<&AwsAuth> {
        match &self.settings {
            ProviderSettings::Aws(auth) => Some(auth),
            _ => None,
        }
    }

    /// Vertex's settings, when this is a Vertex target.
    pub(crate) fn vertex(&self) -> Option<&super::vertex::VertexSettings> {
        match &self.settings {
            ProviderSettings::Vertex(settings) => Some(settings),
            _ => None,
        }
    }

    /// Vertex's settings, to fill in the project the credentials name.
    pub(crate) fn vertex_mut(&mut self) -> Option<&mut super::vertex::VertexSettings> {
        match &mut self.settings {
            ProviderSettings::Vertex(settings) => Some(settings),
            _ => None,
        }
    }
}

impl fmt::Debug for Target {
    // The key is never printed, not even in debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("provider", &self.provider.name)
            .field("model", &self.model)
            .field("api_base", &self.api_base)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Target {
    /// An error of `kind` about this call's provider and model.
    pub(crate) fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::new(kind, message)
            .with_provider(self.provider.name)
            .with_model(self.requested_model.clone())
    }
}

/// Azure's API version when neither the call nor `AZURE_API_VERSION` gives one.
const AZURE_DEFAULT_API_VERSION: &str = "2024-10-21";

/// Resolves `model` and `options` into a [`Target`].
pub(crate) fn resolve_target(model: &str, options: &CallOptions) -> Result<Target, Error> {
    let resolved = crate::get_llm_provider(model)?;
    let provider = llmrelay_catalog::provider(resolved.provider).ok_or_else(|| {
        Error::new(
            ErrorKind::BadRequest,
            format!("provider `{}` is not in the catalog", resolved.provider),
        )
        .with_model(model)
    })?;
    let adapter = match (provider.name, provider.api) {
        ("azure", _) => Adapter::Azure,
        ("bedrock" | "bedrock_converse", _) => Adapter::Bedrock,
        ("gemini", _) => Adapter::Gemini,
        ("anthropic", _) => Adapter::Anthropic,
        ("cohere" | "cohere_chat", _) => Adapter::Cohere,
        (name, _) if name.starts_with("vertex_ai") => {
            match super::vertex::adapter_for(name, resolved.model) {
                Some(adapter) => adapter,
                None => {
                    return Err(Error::new(
                        ErrorKind::BadRequest,
                        format!(
                            "`{model}` is served by Vertex AI's Model Garden, which is not callable yet; \
                             Gemini and Anthropic models on Vertex are"
                        ),
                    )
                    .with_provider(name)
                    .with_model(model))
                }
            }
        }
        ("openai", _) | (_, ProviderApi::OpenAiCompatible) => Adapter::OpenAi,
        (name, ProviderApi::Native) => {
            return Err(Error::new(
                ErrorKind::BadRequest,
                format!(
                    "provider `{name}` is not callable yet; use an OpenAI-compatible provider, \
                     or `openai/<model>` with `api_base` for any OpenAI-format server"
                ),
            )
            .with_provider(name)
            .with_model(model))
        }
    };
    if adapter == Adapter::Bedrock {
        // Credentials come from the environment and AWS's files: read here,
        // outside the provider's folder, which stays pure.
        let (region_hint, _) = super::bedrock::split_model(resolved.model);
        let credentials = crate::credentials::aws::resolve(options, region_hint);
        return super::bedrock::target(
            provider,
            resolved.model,
            resolved.info,
            model,
            options,
            credentials,
        );
    }
    if matches!(adapter, Adapter::VertexGemini | Adapter::VertexAnthropic) {
        return super::vertex::target(
            adapter,
            provider,
            resolved.model,
            resolved.info,
            model,
            options,
        );
    }
    let env = |name: Option<&str>| {
        name.and_then(|n| std::env::var(n).ok())
            .filter(|v| !v.is_empty())
    };
    let api_base = options
        .api_base
        .clone()
        .or_else(|| env(provider.api_base_env))
        .or_else(|| provider.base_url.map(str::to_string))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::BadRequest,
                format!(
                    "no API base for provider `{}`: pass api_base{}",
                    provider.name,
                    provider
                        .api_base_env
                        .map(|v| format!(" or set {v}"))
                        .unwrap_or_default()
                ),
            )
            .with_provider(provider.name)
            .with_model(model)
        })?;
    let api_base = api_base.trim_end_matches('/').to_string();
    if !(api_base.starts_with("http://") || api_base.starts_with("https://")) {
        return Err(Error::new(
            ErrorKind::BadRequest,
            "api_base must be an http:// or https:// URL",
        )
        .with_provider(provider.name)
        .with_model(model));
    }
    let api_key = options
        .api_key
        .clone()
        .or_else(|| env(provider.api_key_env))
        // LiteLLM's second name for the Gemini key.
        .or_else(|| env((adapter == Adapter::Gemini).then_some("GOOGLE_API_KEY")));
    if api_key.is_none() && provider.api_key_env.is_some() && !is_loopback(&api_base) {
        return Err(Error::new(
            ErrorKind::Authentication,
            format!(
                "no API key for provider `{}`: pass api_key or set {}",
                provider.name,
                provider.api_key_env.unwrap_or("its key variable")
            ),
        )
        .with_provider(provider.name)
        .with_model(model));
    }
    let api_version = match adapter {
        Adapter::Azure => Some(
            options
                .api_version
                .clone()
                .or_else(|| env(Some("AZURE_API_VERSION")))
                .unwrap_or_else(|| AZURE_DEFAULT_API_VERSION.to_string()),
        ),
        _ => None,
    };
    Ok(Target {
        adapter,
        provider,
        model: resolved.model.to_string(),
        requested_model: model.to_string(),
        info: resolved.info,
        api_base,
        api_key,
        api_version,
        extra_headers: options.headers.clone(),
        drop_params: options.drop_params.unwrap_or(false),
        settings: ProviderSettings::Plain,
    })
}

/// Local servers (Ollama, vLLM, LM Studio, the test kit) need no key.
fn is_loopback(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    host == "localhost" || host.starts_with("127.") || url.contains("://[::1]")
}
