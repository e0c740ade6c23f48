//! The listener, the shared state (script queue, recording, counter) and the shutdown signal.

use std::collections::VecDeque;
use std::io;
use std::marker::PhantomData;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::record::RecordedRequest;
use crate::reply::Reply;
use crate::{anthropic, bedrock, cohere, gemini, openai};

/// Largest request body read; larger ones are answered with 413.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Which wire format a fake upstream speaks. Implemented by the marker types
/// [`OpenAiWire`], [`AnthropicWire`] and [`CohereWire`]; sealed.
pub trait Wire: wire::Sealed + Send + Sync + 'static {
    /// The wire, for the request handler.
    #[doc(hidden)]
    const KIND: wire::Kind;
    /// What the API base ends with after `http://host:port` (`/v1` for OpenAI, nothing
    /// for Anthropic and Cohere, whose clients add the version to each path).
    #[doc(hidden)]
    const BASE_PATH: &'static str;
    /// The model ids the server lists by default.
    #[doc(hidden)]
    const DEFAULT_MODELS: &'static [&'static str];
}

/// Crate-private details of [`Wire`], public only to be nameable in its bounds.
pub mod wire {
    /// Seals [`Wire`](super::Wire).
    pub trait Sealed {}
    /// The formats this crate speaks.
    #[doc(hidden)]
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        /// OpenAI's chat completions, embeddings and models.
        OpenAi,
        /// Anthropic's Messages API.
        Anthropic,
        /// Cohere's v2 chat and embed.
        Cohere,
        /// AWS Bedrock's runtime (Converse, ConverseStream, InvokeModel).
        Bedrock,
        /// Google's Gemini API, AI Studio and Vertex AI URLs, and an OAuth2 token endpoint.
        Gemini,
    }
}

/// OpenAI's wire format (see [`FakeOpenAi`]).
#[derive(Debug, Clone, Copy)]
pub struct OpenAiWire;
impl wire::Sealed for OpenAiWire {}
impl Wire for OpenAiWire {
    const KIND: wire::Kind = wire::Kind::OpenAi;
    const BASE_PATH: &'static str = "/v1";
    const DEFAULT_MODELS: &'static [&'static str] =
        &["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"];
}

/// Anthropic's Messages API (see [`FakeAnthropic`](crate::FakeAnthropic)).
#[derive(Debug, Clone, Copy)]
pub struct AnthropicWire;
impl wire::Sealed for AnthropicWire {}
impl Wire for AnthropicWire {
    const KIND: wire::Kind = wire::Kind::Anthropic;
    const BASE_PATH: &'static str = "";
    const DEFAULT_MODELS: &'static [&'static str] = &["claude-sonnet-4-5", "claude-haiku-4-5"];
}

/// Cohere's v2 API (see [`FakeCohere`](crate::FakeCohere)).
#[derive(Debug, Clone, Copy)]
pub struct CohereWire;
impl wire::Sealed for CohereWire {}
impl Wire for CohereWire {
    const KIND: wire::Kind = wire::Kind::Cohere;
    const BASE_PATH: &'static str = "";
    const DEFAULT_MODELS: &'static [&'static str] = &["command-r-08-2024", "embed-english-v3.0"];
}

/// AWS Bedrock's runtime API (see [`FakeBedrock`](crate::FakeBedrock)).
#[derive(Debug, Clone, Copy)]
pub struct BedrockWire;
impl wire::Sealed for BedrockWire {}
impl Wire for BedrockWire {
    const KIND: wire::Kind = wire::Kind::Bedrock;
    const BASE_PATH: &'static str = "";
    const DEFAULT_MODELS: &'static [&'static str] = &["anthropic.claude-3-5-sonnet-20240620-v1:0"];
}

/// Google's Gemini API on AI Studio and Vertex AI (see [`FakeGemini`](crate::FakeGemini)).
#[derive(Debug, Clone, Copy)]
pub struct GeminiWire;
impl wire::Sealed for GeminiWire {}
impl Wire for GeminiWire {
    const KIND: wire::Kind = wire::Kind::Gemini;
    // Clients add `/v1beta/models/...` (AI Studio) or `/v1/projects/...` (Vertex).
    const BASE_PATH: &'static str = "";
    const DEFAULT_MODELS: &'static [&'static str] = &["gemini-2.5-pro", "gemini-2.5-flash"];
}

/// A fake OpenAI API on a loopback port, scripted per request.
pub type FakeOpenAi = FakeUpstream<OpenAiWire>;

/// Options for a [`FakeOpenAi`] before it starts.
pub type FakeOpenAiBuilder = FakeUpstreamBuilder<OpenAiWire>;

/// A fake upstream API on a loopback port that speaks the wire format `W`, scripted per
/// request. [`FakeOpenAi`], [`FakeAnthropic`](crate::FakeAnthropic) and
/// [`FakeCohere`](crate::FakeCohere) name its instances.
///
/// The OpenAI one serves `POST /v1/chat/completions` (JSON, or SSE when `"stream": true`),
/// `POST /v1/embeddings` and `GET /v1/models` in OpenAI's exact wire format. Each request
/// takes the next [`Reply`] pushed with [`push`](Self::push), or the default reply when the
/// queue is empty, and is recorded for [`requests`](Self::requests).
///
/// Dropping it (or [`shutdown`](Self::shutdown)) stops the server: the listener closes and
/// stalled or hanging responses end with a dropped connection.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use llmrelay_testkit::{FakeOpenAi, Reply};
///
/// let upstream = FakeOpenAi::start().await?;
/// upstream.push(Reply::rate_limited().with_retry_after_secs(1));
/// upstream.push(Reply::content("Hi!"));
/// // ... point a client at upstream.base_url() ...
/// assert_eq!(upstream.request_count(), 0);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct FakeUpstream<W: Wire> {
    addr: SocketAddr,
    state: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    wire: PhantomData<W>,
}

/// Options for a [`FakeUpstream`] before it starts.
#[derive(Debug, Clone)]
pub struct FakeUpstreamBuilder<W: Wire> {
    port: u16,
    default_reply: Reply,
    record: bool,
    api_key: Option<String>,
    models: Vec<String>,
    wire: PhantomData<W>,
}

impl<W: Wire> Default for FakeUpstreamBuilder<W> {
    fn default() -> Self {
        Self {
            port: 0,
            default_reply: Reply::default(),
            record: true,
            api_key: None,
            models: W::DEFAULT_MODELS.iter().map(|m| (*m).to_owned()).collect(),
            wire: PhantomData,
        }
    }
}

impl<W: Wire> FakeUpstreamBuilder<W> {
    /// Listens on this loopback port instead of an ephemeral one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Answers with this when no reply is queued (the default is [`Reply::default`]).
    pub fn default_reply(mut self, reply: Reply) -> Self {
        self.default_reply = reply;
        self
    }

    /// Keeps (the default) or does not keep every request; a server under load for hours
    /// should not. The request counter counts either way.
    pub fn record_requests(mut self, record: bool) -> Self {
        self.record = record;
        self
    }

    /// Answers 401 as the provider does unless a request carries this key
    /// (`Authorization: Bearer KEY`; Anthropic: `x-api-key: KEY`).
    /// Without this, any key or none is accepted.
    pub fn require_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The model ids the model list (`GET /v1/models` for OpenAI) names.
    pub fn models(mut self, models: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.models = models.into_iter().map(Into::into).collect();
        self
    }

    /// Binds 127.0.0.1 and starts serving in the current tokio runtime.
    pub async fn start(self) -> io::Result<FakeUpstream<W>> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let state = Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            default_reply: Mutex::new(Arc::new(self.default_reply)),
            requests: Mutex::new(Vec::new()),
            count: AtomicU64::new(0),
            record: self.record,
            api_key: self.api_key,
            models: self.models,
            shutdown: shutdown_rx.clone(),
            wire: W::KIND,
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let mut signal = shutdown_rx;
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stopped(&mut signal).await });
            // An accept error other than a per-connection one ends the server; tests then
            // see connection refused, which is what they should see.
            let _ = serve.await;
        });
        Ok(FakeUpstream {
            addr,
            state,
            shutdown,
            task: Some(task),
            wire: PhantomData,
        })
    }
}

impl<W: Wire> FakeUpstream<W> {
    /// Starts a server with the default options on an ephemeral loopback port.
    pub async fn start() -> io::Result<Self> {
        FakeUpstreamBuilder::default().start().await
    }

    /// Options for a server: port, default reply, recording, required key, model list.
    pub fn builder() -> FakeUpstreamBuilder<W> {
        FakeUpstreamBuilder::default()
    }

    /// The API base a client should use: `http://127.0.0.1:41234/v1` for OpenAI,
    /// `http://127.0.0.1:41234` for Anthropic and Cohere (as their SDKs take it).
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, W::BASE_PATH)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues a reply: the next request without one ahead of it gets it.
    pub fn push(&self, reply: Reply) {
        lock(&self.state.queue).push_back(reply);
    }

    /// How many pushed replies no request has taken yet.
    pub fn queued_replies(&self) -> usize {
        lock(&self.state.queue).len()
    }

    /// Answers with this when the queue is empty, from now on.
    pub fn set_default_reply(&self, reply: Reply) {
        *lock(&self.state.default_reply) = Arc::new(reply);
    }

    /// Every request received so far, oldest first (empty when recording is off).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// The most recent request, if any was recorded.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        lock(&self.state.requests).last().cloned()
    }

    /// Returns the recorded requests and forgets them.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut *lock(&self.state.requests))
    }

    /// How many requests have arrived, recorded or not.
    pub fn request_count(&self) -> u64 {
        self.state.count.load(Ordering::Relaxed)
    }

    /// Stops the server and waits until every connection is closed.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl<W: Wire> Drop for FakeUpstream<W> {
    fn drop(&mut self) {
        // The server task finishes on its own once signalled; stalled streams and hanging
        // requests watch the same signal and drop their connections.
        let _ = self.shutdown.send(true);
    }
}

/// State shared by the handle and the request handler.
#[derive(Debug)]
pub(crate) struct Shared {
    queue: Mutex<VecDeque<Reply>>,
    default_reply: Mutex<Arc<Reply>>,
    requests: Mutex<Vec<RecordedRequest>>,
    count: AtomicU64,
    record: bool,
    pub(crate) api_key: Option<String>,
    pub(crate) models: Vec<String>,
    shutdown: watch::Receiver<bool>,
    wire: wire::Kind,
}

impl Shared {
    /// The next queued reply, or the default one.
    pub(crate) fn next_reply(&self) -> Arc<Reply> {
        match lock(&self.queue).pop_front() {
            Some(reply) => Arc::new(reply),
            None => Arc::clone(&lock(&self.default_reply)),
        }
    }

    /// A receiver of the shutdown signal, for anything that waits.
    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.clone()
    }
}

/// Completes when the server is told to stop (or its handle is gone).
pub(crate) async fn stopped(signal: &mut watch::Receiver<bool>) {
    // An error means the sender was dropped, which is a stop too.
    let _ = signal.wait_for(|stop| *stop).await;
}

/// Sleeps for `duration`; returns false if the server stopped first.
pub(crate) async fn sleep_unless_stopped(
    duration: Duration,
    signal: &mut watch::Receiver<bool>,
) -> bool {
    if duration.is_zero() {
        return true;
    }
    tokio::select! {
        () = tokio::time::sleep(duration) => true,
        () = stopped(signal) => false,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread cannot leave these collections half-updated.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Every request comes here: count, read, record, then answer in the server's format.
async fn handle(State(state): State<Arc<Shared>>, request: Request) -> Response {
    state.count.fetch_add(1, Ordering::Relaxed);
    let (parts, body) = request.into_parts();
    let Ok(raw_body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return match state.wire {
            wire::Kind::OpenAi => openai::body_too_large(),
            wire::Kind::Anthropic => anthropic::body_too_large(),
            wire::Kind::Cohere => cohere::body_too_large(),
            wire::Kind::Bedrock => bedrock::body_too_large(),
            wire::Kind::Gemini => gemini::body_too_large(),
        };
    };
    // Bedrock's SigV4 check and OpenAI's multipart forms need the exact
    // bytes; `Bytes` clones share them.
    let raw_for_signature = raw_body.clone();
    let json = if raw_body.is_empty() {
        None
    } else {
        serde_json::from_slice(&raw_body).ok()
    };
    if state.record {
        let recorded = RecordedRequest {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                    (n.as_str().to_owned(), value)
                })
                .collect(),
            body: json.clone(),
            raw_body,
        };
        lock(&state.requests).push(recorded);
    }
    match state.wire {
        wire::Kind::OpenAi => {
            openai::respond(&state, &parts, json.as_ref(), &raw_for_signature).await
        }
        wire::Kind::Anthropic => anthropic::respond(&state, &parts, json.as_ref()).await,
        wire::Kind::Cohere => cohere::respond(&state, &parts, json.as_ref()).await,
        wire::Kind::Bedrock => {
            bedrock::respond(&state, &parts, json.as_ref(), &raw_for_signature).await
        }
        wire::Kind::Gemini => {
            gemini::respond(&state, &parts, json.as_ref(), &raw_for_signature).await
        }
    }
}

/// A response whose body fails at once: hyper drops the connection without writing the
/// status line, which a client sees as a closed connection.
pub(crate) fn disconnect() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<bytes::Bytes, _>(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "scripted disconnect",
        ))
    });
    Response::new(Body::from_stream(failing))
}
