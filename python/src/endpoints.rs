//! `moderation`, `image_generation` and `rerank` (and their async forms):
//! one call shape for the three. The call is parsed with the GIL held
//! (LiteLLM's keyword arguments -> the SDK's request and options), runs with
//! it released, and its answer becomes LiteLLM's object (`ImageResponse`,
//! `RerankResponse`, the moderation response) with `_hidden_params`.

use llmrelay::{
    CallOptions, Client, Error, ImageGenerationRequest, ModerationRequest, RerankRequest,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::catalog::ensure_overrides;
use crate::errors::{self, IntoPyResult};
use crate::objects::{self, Kind};
use crate::params::{self, Mock};
use crate::response::{Meta, Ready};
use crate::runtime;

/// Which endpoint a call goes to.
#[derive(Clone, Copy)]
enum Endpoint {
    Moderation,
    Image,
    Rerank,
}

impl Endpoint {
    fn named(name: &str) -> PyResult<Endpoint> {
        match name {
            "moderation" => Ok(Endpoint::Moderation),
            "image_generation" => Ok(Endpoint::Image),
            "rerank" => Ok(Endpoint::Rerank),
            other => Err(errors::value_error(format!("unknown endpoint `{other}`"))),
        }
    }

    /// The argument the call's first positional value fills.
    fn first_field(self) -> &'static str {
        match self {
            Endpoint::Moderation => "input",
            Endpoint::Image => "prompt",
            Endpoint::Rerank => "query",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Endpoint::Moderation => Kind::ModerationResponse,
            Endpoint::Image => Kind::ImageResponse,
            Endpoint::Rerank => Kind::RerankResponse,
        }
    }
}

/// A parsed call: the request body, the options and where it goes.
struct Prepared {
    endpoint: Endpoint,
    body: Map<String, Value>,
    options: CallOptions,
    meta: Meta,
}

/// The answer as JSON and its cost.
type Answer = (Value, Option<f64>);

/// Parses a call, or gives what its mock (an exception or a response object) asks for.
fn prepare(
    py: Python<'_>,
    endpoint: &str,
    model: &str,
    first: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Result<Prepared, PyResult<Py<PyAny>>>> {
    ensure_overrides()?;
    let endpoint = Endpoint::named(endpoint)?;
    let call = params::parse(py, model, (endpoint.first_field(), first), kwargs)?;
    match call.mock {
        Mock::Raise(err) => return Ok(Err(Err(err))),
        Mock::Object(obj) => return Ok(Err(Ok(obj))),
        _ => {}
    }
    let meta = Meta::new(call.model(), call.options.api_base.as_deref());
    Ok(Ok(Prepared {
        endpoint,
        body: call.body,
        options: call.options,
        meta,
    }))
}

/// The SDK call `prepared` describes, ready to run without the GIL.
fn run(
    py: Python<'_>,
    prepared: Prepared,
) -> PyResult<impl std::future::Future<Output = Result<Answer, Error>> + Send + 'static> {
    let client: Client = runtime::client();
    let model = prepared
        .body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let body = Value::Object(prepared.body);
    let invalid =
        |e: serde_json::Error| errors::bad_request(py, &model, &format!("invalid request: {e}"));
    let options = prepared.options;
    enum Request {
        Moderation(ModerationRequest),
        Image(ImageGenerationRequest),
        Rerank(RerankRequest),
    }
    let request = match prepared.endpoint {
        Endpoint::Moderation => Request::Moderation(serde_json::from_value(body).map_err(invalid)?),
        Endpoint::Image => Request::Image(serde_json::from_value(body).map_err(invalid)?),
        Endpoint::Rerank => Request::Rerank(serde_json::from_value(body).map_err(invalid)?),
    };
    Ok(async move {
        match request {
            Request::Moderation(r) => {
                let answer = client.moderation(r, &options).await?;
                Ok((to_json(&answer), None))
            }
            Request::Image(r) => {
                let answer = client.image_generation(r, &options).await?;
                Ok((to_json(&answer), answer.cost))
            }
            Request::Rerank(r) => {
                let answer = client.rerank(r, &options).await?;
                Ok((to_json(&answer), answer.cost))
            }
        }
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// LiteLLM reads moderations through the `openai` package's model, so its
/// category names are Python attribute names: `self-harm/intent` is
/// `self_harm_intent`.
fn python_category_names(result: &mut Value) {
    for field in [
        "categories",
        "category_scores",
        "category_applied_input_types",
    ] {
        if let Some(Value::Object(map)) = result.get_mut(field) {
            *map = std::mem::take(map)
                .into_iter()
                .map(|(name, value)| (name.replace(['/', '-'], "_"), value))
                .collect();
        }
    }
}

/// LiteLLM's object for an answer, with its `_hidden_params`.
fn object<'py>(
    py: Python<'py>,
    endpoint: Endpoint,
    (value, cost): Answer,
    meta: &Meta,
) -> PyResult<Bound<'py, PyAny>> {
    let mut map = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if let (Endpoint::Moderation, Some(Value::Array(results))) = (endpoint, map.get_mut("results"))
    {
        results.iter_mut().for_each(python_category_names);
    }
    let obj = objects::build(py, endpoint.kind(), &map)?;
    objects::set_hidden(&obj, &meta.hidden(py, cost)?)?;
    Ok(obj)
}

/// The answer of an async call, converted once the GIL is held.
struct Outcome {
    endpoint: Endpoint,
    answer: Result<Answer, Error>,
    meta: Meta,
}

impl<'py> IntoPyObject<'py> for Outcome {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self.answer {
            Ok(answer) => object(py, self.endpoint, answer, &self.meta),
            Err(err) => Err(errors::to_py(py, err)),
        }
    }
}

/// `moderation`, `image_generation` or `rerank`, blocking.
#[pyfunction]
#[pyo3(signature = (endpoint, model, first=None, **kwargs))]
pub(crate) fn _endpoint(
    py: Python<'_>,
    endpoint: &str,
    model: &str,
    first: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let prepared = match prepare(py, endpoint, model, first, kwargs)? {
        Ok(prepared) => prepared,
        Err(done) => return done,
    };
    let (kind, meta) = (prepared.endpoint, prepared.meta.clone());
    let answer = runtime::run(py, false, run(py, prepared)?)?.py_err(py)?;
    Ok(object(py, kind, answer, &meta)?.unbind())
}

/// The awaitable behind `amoderation`, `aimage_generation` and `arerank`.
#[pyfunction]
#[pyo3(signature = (endpoint, model, first=None, **kwargs))]
pub(crate) fn _aendpoint<'py>(
    py: Python<'py>,
    endpoint: &str,
    model: &str,
    first: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let prepared = match prepare(py, endpoint, model, first, kwargs)? {
        Ok(prepared) => prepared,
        Err(done) => return Ok(Bound::new(py, Ready::new(done))?.into_any()),
    };
    let (kind, meta) = (prepared.endpoint, prepared.meta.clone());
    let call = run(py, prepared)?;
    runtime::awaitable(py, async move {
        Ok(Outcome {
            endpoint: kind,
            answer: call.await,
            meta,
        })
    })
}
