//! LiteLLM's `token_counter`, `encode` and `decode`. Encoders are built on
//! first use; counting runs with the GIL released.

use llmrelay::TokenInput;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use serde_json::Value;

use crate::catalog::ensure_overrides;
use crate::convert;
use crate::errors::{value_error, IntoPyResult};

/// Text given as a string or a list of strings (joined, as LiteLLM does).
fn text_of(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(list) = value.cast::<PyList>() {
        let mut out = String::new();
        for item in list.iter() {
            if let Ok(s) = item.cast::<PyString>() {
                out.push_str(&s.to_cow()?);
            }
        }
        return Ok(out);
    }
    Err(value_error("text must be a string or a list of strings"))
}

fn array(value: Value, what: &str) -> PyResult<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(value_error(format!("{what} must be a list"))),
    }
}

/// A `custom_tokenizer` given (and not None).
fn custom<'a, 'py>(tokenizer: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    tokenizer.filter(|t| !t.is_none())
}

/// `llmrelay.custom_tokenizers`: a `custom_tokenizer` (a Hugging Face
/// tokenizer from `create_tokenizer`) is a Python object, so counting,
/// encoding and decoding with it happen there.
fn custom_tokenizers(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("llmrelay.custom_tokenizers")
}

/// The text LiteLLM counts for a tool list (its TypeScript-like namespace),
/// for `llmrelay.custom_tokenizers` to count with the caller's tokenizer.
#[pyfunction]
pub(crate) fn _tool_definitions_text(tools: &Bound<'_, PyAny>) -> PyResult<String> {
    let tools = array(convert::to_value(tools)?, "tools")?;
    Ok(llmrelay::tool_definitions_text(&tools))
}

/// LiteLLM's `token_counter(model, text=... | messages=..., tools=...)`.
#[pyfunction]
#[pyo3(signature = (
    model="", custom_tokenizer=None, text=None, messages=None, count_response_tokens=false,
    tools=None, tool_choice=None, use_default_image_token_count=false, default_token_count=None
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn token_counter(
    py: Python<'_>,
    model: &str,
    custom_tokenizer: Option<&Bound<'_, PyAny>>,
    text: Option<&Bound<'_, PyAny>>,
    messages: Option<&Bound<'_, PyAny>>,
    count_response_tokens: bool,
    tools: Option<&Bound<'_, PyAny>>,
    tool_choice: Option<&Bound<'_, PyAny>>,
    use_default_image_token_count: bool,
    default_token_count: Option<usize>,
) -> PyResult<usize> {
    let _ = use_default_image_token_count;
    if let Some(tokenizer) = custom(custom_tokenizer) {
        return custom_tokenizers(py)?
            .call_method1(
                "token_counter",
                (
                    tokenizer,
                    text,
                    messages,
                    count_response_tokens,
                    tools,
                    tool_choice,
                ),
            )?
            .extract();
    }
    ensure_overrides()?;
    let model = model.to_owned();
    let tools = tools.filter(|t| !t.is_none());
    let raw_choice = tool_choice.filter(|c| !c.is_none());
    let tool_choice = match raw_choice {
        Some(choice) => Some(convert::to_value(choice)?),
        None => None,
    };
    let counted = if let Some(messages) = messages.filter(|m| !m.is_none()) {
        let messages = array(convert::to_value(messages)?, "messages")?;
        let tools = match tools {
            Some(t) => Some(array(convert::to_value(t)?, "tools")?),
            None => None,
        };
        py.detach(|| {
            llmrelay::token_counter(
                &model,
                TokenInput::Messages {
                    messages: &messages,
                    tools: tools.as_deref(),
                },
            )
            .map(|n| {
                n + tool_choice
                    .as_ref()
                    .map_or(0, |c| llmrelay::tool_choice_tokens(&model, c))
            })
        })
    } else if let Some(text) = text.filter(|t| !t.is_none()) {
        // LiteLLM's rule: tools belong to a conversation, not to a text.
        let truthy = |v: Option<&Bound<'_, PyAny>>| v.map_or(Ok(false), |v| v.is_truthy());
        if truthy(tools)? || truthy(raw_choice)? {
            return Err(value_error(
                "tools or tool_choice cannot be set if using text",
            ));
        }
        let text = text_of(text)?;
        py.detach(|| llmrelay::token_counter(&model, TokenInput::Text(&text)))
    } else {
        return Err(value_error("token_counter needs text or messages"));
    };
    match (counted, default_token_count) {
        (Ok(n), _) => Ok(n),
        (Err(_), Some(default)) => Ok(default),
        (Err(err), None) => Err(err).py_err(py),
    }
}

/// LiteLLM's `encode`: the token ids of `text` for `model`.
#[pyfunction]
#[pyo3(signature = (model="", text="", custom_tokenizer=None))]
pub(crate) fn encode(
    py: Python<'_>,
    model: &str,
    text: &str,
    custom_tokenizer: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<u32>> {
    if let Some(tokenizer) = custom(custom_tokenizer) {
        return custom_tokenizers(py)?
            .call_method1("encode", (tokenizer, text))?
            .extract();
    }
    ensure_overrides()?;
    let text = text.to_owned();
    let model = model.to_owned();
    py.detach(|| llmrelay::encode(&model, &text)).py_err(py)
}

/// LiteLLM's `decode`: the text of `tokens` for `model`.
#[pyfunction]
#[pyo3(signature = (model="", tokens=Vec::new(), custom_tokenizer=None))]
pub(crate) fn decode(
    py: Python<'_>,
    model: &str,
    tokens: Vec<u32>,
    custom_tokenizer: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    if let Some(tokenizer) = custom(custom_tokenizer) {
        return custom_tokenizers(py)?
            .call_method1("decode", (tokenizer, tokens))?
            .extract();
    }
    ensure_overrides()?;
    let model = model.to_owned();
    py.detach(|| llmrelay::decode(&model, &tokens)).py_err(py)
}

/// Counts for `stream_chunk_builder` and `completion_cost(prompt=...)`.
pub(crate) fn count_text(py: Python<'_>, model: &str, text: &str) -> PyResult<u64> {
    py.detach(|| llmrelay::token_counter(model, TokenInput::Text(text)))
        .map(|n| n as u64)
        .py_err(py)
}

/// Counts chat messages for `model`.
pub(crate) fn count_messages(py: Python<'_>, model: &str, messages: &[Value]) -> PyResult<u64> {
    py.detach(|| {
        llmrelay::token_counter(
            model,
            TokenInput::Messages {
                messages,
                tools: None,
            },
        )
    })
    .map(|n| n as u64)
    .py_err(py)
}
