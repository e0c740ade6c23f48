//! Providers as data: how to reach one, not how to talk to it.

/// Whether a provider needs its own adapter or is a row of OpenAI-compatible data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderApi {
    /// Speaks OpenAI's chat-completions wire format at `base_url`.
    OpenAiCompatible,
    /// Needs an adapter in the SDK (Anthropic, Gemini, Bedrock...), or is not callable yet.
    Native,
}

/// Everything the catalog knows about one provider slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderInfo {
    /// LiteLLM's slug (`openai`, `groq`, `vertex_ai-anthropic_models`...).
    pub name: &'static str,
    /// Human name, when known.
    pub display_name: Option<&'static str>,
    /// Adapter kind.
    pub api: ProviderApi,
    /// Default API base URL.
    pub base_url: Option<&'static str>,
    /// Environment variable holding the API key.
    pub api_key_env: Option<&'static str>,
    /// Environment variable that overrides `base_url`.
    pub api_base_env: Option<&'static str>,
    /// OpenAI parameter name -> the provider's name, sorted by OpenAI name.
    pub param_renames: &'static [(&'static str, &'static str)],
    /// OpenAI parameters the provider rejects (dropped with `drop_params`).
    pub unsupported_params: &'static [&'static str],
    /// Send message content as a plain string rather than a list of parts.
    pub content_as_string: bool,
    /// Endpoints the provider serves (`chat_completions`, `embeddings`...).
    pub endpoints: &'static [&'static str],
    /// Other fields of the source rows (extra headers, constraints...) as JSON text.
    pub extra: &'static str,
}

impl ProviderInfo {
    /// The provider's name for an OpenAI parameter (itself when not renamed).
    pub fn param_name<'a>(&self, openai_name: &'a str) -> &'a str
    where
        'static: 'a,
    {
        crate::model::lookup(self.param_renames, openai_name).unwrap_or(openai_name)
    }

    /// True when the provider serves `endpoint` (`chat_completions`, `embeddings`...).
    pub fn serves(&self, endpoint: &str) -> bool {
        self.endpoints.contains(&endpoint)
    }
}
