//! `speech` and `transcription` (and their async forms): OpenAI's audio
//! endpoints through the SDK. The Python side (`llmrelay.audio`) reads the
//! caller's file into bytes and wraps the speech bytes in LiteLLM's
//! `HttpxBinaryResponseContent`; this module parses LiteLLM's keyword
//! arguments, runs the call with the GIL released, and builds
//! `TranscriptionResponse` with `_hidden_params` (cost included).

use std::future::Future;

use llmrelay::types::AudioFile;
use llmrelay::{
    CallOptions, Client, Error, SpeechRequest, SpeechResponse, TranscriptionRequest,
    TranscriptionResponse,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};
use serde_json::{Map, Value};

use crate::catalog::ensure_overrides;
use crate::errors::{self, IntoPyResult};
use crate::objects::{self, Kind};
use crate::params::{self, Mock};
use crate::response::{Meta, Ready};
use crate::runtime;

/// An audio call ready to run.
struct Call<R> {
    request: R,
    options: CallOptions,
    meta: Meta,
}

/// A parsed audio call, or what its mock gives.
enum Prepared<R> {
    Run(Box<Call<R>>),
    Done(PyResult<Py<PyAny>>),
}

/// LiteLLM's keyword arguments, read: the request body and the options.
struct Parsed {
    body: Map<String, Value>,
    options: CallOptions,
    meta: Meta,
}

/// Parses LiteLLM's keyword arguments; `first` fills the body field it names.
fn parse(
    py: Python<'_>,
    model: &str,
    first: (&str, Option<&Bound<'_, PyAny>>),
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Result<Parsed, PyResult<Py<PyAny>>>> {
    ensure_overrides()?;
    let call = params::parse(py, model, first, kwargs)?;
    match call.mock {
        Mock::Raise(err) => return Ok(Err(Err(err))),
        Mock::Object(obj) => return Ok(Err(Ok(obj))),
        _ => {}
    }
    let meta = Meta::new(call.model(), call.options.api_base.as_deref());
    Ok(Ok(Parsed {
        body: call.body,
        options: call.options,
        meta,
    }))
}

fn prepare_speech(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Prepared<SpeechRequest>> {
    if input.is_none_or(|i| i.is_none()) {
        return Err(errors::bad_request(py, model, "`input` is required"));
    }
    let parsed = match parse(py, model, ("input", input), kwargs)? {
        Ok(parsed) => parsed,
        Err(done) => return Ok(Prepared::Done(done)),
    };
    let request: SpeechRequest = serde_json::from_value(Value::Object(parsed.body))
        .map_err(|e| errors::bad_request(py, model, &format!("invalid speech request: {e}")))?;
    Ok(Prepared::Run(Box::new(Call {
        request,
        options: parsed.options,
        meta: parsed.meta,
    })))
}

/// The fields of a transcription form LiteLLM's `transcription` names.
fn transcription_request(
    py: Python<'_>,
    model: &str,
    file: AudioFile,
    mut body: Map<String, Value>,
) -> PyResult<TranscriptionRequest> {
    let mut request = TranscriptionRequest::new(model, file);
    if let Some(Value::String(m)) = body.remove("model") {
        request.model = m;
    }
    body.remove("file");
    // LiteLLM's own, or not a field of OpenAI's form.
    body.remove("user");
    let text = |v: Value, name: &str| match v {
        Value::String(s) => Ok(s),
        other => Err(errors::bad_request(
            py,
            model,
            &format!("`{name}` must be a string, not {other}"),
        )),
    };
    if let Some(v) = body.remove("language") {
        request.language = Some(text(v, "language")?);
    }
    if let Some(v) = body.remove("prompt") {
        request.prompt = Some(text(v, "prompt")?);
    }
    if let Some(v) = body.remove("response_format") {
        request.response_format = Some(text(v, "response_format")?);
    }
    if let Some(v) = body.remove("temperature") {
        request.temperature = Some(
            v.as_f64()
                .ok_or_else(|| errors::bad_request(py, model, "`temperature` must be a number"))?,
        );
    }
    match body.remove("timestamp_granularities") {
        Some(Value::Array(items)) => {
            for item in items {
                request
                    .timestamp_granularities
                    .push(text(item, "timestamp_granularities")?);
            }
        }
        Some(other) => {
            return Err(errors::bad_request(
                py,
                model,
                &format!("`timestamp_granularities` must be a list, not {other}"),
            ))
        }
        None => {}
    }
    request.extra = body;
    Ok(request)
}

fn prepare_transcription(
    py: Python<'_>,
    model: &str,
    file: AudioFile,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Prepared<TranscriptionRequest>> {
    let parsed = match parse(py, model, ("file", None), kwargs)? {
        Ok(parsed) => parsed,
        Err(done) => return Ok(Prepared::Done(done)),
    };
    let request = transcription_request(py, model, file, parsed.body)?;
    Ok(Prepared::Run(Box::new(Call {
        request,
        options: parsed.options,
        meta: parsed.meta,
    })))
}

/// What differs between the two audio calls: the SDK method and the
/// Python object of its answer. The rest (blocking or awaitable, mocks,
/// errors) is written once, below.
trait AudioCall: Send + 'static {
    type Answer: Send + 'static;

    fn send(
        self,
        client: Client,
        options: CallOptions,
    ) -> impl Future<Output = Result<Self::Answer, Error>> + Send + 'static;

    fn object<'py>(
        py: Python<'py>,
        answer: Self::Answer,
        meta: &Meta,
    ) -> PyResult<Bound<'py, PyAny>>;
}

impl AudioCall for SpeechRequest {
    type Answer = SpeechResponse;

    async fn send(self, client: Client, options: CallOptions) -> Result<SpeechResponse, Error> {
        client.speech(self, &options).await
    }

    /// Speech bytes, their type and `_hidden_params`, for `llmrelay.audio` to wrap.
    fn object<'py>(
        py: Python<'py>,
        answer: SpeechResponse,
        meta: &Meta,
    ) -> PyResult<Bound<'py, PyAny>> {
        let hidden = meta.hidden(py, answer.cost)?;
        let items = [
            PyBytes::new(py, &answer.audio).into_any(),
            answer.content_type.into_pyobject(py)?.into_any(),
            hidden.into_any(),
        ];
        Ok(PyTuple::new(py, items)?.into_any())
    }
}

impl AudioCall for TranscriptionRequest {
    type Answer = TranscriptionResponse;

    async fn send(
        self,
        client: Client,
        options: CallOptions,
    ) -> Result<TranscriptionResponse, Error> {
        client.transcription(self, &options).await
    }

    /// A `TranscriptionResponse` with `_hidden_params`: the cost, and the
    /// seconds billed when they were measured from the file
    /// (`audio_transcription_duration`, LiteLLM's key).
    fn object<'py>(
        py: Python<'py>,
        answer: TranscriptionResponse,
        meta: &Meta,
    ) -> PyResult<Bound<'py, PyAny>> {
        let map = match serde_json::to_value(&answer) {
            Ok(Value::Object(map)) => map,
            _ => return Err(errors::value_error("transcription is not a JSON object")),
        };
        let obj = objects::build(py, Kind::TranscriptionResponse, &map)?;
        let hidden = meta.hidden(py, answer.cost)?;
        if answer.duration().is_none() {
            hidden.set_item("audio_transcription_duration", answer.billed_seconds)?;
        }
        objects::set_hidden(&obj, &hidden)?;
        Ok(obj)
    }
}

/// An async call's answer, converted once the GIL is held.
struct Outcome<R: AudioCall>(Result<R::Answer, Error>, Meta);

impl<'py, R: AudioCall> IntoPyObject<'py> for Outcome<R> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self.0 {
            Ok(answer) => R::object(py, answer, &self.1),
            Err(err) => Err(errors::to_py(py, err)),
        }
    }
}

/// Runs a prepared call with the GIL released.
fn blocking<R: AudioCall>(py: Python<'_>, prepared: Prepared<R>) -> PyResult<Py<PyAny>> {
    let call = match prepared {
        Prepared::Run(call) => *call,
        Prepared::Done(done) => return done,
    };
    let sent = call.request.send(runtime::client(), call.options);
    let answer = runtime::run(py, false, sent)?.py_err(py)?;
    Ok(R::object(py, answer, &call.meta)?.unbind())
}

/// A prepared call as an asyncio awaitable (a mock's answer already done).
fn awaitable<'py, R: AudioCall>(
    py: Python<'py>,
    prepared: Prepared<R>,
) -> PyResult<Bound<'py, PyAny>> {
    let call = match prepared {
        Prepared::Run(call) => *call,
        Prepared::Done(done) => return Ok(Bound::new(py, Ready::new(done))?.into_any()),
    };
    let sent = call.request.send(runtime::client(), call.options);
    let meta = call.meta;
    runtime::awaitable(py, async move { Ok(Outcome::<R>(sent.await, meta)) })
}

/// `speech`, blocking: `(audio bytes, content type, _hidden_params)`.
#[pyfunction]
#[pyo3(signature = (model, input=None, **kwargs))]
pub(crate) fn _speech(
    py: Python<'_>,
    model: &str,
    input: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    blocking(py, prepare_speech(py, model, input, kwargs)?)
}

/// The awaitable behind `aspeech`.
#[pyfunction]
#[pyo3(signature = (model, input=None, **kwargs))]
pub(crate) fn _aspeech<'py>(
    py: Python<'py>,
    model: &str,
    input: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    awaitable(py, prepare_speech(py, model, input, kwargs)?)
}

/// The file `llmrelay.audio` read, as the SDK takes it.
fn audio_file(
    filename: String,
    data: &Bound<'_, PyBytes>,
    content_type: Option<String>,
) -> AudioFile {
    AudioFile {
        filename,
        content_type,
        data: bytes::Bytes::copy_from_slice(data.as_bytes()),
    }
}

/// `transcription`, blocking, of a file already read.
#[pyfunction]
#[pyo3(signature = (model, filename, data, content_type=None, **kwargs))]
pub(crate) fn _transcription(
    py: Python<'_>,
    model: &str,
    filename: String,
    data: &Bound<'_, PyBytes>,
    content_type: Option<String>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let file = audio_file(filename, data, content_type);
    blocking(py, prepare_transcription(py, model, file, kwargs)?)
}

/// The awaitable behind `atranscription`.
#[pyfunction]
#[pyo3(signature = (model, filename, data, content_type=None, **kwargs))]
pub(crate) fn _atranscription<'py>(
    py: Python<'py>,
    model: &str,
    filename: String,
    data: &Bound<'py, PyBytes>,
    content_type: Option<String>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let file = audio_file(filename, data, content_type);
    awaitable(py, prepare_transcription(py, model, file, kwargs)?)
}
