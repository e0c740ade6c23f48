//! Python values <-> JSON values (`serde_json::Value`), the currency between
//! the Python API and the SDK's serde types.
//!
//! Accepted from Python: None, bool, int, float, str, dict (string keys),
//! list and tuple, llmrelay's response objects, and any object with a
//! pydantic-style `model_dump()` (LiteLLM's and OpenAI's types).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::objects::OpenAIObject;

/// Deeper than this is a cycle or an attack, not a chat message.
const MAX_DEPTH: usize = 256;

/// A Python value as JSON.
pub(crate) fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_at(obj, 0)
}

fn to_value_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(
            "value nested too deeply (a cycle?) to be sent as JSON",
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(PyValueError::new_err("integer too large for JSON"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity cannot be sent as JSON"));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return dict_to_value(d, depth);
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|item| to_value_at(&item, depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t
            .iter()
            .map(|item| to_value_at(&item, depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    if let Ok(o) = obj.cast::<OpenAIObject>() {
        let data = o.borrow().data.clone_ref(obj.py());
        return public_dict_to_value(data.bind(obj.py()), depth);
    }
    if obj.hasattr("model_dump")? {
        let dumped = obj.call_method0("model_dump")?;
        if !dumped.is(obj) {
            return to_value_at(&dumped, depth + 1);
        }
    }
    if obj.is_instance_of::<pyo3::types::PyMapping>() {
        let dict = PyDict::new(obj.py());
        dict.update(obj.cast()?)?;
        return dict_to_value(&dict, depth);
    }
    Err(PyTypeError::new_err(format!(
        "cannot send a value of type {} as JSON",
        obj.get_type().name()?
    )))
}

fn dict_to_value(d: &Bound<'_, PyDict>, depth: usize) -> PyResult<Value> {
    let mut map = Map::with_capacity(d.len());
    for (k, v) in d.iter() {
        map.insert(key_string(&k)?, to_value_at(&v, depth + 1)?);
    }
    Ok(Value::Object(map))
}

/// A response object's fields, without the private (`_`-prefixed) ones.
fn public_dict_to_value(d: &Bound<'_, PyDict>, depth: usize) -> PyResult<Value> {
    let mut map = Map::with_capacity(d.len());
    for (k, v) in d.iter() {
        let key = key_string(&k)?;
        if key.starts_with('_') {
            continue;
        }
        map.insert(key, to_value_at(&v, depth + 1)?);
    }
    Ok(Value::Object(map))
}

fn key_string(k: &Bound<'_, PyAny>) -> PyResult<String> {
    match k.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Ok(k.str()?.to_cow()?.into_owned()),
    }
}

/// A JSON value as plain Python (dict, list, str, int, float, bool, None).
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_py(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

/// A JSON object as a Python dict.
pub(crate) fn map_to_py<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, to_py(py, v)?)?;
    }
    Ok(dict)
}

fn number_to_py<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        return Ok(i.into_pyobject(py)?.into_any());
    }
    if let Some(u) = n.as_u64() {
        return Ok(u.into_pyobject(py)?.into_any());
    }
    Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any())
}
