//! The HTTP handlers: authenticate, read the body, hand over to the chat
//! path (or embeddings, token counting, listings), answer failures in the
//! route's dialect, and record every call.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use llmrelay::{EmbeddingRequest, TokenInput};
use serde_json::{json, Map, Value};

use super::body::{read_json, read_json_sized};
use super::cache;
use super::call::{litellm_headers, take_call_fields, Call};
use super::chat::{bounded, serve_chat, settle_failure, Front, Served};
use super::metering::{self, RequestFacts};
use super::Gateway;
use crate::api_error::{json_response, ApiError, Dialect};
use crate::auth::Caller;
use crate::routing::CallSettings;
use llmrelay_ingress::{self as ingress, anthropic};

/// `POST /v1/chat/completions`.
pub async fn chat_completions(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    chat_route(gw, Front::Chat, headers, body).await
}

/// `POST /v1/completions`.
pub async fn completions(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    chat_route(gw, Front::Completions, headers, body).await
}

/// `POST /v1/messages`.
pub async fn messages(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Body) -> Response {
    chat_route(gw, Front::Messages, headers, body).await
}

/// `POST /v1/responses`.
pub async fn responses(State(gw): State<Arc<Gateway>>, headers: HeaderMap, body: Body) -> Response {
    chat_route(gw, Front::Responses, headers, body).await
}

async fn chat_route(gw: Arc<Gateway>, front: Front, headers: HeaderMap, body: Body) -> Response {
    let mut call = Call::new(front.route());
    let _in_flight = gw.metrics.start();
    let result = async {
        let ModelCall {
            caller,
            body,
            body_len,
            fields,
            cache,
        } = read_call(&gw, &headers, body).await?;
        let cache_plan = match front {
            Front::Chat => cache::plan(&gw, front.route(), front.call_type(), &body, cache)?,
            _ => None,
        };
        let request = front.to_chat(body)?;
        let mock = fields.route.mock_response.is_some();
        let facts = RequestFacts {
            call_type: front.call_type(),
            end_user: request.user.clone(),
            tags: fields.route.tags.clone(),
        };
        let admission = metering::admit(
            &gw,
            &caller,
            &request.model,
            |model| metering::chat_worst_case(model, &request, body_len, mock),
            facts,
        )
        .await?;
        if let Some(plan) = &cache_plan {
            if let Some(hit) = cache::lookup(&gw, plan).await {
                if gw.router.serves(&request.model) {
                    call.model_group = Some(request.model.clone());
                }
                return Ok(Served::Complete(
                    cache::answer(&mut call, plan, hit, admission).await,
                ));
            }
        }
        serve_chat(
            &gw, front, &mut call, request, fields, admission, cache_plan,
        )
        .await
    }
    .await;
    match result {
        Ok(Served::Complete(response)) => {
            call.record(&gw, 200, "completed");
            response
        }
        Ok(Served::Streaming(response)) => response,
        Err(error) => fail(&gw, &mut call, error, front.dialect()),
    }
}

/// What every model call reads first.
struct ModelCall {
    caller: Caller,
    /// The JSON body, without the fields taken into `fields` and `cache`.
    body: Map<String, Value>,
    /// The body's length: a bound on its tokens.
    body_len: usize,
    fields: CallSettings,
    /// The body's `cache` controls (server/cache.rs).
    cache: Option<Value>,
}

async fn read_call(gw: &Gateway, headers: &HeaderMap, body: Body) -> Result<ModelCall, ApiError> {
    let caller = gw.auth.authenticate(headers).await?;
    let (mut body, body_len) = read_json_sized(
        headers,
        body,
        gw.settings.max_body_bytes,
        gw.settings.body_read_timeout,
    )
    .await?;
    let cache = body.remove("cache");
    let fields = take_call_fields(&mut body, gw.settings.allow_client_credentials)?;
    Ok(ModelCall {
        caller,
        body,
        body_len,
        fields,
        cache,
    })
}

/// Records a failed call and renders its error with the call id.
fn fail(gw: &Gateway, call: &mut Call, error: ApiError, dialect: Dialect) -> Response {
    call.failed(&error);
    call.record(gw, error.status, "failed");
    let mut response = error.into_response(dialect);
    if let Ok(v) = HeaderValue::from_str(&call.id) {
        response.headers_mut().insert("x-litellm-call-id", v);
    }
    response
}

/// `POST /v1/embeddings`.
pub async fn embeddings(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut call = Call::new("embeddings");
    let _in_flight = gw.metrics.start();
    let result = async {
        let ModelCall {
            caller,
            body,
            body_len,
            fields,
            cache,
        } = read_call(&gw, &headers, body).await?;
        let cache_plan = cache::plan(&gw, "embeddings", "aembedding", &body, cache)?;
        let request: EmbeddingRequest = ingress::decode(Value::Object(body), "embeddings")?;
        if gw.router.serves(&request.model) {
            call.model_group = Some(request.model.clone());
        }
        let facts = RequestFacts {
            call_type: "aembedding",
            end_user: request.user.clone(),
            tags: fields.route.tags.clone(),
        };
        let admission = metering::admit(
            &gw,
            &caller,
            &request.model,
            |model| metering::worst_case_usd(model, body_len, Some(0)),
            facts,
        )
        .await?;
        if let Some(plan) = &cache_plan {
            if let Some(hit) = cache::lookup(&gw, plan).await {
                return Ok(cache::answer(&mut call, plan, hit, admission).await);
            }
        }
        let started = Instant::now();
        let limit = fields.timeout.unwrap_or(gw.settings.request_timeout);
        let routed = match bounded(limit, gw.router.embedding(request, &fields)).await {
            Ok(routed) => routed,
            Err(e) => return Err(settle_failure(&call, admission, e).await),
        };
        let upstream = started.elapsed();
        call.routed(&routed);
        call.model = Some(routed.value.model.clone());
        call.tokens = routed.value.usage.as_ref().map(|u| (u.prompt_tokens, 0));
        call.cost = routed.value.cost;
        let body = serde_json::to_value(&routed.value).unwrap_or(Value::Null);
        let mut response = json_response(StatusCode::OK, &body);
        if let Some(plan) = cache_plan {
            if let (name, Some(v)) = plan.header() {
                response.headers_mut().insert(name, v);
            }
            cache::store(&gw, plan, &body).await;
        }
        response
            .headers_mut()
            .extend(litellm_headers(&call, &routed, upstream));
        if let Some(admission) = admission {
            response.headers_mut().extend(admission.headers());
            admission.settle(call.outcome(true)).await;
        }
        Ok::<_, ApiError>(response)
    }
    .await;
    match result {
        Ok(response) => {
            call.record(&gw, 200, "completed");
            response
        }
        Err(error) => fail(&gw, &mut call, error, Dialect::OpenAi),
    }
}

/// `POST /v1/messages/count_tokens`: the prompt's tokens on the group's model.
pub async fn count_tokens(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        gw.auth.authenticate(&headers).await?;
        let body = read_json(
            &headers,
            body,
            gw.settings.max_body_bytes,
            gw.settings.body_read_timeout,
        )
        .await?;
        let request: anthropic::CountTokensRequest =
            ingress::decode(Value::Object(body), "count_tokens")?;
        let chat = anthropic::to_chat(request.into_messages_request())?;
        let model = gw
            .router
            .model_of(&chat.model)
            .unwrap_or_else(|| chat.model.clone());
        let messages: Vec<Value> = chat
            .messages
            .iter()
            .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
            .collect();
        let tools: Option<Vec<Value>> = chat.tools.as_ref().map(|t| {
            t.iter()
                .map(|t| serde_json::to_value(t).unwrap_or(Value::Null))
                .collect()
        });
        let n = llmrelay::token_counter(
            &model,
            TokenInput::Messages {
                messages: &messages,
                tools: tools.as_deref(),
            },
        )?;
        Ok::<_, ApiError>(json_response(StatusCode::OK, &json!({"input_tokens": n})))
    }
    .await;
    result.unwrap_or_else(|e| e.into_response(Dialect::Anthropic))
}

/// `GET /v1/models`: the model groups, OpenAI's list shape.
pub async fn models(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    let caller = match gw.auth.authenticate(&headers).await {
        Ok(caller) => caller,
        Err(e) => return e.into_response(Dialect::OpenAi),
    };
    // A key sees the models it may call.
    let allowed = |id: &String| caller.key().is_none_or(|k| k.check_model(id).is_ok());
    let data: Vec<Value> = gw
        .router
        .listed_models()
        .into_iter()
        .filter(allowed)
        .map(|id| json!({"id": id, "object": "model", "created": 1_677_610_602u64, "owned_by": "openai"}))
        .collect();
    json_response(StatusCode::OK, &json!({"object": "list", "data": data}))
}

/// `GET /model/info`: each deployment (no keys).
pub async fn model_info(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    if let Err(e) = gw.auth.authenticate(&headers).await {
        return e.into_response(Dialect::OpenAi);
    }
    json_response(StatusCode::OK, &json!({"data": gw.router.deployments()}))
}

/// `GET /health/liveliness`: the process answers.
pub async fn liveliness() -> Response {
    json_response(StatusCode::OK, &json!("I'm alive!"))
}

/// `GET /health/readiness`: ready to serve, with the state of the key
/// database and of the rate limiter's Redis. A database that is down is
/// "degraded" (cached keys keep working); a Redis that is down under the
/// fail-closed policy makes the gateway refuse keyed calls, so it is not
/// ready (503).
pub async fn readiness(State(gw): State<Arc<Gateway>>) -> Response {
    let mut body = json!({"status": "healthy", "db": "Not connected",
        "llmrelay_version": env!("CARGO_PKG_VERSION"),
        "model_groups": gw.router.model_names().len()});
    let mut status = StatusCode::OK;
    if let Some(control) = gw.control() {
        let health = control.health().await;
        gw.metrics.set_dependencies(health);
        body["db"] = json!(if health.database_up {
            "connected"
        } else {
            "disconnected"
        });
        body["rate_limiter"] = json!(crate::control_plane::limiter_state(health.limiter));
        if health.limiter == llmrelay_control::LimiterHealth::RedisDownFailClosed {
            body["status"] = json!("unhealthy");
            status = StatusCode::SERVICE_UNAVAILABLE;
        } else if !health.database_up
            || health.limiter == llmrelay_control::LimiterHealth::RedisDownLocalFallback
        {
            body["status"] = json!("degraded");
        }
    }
    json_response(status, &body)
}

/// `GET /health`: one tiny completion per deployment.
pub async fn health(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Response {
    if let Err(e) = gw.auth.authenticate(&headers).await {
        return e.into_response(Dialect::OpenAi);
    }
    let (healthy, unhealthy) = gw.router.probe().await;
    json_response(
        StatusCode::OK,
        &json!({"healthy_endpoints": healthy, "unhealthy_endpoints": unhealthy,
                "healthy_count": healthy.len(), "unhealthy_count": unhealthy.len()}),
    )
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(gw): State<Arc<Gateway>>) -> Response {
    if let Some(control) = gw.control() {
        gw.metrics.set_dependencies(control.health().await);
    }
    let text = gw.metrics.render(&gw.router.cooldowns());
    let mut response = Response::new(Body::from(text));
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}

/// Any other path: 404 in OpenAI's shape.
pub async fn not_found() -> Response {
    ApiError::new(404, "no such route").into_response(Dialect::OpenAi)
}
