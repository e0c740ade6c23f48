//! `responses` / `aresponses`: OpenAI's Responses API in front of every
//! provider's chat. The request is read with llmrelay-ingress's translation
//! (the one the gateway's `/v1/responses` runs), answered by the SDK's chat
//! (so `mock_response`, fallbacks and every provider work as in
//! `completion`), and the answer translated back: a `ResponsesAPIResponse`,
//! or with `stream=True` an iterator of `response.*` events
//! (`BaseResponsesStreamEvent`), sync and async.
//!
//! OpenAI models are translated too rather than sent to OpenAI's own
//! `/v1/responses`: one path for every provider, and no state kept upstream
//! (`previous_response_id` is refused, as on the gateway).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use llmrelay::types::StreamOptions;
use llmrelay::{ChatResponse, ChatStream, Error};
use llmrelay_ingress::responses::{from_chat, to_chat, ResponsesEncoder, ResponsesRequest};
use llmrelay_ingress::{new_id, IngressError};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use crate::catalog::ensure_overrides;
use crate::completion::Plain;
use crate::dispatch::{mock_timeout_error, Chat, ChatTarget};
use crate::errors::{self, IntoPyResult};
use crate::objects::{self, Kind};
use crate::params::{self, Mock};
use crate::response::{Meta, Ready};
use crate::runtime;

/// A parsed call: the chat it stands for, or what its mock gives.
enum Prepared {
    Run(Box<Chat>),
    Done(PyResult<Py<PyAny>>),
}

/// LiteLLM's `BadRequestError` for a request the translation refuses.
fn refused(py: Python<'_>, model: &str, err: IngressError) -> PyErr {
    let message = match &err.param {
        Some(param) => format!("{} (param: {param})", err.message),
        None => err.message,
    };
    errors::bad_request(py, model, &message)
}

fn prepare(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Prepared> {
    ensure_overrides()?;
    if input.is_none_or(|i| i.is_none()) {
        return Err(errors::bad_request(py, model, "`input` is required"));
    }
    let call = params::parse(py, model, ("input", input), kwargs)?;
    let local = call.is_local();
    match call.mock {
        Mock::Raise(err) => return Ok(Prepared::Done(Err(err))),
        Mock::Object(obj) => return Ok(Prepared::Done(Ok(obj))),
        Mock::Timeout => {
            let err = mock_timeout_error(model);
            return Ok(Prepared::Done(Err(errors::to_py(py, err))));
        }
        Mock::Vector(_) | Mock::None => {}
    }
    let model = call.model().to_owned();
    let mut body = call.body;
    text_format(&mut body);
    let request: ResponsesRequest = llmrelay_ingress::decode(Value::Object(body), "responses")
        .map_err(|e| refused(py, &model, e))?;
    let mut request = to_chat(request).map_err(|e| refused(py, &model, e))?;
    if request.is_stream() {
        // `response.completed` carries the usage, so the stream must end with it.
        request.stream_options = Some(StreamOptions {
            include_usage: Some(true),
            extra: Map::new(),
        });
    }
    Ok(Prepared::Run(Box::new(Chat {
        request,
        options: call.options,
        fallbacks: call.fallbacks,
        local,
    })))
}

/// LiteLLM's `text_format` (a pydantic model or a JSON schema format; the
/// package passes it as `response_format`, which the parameter parser turns
/// into chat's `json_schema` format): the `text.format` it stands for,
/// unless the call gives `text` itself.
fn text_format(body: &mut Map<String, Value>) {
    let Some(format) = body.remove("response_format") else {
        return;
    };
    if body.contains_key("text") {
        return;
    }
    let text = match format {
        Value::Object(mut format) => match format.remove("json_schema") {
            Some(Value::Object(mut schema)) => {
                schema.insert("type".into(), Value::String("json_schema".into()));
                Value::Object(schema)
            }
            _ => Value::Object(format),
        },
        other => other,
    };
    let mut wrapper = Map::new();
    wrapper.insert("format".into(), text);
    body.insert("text".into(), Value::Object(wrapper));
}

/// The `ResponsesAPIResponse` of a chat answer, with `_hidden_params`.
fn response_object<'py>(
    py: Python<'py>,
    response: &ChatResponse,
    meta: &Meta,
) -> PyResult<Bound<'py, PyAny>> {
    let value = from_chat(response, &meta.model, &new_id("resp_"));
    let obj = match value {
        Value::Object(map) => objects::build(py, Kind::ResponsesAPIResponse, &map)?,
        _ => return Err(errors::value_error("response is not a JSON object")),
    };
    objects::set_hidden(&obj, &meta.hidden(py, response.cost)?)?;
    Ok(obj)
}

/// LiteLLM's `responses`: a `ResponsesAPIResponse`, or with `stream=True` an
/// iterator of `response.*` events.
#[pyfunction]
#[pyo3(signature = (model, input=None, **kwargs))]
pub(crate) fn responses(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let chat = match prepare(py, model, input, kwargs)? {
        Prepared::Done(result) => return result,
        Prepared::Run(chat) => *chat,
    };
    let local = chat.local;
    let target = Plain(runtime::client());
    if chat.request.is_stream() {
        let (stream, meta) = runtime::run(py, local, target.stream(chat))?.py_err(py)?;
        let events = ResponsesStream::new(stream, local, meta);
        return Ok(Bound::new(py, events)?.into_any().unbind());
    }
    let (response, meta) = runtime::run(py, local, target.answer(chat))?.py_err(py)?;
    Ok(response_object(py, &response, &meta)?.unbind())
}

/// What an async call gives back once the GIL is held.
enum Outcome {
    Response(Box<ChatResponse>, Meta),
    Stream(ResponsesStream),
    Failed(Error),
}

impl<'py> IntoPyObject<'py> for Outcome {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self {
            Outcome::Response(response, meta) => response_object(py, &response, &meta),
            Outcome::Stream(stream) => Ok(Bound::new(py, stream)?.into_any()),
            Outcome::Failed(err) => Err(errors::to_py(py, err)),
        }
    }
}

/// The awaitable behind `aresponses`.
#[pyfunction]
#[pyo3(signature = (model, input=None, **kwargs))]
pub(crate) fn _aresponses<'py>(
    py: Python<'py>,
    model: &str,
    input: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let chat = match prepare(py, model, input, kwargs)? {
        Prepared::Done(result) => return Ok(Bound::new(py, Ready::new(result))?.into_any()),
        Prepared::Run(chat) => *chat,
    };
    if chat.local {
        // A mock: answered on this thread, handed back already done.
        let stream = chat.request.is_stream();
        let target = Plain(runtime::client());
        let result = if stream {
            runtime::run_local(py, target.stream(chat))?
                .py_err(py)
                .and_then(|(s, meta)| {
                    let events = ResponsesStream::new(s, true, meta);
                    Ok(Bound::new(py, events)?.into_any().unbind())
                })
        } else {
            runtime::run_local(py, target.answer(chat))?
                .py_err(py)
                .and_then(|(r, meta)| Ok(response_object(py, &r, &meta)?.unbind()))
        };
        return Ok(Bound::new(py, Ready::new(result))?.into_any());
    }
    let target = Plain(runtime::client());
    runtime::awaitable(py, async move {
        if chat.request.is_stream() {
            return Ok(match target.stream(chat).await {
                Ok((s, meta)) => Outcome::Stream(ResponsesStream::new(s, false, meta)),
                Err(err) => Outcome::Failed(err),
            });
        }
        Ok(match target.answer(chat).await {
            Ok((response, meta)) => Outcome::Response(Box::new(response), meta),
            Err(err) => Outcome::Failed(err),
        })
    })
}

/// A chat stream being re-encoded as `response.*` events.
struct Events {
    stream: Option<ChatStream>,
    encoder: ResponsesEncoder,
    /// Events encoded but not yet handed out.
    pending: VecDeque<Value>,
    /// The cost of the call, once its usage chunk arrived.
    cost: Option<f64>,
}

/// The next event as JSON and the call's cost so far; `None` at the end.
async fn next_event(events: Arc<Mutex<Events>>) -> Option<Result<(Value, Option<f64>), Error>> {
    let mut events = events.lock().await;
    loop {
        if let Some(event) = events.pending.pop_front() {
            return Some(Ok((event, events.cost)));
        }
        let stream = events.stream.as_mut()?;
        let encoded = match stream.next().await {
            Some(Ok(chunk)) => {
                if chunk.cost.is_some() {
                    events.cost = chunk.cost;
                }
                events.encoder.chunk(&chunk)
            }
            Some(Err(err)) => {
                events.stream = None;
                return Some(Err(err));
            }
            None => {
                events.stream = None;
                events.encoder.finish()
            }
        };
        let parsed = encoded
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(&e.data).ok());
        events.pending.extend(parsed);
    }
}

/// A `BaseResponsesStreamEvent`; `response.completed` (and `.incomplete`)
/// carry the call's cost in `_hidden_params`, as LiteLLM's do.
fn event_object<'py>(
    py: Python<'py>,
    event: Value,
    cost: Option<f64>,
    meta: &Meta,
) -> PyResult<Bound<'py, PyAny>> {
    let Value::Object(map) = event else {
        return Err(errors::value_error("stream event is not a JSON object"));
    };
    let last = matches!(
        map.get("type").and_then(Value::as_str),
        Some("response.completed" | "response.incomplete")
    );
    let obj = objects::build(py, Kind::BaseResponsesStreamEvent, &map)?;
    if last {
        let hidden = meta.hidden(py, cost)?;
        objects::set_hidden(&obj, &hidden)?;
        if let Ok(response) = obj.getattr("response") {
            objects::set_hidden(&response, &hidden)?;
        }
    }
    Ok(obj)
}

/// The iterator `responses(..., stream=True)` returns: `for` and `async for`
/// give `BaseResponsesStreamEvent`s, `response.created` first and
/// `response.completed` last. Closing it closes the connection.
#[pyclass(module = "llmrelay", name = "ResponsesAPIStreamingIterator")]
pub(crate) struct ResponsesStream {
    events: Arc<Mutex<Events>>,
    /// Chunks already in hand (a mock): iterated without the runtime.
    local: bool,
    meta: Meta,
}

impl ResponsesStream {
    fn new(stream: ChatStream, local: bool, meta: Meta) -> Self {
        let created = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let encoder = ResponsesEncoder::new(&meta.model, &new_id("resp_"), created);
        ResponsesStream {
            events: Arc::new(Mutex::new(Events {
                stream: Some(stream),
                encoder,
                pending: VecDeque::new(),
                cost: None,
            })),
            local,
            meta,
        }
    }
}

/// The next event of an async iteration, converted once the GIL is held.
struct NextEvent(Option<Result<(Value, Option<f64>), Error>>, Meta);

impl<'py> IntoPyObject<'py> for NextEvent {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self.0 {
            Some(Ok((event, cost))) => event_object(py, event, cost, &self.1),
            Some(Err(err)) => Err(errors::to_py(py, err)),
            None => Err(PyStopAsyncIteration::new_err(())),
        }
    }
}

#[pymethods]
impl ResponsesStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match runtime::run(py, self.local, next_event(self.events.clone()))? {
            Some(Ok((event, cost))) => Ok(event_object(py, event, cost, &self.meta)?.unbind()),
            Some(Err(err)) => Err(errors::to_py(py, err)),
            None => Err(PyStopIteration::new_err(())),
        }
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let events = self.events.clone();
        let meta = self.meta.clone();
        let fetch = async move { Ok(NextEvent(next_event(events).await, meta)) };
        if self.local {
            let value = runtime::run_local(py, fetch)?
                .and_then(|next: NextEvent| next.into_pyobject(py).map(Bound::unbind));
            return Ok(Bound::new(py, Ready::new(value))?.into_any());
        }
        runtime::awaitable(py, fetch)
    }

    /// Closes the stream (and its connection) early.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let events = self.events.clone();
        runtime::run_local(py, async move {
            let mut events = events.lock().await;
            events.stream = None;
            events.pending.clear();
        })
    }

    /// `close()` for `async with` and async generators.
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.close(py)?;
        Ok(Bound::new(py, Ready::new(Ok(py.None())))?.into_any())
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!("ResponsesAPIStreamingIterator(model={:?})", self.meta.model)
    }
}
