//! `CustomStreamWrapper`: the stream `completion(stream=True)` returns,
//! iterable with `for` and with `async for` (LiteLLM's class of the same name).
//!
//! Dropping or closing it closes the connection.

use std::sync::Arc;

use futures_util::StreamExt;
use llmrelay::{ChatChunk, ChatStream, Error};
use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use tokio::sync::Mutex;

use crate::errors;
use crate::response::{self, Meta, Outcome, Ready};
use crate::runtime;

type Shared = Arc<Mutex<Option<ChatStream>>>;

/// A stream of `ModelResponseStream` chunks.
#[pyclass(module = "llmrelay")]
pub(crate) struct CustomStreamWrapper {
    stream: Shared,
    /// Chunks already in hand (a mock): iterated without the runtime.
    local: bool,
    meta: Meta,
}

impl CustomStreamWrapper {
    pub(crate) fn new(stream: ChatStream, local: bool, meta: Meta) -> Self {
        CustomStreamWrapper {
            stream: Arc::new(Mutex::new(Some(stream))),
            local,
            meta,
        }
    }
}

/// The next chunk; the stream is released at its end or first error.
async fn next(stream: Shared) -> Option<Result<ChatChunk, Error>> {
    let mut guard = stream.lock().await;
    let item = match guard.as_mut() {
        Some(s) => s.next().await,
        None => None,
    };
    if !matches!(item, Some(Ok(_))) {
        *guard = None;
    }
    item
}

#[pymethods]
impl CustomStreamWrapper {
    /// The model asked for.
    #[getter]
    fn model(&self) -> &str {
        &self.meta.model
    }

    /// The provider serving the stream.
    #[getter]
    fn custom_llm_provider(&self) -> Option<&str> {
        self.meta.provider.as_deref()
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match runtime::run(py, self.local, next(self.stream.clone()))? {
            Some(Ok(chunk)) => Ok(response::chunk(py, &chunk, &self.meta)?.unbind()),
            Some(Err(err)) => Err(errors::to_py(py, err)),
            None => Err(PyStopIteration::new_err(())),
        }
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stream = self.stream.clone();
        let meta = self.meta.clone();
        let fetch = async move {
            Ok(match next(stream).await {
                Some(Ok(chunk)) => Outcome::Chunk(Some(Box::new(chunk)), meta),
                Some(Err(err)) => Outcome::Failed(err),
                None => Outcome::Chunk(None, meta),
            })
        };
        if self.local {
            let value = runtime::run_local(py, fetch)?
                .and_then(|outcome: Outcome| outcome.into_pyobject(py).map(Bound::unbind));
            return Ok(Bound::new(py, Ready::new(value))?.into_any());
        }
        runtime::awaitable(py, fetch)
    }

    /// Closes the stream (and its connection) early.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let stream = self.stream.clone();
        runtime::run_local(py, async move {
            stream.lock().await.take();
        })
    }

    /// `close()` for `async with`/async generators.
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
        format!("CustomStreamWrapper(model={:?})", self.meta.model)
    }
}

/// LiteLLM's `stream_chunk_builder`: folds chunks into the `ModelResponse`
/// the unstreamed call would have returned, with usage (counted from
/// `messages` and the text when no chunk carried it) and cost.
#[pyfunction]
#[pyo3(signature = (chunks, messages=None, start_time=None, end_time=None))]
pub(crate) fn stream_chunk_builder(
    py: Python<'_>,
    chunks: &Bound<'_, PyAny>,
    messages: Option<&Bound<'_, PyAny>>,
    start_time: Option<&Bound<'_, PyAny>>,
    end_time: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let _ = (start_time, end_time);
    crate::catalog::ensure_overrides()?;
    // LiteLLM raises its APIError for anything it cannot build from (no
    // chunk list, a chunk of another shape); an empty list builds nothing.
    let cannot_build = |why: String| {
        errors::new_error(
            py,
            "APIError",
            &format!("Error building chunks for logging/streaming usage calculation: {why}"),
            None,
            None,
        )
    };
    if chunks.is_none() {
        return Err(cannot_build("no chunks were given (None)".to_owned()));
    }
    let mut parsed = Vec::new();
    let mut provider = None;
    let items = chunks
        .try_iter()
        .map_err(|e| cannot_build(format!("chunks must be a list: {e}")))?;
    for item in items {
        let item = item?;
        if provider.is_none() {
            provider = item
                .getattr("_hidden_params")
                .ok()
                .and_then(|h| h.get_item("custom_llm_provider").ok())
                .and_then(|p| p.extract::<String>().ok());
        }
        let chunk: ChatChunk = serde_json::from_value(crate::convert::to_value(&item)?)
            .map_err(|e| cannot_build(format!("not a stream chunk: {e}")))?;
        parsed.push(chunk);
    }
    let Some(mut built) = llmrelay::stream_chunk_builder(&parsed) else {
        return Ok(py.None());
    };
    // The SDK's builder leaves `role` at the type's default; a folded answer
    // is the assistant's.
    for choice in &mut built.choices {
        choice.message.role = llmrelay::Role::Assistant;
    }
    if built.usage.is_none() {
        let prompt_tokens = match messages.filter(|m| !m.is_none()) {
            Some(m) => match crate::convert::to_value(m)? {
                serde_json::Value::Array(items) => {
                    crate::tokens::count_messages(py, &built.model, &items)?
                }
                _ => 0,
            },
            None => 0,
        };
        let text: String = built
            .choices
            .iter()
            .filter_map(|c| c.message.content.as_deref())
            .collect();
        let completion_tokens = crate::tokens::count_text(py, &built.model, &text)?;
        built.usage = Some(llmrelay::Usage {
            prompt_tokens,
            completion_tokens,
            total_tokens: prompt_tokens + completion_tokens,
            ..llmrelay::Usage::default()
        });
    }
    built.cost = llmrelay::completion_cost(&built, None).ok();
    let mut meta = Meta::new(&built.model, None);
    if provider.is_some() {
        meta.provider = provider;
    }
    Ok(response::chat(py, &built, &meta)?.unbind())
}
