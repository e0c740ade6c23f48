//! The catalog's provider rows for the Python helpers that read them
//! (`provider_list`, `validate_environment`, `get_supported_openai_params`
//! in `llmrelay/model_lists.py`, `environment.py`, `openai_params.py`): the
//! data lives in the catalog once, never in a second table in Python.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Every provider slug the catalog knows, in catalog order.
#[pyfunction]
pub(crate) fn _provider_names(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    PyList::new(py, llmrelay::catalog::providers().iter().map(|p| p.name))
}

/// One provider's row (`api_key_env`, `api_base_env`, `base_url`,
/// `unsupported_params`, `param_renames` as (OpenAI name, provider's name)
/// pairs, `endpoints`, `openai_compatible`), or None.
#[pyfunction]
pub(crate) fn _provider_info<'py>(
    py: Python<'py>,
    name: &str,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(info) = llmrelay::catalog::provider(name) else {
        return Ok(None);
    };
    let row = PyDict::new(py);
    row.set_item("name", info.name)?;
    row.set_item("api_key_env", info.api_key_env)?;
    row.set_item("api_base_env", info.api_base_env)?;
    row.set_item("base_url", info.base_url)?;
    row.set_item(
        "unsupported_params",
        PyList::new(py, info.unsupported_params)?,
    )?;
    row.set_item("param_renames", PyList::new(py, info.param_renames)?)?;
    row.set_item("endpoints", PyList::new(py, info.endpoints)?)?;
    row.set_item(
        "openai_compatible",
        info.api == llmrelay::catalog::ProviderApi::OpenAiCompatible,
    )?;
    Ok(Some(row))
}
