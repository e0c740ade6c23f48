//! `ResponseCache`: llmrelay-cache behind `llmrelay.caching.Cache`, so
//! Python calls and the gateway share one implementation of LiteLLM's key
//! rules and one set of stores (a Redis cache is shared between them).
//!
//! Key material is Python's own `str()` of each keyed argument (computed
//! here with the GIL held), so keys equal LiteLLM's whatever the objects
//! are; the dicts the rules look into (`metadata`, `cache`, `extra_body`,
//! `litellm_params`...) are read as JSON. Store I/O runs with the GIL
//! released; in-process and disk stores need no async runtime.

use std::sync::Arc;

use llmrelay_cache::key::is_keyed;
use llmrelay_cache::{Arg, CacheConfig, CacheControl, CacheError, CallArgs, ResponseCache};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

use crate::convert::{to_py, to_value};
use crate::runtime;

create_exception!(
    _llmrelay,
    CacheBackendError,
    PyRuntimeError,
    "The cache's store failed: Redis unreachable or slow, a disk entry unusable."
);
create_exception!(
    _llmrelay,
    RedisReplyError,
    CacheBackendError,
    "Redis answered a command with an error (no reconnect helps)."
);

/// Arguments the key rules look into rather than print.
const JSON_ARGS: &[&str] = &[
    "metadata",
    "litellm_metadata",
    "litellm_params",
    "cache",
    "extra_body",
    "model_info",
    "thought_signature_in_tool_call_id",
];
/// Arguments printed into the key besides LiteLLM's request parameters.
const PRINTED_ARGS: &[&str] = &["model_id", "reasoningSummary", "reasoning_summary"];

fn py_err(err: CacheError) -> PyErr {
    match err {
        CacheError::Config(_) | CacheError::InvalidControl(_) => {
            PyValueError::new_err(err.to_string())
        }
        CacheError::RedisReply(_) => RedisReplyError::new_err(err.to_string()),
        _ => CacheBackendError::new_err(err.to_string()),
    }
}

/// A response cache (`_llmrelay.ResponseCache(params)`, params being
/// LiteLLM's `Cache` keyword arguments). Also answers LiteLLM's back-end
/// methods (`get_cache`, `set_cache`, `delete_cache`, `flush_cache`).
#[pyclass(module = "llmrelay._llmrelay", name = "ResponseCache", frozen)]
pub struct PyResponseCache {
    inner: Arc<ResponseCache>,
    /// Whether a call needs the async runtime (Redis) or runs inline.
    needs_runtime: bool,
    /// What `repr` shows: the type and where, never a password.
    describe: String,
}

impl PyResponseCache {
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        fut: impl std::future::Future<Output = Result<T, CacheError>> + Send,
    ) -> PyResult<T> {
        runtime::run(py, !self.needs_runtime, fut)?.map_err(py_err)
    }
}

fn control(value: Option<&Bound<'_, PyAny>>) -> PyResult<CacheControl> {
    match value {
        None => Ok(CacheControl::default()),
        Some(v) => CacheControl::from_json(&to_value(v)?).map_err(py_err),
    }
}

/// A call's keyword arguments as the key rules read them.
fn call_args(kwargs: &Bound<'_, PyDict>) -> PyResult<CallArgs> {
    let mut args = CallArgs::new();
    for (name, value) in kwargs.iter() {
        let Ok(name) = name.cast::<PyString>() else {
            continue;
        };
        let name = name.to_cow()?.into_owned();
        let arg = if JSON_ARGS.contains(&name.as_str()) {
            group_texts(&value, &mut args)?;
            match to_value(&value) {
                Ok(v) => Arg::Json(v),
                Err(_) => printed(&value, false)?,
            }
        } else if is_keyed(&name) || PRINTED_ARGS.contains(&name.as_str()) {
            printed(&value, name == "file")?
        } else {
            continue;
        };
        args.set(name, arg);
    }
    Ok(args)
}

/// Tells the key rules how Python prints each of `metadata`'s caching
/// groups (LiteLLM's documentation writes them as tuples, which JSON turns
/// into lists).
fn group_texts(dict: &Bound<'_, PyAny>, args: &mut CallArgs) -> PyResult<()> {
    let Ok(dict) = dict.cast::<PyDict>() else {
        return Ok(());
    };
    let sources = [
        Some(dict.clone()),
        nested(dict, "metadata"),
        nested(dict, "litellm_metadata"),
    ];
    for source in sources.into_iter().flatten() {
        let Some(groups) = source.get_item("caching_groups")? else {
            continue;
        };
        let Ok(groups) = groups.try_iter() else {
            continue;
        };
        for group in groups.flatten() {
            if let Ok(json) = to_value(&group) {
                args.set_group_text(json, group.str()?.to_cow()?.into_owned());
            }
        }
    }
    Ok(())
}

fn nested<'py>(dict: &Bound<'py, PyDict>, key: &str) -> Option<Bound<'py, PyDict>> {
    dict.get_item(key)
        .ok()
        .flatten()
        .and_then(|v| v.cast_into::<PyDict>().ok())
}

/// Python's `str()` and truthiness of `value` (`None` stays JSON null, as
/// the rules skip it); with `named`, also its `name` attribute.
fn printed(value: &Bound<'_, PyAny>, named: bool) -> PyResult<Arg> {
    if value.is_none() {
        return Ok(Arg::Json(Value::Null));
    }
    let name = if named {
        value
            .getattr("name")
            .ok()
            .filter(|n| !n.is_none())
            .and_then(|n| n.str().ok())
            .map(|n| n.to_string())
    } else {
        None
    };
    Ok(Arg::Rendered {
        text: value.str()?.to_cow()?.into_owned(),
        truthy: value.is_truthy()?,
        name,
    })
}

#[pymethods]
impl PyResponseCache {
    #[new]
    fn new(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<Self> {
        let Value::Object(params) = to_value(params.as_any())? else {
            return Err(PyValueError::new_err("cache parameters must be a dict"));
        };
        let config =
            CacheConfig::from_litellm(&params, |name| std::env::var(name).ok()).map_err(py_err)?;
        let describe = match &config.kind {
            llmrelay_cache::Kind::Local { max_entries } => {
                format!("ResponseCache(type='local', max_size_in_memory={max_entries})")
            }
            llmrelay_cache::Kind::Redis(t) => format!(
                "ResponseCache(type='redis', host={:?}, port={}, db={})",
                t.host, t.port, t.db
            ),
            llmrelay_cache::Kind::Disk(dir) => {
                format!(
                    "ResponseCache(type='disk', disk_cache_dir={:?})",
                    dir.display().to_string()
                )
            }
        };
        let needs_runtime = matches!(config.kind, llmrelay_cache::Kind::Redis(_));
        // Opening touches the disk (a directory is created), never the network.
        let inner = py.detach(|| ResponseCache::open(&config)).map_err(py_err)?;
        Ok(PyResponseCache {
            inner: Arc::new(inner),
            needs_runtime,
            describe,
        })
    }

    fn __repr__(&self) -> String {
        self.describe.clone()
    }

    /// LiteLLM's type name of the store (`local`, `redis`, `disk`).
    #[getter]
    fn r#type(&self) -> &'static str {
        self.inner.store().kind()
    }

    /// The key of a call with these keyword arguments (LiteLLM's rules).
    fn key(&self, kwargs: &Bound<'_, PyDict>) -> PyResult<String> {
        Ok(self.inner.key(&call_args(kwargs)?))
    }

    /// Whether a call with `messages` messages and the controls `cache`
    /// uses this cache (mode and `max_messages`).
    #[pyo3(signature = (messages, cache=None))]
    fn admits(&self, messages: usize, cache: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        Ok(self.inner.policy().admits(messages, &control(cache)?))
    }

    /// The stored answer under `key` as a dict, or None (a miss, `no-cache`,
    /// or older than `s-maxage`).
    #[pyo3(signature = (key, cache=None))]
    fn lookup<'py>(
        &self,
        py: Python<'py>,
        key: String,
        cache: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let control = control(cache)?;
        let inner = Arc::clone(&self.inner);
        let found = self.run(py, async move { inner.lookup(&key, &control).await })?;
        found.map(|v| to_py(py, &v)).transpose()
    }

    /// Stores `response` (a response object or dict) under `key`, with the
    /// call's controls (`no-store`, `ttl`).
    #[pyo3(signature = (key, response, cache=None))]
    fn insert(
        &self,
        py: Python<'_>,
        key: String,
        response: &Bound<'_, PyAny>,
        cache: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let control = control(cache)?;
        let response = to_value(response)?;
        let inner = Arc::clone(&self.inner);
        self.run(
            py,
            async move { inner.insert(&key, response, &control).await },
        )
    }

    /// LiteLLM's back-end read: the stored value under `key` (JSON read
    /// back into Python), or None.
    fn get_cache<'py>(&self, py: Python<'py>, key: String) -> PyResult<Option<Bound<'py, PyAny>>> {
        let inner = Arc::clone(&self.inner);
        let text = self.run(py, async move { inner.store().get(&key).await })?;
        text.map(|t| match serde_json::from_str::<Value>(&t) {
            Ok(v) => to_py(py, &v),
            Err(_) => Ok(PyString::new(py, &t).into_any()),
        })
        .transpose()
    }

    /// LiteLLM's back-end write: `value` (text, or anything JSON) under
    /// `key` for `ttl` seconds.
    #[pyo3(signature = (key, value, ttl=None))]
    fn set_cache(
        &self,
        py: Python<'_>,
        key: String,
        value: &Bound<'_, PyAny>,
        ttl: Option<f64>,
    ) -> PyResult<()> {
        let text = match value.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => to_value(value)?.to_string(),
        };
        let ttl = match ttl {
            Some(s) if s.is_finite() && s >= 0.0 => Some(std::time::Duration::from_secs_f64(s)),
            Some(_) => {
                return Err(PyValueError::new_err(
                    "ttl must be a number of seconds, at least 0",
                ))
            }
            None => None,
        };
        let inner = Arc::clone(&self.inner);
        self.run(py, async move { inner.store().set(&key, text, ttl).await })
    }

    /// Removes `key`.
    fn delete_cache(&self, py: Python<'_>, key: String) -> PyResult<()> {
        let inner = Arc::clone(&self.inner);
        self.run(py, async move { inner.store().delete(&key).await })
    }

    /// Removes every entry of this cache (a Redis cache with a namespace
    /// removes only that namespace's keys).
    fn flush_cache(&self, py: Python<'_>) -> PyResult<()> {
        let inner = Arc::clone(&self.inner);
        self.run(py, async move { inner.flush().await })
    }
}

/// Adds the class and its exceptions to the module.
pub(crate) fn add(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyResponseCache>()?;
    m.add("CacheBackendError", m.py().get_type::<CacheBackendError>())?;
    m.add("RedisReplyError", m.py().get_type::<RedisReplyError>())?;
    Ok(())
}
