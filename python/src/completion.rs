//! `completion`, `acompletion`, `embedding`, `aembedding`, and the parsing
//! of a call that `Router`'s methods share.
//!
//! A call is parsed with the GIL held (Python values -> JSON -> the SDK's
//! request), then runs with the GIL released (see [`crate::dispatch`]). A
//! `mock_response` call never starts the runtime.

use std::time::Duration;

use llmrelay::{CallOptions, ChatRequest, ChatResponse, ChatStream, Client, EmbeddingRequest};
use llmrelay::{EmbeddingResponse, Error};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::catalog::ensure_overrides;
use crate::dispatch::{self, mock_timeout_error, Chat, ChatTarget, EmbeddingTarget};
use crate::dispatch::{Prepared, PreparedEmbedding};
use crate::errors;
use crate::params::{self, Call, Mock};
use crate::response::{self, Meta, RouteFacts};
use crate::runtime;

/// How long `mock_timeout` waits when the call sets no timeout: LiteLLM's
/// default `request_timeout` (6,000 s).
const DEFAULT_MOCK_TIMEOUT: Duration = Duration::from_secs(6_000);

/// Parses a chat call: the request, or what its mock asks for.
pub(crate) fn prepare(
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
        Mock::Timeout => {
            return Ok(Prepared::TimeOut {
                after: options.timeout.unwrap_or(DEFAULT_MOCK_TIMEOUT),
                model: model.to_owned(),
            })
        }
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

/// The plain calls' target: the SDK client, with the router's plain
/// fallback loop when the call gives `fallbacks`.
pub(crate) struct Plain(pub(crate) Client);

impl ChatTarget for Plain {
    /// The answer of `request.model`, or with `fallbacks` of the first model
    /// that answers (the loop `Router` runs), and where it came from.
    fn answer(
        self,
        chat: Chat,
    ) -> impl std::future::Future<Output = Result<(ChatResponse, Meta), Error>> + Send + 'static
    {
        let Plain(client) = self;
        async move {
            if chat.fallbacks.is_empty() {
                let meta = chat.plain_meta();
                return Ok((client.completion(chat.request, &chat.options).await?, meta));
            }
            let routed = llmrelay_router::completion_with_fallbacks(
                &client,
                chat.request,
                &chat.options,
                &chat.fallbacks,
            )
            .await?;
            Ok(Meta::routed(routed, RouteFacts::of_plain))
        }
    }

    /// Opens a stream on the first model that answers: with fallbacks,
    /// nothing reaches the caller before the first content, so a model that
    /// errors before it gives way to the next unseen.
    fn stream(
        self,
        chat: Chat,
    ) -> impl std::future::Future<Output = Result<(ChatStream, Meta), Error>> + Send + 'static {
        let Plain(client) = self;
        async move {
            if chat.fallbacks.is_empty() {
                let meta = chat.plain_meta();
                let stream = client
                    .completion_stream(chat.request, &chat.options)
                    .await?;
                return Ok((stream, meta));
            }
            let routed = llmrelay_router::completion_stream_with_fallbacks(
                &client,
                chat.request,
                &chat.options,
                &chat.fallbacks,
            )
            .await?;
            Ok(Meta::routed(routed, RouteFacts::of_plain))
        }
    }
}

impl EmbeddingTarget for Plain {
    fn embed(
        self,
        request: EmbeddingRequest,
        options: CallOptions,
    ) -> impl std::future::Future<Output = Result<(EmbeddingResponse, Meta), Error>> + Send + 'static
    {
        let Plain(client) = self;
        async move {
            let meta = Meta::new(&request.model, options.api_base.as_deref());
            Ok((client.embedding(request, &options).await?, meta))
        }
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
    let prepared = prepare(py, model, messages, kwargs)?;
    dispatch::chat_blocking(py, prepared, Plain(runtime::client()))
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
    let prepared = prepare(py, model, messages, kwargs)?;
    dispatch::chat_awaitable(py, prepared, Plain(runtime::client()))
}

/// Parses an embedding call: the request, or its mock answer. A router
/// (`mock_text_locally` false) answers a text mock through its deployments,
/// so the answer says which one.
pub(crate) fn prepare_embedding(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
    mock_text_locally: bool,
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
        // Only chat calls wait out the timeout (as LiteLLM's mock completion does).
        Mock::Timeout => {
            return Ok(PreparedEmbedding::Done(Err(errors::to_py(
                py,
                mock_timeout_error(&model),
            ))))
        }
        Mock::None => None,
    };
    // The SDK owns LiteLLM's embedding mock (an exception name raises it).
    let mocked = match (call.options.mock_response.as_deref(), mock_vector) {
        (None, None) => None,
        (Some(_), None) if !mock_text_locally => None,
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
    let prepared = prepare_embedding(py, model, input, kwargs, true)?;
    dispatch::embedding_blocking(py, prepared, Plain(runtime::client()))
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
    let prepared = prepare_embedding(py, model, input, kwargs, true)?;
    dispatch::embedding_awaitable(py, prepared, Plain(runtime::client()))
}
