//! LiteLLM's keyword arguments -> the SDK's request body and `CallOptions`.
//!
//! Call settings (`api_base`, `api_key`, `timeout`, `num_retries`,
//! `drop_params`, `mock_response`, `fallbacks`...) become options; LiteLLM's
//! own arguments (`metadata`, `caching`, `retry_strategy`... the whole set
//! in [`crate::litellm_params`]) are consumed; every other argument goes
//! into the request body, as LiteLLM passes provider parameters through.
//! Arguments left at `None` are unset. Module-level settings
//! (`llmrelay.drop_params`, `llmrelay.num_retries`, `llmrelay.api_key`,
//! `llmrelay.api_base`, `llmrelay.request_timeout`) apply when the call does
//! not say.

use std::time::Duration;

use llmrelay::{CallOptions, Secret};
use llmrelay_router::Fallback;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule, PyString, PyType};
use serde_json::{Map, Value};

use crate::convert;
use crate::errors::value_error;
use crate::litellm_params::is_litellm_own;
use crate::objects::OpenAIObject;

/// What `mock_response` asks for, beyond a canned text (which goes to the SDK).
pub(crate) enum Mock {
    /// No mock, or a text the SDK answers with.
    None,
    /// Raise this exception instance.
    Raise(PyErr),
    /// Return this object (a response given as the mock).
    Object(Py<PyAny>),
    /// An embedding vector (for `embedding(mock_response=[...])`).
    Vector(Value),
    /// `mock_timeout=True`: wait out the call's timeout, then raise `Timeout`.
    Timeout,
}

/// One call, parsed.
pub(crate) struct Call {
    /// The request body, OpenAI's shape.
    pub body: Map<String, Value>,
    /// Settings outside the body.
    pub options: CallOptions,
    /// Models tried in order after the first fails.
    pub fallbacks: Vec<Fallback>,
    /// Mock instructions other than text.
    pub mock: Mock,
}

impl Call {
    /// The model asked for.
    pub(crate) fn model(&self) -> &str {
        self.body.get("model").and_then(Value::as_str).unwrap_or("")
    }

    /// Whether the call needs no network (answered by a mock).
    pub(crate) fn is_local(&self) -> bool {
        self.options.mock_response.is_some() || !matches!(self.mock, Mock::None)
    }
}

static PACKAGE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// A module-level setting of the `llmrelay` package, when set (not None).
fn setting<'py>(py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let package = PACKAGE.get_or_try_init(py, || py.import("llmrelay").map(Bound::unbind))?;
    match package.bind(py).getattr(name) {
        Ok(value) if !value.is_none() => Ok(Some(value)),
        _ => Ok(None),
    }
}

/// Parses `model`, the first body field (`messages` or `input`) and the keyword arguments.
pub(crate) fn parse(
    py: Python<'_>,
    model: &str,
    first: (&str, Option<&Bound<'_, PyAny>>),
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Call> {
    let mut body = Map::new();
    body.insert("model".into(), Value::String(model.to_owned()));
    let first_value = match first.1 {
        Some(value) if !value.is_none() => convert::to_value(value)?,
        _ => Value::Array(Vec::new()),
    };
    body.insert(first.0.into(), first_value);
    let mut options = CallOptions::default();
    let mut call = Call {
        body: Map::new(),
        options: CallOptions::default(),
        fallbacks: Vec::new(),
        mock: Mock::None,
    };
    let mut provider = None;
    let mut extra_body = None;
    let mut fallback_items = None;
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let key = key.cast::<PyString>()?.to_cow()?.into_owned();
            if value.is_none() || is_litellm_own(&key) {
                continue;
            }
            if set_option(&mut options, &key, &value)? {
                continue;
            }
            match key.as_str() {
                "extra_body" => extra_body = Some(convert::to_value(&value)?),
                "custom_llm_provider" => provider = Some(value.extract::<String>()?),
                "fallbacks" => fallback_items = Some(value),
                "mock_response" => mock(&value, &mut options, &mut call.mock)?,
                // LiteLLM tests `mock_timeout is True`; anything else is no mock.
                "mock_timeout" => {
                    if value.is_instance_of::<pyo3::types::PyBool>() && value.is_truthy()? {
                        call.mock = Mock::Timeout;
                    }
                }
                "response_format" => {
                    body.insert(key, response_format(&value)?);
                }
                _ => {
                    body.insert(key, convert::to_value(&value)?);
                }
            }
        }
    }
    if let Some(provider) = provider.filter(|p| !p.is_empty()) {
        if !model.starts_with(&format!("{provider}/")) {
            body.insert("model".into(), Value::String(format!("{provider}/{model}")));
        }
    }
    if let Some(Value::Object(extra)) = extra_body {
        body.extend(extra);
    }
    apply_settings(py, &mut options)?;
    if let Some(items) = fallback_items {
        call.fallbacks = fallbacks(&items, &options)?;
    }
    call.body = body;
    call.options = options;
    Ok(call)
}

/// Reads `key` into `options` when it is a call setting (not a body
/// field); says whether it was one.
fn set_option(options: &mut CallOptions, key: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    match key {
        "api_base" | "base_url" => options.api_base = Some(value.extract()?),
        "api_key" => options.api_key = Some(Secret::new(value.extract::<String>()?)),
        "api_version" => options.api_version = Some(value.extract()?),
        "timeout" | "request_timeout" => options.timeout = Some(duration(value)?),
        "stream_timeout" => options.stream_idle_timeout = Some(duration(value)?),
        "num_retries" | "max_retries" => options.num_retries = Some(value.extract()?),
        "drop_params" => options.drop_params = Some(value.is_truthy()?),
        "extra_headers" | "headers" => options.headers.0.extend(headers(value)?),
        "aws_access_key_id" => options.aws.access_key_id = Some(value.extract()?),
        "aws_secret_access_key" => {
            options.aws.secret_access_key = Some(Secret::new(value.extract::<String>()?))
        }
        "aws_session_token" => {
            options.aws.session_token = Some(Secret::new(value.extract::<String>()?))
        }
        "aws_region_name" => options.aws.region_name = Some(value.extract()?),
        "aws_profile_name" => options.aws.profile_name = Some(value.extract()?),
        "vertex_project" => options.vertex.project = Some(value.extract()?),
        "vertex_location" => options.vertex.location = Some(value.extract()?),
        "vertex_credentials" => {
            options.vertex.credentials = Some(Secret::new(text_or_json(value)?))
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Fills options the call left unset from the module-level settings.
fn apply_settings(py: Python<'_>, options: &mut CallOptions) -> PyResult<()> {
    if options.drop_params.is_none() {
        if let Some(value) = setting(py, "drop_params")? {
            options.drop_params = Some(value.is_truthy()?);
        }
    }
    if options.num_retries.is_none() {
        if let Some(value) = setting(py, "num_retries")? {
            options.num_retries = Some(value.extract()?);
        }
    }
    if options.api_key.is_none() {
        if let Some(value) = setting(py, "api_key")? {
            options.api_key = Some(Secret::new(value.extract::<String>()?));
        }
    }
    if options.api_base.is_none() {
        if let Some(value) = setting(py, "api_base")? {
            options.api_base = Some(value.extract()?);
        }
    }
    if options.timeout.is_none() {
        if let Some(value) = setting(py, "request_timeout")? {
            options.timeout = Some(duration(&value)?);
        }
    }
    Ok(())
}

/// Seconds (int, float, numeric string, or an object with a `read` or
/// `timeout` attribute such as `httpx.Timeout`) as a duration.
fn duration(value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let seconds: f64 = if let Ok(s) = value.cast::<PyString>() {
        s.to_cow()?
            .trim()
            .parse()
            .map_err(|_| value_error(format!("timeout `{s}` is not a number of seconds")))?
    } else if let Ok(f) = value.extract::<f64>() {
        f
    } else {
        let inner = ["read", "timeout"]
            .iter()
            .find_map(|name| value.getattr(*name).ok().filter(|v| !v.is_none()));
        match inner {
            Some(inner) => inner.extract()?,
            None => return Err(value_error("timeout must be a number of seconds")),
        }
    };
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            value_error(format!(
                "timeout must be a positive number of seconds, not {seconds}"
            ))
        })
}

/// A string as is; anything else (a credentials dict) as JSON text.
fn text_or_json(value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Ok(convert::to_value(value)?.to_string()),
    }
}

fn headers(value: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let dict = value
        .cast::<PyDict>()
        .map_err(|_| value_error("extra_headers must be a dict of strings"))?;
    dict.iter()
        .map(|(k, v)| {
            Ok((
                k.str()?.to_cow()?.into_owned(),
                v.str()?.to_cow()?.into_owned(),
            ))
        })
        .collect()
}

/// LiteLLM's `fallbacks`: model names, or dicts naming a `model` and the
/// settings that differ for it. As in LiteLLM, a fallback is called with
/// the call's own settings (its `api_key`, `api_base`...), a dict's keys
/// replacing them.
fn fallbacks(value: &Bound<'_, PyAny>, call: &CallOptions) -> PyResult<Vec<Fallback>> {
    let mut list = Vec::new();
    for item in value.try_iter()? {
        let item = item?;
        if let Ok(name) = item.extract::<String>() {
            list.push(Fallback {
                model: name,
                options: Some(call.clone()),
            });
        } else if let Ok(dict) = item.cast::<PyDict>() {
            let Some(model) = dict.get_item("model")? else {
                continue;
            };
            let mut options = call.clone();
            for (key, v) in dict.iter() {
                let key = key.str()?.to_cow()?.into_owned();
                if key != "model" && !v.is_none() {
                    set_option(&mut options, &key, &v)?;
                }
            }
            list.push(Fallback {
                model: model.extract()?,
                options: Some(options),
            });
        } else {
            return Err(value_error(
                "fallbacks must be model names or dicts with a `model`",
            ));
        }
    }
    Ok(list)
}

fn mock(value: &Bound<'_, PyAny>, options: &mut CallOptions, out: &mut Mock) -> PyResult<()> {
    if let Ok(text) = value.cast::<PyString>() {
        options.mock_response = Some(text.to_cow()?.into_owned());
    } else if value.is_instance_of::<pyo3::exceptions::PyBaseException>() {
        *out = Mock::Raise(PyErr::from_value(value.clone()));
    } else if value.is_instance_of::<OpenAIObject>() || value.is_instance_of::<PyDict>() {
        *out = Mock::Object(value.clone().unbind());
    } else if value.is_instance_of::<pyo3::types::PyList>() {
        *out = Mock::Vector(convert::to_value(value)?);
    } else {
        options.mock_response = Some(value.str()?.to_cow()?.into_owned());
    }
    Ok(())
}

/// `response_format`: a dict, or a pydantic model class (LiteLLM turns it
/// into a strict `json_schema` format).
fn response_format(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if value.is_instance_of::<PyType>() && value.hasattr("model_json_schema")? {
        let schema = convert::to_value(&value.call_method0("model_json_schema")?)?;
        let name = value.getattr("__name__")?.extract::<String>()?;
        let mut json_schema = Map::new();
        json_schema.insert("name".into(), Value::String(name));
        json_schema.insert("schema".into(), strict_schema(schema));
        json_schema.insert("strict".into(), Value::Bool(true));
        let mut format = Map::new();
        format.insert("type".into(), Value::String("json_schema".into()));
        format.insert("json_schema".into(), Value::Object(json_schema));
        return Ok(Value::Object(format));
    }
    convert::to_value(value)
}

/// What OpenAI's strict mode requires of a schema: every object closed
/// (`additionalProperties: false`) and every property required.
fn strict_schema(mut schema: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some("object") {
                    map.entry("additionalProperties")
                        .or_insert(Value::Bool(false));
                    if let Some(Value::Object(props)) = map.get("properties") {
                        let names = props.keys().cloned().map(Value::String).collect();
                        map.insert("required".into(), Value::Array(names));
                    }
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut schema);
    schema
}
