//! SDK errors -> the classes of `llmrelay.exceptions` (LiteLLM's names).
//!
//! The classes are plain Python (so users can construct and subclass them as
//! they do LiteLLM's); the module is imported on the first error, not at
//! import time of the package.

use llmrelay::{Error, ErrorKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static EXCEPTIONS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn exceptions(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    EXCEPTIONS
        .get_or_try_init(py, || py.import("llmrelay.exceptions").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// Builds an instance of `llmrelay.exceptions.<class_name>`.
pub(crate) fn new_error(
    py: Python<'_>,
    class_name: &str,
    message: &str,
    model: Option<&str>,
    provider: Option<&str>,
) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let class = exceptions(py)?.getattr(class_name)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("message", message)?;
        kwargs.set_item("model", model)?;
        kwargs.set_item("llm_provider", provider)?;
        Ok(PyErr::from_value(class.call((), Some(&kwargs))?))
    })();
    built.unwrap_or_else(|e| e)
}

/// The Python exception for an SDK error: the class of its kind, with the
/// provider, model, status, `retry_after` (seconds) and suggestions attached.
pub(crate) fn to_py(py: Python<'_>, err: Error) -> PyErr {
    let built = (|| -> PyResult<PyErr> {
        let class = exceptions(py)?.getattr(err.kind.litellm_name())?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("message", &err.message)?;
        kwargs.set_item("model", err.model.as_deref())?;
        kwargs.set_item("llm_provider", err.provider.as_deref())?;
        kwargs.set_item("retry_after", err.retry_after.map(|d| d.as_secs_f64()))?;
        kwargs.set_item("suggestions", err.suggestions())?;
        kwargs.set_item("upstream_status", err.upstream_status)?;
        if err.kind == ErrorKind::Timeout || err.kind == ErrorKind::ApiConnection {
            // LiteLLM reports the status of these classes, not the upstream's.
            kwargs.set_item("status_code", err.kind.status())?;
        }
        Ok(PyErr::from_value(class.call((), Some(&kwargs))?))
    })();
    built.unwrap_or_else(|e| e)
}

/// `ModelNotMappedError` for a catalog lookup that failed (LiteLLM raises it
/// from `get_model_info` and `get_max_tokens` for any unknown name).
pub(crate) fn not_mapped(py: Python<'_>, err: Error) -> PyErr {
    if matches!(err.kind, ErrorKind::BadRequest | ErrorKind::NotFound) {
        let built = (|| -> PyResult<PyErr> {
            let class = exceptions(py)?.getattr("ModelNotMappedError")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("message", &err.message)?;
            kwargs.set_item("model", err.model.as_deref())?;
            kwargs.set_item("llm_provider", err.provider.as_deref())?;
            kwargs.set_item("suggestions", err.suggestions())?;
            Ok(PyErr::from_value(class.call((), Some(&kwargs))?))
        })();
        return built.unwrap_or_else(|e| e);
    }
    to_py(py, err)
}

/// Extension to turn `Result<T, llmrelay::Error>` into `PyResult<T>`.
pub(crate) trait IntoPyResult<T> {
    /// Maps the error with [`to_py`].
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}

/// A `ValueError` for an argument of the wrong shape.
pub(crate) fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// A `BadRequestError` for a request body the SDK cannot read.
pub(crate) fn bad_request(py: Python<'_>, model: &str, message: &str) -> PyErr {
    new_error(py, "BadRequestError", message, Some(model), None)
}
