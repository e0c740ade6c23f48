//! How a prepared call runs, whoever answers it: blocking (the GIL released,
//! on the calling thread for mocks) or as an asyncio awaitable, then turned
//! into LiteLLM's response objects. The plain functions (`completion`...)
//! and `Router`'s methods differ only in their [`ChatTarget`] /
//! [`EmbeddingTarget`]: the SDK client, or the router.

use std::future::Future;
use std::time::{Duration, Instant};

use llmrelay::{
    CallOptions, ChatRequest, ChatResponse, ChatStream, EmbeddingRequest, EmbeddingResponse, Error,
    ErrorKind,
};
use pyo3::prelude::*;

use crate::errors::{self, IntoPyResult};
use crate::response::{self, Meta, Outcome, Ready};
use crate::runtime;
use crate::stream::CustomStreamWrapper;
use llmrelay_router::Fallback;

/// A chat call ready to run.
pub(crate) struct Chat {
    pub request: ChatRequest,
    pub options: CallOptions,
    pub fallbacks: Vec<Fallback>,
    /// Answered by a mock: run on the calling thread, without the runtime.
    pub local: bool,
}

impl Chat {
    /// Where an unrouted call goes: the model asked for, the call's `api_base`.
    pub(crate) fn plain_meta(&self) -> Meta {
        Meta::new(&self.request.model, self.options.api_base.as_deref())
    }
}

/// What a chat call gives before any I/O: a prepared call, or the object or
/// exception `mock_response` asked for.
pub(crate) enum Prepared {
    Run(Box<Chat>),
    Done(PyResult<Py<PyAny>>),
    /// `mock_timeout=True`: raise `Timeout` once `after` has passed.
    TimeOut {
        after: Duration,
        model: String,
    },
}

/// Who answers a chat call.
pub(crate) trait ChatTarget: Send + 'static {
    /// The whole response, and where it came from.
    fn answer(
        self,
        chat: Chat,
    ) -> impl Future<Output = Result<(ChatResponse, Meta), Error>> + Send + 'static;

    /// An open stream, and where it came from.
    fn stream(
        self,
        chat: Chat,
    ) -> impl Future<Output = Result<(ChatStream, Meta), Error>> + Send + 'static;
}

/// Who answers an embedding call.
pub(crate) trait EmbeddingTarget: Send + 'static {
    /// The response, and where it came from.
    fn embed(
        self,
        request: EmbeddingRequest,
        options: CallOptions,
    ) -> impl Future<Output = Result<(EmbeddingResponse, Meta), Error>> + Send + 'static;
}

/// The error `mock_timeout` raises, as LiteLLM's (`Timeout`, provider `openai`).
pub(crate) fn mock_timeout_error(model: &str) -> Error {
    Error::new(ErrorKind::Timeout, "This is a mock timeout error")
        .with_model(model)
        .with_provider("openai")
}

/// A chat call, blocking: a `ModelResponse`, or a `CustomStreamWrapper`
/// when the request streams.
pub(crate) fn chat_blocking(
    py: Python<'_>,
    prepared: Prepared,
    target: impl ChatTarget,
) -> PyResult<Py<PyAny>> {
    let chat = match prepared {
        Prepared::Done(result) => return result,
        Prepared::TimeOut { after, model } => {
            // Waited in slices with the GIL released, so Ctrl-C still stops it.
            let deadline = Instant::now() + after;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(errors::to_py(py, mock_timeout_error(&model)));
                }
                py.detach(|| std::thread::sleep(left.min(Duration::from_millis(100))));
                py.check_signals()?;
            }
        }
        Prepared::Run(chat) => *chat,
    };
    let local = chat.local;
    if chat.request.is_stream() {
        let (stream, meta) = runtime::run(py, local, target.stream(chat))?.py_err(py)?;
        let wrapper = CustomStreamWrapper::new(stream, local, meta);
        return Ok(Bound::new(py, wrapper)?.into_any().unbind());
    }
    let (response, meta) = runtime::run(py, local, target.answer(chat))?.py_err(py)?;
    Ok(response::chat(py, &response, &meta)?.unbind())
}

/// A chat call as an awaitable; mocks are answered at once (an awaitable
/// already done), the rest run on the runtime.
pub(crate) fn chat_awaitable<'py>(
    py: Python<'py>,
    prepared: Prepared,
    target: impl ChatTarget,
) -> PyResult<Bound<'py, PyAny>> {
    let chat = match prepared {
        Prepared::Done(result) => return Ok(Bound::new(py, Ready::new(result))?.into_any()),
        Prepared::TimeOut { after, model } => {
            return runtime::awaitable(py, async move {
                tokio::time::sleep(after).await;
                Ok(Outcome::Failed(mock_timeout_error(&model)))
            })
        }
        Prepared::Run(chat) => *chat,
    };
    if chat.local {
        let result = chat_blocking(py, Prepared::Run(Box::new(chat)), target);
        return Ok(Bound::new(py, Ready::new(result))?.into_any());
    }
    runtime::awaitable(py, async move {
        if chat.request.is_stream() {
            return Ok(match target.stream(chat).await {
                Ok((s, meta)) => Outcome::Stream(CustomStreamWrapper::new(s, false, meta)),
                Err(err) => Outcome::Failed(err),
            });
        }
        Ok(match target.answer(chat).await {
            Ok((response, meta)) => Outcome::Chat(Box::new(response), meta),
            Err(err) => Outcome::Failed(err),
        })
    })
}

/// An embedding call ready to run, or its mock answer.
pub(crate) enum PreparedEmbedding {
    Run(Box<(EmbeddingRequest, CallOptions)>),
    Done(PyResult<Py<PyAny>>),
}

/// An embedding call, blocking: an `EmbeddingResponse`.
pub(crate) fn embedding_blocking(
    py: Python<'_>,
    prepared: PreparedEmbedding,
    target: impl EmbeddingTarget,
) -> PyResult<Py<PyAny>> {
    let (request, options) = match prepared {
        PreparedEmbedding::Done(result) => return result,
        PreparedEmbedding::Run(call) => *call,
    };
    let local = options.mock_response.is_some();
    let (response, meta) = runtime::run(py, local, target.embed(request, options))?.py_err(py)?;
    Ok(response::embedding(py, &response, &meta)?.unbind())
}

/// An embedding call as an awaitable.
pub(crate) fn embedding_awaitable<'py>(
    py: Python<'py>,
    prepared: PreparedEmbedding,
    target: impl EmbeddingTarget,
) -> PyResult<Bound<'py, PyAny>> {
    let (request, options) = match prepared {
        PreparedEmbedding::Done(result) => {
            return Ok(Bound::new(py, Ready::new(result))?.into_any())
        }
        PreparedEmbedding::Run(call) => *call,
    };
    if options.mock_response.is_some() {
        let prepared = PreparedEmbedding::Run(Box::new((request, options)));
        let result = embedding_blocking(py, prepared, target);
        return Ok(Bound::new(py, Ready::new(result))?.into_any());
    }
    runtime::awaitable(py, async move {
        Ok(match target.embed(request, options).await {
            Ok((response, meta)) => Outcome::Embedding(Box::new(response), meta),
            Err(err) => Outcome::Failed(err),
        })
    })
}
