//! The response cache on the request path (`litellm_settings.cache`), for
//! non-streamed `/chat/completions` and `/embeddings`, as LiteLLM's proxy
//! does it: the key is LiteLLM's key of the request body (llmrelay-cache),
//! the body's `cache: {"no-cache", "no-store", "ttl", "s-maxage"}` controls
//! one request, and a hit answers without calling the upstream, with
//! `x-litellm-cache-key` and a cost of 0 (a virtual key's admission is
//! settled at 0 too).
//!
//! A cache failure never fails a request: a read that fails is a miss, a
//! write that fails is skipped; both are logged and counted
//! (`llmrelay_cache_errors_total`), next to `llmrelay_cache_hits_total` and
//! `llmrelay_cache_misses_total`.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use llmrelay_cache::key::message_count;
use llmrelay_cache::{CacheControl, CallArgs, ResponseCache, Store};
use serde_json::{Map, Value};

use super::call::Call;
use super::metering::Admission;
use super::Gateway;
use crate::api_error::{json_response, ApiError};

/// What the cache does for one request: its key and controls.
#[derive(Debug, Clone)]
pub struct CachePlan {
    cache: Arc<ResponseCache>,
    key: String,
    control: CacheControl,
    route: &'static str,
}

impl CachePlan {
    /// `x-litellm-cache-key`.
    pub fn header(&self) -> (&'static str, Option<HeaderValue>) {
        ("x-litellm-cache-key", HeaderValue::from_str(&self.key).ok())
    }
}

/// The cache's part in a request with `body` (its call fields taken out)
/// and the body's `cache` field: None when the gateway has no cache, the
/// request streams, or the cache's policy leaves it out (call type,
/// `max_messages`, `default_off` mode). A malformed `cache` field is a 400.
pub fn plan(
    gw: &Gateway,
    route: &'static str,
    call_type: &str,
    body: &Map<String, Value>,
    control: Option<Value>,
) -> Result<Option<CachePlan>, ApiError> {
    let Some(cache) = &gw.cache else {
        return Ok(None);
    };
    let control = CacheControl::from_json(control.as_ref().unwrap_or(&Value::Null))
        .map_err(|e| ApiError::bad_request(e.to_string()).with_param("cache"))?;
    if body.get("stream") == Some(&Value::Bool(true))
        || !cache
            .policy()
            .applies(call_type, message_count(body), &control)
    {
        return Ok(None);
    }
    let mut args = CallArgs::from_json(body);
    if let Some(ns) = &control.namespace {
        args.set(
            "cache",
            llmrelay_cache::Arg::Json(serde_json::json!({ "namespace": ns })),
        );
    }
    Ok(Some(CachePlan {
        cache: Arc::clone(cache),
        key: cache.key(&args),
        control,
        route,
    }))
}

/// The stored answer for `plan`, counted as a hit or a miss; a failing
/// store is a miss (logged, counted as an error).
pub async fn lookup(gw: &Gateway, plan: &CachePlan) -> Option<Value> {
    if plan.control.no_cache {
        return None;
    }
    match plan.cache.lookup(&plan.key, &plan.control).await {
        Ok(Some(hit)) => {
            gw.metrics
                .cache_event("llmrelay_cache_hits_total", plan.route, None);
            Some(hit)
        }
        Ok(None) => {
            gw.metrics
                .cache_event("llmrelay_cache_misses_total", plan.route, None);
            None
        }
        Err(e) => {
            eprintln!("llmrelay: cache read failed (answering from upstream): {e}");
            gw.metrics
                .cache_event("llmrelay_cache_errors_total", plan.route, Some("read"));
            None
        }
    }
}

/// Answers a hit: the stored body, LiteLLM's headers, cost 0; a virtual
/// key's admission is settled at 0.
pub async fn answer(
    call: &mut Call,
    plan: &CachePlan,
    hit: Value,
    admission: Option<Admission>,
) -> Response {
    let model = hit.get("model").and_then(Value::as_str).map(str::to_string);
    let model_group = call.model_group.clone();
    call.model = model.or(model_group);
    call.tokens = hit.get("usage").map(|u| {
        let n = |k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0);
        (n("prompt_tokens"), n("completion_tokens"))
    });
    call.cost = Some(0.0);
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: Option<HeaderValue>| {
        if let Some(v) = value {
            headers.insert(name, v);
        }
    };
    put("x-litellm-call-id", HeaderValue::from_str(&call.id).ok());
    let (name, value) = plan.header();
    put(name, value);
    put(
        "x-litellm-response-cost",
        Some(HeaderValue::from_static("0.0")),
    );
    if let Some(group) = &call.model_group {
        put("x-litellm-model-group", HeaderValue::from_str(group).ok());
    }
    let mut response = json_response(StatusCode::OK, &hit);
    response.headers_mut().extend(headers);
    if let Some(admission) = admission {
        response.headers_mut().extend(admission.headers());
        admission.settle(call.outcome(true)).await;
    }
    response
}

/// Stores an upstream answer under `plan`'s key (unless `no-store`). An
/// in-process store is written at once; Redis and disk writes run off the
/// request path. A failed write is logged and counted, never returned.
pub async fn store(gw: &Gateway, plan: CachePlan, body: &Value) {
    if plan.control.no_store {
        return;
    }
    let metrics = Arc::clone(&gw.metrics);
    let body = body.clone();
    let write = async move {
        if let Err(e) = plan.cache.insert(&plan.key, body, &plan.control).await {
            eprintln!("llmrelay: cache write failed (answer not cached): {e}");
            metrics.cache_event("llmrelay_cache_errors_total", plan.route, Some("write"));
        }
    };
    match gw.cache.as_deref().map(ResponseCache::store) {
        Some(Store::Memory(_)) => write.await,
        _ => {
            tokio::spawn(write);
        }
    }
}
