//! LiteLLM's catalog helpers: `get_model_info`, `get_max_tokens`,
//! `supports_*`, `get_llm_provider`, `register_model` and the `model_cost`
//! mapping, all over the catalog compiled into the extension.

use std::sync::OnceLock;

use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::convert;
use crate::errors;

static OVERRIDES: OnceLock<Result<(), String>> = OnceLock::new();

/// Loads `LLMRELAY_MODEL_COST_MAP` once, on the first call that consults the
/// catalog (never at import). A bad file raises on every call, so it cannot
/// go unnoticed.
pub(crate) fn ensure_overrides() -> PyResult<()> {
    // Loaded with the GIL held on purpose: releasing it inside the one-time
    // initialiser would let a second thread wait on the lock while holding
    // the GIL the first one needs back. The file is read once.
    let loaded = OVERRIDES.get_or_init(|| {
        llmrelay::catalog::load_from_env()
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    loaded.clone().map_err(PyValueError::new_err)
}

/// `model`, or `provider/model` when a provider is given and not already the prefix.
fn with_provider(model: &str, provider: Option<&str>) -> String {
    match provider.filter(|p| !p.is_empty()) {
        Some(p) if !model.starts_with(&format!("{p}/")) => format!("{p}/{model}"),
        _ => model.to_owned(),
    }
}

/// LiteLLM's `get_model_info`: a dict with LiteLLM's keys. Raises
/// `ModelNotMappedError` for a model the catalog does not price.
#[pyfunction]
#[pyo3(signature = (model, custom_llm_provider=None))]
pub(crate) fn get_model_info<'py>(
    py: Python<'py>,
    model: &str,
    custom_llm_provider: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    ensure_overrides()?;
    let model = with_provider(model, custom_llm_provider);
    let info = llmrelay::get_model_info(&model).map_err(|e| errors::not_mapped(py, e))?;
    convert::map_to_py(py, &info)
}

/// LiteLLM's `get_max_tokens`: the longest completion, or None when unknown.
#[pyfunction]
pub(crate) fn get_max_tokens(py: Python<'_>, model: &str) -> PyResult<Option<u64>> {
    ensure_overrides()?;
    llmrelay::get_max_tokens(model).map_err(|e| errors::not_mapped(py, e))
}

macro_rules! supports {
    ($($name:ident),* $(,)?) => {
        $(
            /// LiteLLM's function of the same name: false for unknown models.
            #[pyfunction]
            #[pyo3(signature = (model, custom_llm_provider=None))]
            pub(crate) fn $name(model: &str, custom_llm_provider: Option<&str>) -> PyResult<bool> {
                ensure_overrides()?;
                Ok(llmrelay::$name(&with_provider(model, custom_llm_provider)).unwrap_or(false))
            }
        )*

        /// Adds the `supports_*` functions to the module.
        pub(crate) fn add_supports(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_function(wrap_pyfunction!($name, m)?)?;)*
            Ok(())
        }
    };
}

supports!(
    supports_function_calling,
    supports_parallel_function_calling,
    supports_vision,
    supports_response_schema,
    supports_reasoning,
    supports_prompt_caching,
    supports_tool_choice,
    supports_system_messages,
    supports_pdf_input,
    supports_audio_input,
    supports_audio_output,
    supports_web_search,
);

/// LiteLLM's `get_llm_provider`: `(model, provider, dynamic_api_key, api_base)`.
/// The key is `api_key`, or the provider's key variable for the
/// OpenAI-compatible family; the base is `api_base`, or the base URL llmrelay
/// calls for that family.
#[pyfunction]
#[pyo3(signature = (model, custom_llm_provider=None, api_base=None, api_key=None, litellm_params=None))]
pub(crate) fn get_llm_provider<'py>(
    py: Python<'py>,
    model: &str,
    custom_llm_provider: Option<&str>,
    api_base: Option<String>,
    api_key: Option<String>,
    litellm_params: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let _ = litellm_params;
    ensure_overrides()?;
    let full = with_provider(model, custom_llm_provider);
    let resolved = llmrelay::catalog::get_llm_provider(&full, api_base, api_key)
        .map_err(|e| errors::to_py(py, llmrelay::Error::from(e).with_model(&full)))?;
    let info = llmrelay::catalog::provider(resolved.provider);
    let compatible = !resolved.known_endpoint
        && info.is_some_and(|p| {
            p.api == llmrelay::catalog::ProviderApi::OpenAiCompatible && p.name != "openai"
        });
    let env = |name: Option<&str>| {
        name.and_then(|n| std::env::var(n).ok())
            .filter(|v| !v.is_empty())
    };
    let key = resolved.api_key.or_else(|| {
        compatible
            .then(|| env(info.and_then(|p| p.api_key_env)))
            .flatten()
    });
    let base = resolved.api_base.or_else(|| {
        compatible
            .then(|| {
                env(info.and_then(|p| p.api_base_env))
                    .or_else(|| info.and_then(|p| p.base_url).map(str::to_owned))
            })
            .flatten()
    });
    PyTuple::new(
        py,
        [
            PyString::new(py, resolved.model).into_any(),
            PyString::new(py, resolved.provider).into_any(),
            key.into_pyobject(py)?.into_any(),
            base.into_pyobject(py)?.into_any(),
        ],
    )
}

/// LiteLLM's `register_model`: a dict of LiteLLM-format entries (merged over
/// what the catalog knows), or the path of such a JSON file. Returns the
/// entries it was given. URLs are refused: llmrelay never fetches.
#[pyfunction]
pub(crate) fn register_model<'py>(
    py: Python<'py>,
    model_cost: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    ensure_overrides()?;
    if let Ok(path) = model_cost.extract::<String>() {
        if path.starts_with("http://") || path.starts_with("https://") {
            return Err(PyValueError::new_err(
                "register_model takes a dict or a file path: llmrelay never fetches over the network",
            ));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| PyValueError::new_err(format!("cannot read `{path}`: {e}")))?;
        py.detach(|| llmrelay::catalog::register_litellm_json(&text))
            .map_err(|e| PyValueError::new_err(format!("`{path}`: {e}")))?;
        let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        return convert::to_py(py, &parsed);
    }
    let value = convert::to_value(&model_cost)?;
    if !value.is_object() {
        return Err(PyValueError::new_err(
            "register_model takes a dict of model name -> LiteLLM entry",
        ));
    }
    let text = value.to_string();
    py.detach(|| llmrelay::catalog::register_litellm_json(&text))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(model_cost)
}

/// One `model_cost` entry: the model's manifest fields (no nulls, no `key`).
fn entry<'py>(py: Python<'py>, key: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(info) = llmrelay::catalog::get(key) else {
        return Ok(None);
    };
    let mut map = llmrelay::catalog::litellm_format::info_to_litellm(key, info);
    map.retain(|k, v| !v.is_null() && k != "key");
    convert::map_to_py(py, &map).map(Some)
}

/// LiteLLM's `model_cost`: a read-only mapping of model name -> manifest
/// entry over the compiled catalog (and registered models). Entries are
/// built when read; the key list when first iterated.
#[pyclass(module = "llmrelay", mapping)]
pub(crate) struct ModelCostMap;

#[pymethods]
impl ModelCostMap {
    #[new]
    fn new() -> Self {
        ModelCostMap
    }

    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyDict>> {
        ensure_overrides()?;
        entry(py, key)?.ok_or_else(|| PyKeyError::new_err(key.to_owned()))
    }

    fn __contains__(&self, key: &str) -> PyResult<bool> {
        ensure_overrides()?;
        Ok(llmrelay::catalog::get(key).is_some())
    }

    fn __len__(&self) -> PyResult<usize> {
        ensure_overrides()?;
        Ok(llmrelay::catalog::models().len())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.keys(py)?.as_any().try_iter().map(Bound::into_any)
    }

    /// Every model name.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        ensure_overrides()?;
        let keys: Vec<&str> = llmrelay::catalog::models().iter().map(|m| m.key).collect();
        PyList::new(py, keys)
    }

    /// Every entry.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for key in self.keys(py)?.iter() {
            list.append(entry(py, &key.cast::<PyString>()?.to_cow()?)?)?;
        }
        Ok(list)
    }

    /// Every `(name, entry)` pair.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for key in self.keys(py)?.iter() {
            let value = entry(py, &key.cast::<PyString>()?.to_cow()?)?;
            list.append(PyTuple::new(
                py,
                [key.into_any(), value.into_pyobject(py)?.into_any()],
            )?)?;
        }
        Ok(list)
    }

    /// The entry for `key`, or `default`.
    #[pyo3(signature = (key, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        ensure_overrides()?;
        Ok(match entry(py, key)? {
            Some(found) => found.into_any(),
            None => default.unwrap_or_else(|| py.None().into_bound(py)),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<llmrelay.model_cost: {} models>",
            llmrelay::catalog::models().len()
        )
    }
}
