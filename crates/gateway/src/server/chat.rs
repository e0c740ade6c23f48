//! Every chat-shaped route (OpenAI chat, text completions, Anthropic
//! Messages, Responses) through one path: translate in, route, translate out,
//! as one JSON body or as server-sent events.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures_util::{FutureExt, StreamExt};
use llmrelay::types::StreamOptions;
use llmrelay::{ChatChunk, ChatRequest, ChatResponse, ChatStream, ServiceTier};
use serde_json::{Map, Value};

use super::call::{litellm_headers, Call};
use super::metering::{unix_ms, Admission};
use super::Gateway;
use crate::api_error::{json_response, ApiError, Dialect};
use crate::routing::CallSettings;
use llmrelay_ingress::{self as ingress, anthropic, completions, responses, SseEvent};

/// Which API a chat-shaped route speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// `/v1/chat/completions`.
    Chat,
    /// `/v1/completions`.
    Completions,
    /// `/v1/messages`.
    Messages,
    /// `/v1/responses`.
    Responses,
}

impl Front {
    /// The route's metric and log name.
    pub fn route(self) -> &'static str {
        match self {
            Front::Chat => "chat_completions",
            Front::Completions => "completions",
            Front::Messages => "messages",
            Front::Responses => "responses",
        }
    }

    /// LiteLLM's `call_type` of the route, for spend logs.
    pub fn call_type(self) -> &'static str {
        match self {
            Front::Chat => "acompletion",
            Front::Completions => "atext_completion",
            Front::Messages => "anthropic_messages",
            Front::Responses => "aresponses",
        }
    }

    /// The error shape of the route.
    pub fn dialect(self) -> Dialect {
        match self {
            Front::Messages => Dialect::Anthropic,
            _ => Dialect::OpenAi,
        }
    }

    /// The body as a `ChatRequest`.
    pub fn to_chat(self, body: Map<String, Value>) -> Result<ChatRequest, ApiError> {
        let body = Value::Object(body);
        let request = match self {
            Front::Chat => ingress::decode(body, "chat completion")?,
            Front::Completions => completions::to_chat(ingress::decode(body, "completion")?)?,
            Front::Messages => anthropic::to_chat(ingress::decode(body, "messages")?)?,
            Front::Responses => responses::to_chat(ingress::decode(body, "responses")?)?,
        };
        Ok(request)
    }

    fn render(self, response: &ChatResponse, model: &str) -> Value {
        match self {
            Front::Chat => serde_json::to_value(response).unwrap_or(Value::Null),
            Front::Completions => completions::from_chat(response, model),
            Front::Messages => anthropic::from_chat(response, model),
            Front::Responses => responses::from_chat(response, model, &ingress::new_id("resp_")),
        }
    }
}

/// Per-front stream state.
enum Encoder {
    Chat { include_usage: bool },
    Completions { model: String, include_usage: bool },
    Messages(anthropic::MessagesEncoder),
    Responses(responses::ResponsesEncoder),
}

impl Encoder {
    fn new(front: Front, model: &str, include_usage: bool) -> Self {
        match front {
            Front::Chat => Encoder::Chat { include_usage },
            Front::Completions => Encoder::Completions {
                model: model.to_string(),
                include_usage,
            },
            Front::Messages => Encoder::Messages(anthropic::MessagesEncoder::new(model)),
            Front::Responses => Encoder::Responses(responses::ResponsesEncoder::new(
                model,
                &ingress::new_id("resp_"),
                unix_secs(),
            )),
        }
    }

    fn chunk(&mut self, chunk: &ChatChunk) -> Vec<SseEvent> {
        match self {
            Encoder::Chat { include_usage } => openai_chunk(chunk, *include_usage, |c| {
                serde_json::to_string(c).unwrap_or_default()
            }),
            Encoder::Completions {
                model,
                include_usage,
            } => openai_chunk(chunk, *include_usage, |c| {
                completions::chunk_from_chat(c, model).to_string()
            }),
            Encoder::Messages(e) => e.chunk(chunk),
            Encoder::Responses(e) => e.chunk(chunk),
        }
    }

    fn finish(&mut self) -> Vec<SseEvent> {
        match self {
            Encoder::Chat { .. } | Encoder::Completions { .. } => vec![SseEvent::data("[DONE]")],
            Encoder::Messages(e) => e.finish(),
            Encoder::Responses(e) => e.finish(),
        }
    }

    fn error(&mut self, error: &ApiError) -> Vec<SseEvent> {
        match self {
            Encoder::Chat { .. } | Encoder::Completions { .. } => {
                vec![
                    SseEvent::data(error.body(Dialect::OpenAi).to_string()),
                    SseEvent::data("[DONE]"),
                ]
            }
            Encoder::Messages(e) => e.error(error.anthropic_type(), &error.message),
            Encoder::Responses(e) => {
                e.error(error.openai_type(), &error.message, error.param.as_deref())
            }
        }
    }
}

/// OpenAI-style chunks: the usage-only chunk the gateway asked for on its own
/// account is not passed on to a client that did not ask for it.
fn openai_chunk(
    chunk: &ChatChunk,
    include_usage: bool,
    render: impl Fn(&ChatChunk) -> String,
) -> Vec<SseEvent> {
    if chunk.usage.is_some() && !include_usage {
        if chunk.choices.is_empty() {
            return Vec::new();
        }
        let mut bare = chunk.clone();
        bare.usage = None;
        return vec![SseEvent::data(render(&bare))];
    }
    vec![SseEvent::data(render(chunk))]
}

/// How a request was answered.
pub enum Served {
    /// A whole response: the handler records the call.
    Complete(Response),
    /// A stream: the call moved into the body, which records it when it ends.
    Streaming(Response),
}

/// Serves `request` (already translated) for `front`.
pub async fn serve_chat(
    gw: &Arc<Gateway>,
    front: Front,
    call: &mut Call,
    mut request: ChatRequest,
    settings: CallSettings,
    admission: Option<Admission>,
    cache: Option<super::cache::CachePlan>,
) -> Result<Served, ApiError> {
    if gw.router.serves(&request.model) {
        call.model_group = Some(request.model.clone());
    }
    let model = request.model.clone();
    if request.is_stream() {
        // Usage is always asked for upstream, for logs, metrics and spend.
        let client_wants_usage = request
            .stream_options
            .as_ref()
            .and_then(|o| o.include_usage)
            .unwrap_or(false);
        request
            .stream_options
            .get_or_insert_with(StreamOptions::default)
            .include_usage = Some(true);
        let limit = settings.timeout.unwrap_or(gw.settings.request_timeout);
        let upstream_start = Instant::now();
        // Bounded to the first chunk (the router holds the stream until then).
        let routed = match bounded(limit, gw.router.completion_stream(request, &settings)).await {
            Ok(routed) => routed,
            Err(e) => return Err(settle_failure(call, admission, e).await),
        };
        call.routed(&routed);
        call.first_token_ms = Some(unix_ms());
        let mut headers = litellm_headers(call, &routed, upstream_start.elapsed());
        if let Some(admission) = &admission {
            headers.extend(admission.headers());
        }
        let encoder = Encoder::new(front, &model, client_wants_usage || front != Front::Chat);
        let mut response = sse_response(
            gw,
            std::mem::replace(call, Call::new(front.route())),
            routed.value,
            encoder,
            admission,
        );
        response.headers_mut().extend(headers);
        return Ok(Served::Streaming(response));
    }
    let limit = settings.timeout.unwrap_or(gw.settings.request_timeout);
    let upstream_start = Instant::now();
    let routed = match bounded(limit, gw.router.completion(request, &settings)).await {
        Ok(routed) => routed,
        Err(e) => return Err(settle_failure(call, admission, e).await),
    };
    let upstream = upstream_start.elapsed();
    call.routed(&routed);
    call.model = Some(routed.value.model.clone());
    if let Some(u) = &routed.value.usage {
        call.tokens = Some((u.prompt_tokens, u.completion_tokens));
    }
    call.cost = routed.value.cost;
    let body = front.render(&routed.value, &model);
    let headers = litellm_headers(call, &routed, upstream);
    let mut response = json_response(StatusCode::OK, &body);
    response.headers_mut().extend(headers);
    if let Some(plan) = cache {
        if let (name, Some(v)) = plan.header() {
            response.headers_mut().insert(name, v);
        }
        super::cache::store(gw, plan, &body).await;
    }
    if let Some(admission) = admission {
        response.headers_mut().extend(admission.headers());
        // The spend row is journalled before the answer leaves.
        admission.settle(call.outcome(true)).await;
    }
    Ok(Served::Complete(response))
}

/// Settles a failed call's admission (no cost, a failure row) and hands the
/// error back.
pub(super) async fn settle_failure(
    call: &Call,
    admission: Option<Admission>,
    error: ApiError,
) -> ApiError {
    if let Some(admission) = admission {
        admission.settle(call.outcome(false)).await;
    }
    error
}

/// `call`, or a 408 Timeout once `limit` has passed (retries and fallbacks included).
pub async fn bounded<T>(
    limit: Duration,
    call: impl std::future::Future<Output = Result<T, llmrelay::Error>>,
) -> Result<T, ApiError> {
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(_) => Err(ApiError::from(llmrelay::Error::new(
            llmrelay::ErrorKind::Timeout,
            format!(
                "no answer within the request's timeout of {:.1}s",
                limit.as_secs_f64()
            ),
        ))),
    }
}

/// What a streaming response body owns: dropping it (the client left)
/// drops the upstream stream, which closes the upstream connection.
struct Streaming {
    gw: Arc<Gateway>,
    call: Call,
    stream: ChatStream,
    encoder: Encoder,
    ended: bool,
    recorded: bool,
    /// A virtual key's admission, settled when the stream ends.
    admission: Option<Admission>,
    /// Characters of content streamed so far: what a stream cut by its
    /// client is charged for (it never sees the usage chunk).
    streamed_chars: usize,
    _in_flight: crate::metrics::InFlight,
}

impl Streaming {
    fn finish(&mut self, outcome: &str) {
        if !self.recorded {
            self.recorded = true;
            self.call.record(&self.gw, 200, outcome);
        }
    }

    /// The next bytes to send, or `None` at the end. Chunks the upstream
    /// delivered together (one read holding several events) leave in one
    /// body frame: one write to the client instead of one per event.
    async fn next_bytes(&mut self) -> Option<Bytes> {
        let mut out = Vec::new();
        while !self.ended && out.len() < COALESCE_BYTES {
            // Wait only while there is nothing to send; then take what is
            // ready without waiting.
            let item = if out.is_empty() {
                self.stream.next().await
            } else {
                match self.ready_item().await {
                    Some(item) => item,
                    None => break,
                }
            };
            for event in self.absorb(item).await {
                event.write_to(&mut out);
            }
        }
        if out.is_empty() {
            self.finish(if self.call.error.is_some() {
                "failed"
            } else {
                "completed"
            });
            return None;
        }
        Some(Bytes::from(out))
    }

    /// The stream's next item if it is ready now, or after one turn of the
    /// scheduler: hyper's client hands the body over one HTTP chunk at a
    /// time from its connection task, so events that arrived in one read
    /// still reach this task one turn apart. `None`: nothing is ready.
    async fn ready_item(&mut self) -> Option<Option<Result<ChatChunk, llmrelay::Error>>> {
        if let Some(item) = self.stream.next().now_or_never() {
            return Some(item);
        }
        tokio::task::yield_now().await;
        self.stream.next().now_or_never()
    }

    /// Accounts for one item of the upstream stream (`None`: its end) and
    /// gives the events it becomes.
    async fn absorb(&mut self, item: Option<Result<ChatChunk, llmrelay::Error>>) -> Vec<SseEvent> {
        match item {
            Some(Ok(chunk)) => {
                if self.admission.is_some() {
                    self.streamed_chars += chunk
                        .choices
                        .iter()
                        .filter_map(|c| c.delta.content.as_deref())
                        .map(str::len)
                        .sum::<usize>();
                }
                if self.call.model.is_none() {
                    self.call.model = Some(chunk.model.clone());
                }
                if let Some(u) = &chunk.usage {
                    self.call.tokens = Some((u.prompt_tokens, u.completion_tokens));
                    // The SDK prices the usage chunk (custom prices
                    // included); the catalog is the fallback.
                    self.call.cost = chunk.cost.or_else(|| {
                        llmrelay::cost_per_token(
                            &chunk.model,
                            &u.to_billing(),
                            ServiceTier::Standard,
                        )
                        .ok()
                        .map(|c| c.total())
                    });
                }
                self.encoder.chunk(&chunk)
            }
            Some(Err(e)) => {
                self.ended = true;
                let error = ApiError::from(e);
                self.call.failed(&error);
                self.settle(false).await;
                self.encoder.error(&error)
            }
            None => {
                self.ended = true;
                self.settle(true).await;
                self.encoder.finish()
            }
        }
    }
}

/// How many bytes of ready events one body frame gathers at most.
const COALESCE_BYTES: usize = 16 * 1024;

impl Streaming {
    /// Settles the key's admission before the last events go out, so a
    /// client that saw the end of the stream has its spend journalled.
    async fn settle(&mut self, success: bool) {
        if let Some(admission) = self.admission.take() {
            admission.settle(self.outcome(success)).await;
        }
    }

    /// The call's outcome; a stream that ended without its usage chunk (an
    /// upstream error mid-stream, a client that left) is charged for the
    /// content it streamed.
    fn outcome(&self, success: bool) -> super::metering::Outcome {
        let mut outcome = self.call.outcome(success);
        if outcome.cost.is_none() && self.streamed_chars > 0 {
            outcome.cost = streamed_cost(&outcome.model, self.streamed_chars);
        }
        outcome
    }
}

impl Drop for Streaming {
    fn drop(&mut self) {
        // Dropped before its end: the client went away mid-stream.
        self.finish("cancelled");
        if let Some(admission) = self.admission.take() {
            let outcome = self.outcome(false);
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(admission.settle(outcome));
            }
        }
    }
}

/// The price of `chars` characters of completion on `model`, at the
/// tokenizer-free estimate of one token per four characters (rounded up).
fn streamed_cost(model: &str, chars: usize) -> Option<f64> {
    super::metering::price(model, 0, chars.div_ceil(4) as u64)
}

fn sse_response(
    gw: &Arc<Gateway>,
    call: Call,
    stream: ChatStream,
    encoder: Encoder,
    admission: Option<Admission>,
) -> Response {
    let state = Streaming {
        gw: Arc::clone(gw),
        call,
        stream,
        encoder,
        ended: false,
        recorded: false,
        admission,
        streamed_chars: 0,
        _in_flight: gw.metrics.start(),
    };
    let body = futures_util::stream::unfold(state, |mut s| async move {
        s.next_bytes().await.map(|b| (Ok::<_, Infallible>(b), s))
    });
    let mut response = Response::new(Body::from_stream(body));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
