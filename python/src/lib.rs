//! The `llmrelay` Python package's native module (`llmrelay._llmrelay`): the
//! Rust SDK behind LiteLLM's Python API.
//!
//! Importing it defines functions and classes and nothing else: the tokio
//! runtime, the HTTP client, the tokenizers and any catalog override file
//! are created or read by the first call that needs them (see
//! [`runtime`] and [`catalog::ensure_overrides`]).

mod audio;
mod cache;
mod catalog;
mod completion;
mod convert;
mod cost;
mod dispatch;
mod endpoints;
mod errors;
mod litellm_params;
mod objects;
mod params;
mod providers;
mod response;
mod responses;
mod router;
mod runtime;
mod stream;
mod tokens;

use pyo3::prelude::*;

#[pymodule]
fn _llmrelay(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(completion::completion, m)?)?;
    m.add_function(wrap_pyfunction!(completion::_acompletion, m)?)?;
    m.add_function(wrap_pyfunction!(completion::embedding, m)?)?;
    m.add_function(wrap_pyfunction!(completion::_aembedding, m)?)?;
    m.add_function(wrap_pyfunction!(endpoints::_endpoint, m)?)?;
    m.add_function(wrap_pyfunction!(endpoints::_aendpoint, m)?)?;
    m.add_function(wrap_pyfunction!(responses::responses, m)?)?;
    m.add_function(wrap_pyfunction!(responses::_aresponses, m)?)?;
    m.add_function(wrap_pyfunction!(audio::_speech, m)?)?;
    m.add_function(wrap_pyfunction!(audio::_aspeech, m)?)?;
    m.add_function(wrap_pyfunction!(audio::_transcription, m)?)?;
    m.add_function(wrap_pyfunction!(audio::_atranscription, m)?)?;
    m.add_function(wrap_pyfunction!(stream::stream_chunk_builder, m)?)?;
    m.add_function(wrap_pyfunction!(cost::completion_cost, m)?)?;
    m.add_function(wrap_pyfunction!(cost::cost_per_token, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::token_counter, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::encode, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::decode, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::_tool_definitions_text, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::get_model_info, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::get_max_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::get_llm_provider, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::register_model, m)?)?;
    m.add_function(wrap_pyfunction!(providers::_provider_names, m)?)?;
    m.add_function(wrap_pyfunction!(providers::_provider_info, m)?)?;
    catalog::add_supports(m)?;
    m.add_class::<catalog::ModelCostMap>()?;
    m.add_class::<stream::CustomStreamWrapper>()?;
    m.add_class::<response::Ready>()?;
    m.add_class::<responses::ResponsesStream>()?;
    m.add_class::<router::Router>()?;
    cache::add(m)?;
    objects::add_classes(m)?;
    Ok(())
}
