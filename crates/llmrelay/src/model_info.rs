//! LiteLLM's catalog helpers (`get_model_info`, `get_max_tokens`,
//! `supports_*`, `get_llm_provider`) over the compiled catalog. Nothing here
//! touches the network or a provider.

use llmrelay_catalog::{ModelInfo, Resolved};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};

/// LiteLLM's `get_llm_provider`: the provider slug and the model name to send.
pub fn get_llm_provider(model: &str) -> Result<Resolved<'_>, Error> {
    llmrelay_catalog::resolve(model).map_err(|e| Error::from(e).with_model(model))
}

/// The catalog entry for `model`; an error when the model is unknown or its
/// provider is known but the catalog has no entry for it (LiteLLM's
/// "This model isn't mapped yet").
pub fn model_info(model: &str) -> Result<&'static ModelInfo, Error> {
    let resolved = get_llm_provider(model)?;
    resolved.info.ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!(
                "model `{model}` of provider `{}` is not in the catalog: no limits or pricing are known \
                 (register it with register_model or LLMRELAY_MODEL_COST_MAP)",
                resolved.provider
            ),
        )
        .with_model(model)
        .with_provider(resolved.provider)
        .with_suggestions(
            llmrelay_catalog::suggest(model, 3)
                .into_iter()
                .map(str::to_string)
                .collect(),
        )
    })
}

/// LiteLLM's `get_model_info`: a mapping with LiteLLM's keys
/// (`litellm_provider`, `max_input_tokens`, `input_cost_per_token`, `supports_*`...).
pub fn get_model_info(model: &str) -> Result<Map<String, Value>, Error> {
    let info = model_info(model)?;
    let key = llmrelay_catalog::get(model.trim()).map_or(info.key, |entry| entry.key);
    Ok(llmrelay_catalog::litellm_format::info_to_litellm(key, info))
}

/// LiteLLM's `get_max_tokens`: the longest completion the model produces.
pub fn get_max_tokens(model: &str) -> Result<Option<u64>, Error> {
    Ok(model_info(model)?.max_output_tokens)
}

macro_rules! supports {
    ($($(#[$doc:meta])* $name:ident => $flag:literal;)*) => {$(
        $(#[$doc])*
        ///
        /// False when the catalog does not state the flag; an error when the
        /// model is unknown.
        pub fn $name(model: &str) -> Result<bool, Error> {
            Ok(model_info(model)?.supports($flag))
        }
    )*};
}

supports! {
    /// LiteLLM's `supports_function_calling`.
    supports_function_calling => "function_calling";
    /// LiteLLM's `supports_parallel_function_calling`.
    supports_parallel_function_calling => "parallel_function_calling";
    /// LiteLLM's `supports_vision`.
    supports_vision => "vision";
    /// LiteLLM's `supports_response_schema`.
    supports_response_schema => "response_schema";
    /// LiteLLM's `supports_reasoning`.
    supports_reasoning => "reasoning";
    /// LiteLLM's `supports_prompt_caching`.
    supports_prompt_caching => "prompt_caching";
    /// LiteLLM's `supports_tool_choice`.
    supports_tool_choice => "tool_choice";
    /// LiteLLM's `supports_system_messages`.
    supports_system_messages => "system_messages";
    /// LiteLLM's `supports_pdf_input`.
    supports_pdf_input => "pdf_input";
    /// LiteLLM's `supports_audio_input`.
    supports_audio_input => "audio_input";
    /// LiteLLM's `supports_audio_output`.
    supports_audio_output => "audio_output";
    /// LiteLLM's `supports_web_search`.
    supports_web_search => "web_search";
}
