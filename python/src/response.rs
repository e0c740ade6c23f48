//! SDK results -> response objects with LiteLLM's `_hidden_params`.

use llmrelay::{ChatChunk, ChatResponse, EmbeddingResponse};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::errors;
use crate::objects::{self, Kind};

/// Where a call went, for `_hidden_params`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    /// The model asked for (or the fallback that answered).
    pub model: String,
    /// The provider slug it resolved to.
    pub provider: Option<String>,
    /// The API base given for the call.
    pub api_base: Option<String>,
    /// How the router (or the plain call's fallbacks) got the answer.
    pub route: Option<Box<RouteFacts>>,
}

/// What `_hidden_params` says about routing, with LiteLLM's keys: the
/// deployment's `model_id`, and in `additional_headers` the
/// `x-litellm-model-group`, `x-litellm-attempted-retries` and
/// `x-litellm-attempted-fallbacks` its proxy sends as headers.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteFacts {
    /// `model_info.id` of the deployment (a `Router` call only).
    pub model_id: Option<String>,
    /// The group that answered (a `Router` call only).
    pub model_group: Option<String>,
    /// Retries over every group tried (a `Router` call only).
    pub attempted_retries: Option<u32>,
    /// Fallbacks tried, the answering one included.
    pub attempted_fallbacks: u32,
}

impl RouteFacts {
    /// The facts of a `Router` call.
    pub(crate) fn of_router<T>(routed: &llmrelay_router::Routed<T>) -> RouteFacts {
        RouteFacts {
            model_id: Some(routed.deployment_id.clone()),
            model_group: Some(routed.model_group.clone()),
            attempted_retries: Some(routed.attempted_retries),
            attempted_fallbacks: routed.attempted_fallbacks,
        }
    }

    /// The facts of a plain `completion(..., fallbacks=[...])` call (LiteLLM
    /// reports only the fallbacks there).
    pub(crate) fn of_plain<T>(routed: &llmrelay_router::Routed<T>) -> RouteFacts {
        RouteFacts {
            attempted_fallbacks: routed.attempted_fallbacks,
            ..RouteFacts::default()
        }
    }
}

impl Meta {
    pub(crate) fn new(model: &str, api_base: Option<&str>) -> Meta {
        Meta {
            model: model.to_owned(),
            provider: llmrelay::get_llm_provider(model)
                .ok()
                .map(|r| r.provider.to_owned()),
            api_base: api_base.map(str::to_owned),
            route: None,
        }
    }

    /// A routed answer and where it went: the model the deployment was
    /// sent, its `api_base`, and the routing facts `facts` picks.
    pub(crate) fn routed<T>(
        routed: llmrelay_router::Routed<T>,
        facts: fn(&llmrelay_router::Routed<T>) -> RouteFacts,
    ) -> (T, Meta) {
        let mut meta = Meta::new(&routed.model, routed.api_base.as_deref());
        meta.route = Some(Box::new(facts(&routed)));
        (routed.value, meta)
    }

    pub(crate) fn hidden<'py>(
        &self,
        py: Python<'py>,
        cost: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let hidden = PyDict::new(py);
        hidden.set_item("custom_llm_provider", self.provider.as_deref())?;
        hidden.set_item("api_base", self.api_base.as_deref())?;
        let headers = PyDict::new(py);
        match self.route.as_deref() {
            Some(route) => {
                hidden.set_item("model_id", route.model_id.as_deref())?;
                if let Some(group) = &route.model_group {
                    headers.set_item("x-litellm-model-group", group)?;
                }
                if let Some(retries) = route.attempted_retries {
                    headers.set_item("x-litellm-attempted-retries", retries)?;
                }
                headers.set_item("x-litellm-attempted-fallbacks", route.attempted_fallbacks)?;
            }
            None => hidden.set_item("model_id", py.None())?,
        }
        hidden.set_item("response_cost", cost)?;
        hidden.set_item("additional_headers", headers)?;
        hidden.set_item("litellm_model_name", &self.model)?;
        Ok(hidden)
    }
}

fn object_of<'py, T: serde::Serialize>(
    py: Python<'py>,
    kind: Kind,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => objects::build(py, kind, &map),
        Ok(_) => Err(errors::value_error("response is not a JSON object")),
        Err(e) => Err(errors::value_error(e.to_string())),
    }
}

/// A `ModelResponse` for a chat response.
pub(crate) fn chat<'py>(
    py: Python<'py>,
    response: &ChatResponse,
    meta: &Meta,
) -> PyResult<Bound<'py, PyAny>> {
    let obj = object_of(py, Kind::ModelResponse, response)?;
    objects::set_hidden(&obj, &meta.hidden(py, response.cost)?)?;
    Ok(obj)
}

/// A `ModelResponseStream` for a chunk. The chunk carrying the usage ends
/// the call as LiteLLM's does: the call's cost in `usage.cost` and
/// `_hidden_params["response_cost"]`, and `completion_tokens_details`
/// filled in when the provider sent none.
pub(crate) fn chunk<'py>(
    py: Python<'py>,
    chunk: &ChatChunk,
    meta: &Meta,
) -> PyResult<Bound<'py, PyAny>> {
    let mut map = match serde_json::to_value(chunk) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(errors::value_error("chunk is not a JSON object")),
        Err(e) => return Err(errors::value_error(e.to_string())),
    };
    if let Some(Value::Object(usage)) = map.get_mut("usage") {
        fill_completion_details(usage);
        if let Some(cost) = chunk.cost {
            usage.insert("cost".into(), Value::from(cost));
        }
    }
    let obj = objects::build(py, Kind::ModelResponseStream, &map)?;
    objects::set_hidden(&obj, &meta.hidden(py, chunk.cost)?)?;
    Ok(obj)
}

/// LiteLLM's `completion_tokens_details` of a streamed call whose provider
/// sent none: no reasoning, every completion token text.
fn fill_completion_details(usage: &mut Map<String, Value>) {
    if usage
        .get("completion_tokens_details")
        .is_some_and(|d| !d.is_null())
    {
        return;
    }
    let text = usage
        .get("completion_tokens")
        .cloned()
        .unwrap_or(Value::from(0));
    let mut details = Map::new();
    for key in [
        "accepted_prediction_tokens",
        "audio_tokens",
        "rejected_prediction_tokens",
        "image_tokens",
        "video_tokens",
    ] {
        details.insert(key.into(), Value::Null);
    }
    details.insert("reasoning_tokens".into(), Value::from(0));
    details.insert("text_tokens".into(), text);
    usage.insert("completion_tokens_details".into(), Value::Object(details));
}

/// An `EmbeddingResponse`; its usage gets LiteLLM's `completion_tokens: 0`.
pub(crate) fn embedding<'py>(
    py: Python<'py>,
    response: &EmbeddingResponse,
    meta: &Meta,
) -> PyResult<Bound<'py, PyAny>> {
    // Through JSON text, so f32 vectors read back as the short decimals the
    // provider sent rather than their widened f64 expansions.
    let text = serde_json::to_string(response).map_err(|e| errors::value_error(e.to_string()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| errors::value_error(e.to_string()))?;
    let obj = object_of(py, Kind::EmbeddingResponse, &value)?;
    objects::set_hidden(&obj, &meta.hidden(py, response.cost)?)?;
    Ok(obj)
}

/// What an async call hands back to asyncio, converted once the GIL is held
/// (an SDK error becomes its exception there).
pub(crate) enum Outcome {
    Chat(Box<ChatResponse>, Meta),
    Stream(crate::stream::CustomStreamWrapper),
    Embedding(Box<EmbeddingResponse>, Meta),
    /// The next chunk of an async stream; `None` at the end.
    Chunk(Option<Box<ChatChunk>>, Meta),
    Failed(llmrelay::Error),
}

impl<'py> IntoPyObject<'py> for Outcome {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self {
            Outcome::Chat(response, meta) => chat(py, &response, &meta),
            Outcome::Stream(stream) => Ok(Bound::new(py, stream)?.into_any()),
            Outcome::Embedding(response, meta) => embedding(py, &response, &meta),
            Outcome::Chunk(Some(c), meta) => chunk(py, &c, &meta),
            Outcome::Chunk(None, _) => Err(PyStopAsyncIteration::new_err(())),
            Outcome::Failed(err) => Err(errors::to_py(py, err)),
        }
    }
}

/// An awaitable that is already done: `await` gives its value (or raises)
/// without an event-loop round trip or the runtime (mock calls).
#[pyclass(module = "llmrelay")]
pub(crate) struct Ready {
    value: Option<PyResult<Py<PyAny>>>,
}

impl Ready {
    pub(crate) fn new(value: PyResult<Py<PyAny>>) -> Ready {
        Ready { value: Some(value) }
    }
}

#[pymethods]
impl Ready {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> PyResult<Py<PyAny>> {
        match self.value.take() {
            Some(Ok(value)) => Err(PyStopIteration::new_err((value,))),
            Some(Err(err)) => Err(err),
            None => Err(PyStopIteration::new_err(())),
        }
    }

    #[pyo3(signature = (_value=None))]
    fn send(&mut self, _value: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        self.__next__()
    }

    #[pyo3(signature = (error, _value=None, _traceback=None))]
    fn throw(
        &mut self,
        error: Bound<'_, PyAny>,
        _value: Option<Py<PyAny>>,
        _traceback: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.value = None;
        if error.is_instance_of::<pyo3::types::PyType>() {
            return Err(PyErr::from_value(error.call0()?));
        }
        Err(PyErr::from_value(error))
    }

    fn close(&mut self) {
        self.value = None;
    }
}
