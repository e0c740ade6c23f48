//! `completion`, `acompletion`, `embedding`, `aembedding`.
//!
//! A call is parsed with the GIL held (Python values -> JSON -> the SDK's
//! request), then runs with the GIL released: on the calling thread for
//! blocking calls (waking to let Ctrl-C through), on the runtime for async
//! ones. A `mock_response` call never starts the runtime.

use llmrelay::{CallOptions, ChatRequest, ChatResponse, Client, EmbeddingRequest, Error};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::catalog::ensure_overrides;
use crate::errors::{self, IntoPyResult};
use crate::params::{self, Call, Mock};
use crate::response::{self, Meta, Outcome, Ready};
use crate::runtime;
use crate::stream::CustomStreamWrapper;

/// A chat call ready to run.
struct Chat {
    request: ChatRequest,
    options: CallOptions,
    fallbacks: Vec<String>,
    local: bool,
}

/// What a chat call gives before any I/O: a prepared call, or the object or
/// exception `mock_response` asked for.
enum Prepared {
    Run(Box<Chat>),
    Done(PyResult<Py<PyAny>>),
}

fn prepare(
    py: Python<'_>,
    model: &str,
    messages: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Prepared> {
    ensure_overrides()?;
    let call = params::parse(py, model, ("messages", messages), kwargs)?;
    let local = call.is_local();
    let Call {
        body,
        options,
        fallbacks,
        mock,
    } = call;
    match mock {
        Mock::Raise(err) => return Ok(Prepared::Done(Err(err))),
        Mock::Object(obj) => return Ok(Prepared::Done(Ok(mock_object(py, obj)?))),
        Mock::Vector(_) | Mock::None => {}
    }
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or(model)
        .to_owned();
    let request: ChatRequest = serde_json::from_value(Value::Object(body))
        .map_err(|e| errors::bad_request(py, &model, &format!("invalid request: {e}")))?;
    Ok(Prepared::Run(Box::new(Chat {
        request,
        options,
        fallbacks,
        local,
    })))
}

/// A response given as the mock: returned as a `ModelResponse`.
fn mock_object(py: Python<'_>, obj: Py<PyAny>) -> PyResult<Py<PyAny>> {
    let bound = obj.bind(py);
    if bound.is_instance_of::<crate::objects::OpenAIObject>() {
        return Ok(obj);
    }
    match crate::convert::to_value(bound)? {
        Value::Object(map) => {
            Ok(crate::objects::build(py, crate::objects::Kind::ModelResponse, &map)?.unbind())
        }
        _ => Err(errors::value_error(
            "mock_response must be a text, a response or an exception",
        )),
    }
}

/// The first model that answers, trying `fallbacks` after `request.model`
/// (the SDK's fallback loop), and the model whose answer or error it is.
async fn complete(
    client: Client,
    request: ChatRequest,
    options: CallOptions,
    fallbacks: Vec<String>,
) -> (Result<ChatResponse, Error>, String) {
    let last = fallbacks
        .last()
        .cloned()
        .unwrap_or_else(|| request.model.clone());
    match client
        .completion_with_fallbacks(request, &options, &fallbacks)
        .await
    {
        Ok((response, model)) => (Ok(response), model),
        Err(err) => (Err(err), last),
    }
}

/// Opens a stream on the first model that answers (fallbacks apply until
/// the stream is open; after that, errors reach the iterator).
async fn open_stream(
    client: Client,
    request: ChatRequest,
    options: CallOptions,
    fallbacks: Vec<String>,
) -> (Result<llmrelay::ChatStream, Error>, String) {
    let last = fallbacks
        .last()
        .cloned()
        .unwrap_or_else(|| request.model.clone());
    match client
        .completion_stream_with_fallbacks(request, &options, &fallbacks)
        .await
    {
        Ok((stream, model)) => (Ok(stream), model),
        Err(err) => (Err(err), last),
    }
}

/// LiteLLM's `completion`: a `ModelResponse`, or a `CustomStreamWrapper`
/// with `stream=True`.
#[pyfunction]
#[pyo3(signature = (model, messages=None, **kwargs))]
pub(crate) fn completion(
    py: Python<'_>,
    model: &str,
    messages: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let chat = match prepare(py, model, messages, kwargs)? {
        Prepared::Done(result) => return result,
        Prepared::Run(chat) => *chat,
    };
    let client = runtime::client();
    let api_base = chat.options.api_base.clone();
    if chat.request.is_stream() {
        let (result, model) = runtime::run(
            py,
            chat.local,
            open_stream(client, chat.request, chat.options, chat.fallbacks),
        )?;
        let stream = result.py_err(py)?;
        let wrapper =
            CustomStreamWrapper::new(stream, chat.local, Meta::new(&model, api_base.as_deref()));
        return Ok(Bound::new(py, wrapper)?.into_any().unbind());
    }
    let (result, model) = runtime::run(
        py,
        chat.local,
        complete(client, chat.request, chat.options, chat.fallbacks),
    )?;
    let response = result.py_err(py)?;
    Ok(response::chat(py, &response, &Meta::new(&model, api_base.as_deref()))?.unbind())
}

/// The awaitable behind `acompletion` (an `async def` in the package wraps it).
#[pyfunction]
#[pyo3(signature = (model, messages=None, **kwargs))]
pub(crate) fn _acompletion<'py>(
    py: Python<'py>,
    model: &str,
    messages: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let chat = match prepare(py, model, messages, kwargs)? {
        Prepared::Done(result) => return Ok(Bound::new(py, Ready::new(result))?.into_any()),
        Prepared::Run(chat) => *chat,
    };
    if chat.local {
        let result = completion_local(py, chat);
        return Ok(Bound::new(py, Ready::new(result))?.into_any());
    }
    let client = runtime::client();
    let api_base = chat.options.api_base.clone();
    let stream = chat.request.is_stream();
    runtime::awaitable(py, async move {
        if stream {
            let (result, model) =
                open_stream(client, chat.request, chat.options, chat.fallbacks).await;
            let meta = Meta::new(&model, api_base.as_deref());
            return Ok(match result {
                Ok(s) => Outcome::Stream(CustomStreamWrapper::new(s, false, meta)),
                Err(err) => Outcome::Failed(err),
            });
        }
        let (result, model) = complete(client, chat.request, chat.options, chat.fallbacks).await;
        let meta = Meta::new(&model, api_base.as_deref());
        Ok(match result {
            Ok(response) => Outcome::Chat(Box::new(response), meta),
            Err(err) => Outcome::Failed(err),
        })
    })
}

/// A mock chat call, answered on the calling thread.
fn completion_local(py: Python<'_>, chat: Chat) -> PyResult<Py<PyAny>> {
    let client = runtime::client();
    let api_base = chat.options.api_base.clone();
    if chat.request.is_stream() {
        let (result, model) = runtime::run_local(
            py,
            open_stream(client, chat.request, chat.options, chat.fallbacks),
        )?;
        let wrapper = CustomStreamWrapper::new(
            result.py_err(py)?,
            true,
            Meta::new(&model, api_base.as_deref()),
        );
        return Ok(Bound::new(py, wrapper)?.into_any().unbind());
    }
    let (result, model) = runtime::run_local(
        py,
        complete(client, chat.request, chat.options, chat.fallbacks),
    )?;
    Ok(response::chat(
        py,
        &result.py_err(py)?,
        &Meta::new(&model, api_base.as_deref()),
    )?
    .unbind())
}

/// An embedding call ready to run, or its mock answer.
enum PreparedEmbedding {
    Run(Box<(EmbeddingRequest, CallOptions)>),
    Done(PyResult<Py<PyAny>>),
}

fn prepare_embedding(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PreparedEmbedding> {
    ensure_overrides()?;
    let call = params::parse(py, model, ("input", input), kwargs)?;
    let meta = Meta::new(call.model(), call.options.api_base.as_deref());
    let model = call.model().to_owned();
    let mock_vector = match call.mock {
        Mock::Raise(err) => return Ok(PreparedEmbedding::Done(Err(err))),
        Mock::Object(obj) => return Ok(PreparedEmbedding::Done(Ok(obj))),
        Mock::Vector(v) => Some(
            serde_json::from_value(v)
                .map_err(|e| errors::value_error(format!("mock_response vector: {e}")))?,
        ),
        Mock::None => None,
    };
    // The SDK owns LiteLLM's embedding mock (an exception name raises it).
    let mocked = match (call.options.mock_response.as_deref(), mock_vector) {
        (None, None) => None,
        (text, vector) => Some(llmrelay::mock_embedding(&model, text, vector)),
    };
    if let Some(mocked) = mocked {
        return Ok(PreparedEmbedding::Done(match mocked {
            Ok(response) => response::embedding(py, &response, &meta).map(Bound::unbind),
            Err(err) => Err(errors::to_py(py, err)),
        }));
    }
    let request: EmbeddingRequest = serde_json::from_value(Value::Object(call.body))
        .map_err(|e| errors::bad_request(py, &model, &format!("invalid request: {e}")))?;
    Ok(PreparedEmbedding::Run(Box::new((request, call.options))))
}

/// LiteLLM's `embedding`: an `EmbeddingResponse`.
#[pyfunction]
#[pyo3(signature = (model, input=None, **kwargs))]
pub(crate) fn embedding(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let (request, options) = match prepare_embedding(py, model, input, kwargs)? {
        PreparedEmbedding::Done(result) => return result,
        PreparedEmbedding::Run(call) => *call,
    };
    let meta = Meta::new(&request.model, options.api_base.as_deref());
    let client = runtime::client();
    let response = runtime::block_on(py, async move { client.embedding(request, &options).await })?
        .py_err(py)?;
    Ok(response::embedding(py, &response, &meta)?.unbind())
}

/// The awaitable behind `aembedding`.
#[pyfunction]
#[pyo3(signature = (model, input=None, **kwargs))]
pub(crate) fn _aembedding<'py>(
    py: Python<'py>,
    model: &str,
    input: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (request, options) = match prepare_embedding(py, model, input, kwargs)? {
        PreparedEmbedding::Done(result) => {
            return Ok(Bound::new(py, Ready::new(result))?.into_any())
        }
        PreparedEmbedding::Run(call) => *call,
    };
    let meta = Meta::new(&request.model, options.api_base.as_deref());
    let client = runtime::client();
    runtime::awaitable(py, async move {
        Ok(match client.embedding(request, &options).await {
            Ok(response) => Outcome::Embedding(Box::new(response), meta),
            Err(err) => Outcome::Failed(err),
        })
    })
}
