//! `speech` and `transcription` (and their async forms): OpenAI's audio
//! endpoints through the SDK. The Python side (`llmrelay.audio`) reads the
//! caller's file into bytes and wraps the speech bytes in LiteLLM's
//! `HttpxBinaryResponseContent`; this module parses LiteLLM's keyword
//! arguments, runs the call with the GIL released, and builds
//! `TranscriptionResponse` with `_hidden_params` (cost included).

use llmrelay::types::AudioFile;
use llmrelay::{
    CallOptions, Error, SpeechRequest, SpeechResponse, TranscriptionRequest, TranscriptionResponse,
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

/// Speech bytes and `_hidden_params`, for `llmrelay.audio` to wrap.
fn speech_result<'py>(
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

/// A `TranscriptionResponse` with `_hidden_params`: the cost, and the
/// seconds billed when they were measured from the file
/// (`audio_transcription_duration`, LiteLLM's key).
fn transcription_object<'py>(
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

/// An async call's answer, converted once the GIL is held.
enum Outcome {
    Speech(SpeechResponse, Meta),
    Transcription(Box<TranscriptionResponse>, Meta),
    Failed(Error),
}

impl<'py> IntoPyObject<'py> for Outcome {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self {
            Outcome::Speech(answer, meta) => speech_result(py, answer, &meta),
            Outcome::Transcription(answer, meta) => transcription_object(py, *answer, &meta),
            Outcome::Failed(err) => Err(errors::to_py(py, err)),
        }
    }
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
    let Call {
        request,
        options,
        meta,
    } = match prepare_speech(py, model, input, kwargs)? {
        Prepared::Run(call) => *call,
        Prepared::Done(done) => return done,
    };
    let client = runtime::client();
    let answer = runtime::run(
        py,
        false,
        async move { client.speech(request, &options).await },
    )?
    .py_err(py)?;
    Ok(speech_result(py, answer, &meta)?.unbind())
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
    let Call {
        request,
        options,
        meta,
    } = match prepare_speech(py, model, input, kwargs)? {
        Prepared::Run(call) => *call,
        Prepared::Done(done) => return Ok(Bound::new(py, Ready::new(done))?.into_any()),
    };
    let client = runtime::client();
    runtime::awaitable(py, async move {
        Ok(match client.speech(request, &options).await {
            Ok(answer) => Outcome::Speech(answer, meta),
            Err(err) => Outcome::Failed(err),
        })
    })
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
    let Call {
        request,
        options,
        meta,
    } = match prepare_transcription(py, model, file, kwargs)? {
        Prepared::Run(call) => *call,
        Prepared::Done(done) => return done,
    };
    let client = runtime::client();
    let answer = runtime::run(py, false, async move {
        client.transcription(request, &options).await
    })?
    .py_err(py)?;
    Ok(transcription_object(py, answer, &meta)?.unbind())
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
    let Call {
        request,
        options,
        meta,
    } = match prepare_transcription(py, model, file, kwargs)? {
        Prepared::Run(call) => *call,
        Prepared::Done(done) => return Ok(Bound::new(py, Ready::new(done))?.into_any()),
    };
    let client = runtime::client();
    runtime::awaitable(py, async move {
        Ok(match client.transcription(request, &options).await {
            Ok(answer) => Outcome::Transcription(Box::new(answer), meta),
            Err(err) => Outcome::Failed(err),
        })
    })
}
