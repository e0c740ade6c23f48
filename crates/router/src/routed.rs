//! What a routed call takes besides the request ([`RouteOptions`]) and what
//! it gives back besides the response ([`Routed`]): the deployment that
//! answered and how many retries and fallbacks it took, which the gateway
//! turns into `x-litellm-*` headers and Python into `_hidden_params`.

/// Per-call routing options (LiteLLM's keyword arguments of the same names).
#[derive(Debug, Clone, Default)]
pub struct RouteOptions {
    /// Fallback groups for this call, replacing the configured `fallbacks`.
    pub fallbacks: Option<Vec<String>>,
    /// No fallback at all for this call.
    pub disable_fallbacks: bool,
    /// Request tags for tag filtering (else the request's `metadata.tags`).
    pub tags: Vec<String>,
    /// Only deployments in this region (`eu`, `us`, or a region prefix), with pre-call checks.
    pub allowed_region: Option<String>,
    /// Retries for this call, replacing `num_retries`.
    pub num_retries: Option<u32>,
    /// Answer every deployment's call with this text (or raise this LiteLLM exception).
    pub mock_response: Option<String>,
    /// Whole-call timeout of each attempt, replacing the deployment's
    /// (LiteLLM lets a call's own `timeout` win over `litellm_params`).
    pub timeout: Option<std::time::Duration>,
}

/// A response and how the router got it.
#[derive(Debug)]
pub struct Routed<T> {
    /// The response (or stream).
    pub value: T,
    /// `model_info.id` of the deployment that answered.
    pub deployment_id: String,
    /// The model group that answered (the requested one, or a fallback).
    pub model_group: String,
    /// The model sent to the provider.
    pub model: String,
    /// The deployment's configured `api_base` (`None`: the provider's default).
    pub api_base: Option<String>,
    /// Retries made before the answer, over every group tried.
    pub attempted_retries: u32,
    /// Fallback groups tried (the answering one included).
    pub attempted_fallbacks: u32,
}

impl<T> Routed<T> {
    /// The same routing facts around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Routed<U> {
        Routed {
            value: f(self.value),
            deployment_id: self.deployment_id,
            model_group: self.model_group,
            model: self.model,
            api_base: self.api_base,
            attempted_retries: self.attempted_retries,
            attempted_fallbacks: self.attempted_fallbacks,
        }
    }
}
