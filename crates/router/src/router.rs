//! [`Router`]: construction (config checked against the catalog), the calls
//! (chat, streamed chat, embeddings) and what it reports about deployments.

use std::sync::Arc;
use std::time::Duration;

use llmrelay::{
    ChatRequest, ChatResponse, ChatStream, Client, EmbeddingRequest, EmbeddingResponse, Error,
    ErrorKind,
};

use crate::clock::{Clock, SystemClock};
use crate::config::{ConfigError, RouterConfig, RouterSettings};
use crate::deployment::Deployment;
use crate::failover::{self, CallKind};
use crate::groups::{Group, Groups};
use crate::routed::{RouteOptions, Routed};
use crate::select::{select, PickContext};
use crate::state::{InMemoryState, RouterState};
use crate::strategy::{builtin, Strategy};

/// LiteLLM's `Router`: several deployments behind each public model name,
/// with load balancing, retries, cooldowns and fallbacks. Cheap to clone
/// (clones share state); safe to use from many tasks at once.
#[derive(Debug, Clone)]
pub struct Router {
    pub(crate) inner: Arc<Inner>,
}

/// The router's shared parts.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) deployments: Vec<Deployment>,
    pub(crate) groups: Groups,
    pub(crate) settings: RouterSettings,
    pub(crate) state: Arc<dyn RouterState>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) strategy: Box<dyn Strategy>,
    pub(crate) client: Client,
    /// First wait of the exponential backoff between retries of one deployment.
    pub(crate) backoff: Duration,
}

/// Options of a [`Router`] beyond its config: the state backend, the clock,
/// a custom strategy, the SDK client.
#[derive(Debug)]
pub struct RouterBuilder {
    config: RouterConfig,
    state: Option<Arc<dyn RouterState>>,
    clock: Option<Arc<dyn Clock>>,
    strategy: Option<Box<dyn Strategy>>,
    client: Option<Client>,
    backoff: Duration,
    /// SDK options replacing those built from each entry's params, by slot.
    call_options: Vec<llmrelay::CallOptions>,
}

impl RouterBuilder {
    /// Keeps deployment state here instead of in this process's memory.
    pub fn state(mut self, state: Arc<dyn RouterState>) -> Self {
        self.state = Some(state);
        self
    }

    /// Reads time from `clock` (tests move a [`ManualClock`](crate::ManualClock)).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Picks deployments with `strategy` instead of `routing_strategy`.
    pub fn strategy(mut self, strategy: Box<dyn Strategy>) -> Self {
        self.strategy = Some(strategy);
        self
    }

    /// Calls through `client` (shares its connection pool and defaults).
    pub fn client(mut self, client: Client) -> Self {
        self.client = Some(client);
        self
    }

    /// First wait between retries on the same deployment when the provider
    /// gives no `Retry-After` (doubling each retry; default 500 ms).
    pub fn retry_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// Uses these SDK options for the deployments, by position (the plain
    /// `completion(..., fallbacks=...)` path, whose options come from the call).
    pub(crate) fn call_options(mut self, options: Vec<llmrelay::CallOptions>) -> Self {
        self.call_options = options;
        self
    }

    /// Checks every deployment and fallback and builds the router.
    pub fn build(self) -> Result<Router, ConfigError> {
        let RouterConfig {
            model_list,
            settings,
        } = self.config;
        let mut deployments = model_list
            .into_iter()
            .enumerate()
            .map(|(slot, entry)| Deployment::build(slot, entry, &settings))
            .collect::<Result<Vec<_>, _>>()?;
        for (deployment, options) in deployments.iter_mut().zip(self.call_options) {
            deployment.cold.options = options;
        }
        let groups = Groups::new(&mut deployments);
        for (setting, target) in settings.fallback_targets() {
            if !groups.serves(target) {
                return Err(ConfigError::UnknownFallback {
                    setting,
                    group: target.to_owned(),
                });
            }
        }
        let state = self.state.unwrap_or_else(|| Arc::new(InMemoryState::new()));
        let ids: Vec<String> = deployments.iter().map(|d| d.id().to_owned()).collect();
        state.attach(&ids);
        let strategy = self
            .strategy
            .unwrap_or_else(|| builtin(settings.routing_strategy, &settings));
        Ok(Router {
            inner: Arc::new(Inner {
                deployments,
                groups,
                settings,
                state,
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                strategy,
                client: self.client.unwrap_or_default(),
                backoff: self.backoff,
            }),
        })
    }
}

/// One deployment's state, as [`Router::deployments`] reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentStatus {
    /// `model_info.id`.
    pub id: String,
    /// The model group.
    pub model_name: String,
    /// The model called.
    pub model: String,
    /// The configured `api_base`.
    pub api_base: Option<String>,
    /// False while cooling down.
    pub healthy: bool,
    /// When the cooldown ends (ms since the Unix epoch), while cooling down.
    pub cooldown_until_ms: Option<u64>,
    /// Recent average latency, when measured.
    pub latency: Option<Duration>,
    /// Calls in flight.
    pub in_flight: u64,
    /// Requests started this minute.
    pub requests_this_minute: u64,
    /// Tokens used this minute.
    pub tokens_this_minute: u64,
    /// Failures this minute.
    pub failures_this_minute: u32,
}

impl Router {
    /// A router over `config` with in-process state and the system clock.
    pub fn new(config: RouterConfig) -> Result<Router, ConfigError> {
        Router::builder(config).build()
    }

    /// A builder for a router over `config`.
    pub fn builder(config: RouterConfig) -> RouterBuilder {
        RouterBuilder {
            config,
            state: None,
            clock: None,
            strategy: None,
            client: None,
            backoff: Duration::from_millis(500),
            call_options: Vec::new(),
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &RouterSettings {
        &self.inner.settings
    }

    /// Every deployment, in config order (its position is its state slot).
    pub fn model_list(&self) -> &[Deployment] {
        &self.inner.deployments
    }

    /// The public model names (groups and wildcard patterns).
    pub fn model_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.inner.groups.names().map(str::to_owned).collect();
        names.sort();
        names
    }

    /// Each deployment's state now: healthy or cooling down until when,
    /// latency, calls in flight, this minute's usage and failures.
    pub fn deployments(&self) -> Vec<DeploymentStatus> {
        let inner = &self.inner;
        let now = inner.clock.now_ms();
        inner
            .deployments
            .iter()
            .map(|d| {
                let until = inner.state.cooldown_until(d.slot());
                let usage = inner.state.usage(d.slot(), now);
                DeploymentStatus {
                    id: d.id().to_owned(),
                    model_name: d.model_name().to_owned(),
                    model: d.model().to_owned(),
                    api_base: d.api_base().map(str::to_owned),
                    healthy: until <= now,
                    cooldown_until_ms: (until > now).then_some(until),
                    latency: inner.state.latency(d.slot(), now),
                    in_flight: inner.state.in_flight(d.slot()),
                    requests_this_minute: usage.requests,
                    tokens_this_minute: usage.tokens,
                    failures_this_minute: inner.state.failures(d.slot(), now),
                }
            })
            .collect()
    }

    /// LiteLLM's `get_available_deployment`: the deployment the next call to
    /// `model` would use (no call is made, nothing is counted).
    pub fn get_available_deployment(
        &self,
        model: &str,
        options: &RouteOptions,
    ) -> Result<&Deployment, Error> {
        let group = self.group(model)?;
        let ctx = PickContext {
            tags: &options.tags,
            region: options.allowed_region.as_deref(),
            ..PickContext::default()
        };
        select(&self.inner, model, group, &ctx)
    }

    /// The group serving `model`, or a BadRequest naming the groups there are.
    pub(crate) fn group(&self, model: &str) -> Result<&Group, Error> {
        self.inner.groups.lookup(model).ok_or_else(|| {
            Error::new(
                ErrorKind::BadRequest,
                format!(
                    "no deployment serves model `{model}`; the router has {}",
                    self.model_names().join(", ")
                ),
            )
            .with_model(model)
        })
    }

    /// LiteLLM's `Router.completion`: a chat completion through the best
    /// deployment, with retries, cooldowns and fallbacks.
    pub async fn completion(
        &self,
        request: ChatRequest,
        options: &RouteOptions,
    ) -> Result<Routed<ChatResponse>, Error> {
        if request.is_stream() {
            // Asked for a stream through the plain call: stream, then fold.
            let mut routed = self.completion_stream(request, options).await?;
            let stream = std::mem::replace(&mut routed.value, ChatStream::from_chunks(Vec::new()));
            let response = stream.collect_response().await?;
            return Ok(routed.map(|_| response));
        }
        failover::run(self, CallKind::Chat(request), options)
            .await
            .and_then(failover::into_chat)
    }

    /// A streamed completion that fails over until the first content arrives
    /// (see the crate docs); the caller sees one clean stream.
    pub async fn completion_stream(
        &self,
        request: ChatRequest,
        options: &RouteOptions,
    ) -> Result<Routed<ChatStream>, Error> {
        failover::run(self, CallKind::Stream(request), options)
            .await
            .and_then(failover::into_stream)
    }

    /// LiteLLM's `Router.embedding`.
    pub async fn embedding(
        &self,
        request: EmbeddingRequest,
        options: &RouteOptions,
    ) -> Result<Routed<EmbeddingResponse>, Error> {
        failover::run(self, CallKind::Embedding(request), options)
            .await
            .and_then(failover::into_embedding)
    }
}
