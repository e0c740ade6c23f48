//! The attempt loop every routed call runs: pick a deployment, call it,
//! count the outcome; on failure cool down as due, retry (preferring
//! deployments not tried yet) within the retry budget, then try the fallback
//! groups in order with the same loop.

use std::time::Instant;

use llmrelay::{
    CallOptions, ChatRequest, ChatResponse, ChatStream, EmbeddingRequest, EmbeddingResponse, Error,
    ErrorKind, TokenInput,
};

use std::sync::Arc;

use crate::clock::Clock;
use crate::deployment::Deployment;
use crate::routed::{RouteOptions, Routed};
use crate::router::{Inner, Router};
use crate::select::{select, PickContext};
use crate::state::RouterState;
use crate::{cooldown, fallback, retry, stream_failover};

/// What is being routed.
pub(crate) enum CallKind {
    Chat(ChatRequest),
    Stream(ChatRequest),
    Embedding(EmbeddingRequest),
}

/// What came back (the response boxed: it is large and moves through the loop).
pub(crate) enum Answer {
    Chat(Box<ChatResponse>),
    Stream(ChatStream),
    Embedding(EmbeddingResponse),
}

impl CallKind {
    fn model(&self) -> &str {
        match self {
            CallKind::Chat(r) | CallKind::Stream(r) => &r.model,
            CallKind::Embedding(r) => &r.model,
        }
    }

    /// The request's `metadata.tags`, for tag filtering when the call gives none.
    fn metadata_tags(&self) -> Vec<String> {
        let metadata = match self {
            CallKind::Chat(r) | CallKind::Stream(r) => r.metadata.as_ref(),
            CallKind::Embedding(_) => None,
        };
        metadata
            .and_then(|m| m.get("tags"))
            .and_then(|t| t.as_array())
            .map(|tags| {
                tags.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A successful attempt on one group.
struct Success<'r> {
    answer: Answer,
    deployment: &'r Deployment,
    model: String,
}

/// Routes `call`: its group, then the fallback groups.
pub(crate) async fn run(
    router: &Router,
    call: CallKind,
    options: &RouteOptions,
) -> Result<Routed<Answer>, Error> {
    let inner = &router.inner;
    let requested = call.model().to_owned();
    let tags = if options.tags.is_empty() {
        call.metadata_tags()
    } else {
        options.tags.clone()
    };
    let mut retries = 0u32;
    let first = match try_group(router, &call, &requested, options, &tags, &mut retries).await {
        Ok(done) => return Ok(routed(done, &requested, retries, 0)),
        Err(e) => e,
    };
    let plan = fallback::plan(&inner.settings, options, &requested, &first);
    let mut fallbacks = 0u32;
    let mut last = None;
    for group in &plan {
        fallbacks += 1;
        match try_group(router, &call, group, options, &tags, &mut retries).await {
            Ok(done) => return Ok(routed(done, group, retries, fallbacks)),
            Err(e) => last = Some(e),
        }
    }
    let mut error = first;
    if let Some(last) = last {
        // LiteLLM raises the original error, saying what else was tried.
        error.message = format!(
            "{} (fallbacks tried: {}; the last failed with {last})",
            error.message,
            plan.join(", ")
        );
    }
    Err(error)
}

fn routed(done: Success<'_>, group: &str, retries: u32, fallbacks: u32) -> Routed<Answer> {
    Routed {
        value: done.answer,
        deployment_id: done.deployment.id().to_owned(),
        model_group: group.to_owned(),
        model: done.model,
        api_base: done.deployment.api_base().map(str::to_owned),
        attempted_retries: retries,
        attempted_fallbacks: fallbacks,
    }
}

/// Tries one group until an attempt succeeds or its retry budget is spent.
async fn try_group<'r>(
    router: &'r Router,
    call: &CallKind,
    group: &str,
    options: &RouteOptions,
    tags: &[String],
    retries_total: &mut u32,
) -> Result<Success<'r>, Error> {
    let inner: &'r Inner = &router.inner;
    let members = router.group(group)?;
    let slots = members.slots.as_slice();
    let input_tokens = prompt_tokens(inner, call, slots);
    let mut tried: Vec<usize> = Vec::new();
    let mut retries = 0u32;
    loop {
        let ctx = PickContext {
            tags,
            region: options.allowed_region.as_deref(),
            input_tokens,
            tried: &tried,
        };
        let deployment = select(inner, group, members, &ctx)?;
        let model = deployment.model_for(group);
        let started = Instant::now();
        let result = attempt(inner, deployment, &model, call, options).await;
        let now = inner.clock.now_ms();
        match result {
            Ok(answer) => {
                let state = inner.state.as_ref();
                state.record_latency(
                    deployment.slot(),
                    now,
                    started.elapsed(),
                    inner.settings.latency_ttl,
                );
                state.record_tokens(deployment.slot(), now, tokens_used(&answer));
                return Ok(Success {
                    answer,
                    deployment,
                    model,
                });
            }
            Err(error) => {
                let state = inner.state.as_ref();
                cooldown::record_failure(
                    &inner.settings,
                    state,
                    deployment.slot(),
                    slots.len(),
                    &error,
                    now,
                );
                tried.push(deployment.slot());
                let alternative = slots.iter().any(|&s| {
                    !tried.contains(&s) && state.cooldown_until(s) <= inner.clock.now_ms()
                });
                let budget = retry::retries_for(&inner.settings, options.num_retries, &error);
                if retries >= budget || (retry::needs_another_deployment(&error) && !alternative) {
                    return Err(error);
                }
                let wait =
                    retry::wait(&inner.settings, inner.backoff, &error, retries, alternative);
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
                retries += 1;
                *retries_total += 1;
            }
        }
    }
}

/// One call to one deployment, counted in flight while it runs.
async fn attempt(
    inner: &Inner,
    deployment: &Deployment,
    model: &str,
    call: &CallKind,
    options: &RouteOptions,
) -> Result<Answer, Error> {
    let guard = InFlight::start(inner, deployment.slot());
    let mut call_options: CallOptions = deployment.cold.options.clone();
    if options.mock_response.is_some() {
        call_options.mock_response = options.mock_response.clone();
    }
    if options.timeout.is_some() {
        call_options.timeout = options.timeout;
    }
    match call {
        CallKind::Chat(request) => {
            let mut request = request.clone();
            request.model = model.to_owned();
            let mut response = inner.client.completion(request, &call_options).await?;
            apply_custom_prices(deployment, &mut response);
            Ok(Answer::Chat(Box::new(response)))
        }
        CallKind::Embedding(request) => {
            let mut request = request.clone();
            request.model = model.to_owned();
            let response = inner.client.embedding(request, &call_options).await?;
            Ok(Answer::Embedding(response))
        }
        CallKind::Stream(request) => {
            let mut request = request.clone();
            request.model = model.to_owned();
            let deadline = deployment.cold.stream_timeout;
            stream_failover::open(&inner.client, request, &call_options, deadline, guard)
                .await
                .map(Answer::Stream)
        }
    }
}

/// Counts a call in flight from creation until dropped (so a cancelled call
/// or a dropped stream is counted out too).
pub(crate) struct InFlight {
    usage: UsageCounter,
}

/// Adds a call's tokens to its deployment's usage.
#[derive(Clone)]
pub(crate) struct UsageCounter {
    state: Arc<dyn RouterState>,
    clock: Arc<dyn Clock>,
    slot: usize,
}

impl UsageCounter {
    /// Counts tokens a stream reported in its usage chunk.
    pub(crate) fn record_tokens(&self, tokens: u64) {
        self.state
            .record_tokens(self.slot, self.clock.now_ms(), tokens);
    }
}

impl InFlight {
    fn start(inner: &Inner, slot: usize) -> Self {
        inner.state.start_call(slot, inner.clock.now_ms());
        InFlight {
            usage: UsageCounter {
                state: inner.state.clone(),
                clock: inner.clock.clone(),
                slot,
            },
        }
    }

    /// A counter of this call's tokens that does not keep it in flight.
    pub(crate) fn usage_counter(&self) -> UsageCounter {
        self.usage.clone()
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.usage.state.end_call(self.usage.slot);
    }
}

/// Prompt tokens for the context-window pre-call check, counted once per
/// group and only when some deployment of it has a known window.
fn prompt_tokens(inner: &Inner, call: &CallKind, slots: &[usize]) -> Option<u64> {
    if !inner.settings.enable_pre_call_checks {
        return None;
    }
    let (CallKind::Chat(request) | CallKind::Stream(request)) = call else {
        return None;
    };
    let first = slots
        .iter()
        .map(|&s| &inner.deployments[s])
        .find(|d| d.max_input_tokens().is_some())?;
    let messages = serde_json::to_value(&request.messages).ok()?;
    let tools = request
        .tools
        .as_ref()
        .and_then(|t| serde_json::to_value(t).ok());
    let input = TokenInput::Messages {
        messages: messages.as_array().map(Vec::as_slice).unwrap_or(&[]),
        tools: tools.as_ref().and_then(|t| t.as_array()).map(Vec::as_slice),
    };
    let model = first.model_for(&request.model);
    llmrelay::token_counter(&model, input)
        .ok()
        .map(|n| n as u64)
}

fn tokens_used(answer: &Answer) -> u64 {
    match answer {
        Answer::Chat(r) => r.usage.as_ref().map_or(0, |u| u.total_tokens),
        Answer::Embedding(r) => r.usage.as_ref().map_or(0, |u| u.total_tokens),
        // Known only when the stream ends; rpm still counts the request.
        Answer::Stream(_) => 0,
    }
}

/// A deployment's own prices (`input_cost_per_token`...) replace the catalog's.
fn apply_custom_prices(deployment: &Deployment, response: &mut ChatResponse) {
    let params = &deployment.cold.config.litellm_params;
    if params.input_cost_per_token.is_none() && params.output_cost_per_token.is_none() {
        return;
    }
    if let Some(usage) = &response.usage {
        response.cost = Some(
            usage.prompt_tokens as f64 * params.input_cost_per_token.unwrap_or(0.0)
                + usage.completion_tokens as f64 * params.output_cost_per_token.unwrap_or(0.0),
        );
    }
}

fn mismatch() -> Error {
    Error::new(
        ErrorKind::InternalServer,
        "the router answered a call with another kind of answer",
    )
}

/// The routing facts without the answer, and the answer.
fn split(routed: Routed<Answer>) -> (Routed<()>, Answer) {
    let mut answer = None;
    let shell = routed.map(|a| answer = Some(a));
    match answer {
        Some(a) => (shell, a),
        None => (shell, Answer::Chat(Box::default())),
    }
}

pub(crate) fn into_chat(routed: Routed<Answer>) -> Result<Routed<ChatResponse>, Error> {
    match split(routed) {
        (shell, Answer::Chat(c)) => Ok(shell.map(|()| *c)),
        _ => Err(mismatch()),
    }
}

pub(crate) fn into_stream(routed: Routed<Answer>) -> Result<Routed<ChatStream>, Error> {
    match split(routed) {
        (shell, Answer::Stream(s)) => Ok(shell.map(|()| s)),
        _ => Err(mismatch()),
    }
}

pub(crate) fn into_embedding(routed: Routed<Answer>) -> Result<Routed<EmbeddingResponse>, Error> {
    match split(routed) {
        (shell, Answer::Embedding(e)) => Ok(shell.map(|()| e)),
        _ => Err(mismatch()),
    }
}
