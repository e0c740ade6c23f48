//! `Router`: LiteLLM's `litellm.Router` over the Rust router
//! (`llmrelay-router`), with LiteLLM's constructor and methods.
//!
//! The constructor's keyword arguments become the JSON value
//! `RouterConfig::from_value` reads (LiteLLM's router settings at the top
//! level), so the Python class, the gateway and the CLI share one reader:
//! an unknown argument is a `UserWarning` naming it, a bad configuration a
//! `RouterConfigError` (a `BadRequestError` and a `ValueError`, as LiteLLM
//! raises either) naming the entry. Calls are parsed as the plain functions
//! parse them ([`crate::completion::prepare`]) and run through
//! [`crate::dispatch`], so responses, streams and errors are the same
//! objects, with the deployment in `_hidden_params`.

use std::ffi::CString;
use std::future::Future;

use llmrelay::{CallOptions, ChatResponse, ChatStream, EmbeddingRequest, EmbeddingResponse, Error};
use llmrelay_router::{RouteOptions, RouterConfig};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::{Map, Value};

use crate::completion::{prepare, prepare_embedding};
use crate::convert;
use crate::dispatch::{self, Chat, ChatTarget, EmbeddingTarget};
use crate::errors;
use crate::response::{Meta, RouteFacts};

/// Per-call keyword arguments that only steer the router: read here and
/// kept out of the request body.
const ROUTE_ONLY: &[&str] = &["disable_fallbacks", "specific_deployment"];

/// LiteLLM's `Router`: several deployments behind each public model name,
/// with load balancing, retries, cooldowns and fallbacks (streams included).
#[pyclass(module = "llmrelay", name = "Router", subclass, frozen)]
pub(crate) struct Router {
    router: llmrelay_router::Router,
    /// The `model_list` entries as given, each with its `model_info.id`
    /// (LiteLLM's `get_model_list` shape), in deployment order.
    entries: Vec<Value>,
}

#[pymethods]
impl Router {
    #[new]
    #[pyo3(signature = (model_list=None, **kwargs))]
    fn new(
        py: Python<'_>,
        model_list: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        crate::catalog::ensure_overrides()?;
        let value = config_value(model_list, kwargs)?;
        let (config, warnings) =
            RouterConfig::from_value(&value).map_err(|e| config_error(py, &e.to_string()))?;
        if !warnings.is_empty() {
            let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
            for warning in &warnings {
                let message = CString::new(format!("llmrelay.Router: {warning}"))
                    .map_err(|e| errors::value_error(e.to_string()))?;
                PyErr::warn(py, category.as_any(), &message, 1)?;
            }
        }
        let entries = entries_with_ids(&value, &config);
        let router =
            llmrelay_router::Router::new(config).map_err(|e| config_error(py, &e.to_string()))?;
        Ok(Router { router, entries })
    }

    /// LiteLLM's `Router.completion`: a `ModelResponse`, or with
    /// `stream=True` a `CustomStreamWrapper` that has failed over until its
    /// first content.
    #[pyo3(signature = (model, messages=None, **kwargs))]
    fn completion(
        &self,
        py: Python<'_>,
        model: &str,
        messages: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let (target, kwargs) = self.target(kwargs)?;
        let prepared = prepare(py, model, messages, kwargs.as_ref())?;
        dispatch::chat_blocking(py, prepared, target)
    }

    /// The awaitable behind `acompletion` (an `async def` in
    /// `llmrelay.router` wraps it).
    #[pyo3(signature = (model, messages=None, **kwargs))]
    fn _acompletion<'py>(
        &self,
        py: Python<'py>,
        model: &str,
        messages: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (target, kwargs) = self.target(kwargs)?;
        let prepared = prepare(py, model, messages, kwargs.as_ref())?;
        dispatch::chat_awaitable(py, prepared, target)
    }

    /// LiteLLM's `Router.embedding`: an `EmbeddingResponse`.
    #[pyo3(signature = (model, input=None, **kwargs))]
    fn embedding(
        &self,
        py: Python<'_>,
        model: &str,
        input: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let (target, kwargs) = self.target(kwargs)?;
        let prepared = prepare_embedding(py, model, input, kwargs.as_ref(), false)?;
        dispatch::embedding_blocking(py, prepared, target)
    }

    /// The awaitable behind `aembedding`.
    #[pyo3(signature = (model, input=None, **kwargs))]
    fn _aembedding<'py>(
        &self,
        py: Python<'py>,
        model: &str,
        input: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (target, kwargs) = self.target(kwargs)?;
        let prepared = prepare_embedding(py, model, input, kwargs.as_ref(), false)?;
        dispatch::embedding_awaitable(py, prepared, target)
    }

    /// LiteLLM's `get_model_list`: the deployments (of `model_name`, or
    /// all), as dicts with `model_name`, `litellm_params` and `model_info`
    /// (its `id` filled in).
    #[pyo3(signature = (model_name=None, team_id=None))]
    fn get_model_list<'py>(
        &self,
        py: Python<'py>,
        model_name: Option<&str>,
        team_id: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let _ = team_id;
        let list = PyList::empty(py);
        for (entry, deployment) in self.entries.iter().zip(self.router.model_list()) {
            if model_name.is_none_or(|name| name == deployment.model_name()) {
                list.append(convert::to_py(py, entry)?)?;
            }
        }
        Ok(list)
    }

    /// LiteLLM's `Router.model_list`: every deployment (see `get_model_list`).
    #[getter(model_list)]
    fn all_deployments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.get_model_list(py, None, None)
    }

    /// The public model names (groups and wildcard patterns), once each.
    #[getter(model_names)]
    fn group_names(&self) -> Vec<String> {
        self.router.model_names()
    }

    /// LiteLLM's `get_model_names`: each deployment's `model_name`.
    fn get_model_names(&self) -> Vec<String> {
        self.router
            .model_list()
            .iter()
            .map(|d| d.model_name().to_owned())
            .collect()
    }

    /// LiteLLM's `get_available_deployment`: the deployment dict the next
    /// call to `model` would use (nothing is called or counted). Tags come
    /// from `request_kwargs` (`tags`, or `metadata.tags`).
    #[pyo3(signature = (model, messages=None, input=None, specific_deployment=false, request_kwargs=None))]
    fn get_available_deployment<'py>(
        &self,
        py: Python<'py>,
        model: &str,
        messages: Option<&Bound<'py, PyAny>>,
        input: Option<&Bound<'py, PyAny>>,
        specific_deployment: bool,
        request_kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let _ = (messages, input);
        let options = route_options(request_kwargs)?;
        if specific_deployment {
            // LiteLLM: `model` names a deployment's `litellm_params.model`.
            if let Some(entry) = self
                .router
                .model_list()
                .iter()
                .position(|d| d.config().litellm_params.model == model)
                .and_then(|slot| self.entries.get(slot))
            {
                return convert::to_py(py, entry);
            }
        }
        let slot = self
            .router
            .get_available_deployment(model, &options)
            .map_err(|e| errors::to_py(py, e))?
            .slot();
        convert::to_py(py, self.entries.get(slot).unwrap_or(&Value::Null))
    }

    /// Each deployment's state now, as dicts: `id`, `model_name`, `model`,
    /// `api_base`, `healthy`, `cooldown_until` (seconds since the epoch,
    /// while cooling down), `latency` (seconds), `in_flight`, and this
    /// minute's `requests`, `tokens` and `failures`.
    fn deployment_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for status in self.router.deployments() {
            let d = PyDict::new(py);
            d.set_item("id", &status.id)?;
            d.set_item("model_name", &status.model_name)?;
            d.set_item("model", &status.model)?;
            d.set_item("api_base", status.api_base.as_deref())?;
            d.set_item("healthy", status.healthy)?;
            d.set_item(
                "cooldown_until",
                status.cooldown_until_ms.map(|ms| ms as f64 / 1000.0),
            )?;
            d.set_item("latency", status.latency.map(|l| l.as_secs_f64()))?;
            d.set_item("in_flight", status.in_flight)?;
            d.set_item("requests", status.requests_this_minute)?;
            d.set_item("tokens", status.tokens_this_minute)?;
            d.set_item("failures", status.failures_this_minute)?;
            list.append(d)?;
        }
        Ok(list)
    }

    fn __repr__(&self) -> String {
        format!(
            "Router(model_names={:?}, routing_strategy={:?})",
            self.router.model_names(),
            self.router.settings().routing_strategy.name()
        )
    }
}

impl Router {
    /// The router and this call's routing options, and the keyword
    /// arguments left for the request (without the router-only ones).
    fn target<'py>(
        &self,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<(RouterTarget, Option<Bound<'py, PyDict>>)> {
        let options = route_options(kwargs)?;
        let mut rest = kwargs.cloned();
        if let Some(kw) = kwargs {
            let mut copied = None;
            for key in ROUTE_ONLY {
                if kw.contains(*key)? {
                    let copy = match copied.take() {
                        Some(c) => c,
                        None => kw.copy()?,
                    };
                    copy.del_item(*key)?;
                    copied = Some(copy);
                }
            }
            if copied.is_some() {
                rest = copied;
            }
        }
        Ok((
            RouterTarget {
                router: self.router.clone(),
                options,
            },
            rest,
        ))
    }
}

/// LiteLLM's per-call routing arguments: `disable_fallbacks`, `num_retries`,
/// `tags` (else `metadata["tags"]`), `allowed_model_region`. (`fallbacks`
/// and `mock_response` are parsed with the call.)
fn route_options(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<RouteOptions> {
    let mut options = RouteOptions::default();
    let Some(kwargs) = kwargs else {
        return Ok(options);
    };
    let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        Ok(kwargs.get_item(key)?.filter(|v| !v.is_none()))
    };
    if let Some(v) = get("disable_fallbacks")? {
        options.disable_fallbacks = v.is_truthy()?;
    }
    if let Some(v) = get("num_retries")? {
        options.num_retries = Some(v.extract()?);
    }
    if let Some(v) = get("allowed_model_region")? {
        options.allowed_region = Some(v.extract()?);
    }
    let tags = match get("tags")? {
        Some(tags) => Some(tags),
        None => match get("metadata")? {
            Some(metadata) => metadata
                .cast::<PyDict>()
                .ok()
                .map(|m| m.get_item("tags"))
                .transpose()?
                .flatten()
                .filter(|t| !t.is_none()),
            None => None,
        },
    };
    if let Some(tags) = tags {
        options.tags = tags.extract()?;
    }
    Ok(options)
}

/// The router answering one call.
struct RouterTarget {
    router: llmrelay_router::Router,
    options: RouteOptions,
}

impl RouterTarget {
    /// The routing options with what the call's own parsing found: its
    /// `fallbacks` (group names), text `mock_response` and `timeout`
    /// (which, as in LiteLLM, wins over the deployment's).
    fn options_for(
        mut self,
        fallbacks: &[llmrelay_router::Fallback],
        options: &CallOptions,
    ) -> Self {
        if !fallbacks.is_empty() {
            self.options.fallbacks = Some(fallbacks.iter().map(|f| f.model.clone()).collect());
        }
        if options.mock_response.is_some() {
            self.options.mock_response = options.mock_response.clone();
        }
        self.options.timeout = options.timeout;
        self
    }
}

impl ChatTarget for RouterTarget {
    fn answer(
        self,
        chat: Chat,
    ) -> impl Future<Output = Result<(ChatResponse, Meta), Error>> + Send + 'static {
        let target = self.options_for(&chat.fallbacks, &chat.options);
        async move {
            let routed = target
                .router
                .completion(chat.request, &target.options)
                .await?;
            Ok(Meta::routed(routed, RouteFacts::of_router))
        }
    }

    fn stream(
        self,
        chat: Chat,
    ) -> impl Future<Output = Result<(ChatStream, Meta), Error>> + Send + 'static {
        let target = self.options_for(&chat.fallbacks, &chat.options);
        async move {
            let routed = target
                .router
                .completion_stream(chat.request, &target.options)
                .await?;
            Ok(Meta::routed(routed, RouteFacts::of_router))
        }
    }
}

impl EmbeddingTarget for RouterTarget {
    fn embed(
        self,
        request: EmbeddingRequest,
        options: CallOptions,
    ) -> impl Future<Output = Result<(EmbeddingResponse, Meta), Error>> + Send + 'static {
        let target = self.options_for(&[], &options);
        async move {
            let routed = target.router.embedding(request, &target.options).await?;
            Ok(Meta::routed(routed, RouteFacts::of_router))
        }
    }
}

/// The constructor's arguments as the JSON `RouterConfig::from_value`
/// reads: `model_list` plus LiteLLM's settings at the top level. Arguments
/// left at None are unset; a value JSON cannot hold (a callable, a client
/// object) becomes null, so an unknown one is still reported by name.
fn config_value(
    model_list: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Value> {
    let mut top = Map::new();
    if let Some(list) = model_list.filter(|l| !l.is_none()) {
        top.insert("model_list".into(), convert::to_value(list)?);
    }
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            if value.is_none() {
                continue;
            }
            let key = key.cast::<PyString>()?.to_cow()?.into_owned();
            top.insert(key, convert::to_value(&value).unwrap_or(Value::Null));
        }
    }
    Ok(Value::Object(top))
}

/// Each `model_list` entry as given, with `model_info.id` set to the id the
/// router uses.
fn entries_with_ids(value: &Value, config: &RouterConfig) -> Vec<Value> {
    let given = value
        .get("model_list")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    given
        .iter()
        .zip(&config.model_list)
        .map(|(entry, parsed)| {
            let mut entry = entry.clone();
            if let Value::Object(map) = &mut entry {
                let info = map
                    .entry("model_info")
                    .or_insert_with(|| Value::Object(Map::new()));
                if !info.is_object() {
                    *info = Value::Object(Map::new());
                }
                if let Value::Object(info) = info {
                    info.insert("id".into(), Value::String(parsed.id.clone()));
                }
            }
            entry
        })
        .collect()
}

/// `llmrelay.exceptions.RouterConfigError` with `message` (which names the entry).
fn config_error(py: Python<'_>, message: &str) -> PyErr {
    errors::new_error(py, "RouterConfigError", message, None, None)
}
