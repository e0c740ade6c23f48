//! Response objects in LiteLLM's shape, implemented in Rust (no pydantic).
//!
//! [`OpenAIObject`] holds its fields in a dict, in LiteLLM's field order, and
//! offers attribute access (`r.choices[0].message.content`), item access
//! (`r["usage"]["total_tokens"]`), `get`, `model_dump()`, `model_dump_json()`,
//! LiteLLM's `json()` (a dict), pydantic's `dict()`, equality, `repr` and
//! pickling. Fields whose names start with `_` (`_hidden_params`) are
//! private: reachable as attributes, left out of dumps, reprs and iteration.
//!
//! The named classes (`ModelResponse`, `Choices`, `Message`, `Usage`...)
//! extend it; [`build`] turns the SDK's JSON into a tree of them.

use pyo3::exceptions::{PyAttributeError, PyKeyError};
use pyo3::gc::PyVisit;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3::{PyClassInitializer, PyTraverseError};
use serde_json::{Map, Value};

use crate::convert;

/// Base of every response object: fields in a dict, LiteLLM's accessors.
#[pyclass(subclass, module = "llmrelay", name = "OpenAIObject")]
pub(crate) struct OpenAIObject {
    pub(crate) data: Py<PyDict>,
}

impl OpenAIObject {
    fn fields<'py>(&self, py: Python<'py>) -> &Bound<'py, PyDict> {
        self.data.bind(py)
    }
}

/// The public fields of `obj` as JSON (nested objects included).
fn public_value(obj: &Bound<'_, OpenAIObject>) -> PyResult<Value> {
    convert::to_value(obj.as_any())
}

fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

#[pymethods]
impl OpenAIObject {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn py_new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let data = PyDict::new(py);
        if let Some(kwargs) = kwargs {
            data.update(kwargs.as_mapping())?;
        }
        Ok(OpenAIObject {
            data: data.unbind(),
        })
    }

    fn __getattr__(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let fields = self.fields(py);
        if let Some(value) = fields.get_item(name)? {
            return Ok(value.unbind());
        }
        if name == "_hidden_params" {
            // LiteLLM's objects always have one.
            let hidden = PyDict::new(py);
            fields.set_item(name, &hidden)?;
            return Ok(hidden.into_any().unbind());
        }
        Err(PyAttributeError::new_err(format!(
            "response object has no attribute `{name}`"
        )))
    }

    fn __setattr__(&self, py: Python<'_>, name: &str, value: Bound<'_, PyAny>) -> PyResult<()> {
        self.fields(py).set_item(name, value)
    }

    fn __delattr__(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        let fields = self.fields(py);
        if fields.contains(name)? {
            fields.del_item(name)
        } else {
            Err(PyAttributeError::new_err(name.to_owned()))
        }
    }

    fn __getitem__(&self, py: Python<'_>, key: &str) -> PyResult<Py<PyAny>> {
        match self.fields(py).get_item(key)? {
            Some(value) => Ok(value.unbind()),
            None => Err(PyKeyError::new_err(key.to_owned())),
        }
    }

    fn __setitem__(&self, py: Python<'_>, key: &str, value: Bound<'_, PyAny>) -> PyResult<()> {
        self.fields(py).set_item(key, value)
    }

    fn __contains__(&self, py: Python<'_>, key: &str) -> PyResult<bool> {
        self.fields(py).contains(key)
    }

    /// The field `key`, or `default` when absent.
    #[pyo3(signature = (key, default=None))]
    fn get(&self, py: Python<'_>, key: &str, default: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        Ok(match self.fields(py).get_item(key)? {
            Some(value) => value.unbind(),
            None => default.unwrap_or_else(|| py.None()),
        })
    }

    /// Public field names.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for key in self.fields(py).keys() {
            if !is_private(&key)? {
                list.append(key)?;
            }
        }
        Ok(list)
    }

    /// `(name, value)` pairs of the public fields.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (key, value) in self.fields(py).iter() {
            if !is_private(&key)? {
                list.append(PyTuple::new(py, [key, value])?)?;
            }
        }
        Ok(list)
    }

    /// Public field values.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (key, value) in self.fields(py).iter() {
            if !is_private(&key)? {
                list.append(value)?;
            }
        }
        Ok(list)
    }

    /// Iterates `(name, value)` pairs, as pydantic models do (so `dict(obj)` works).
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.items(py)?.as_any().try_iter().map(Bound::into_any)
    }

    /// The object as plain dicts and lists (pydantic's `model_dump`).
    #[pyo3(signature = (*, exclude_none=false, **_kwargs))]
    fn model_dump<'py>(
        slf: &Bound<'py, Self>,
        exclude_none: bool,
        _kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut value = public_value(slf)?;
        if exclude_none {
            drop_nulls(&mut value);
        }
        convert::to_py(slf.py(), &value)
    }

    /// The object as a JSON string (pydantic's `model_dump_json`).
    #[pyo3(signature = (*, indent=None, exclude_none=false, **_kwargs))]
    fn model_dump_json(
        slf: &Bound<'_, Self>,
        indent: Option<usize>,
        exclude_none: bool,
        _kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let mut value = public_value(slf)?;
        if exclude_none {
            drop_nulls(&mut value);
        }
        let text = match indent {
            Some(width) => {
                let indent = " ".repeat(width);
                let mut out = Vec::new();
                let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
                let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
                serde::Serialize::serialize(&value, &mut ser)
                    .map_err(|e| crate::errors::value_error(e.to_string()))?;
                String::from_utf8_lossy(&out).into_owned()
            }
            None => value.to_string(),
        };
        Ok(text)
    }

    /// LiteLLM's `json()`: the object as a dict (not a string).
    #[pyo3(signature = (**_kwargs))]
    fn json<'py>(
        slf: &Bound<'py, Self>,
        _kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        OpenAIObject::model_dump(slf, false, None)
    }

    /// pydantic v1's `dict()`.
    #[pyo3(signature = (**_kwargs))]
    fn dict<'py>(
        slf: &Bound<'py, Self>,
        _kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        OpenAIObject::model_dump(slf, false, None)
    }

    fn __richcmp__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let comparable = other.is_instance_of::<OpenAIObject>() || other.is_instance_of::<PyDict>();
        if !comparable || !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return Ok(py.NotImplemented());
        }
        let equal = public_value(slf)? == convert::to_value(other)?;
        let result = if matches!(op, CompareOp::Eq) {
            equal
        } else {
            !equal
        };
        Ok(pyo3::types::PyBool::new(py, result)
            .to_owned()
            .into_any()
            .unbind())
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        let name = slf.get_type().name()?;
        let mut out = format!("{name}(");
        let mut first = true;
        for (key, value) in slf.borrow().fields(py).iter() {
            if is_private(&key)? {
                continue;
            }
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push_str(&key.cast::<PyString>()?.to_cow()?);
            out.push('=');
            out.push_str(&value.repr()?.to_cow()?);
        }
        out.push(')');
        Ok(out)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let state = slf.borrow().fields(py).copy()?;
        PyTuple::new(
            py,
            [
                slf.get_type().into_any(),
                PyTuple::empty(py).into_any(),
                state.into_any(),
            ],
        )
    }

    fn __setstate__(&self, py: Python<'_>, state: &Bound<'_, PyDict>) -> PyResult<()> {
        let fields = self.fields(py);
        fields.clear();
        fields.update(state.as_mapping())
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.data)
    }

    fn __clear__(&mut self) {
        Python::attach(|py| self.data.bind(py).clear());
    }
}

fn is_private(key: &Bound<'_, PyAny>) -> PyResult<bool> {
    key.cast::<PyString>()
        .map(|s| s.to_cow().map(|s| s.starts_with('_')))
        .unwrap_or(Ok(false))
}

/// A default field value.
#[derive(Clone, Copy)]
enum Initial {
    None,
    Str(&'static str),
    Zero,
    EmptyList,
}

impl Initial {
    fn to_py<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self {
            Initial::None => py.None().into_bound(py),
            Initial::Str(s) => PyString::new(py, s).into_any(),
            Initial::Zero => 0u64.into_pyobject(py)?.into_any(),
            Initial::EmptyList => PyList::empty(py).into_any(),
        })
    }
}

macro_rules! kinds {
    ($(
        $kind:ident: $(#[$doc:meta])* [$($field:literal => $default:expr),* $(,)?]
        children [$($child:literal => $child_kind:ident),* $(,)?]
        $(methods { $($methods:tt)* })?;
    )*) => {
        /// Which response class a JSON object becomes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Kind { $($kind),* }

        impl Kind {
            /// Fields every instance has (in LiteLLM's order) and their defaults.
            fn defaults(self) -> &'static [(&'static str, Initial)] {
                match self { $(Kind::$kind => &[$(($field, $default)),*]),* }
            }

            /// The class of the objects under `key`.
            fn child(self, key: &str) -> Option<Kind> {
                match (self, key) {
                    $($((Kind::$kind, $child) => Some(Kind::$child_kind),)*)*
                    _ => None,
                }
            }

            fn instantiate<'py>(self, py: Python<'py>, data: Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
                let base = PyClassInitializer::from(OpenAIObject { data: data.unbind() });
                match self {
                    $(Kind::$kind => Ok(Bound::new(py, base.add_subclass($kind))?.into_any()),)*
                }
            }
        }

        $(
            $(#[$doc])*
            #[pyclass(extends = OpenAIObject, module = "llmrelay")]
            pub(crate) struct $kind;

            #[pymethods]
            impl $kind {
                #[new]
                #[pyo3(signature = (**kwargs))]
                fn py_new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
                    let data = new_fields(py, Kind::$kind, kwargs)?;
                    Ok(PyClassInitializer::from(OpenAIObject { data: data.unbind() }).add_subclass($kind))
                }
                $($($methods)*)?
            }
        )*

        /// Adds every response class to the module.
        pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
            m.add_class::<OpenAIObject>()?;
            $(m.add_class::<$kind>()?;)*
            Ok(())
        }
    };
}

kinds! {
    ModelResponse: /// A chat completion (`chat.completion`).
        ["id" => Initial::None, "created" => Initial::Zero, "model" => Initial::None,
         "object" => Initial::Str("chat.completion"), "system_fingerprint" => Initial::None,
         "choices" => Initial::EmptyList, "usage" => Initial::None]
        children ["choices" => Choices, "usage" => Usage];
    Choices: /// One answer of a completion.
        ["finish_reason" => Initial::None, "index" => Initial::Zero, "message" => Initial::None]
        children ["message" => Message];
    Message: /// The assistant's message.
        ["content" => Initial::None, "role" => Initial::Str("assistant"),
         "tool_calls" => Initial::None, "function_call" => Initial::None]
        children ["tool_calls" => ChatCompletionMessageToolCall];
    ChatCompletionMessageToolCall: /// A tool call of a message.
        ["function" => Initial::None, "id" => Initial::None, "type" => Initial::Str("function")]
        children ["function" => Function];
    Function: /// A function name and its JSON arguments (text).
        ["arguments" => Initial::None, "name" => Initial::None]
        children [];
    Usage: /// Token counts.
        ["completion_tokens" => Initial::Zero, "prompt_tokens" => Initial::Zero,
         "total_tokens" => Initial::Zero, "completion_tokens_details" => Initial::None,
         "prompt_tokens_details" => Initial::None]
        children ["prompt_tokens_details" => PromptTokensDetailsWrapper,
                  "completion_tokens_details" => CompletionTokensDetailsWrapper];
    PromptTokensDetailsWrapper: /// `usage.prompt_tokens_details`.
        [] children [];
    CompletionTokensDetailsWrapper: /// `usage.completion_tokens_details`.
        [] children [];
    ModelResponseStream: /// A stream chunk (`chat.completion.chunk`).
        ["id" => Initial::None, "created" => Initial::Zero, "model" => Initial::None,
         "object" => Initial::Str("chat.completion.chunk"), "system_fingerprint" => Initial::None,
         "choices" => Initial::EmptyList]
        children ["choices" => StreamingChoices, "usage" => Usage];
    StreamingChoices: /// The delta of one choice in a chunk.
        ["finish_reason" => Initial::None, "index" => Initial::Zero, "delta" => Initial::None,
         "logprobs" => Initial::None]
        children ["delta" => Delta];
    Delta: /// What a chunk adds to a message.
        ["content" => Initial::None, "role" => Initial::None, "function_call" => Initial::None,
         "tool_calls" => Initial::None]
        children ["tool_calls" => ChatCompletionDeltaToolCall];
    ChatCompletionDeltaToolCall: /// A fragment of a tool call in a chunk.
        ["id" => Initial::None, "function" => Initial::None, "type" => Initial::None,
         "index" => Initial::Zero]
        children ["function" => Function];
    EmbeddingResponse: /// An embeddings response.
        ["model" => Initial::None, "data" => Initial::EmptyList, "object" => Initial::Str("list"),
         "usage" => Initial::None]
        children ["data" => Embedding, "usage" => Usage];
    Embedding: /// One embedding vector.
        ["embedding" => Initial::None, "index" => Initial::Zero, "object" => Initial::Str("embedding")]
        children [];
    TextCompletionResponse: /// A text completion (`text_completion`), or a chunk of a streamed one.
        ["id" => Initial::None, "object" => Initial::Str("text_completion"), "created" => Initial::Zero,
         "model" => Initial::None, "choices" => Initial::EmptyList, "usage" => Initial::None]
        children ["choices" => TextChoices, "usage" => Usage];
    TextChoices: /// One text of a text completion.
        ["finish_reason" => Initial::None, "index" => Initial::Zero, "text" => Initial::None,
         "logprobs" => Initial::None]
        children [];
    ImageResponse: /// An image generation response (`image_generation`).
        ["created" => Initial::Zero, "data" => Initial::EmptyList, "usage" => Initial::None]
        children ["data" => ImageObject];
    ImageObject: /// One generated image: a `url` or its `b64_json`.
        ["b64_json" => Initial::None, "url" => Initial::None, "revised_prompt" => Initial::None]
        children [];
    RerankResponse: /// A rerank response: `results` are dicts (`index`, `relevance_score`, `document`).
        ["id" => Initial::None, "results" => Initial::EmptyList, "meta" => Initial::None]
        children [];
    ModerationResponse: /// A moderation response, OpenAI's shape.
        ["id" => Initial::None, "model" => Initial::None, "results" => Initial::EmptyList]
        children ["results" => Moderation];
    Moderation: /// The verdict on one input.
        ["flagged" => Initial::None, "categories" => Initial::None,
         "category_scores" => Initial::None, "category_applied_input_types" => Initial::None]
        children [];
    ResponsesAPIResponse: /// A Responses API answer (`object="response"`).
        ["id" => Initial::None, "created_at" => Initial::Zero, "error" => Initial::None,
         "incomplete_details" => Initial::None, "instructions" => Initial::None,
         "metadata" => Initial::None, "model" => Initial::None, "object" => Initial::Str("response"),
         "output" => Initial::EmptyList, "parallel_tool_calls" => Initial::None,
         "temperature" => Initial::None, "tool_choice" => Initial::None, "tools" => Initial::None,
         "top_p" => Initial::None, "max_output_tokens" => Initial::None,
         "previous_response_id" => Initial::None, "reasoning" => Initial::None,
         "status" => Initial::None, "text" => Initial::None, "truncation" => Initial::None,
         "usage" => Initial::None, "user" => Initial::None, "store" => Initial::None]
        children ["output" => GenericResponseOutputItem, "usage" => ResponseAPIUsage]
        methods {
            /// The text of every `output_text` part of the `message` items, joined
            /// (the OpenAI SDK's and LiteLLM's `output_text`).
            #[getter]
            fn output_text(slf: PyRef<'_, Self>) -> PyResult<String> {
                let py = slf.py();
                let output = slf.as_super().fields(py).get_item("output")?;
                let output = match output {
                    Some(output) => crate::convert::to_value(&output)?,
                    None => Value::Null,
                };
                Ok(responses_output_text(&output))
            }
        };
    GenericResponseOutputItem: /// One `output` item of a response (a message, a function call, reasoning).
        [] children ["content" => OutputText, "summary" => OutputText];
    OutputText: /// A content part of an output item (`output_text`, `summary_text`, `refusal`).
        [] children [];
    ResponseAPIUsage: /// A response's token counts (`input_tokens`, `output_tokens`, `total_tokens`).
        ["input_tokens" => Initial::Zero, "input_tokens_details" => Initial::None,
         "output_tokens" => Initial::Zero, "output_tokens_details" => Initial::None,
         "total_tokens" => Initial::Zero]
        children ["input_tokens_details" => InputTokensDetails,
                  "output_tokens_details" => OutputTokensDetails];
    InputTokensDetails: /// `usage.input_tokens_details` (`cached_tokens`).
        [] children [];
    OutputTokensDetails: /// `usage.output_tokens_details` (`reasoning_tokens`).
        [] children [];
    BaseResponsesStreamEvent: /// One event of a streamed response (`type`: `response.created`,
        /// `response.output_text.delta`, `response.completed`...).
        [] children ["response" => ResponsesAPIResponse, "item" => GenericResponseOutputItem,
                     "part" => OutputText];
    TranscriptionResponse: /// A transcription: `text`, and with `verbose_json` `language`,
        /// `duration`, `segments`, `words`.
        ["text" => Initial::None] children [];
}

/// The joined text of the `output_text` parts of `message` items.
fn responses_output_text(output: &Value) -> String {
    let mut text = String::new();
    for item in output.as_array().into_iter().flatten() {
        if item.get("type").and_then(Value::as_str) != Some("message") {
            continue;
        }
        for part in item
            .get("content")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if part.get("type").and_then(Value::as_str) == Some("output_text") {
                text.push_str(part.get("text").and_then(Value::as_str).unwrap_or_default());
            }
        }
    }
    text
}

/// The fields of a new object of `kind` built from keyword arguments:
/// defaults first, then the arguments, nested dicts becoming objects.
fn new_fields<'py>(
    py: Python<'py>,
    kind: Kind,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let data = PyDict::new(py);
    for (key, default) in kind.defaults() {
        data.set_item(key, default.to_py(py)?)?;
    }
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let name = key.cast::<PyString>()?.to_cow()?;
            if value.is_none() && kind == Kind::Usage && counts_from_zero(kind, &name) {
                // LiteLLM's `Usage(prompt_tokens=None)` reads as 0.
                continue;
            }
            let wrapped = match kind.child(&name) {
                Some(child)
                    if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>() =>
                {
                    child_to_py(py, child, &convert::to_value(&value)?)?
                }
                _ => value,
            };
            data.set_item(key, wrapped)?;
        }
    }
    Ok(data)
}

/// Whether `field` of `kind` is a count that starts at 0.
fn counts_from_zero(kind: Kind, field: &str) -> bool {
    kind.defaults()
        .iter()
        .any(|(name, initial)| *name == field && matches!(initial, Initial::Zero))
}

/// The object of `kind` for a JSON object (its fields after the defaults).
pub(crate) fn build<'py>(
    py: Python<'py>,
    kind: Kind,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyAny>> {
    let data = PyDict::new(py);
    for (key, default) in kind.defaults() {
        data.set_item(key, default.to_py(py)?)?;
    }
    for (key, value) in map {
        let converted = match kind.child(key) {
            Some(child) => child_to_py(py, child, value)?,
            None => convert::to_py(py, value)?,
        };
        data.set_item(key, converted)?;
    }
    kind.instantiate(py, data)
}

/// An object (or a list of objects) of `kind`; other values as plain Python.
fn child_to_py<'py>(py: Python<'py>, kind: Kind, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Object(map) => build(py, kind, map),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(child_to_py(py, kind, item)?)?;
            }
            Ok(list.into_any())
        }
        other => convert::to_py(py, other),
    }
}

/// Sets `_hidden_params` on a built object.
pub(crate) fn set_hidden(obj: &Bound<'_, PyAny>, hidden: &Bound<'_, PyDict>) -> PyResult<()> {
    let base = obj.cast::<OpenAIObject>()?;
    base.borrow()
        .fields(obj.py())
        .set_item("_hidden_params", hidden)
}
