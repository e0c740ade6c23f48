//! Providers as pure translations between the unified types and each
//! provider's wire format. A provider sees a [`Target`] and a request (and
//! the clock reading it is handed), nothing else: it never reads the
//! environment or files, never opens a socket, sleeps or retries. It builds
//! an [`HttpRequest`] and parses the bytes the transport hands back.
//!
//! Every provider fills in one contract, the [`Provider`] table of its
//! translations, and is registered once, in [`Adapter::provider`]: the
//! dispatch over [`Adapter`] below is written in terms of that one match. OpenAI-compatible providers are not
//! code: they are the OpenAI translation driven by a catalog row.
//! `docs/ADDING_A_PROVIDER.md` is the checklist for a new one.

pub(crate) mod anthropic;
mod azure;
pub(crate) mod bedrock;
pub(crate) mod cohere;
pub(crate) mod gemini;
pub(crate) mod http;
pub(crate) mod media;
mod multipart;
pub(crate) mod openai;
pub(crate) mod params;
pub(crate) mod upstream_error;
pub(crate) mod vertex;

use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) use crate::route::{Adapter, Target};
pub(crate) use http::{HttpRequest, Method};

use crate::error::{Error, ErrorKind};
use crate::types::{
    ChatChunk, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse,
    ImageGenerationRequest, ImageResponse, ModelList, ModerationRequest, ModerationResponse,
    RerankRequest, RerankResponse, SpeechRequest, TranscriptionRequest, TranscriptionResponse,
};

/// How a provider frames the events of a streamed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// `text/event-stream` (OpenAI, Anthropic, Gemini, Cohere).
    Sse,
    /// AWS's binary `application/vnd.amazon.eventstream` (Bedrock); the
    /// event name is the `:event-type` header, or `exception/<type>`.
    AwsEventStream,
}

/// One framed event of a stream: the SSE `event:` name (empty when absent)
/// and its data, trimmed. The decoder never hands a provider an event with
/// no data (an SSE keep-alive carries nothing to translate).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawEvent<'a> {
    pub event: &'a str,
    pub data: &'a str,
}

/// What one event of a stream means.
#[derive(Debug)]
pub(crate) enum StreamEvent {
    /// One chunk for the caller.
    Chunk(Box<ChatChunk>),
    /// The stream is over.
    Done,
    /// Nothing for the caller (keep-alive, bookkeeping).
    Skip,
}

/// A provider's per-stream translation. OpenAI's events are self-contained;
/// providers whose events refer to earlier ones (a message id sent once,
/// tool calls opened by index) keep what they need in their implementor.
pub(crate) trait EventParser: Send {
    /// The state at the start of a stream that opens at `now` (ids and
    /// `created` of providers that send none come from it).
    fn start(now: SystemTime) -> Self
    where
        Self: Sized;

    /// What `event` means, given the events before it.
    fn parse(&mut self, target: &Target, event: RawEvent<'_>) -> Result<StreamEvent, Error>;
}

/// The contract every provider fulfils: its translations, as a table of
/// pure functions (a provider is a namespace of translations, not an
/// object). Every field must be given, so the compiler checks that a new
/// provider says what it does for each; [`Provider::CHAT_ONLY`] fills in
/// the refusals of a provider whose API only chats.
pub(crate) struct Provider {
    /// How streamed answers are framed.
    pub framing: Framing,
    /// The chat request; `now` is the clock reading to sign with.
    pub chat_request: fn(&Target, &ChatRequest, SystemTime) -> Result<HttpRequest, Error>,
    /// A chat answer body; `now` dates answers that carry no time of their own.
    pub parse_chat: fn(&Target, &[u8], SystemTime) -> Result<ChatResponse, Error>,
    /// The translation of one streamed answer, from its first event.
    pub events: fn(SystemTime) -> Box<dyn EventParser>,
    /// A non-2xx status and its body.
    pub map_error: fn(&Target, u16, &[u8]) -> Error,
    /// The embedding request.
    pub embedding_request: fn(&Target, &EmbeddingRequest, SystemTime) -> Result<HttpRequest, Error>,
    /// An embedding answer body.
    pub parse_embedding: fn(&Target, &[u8]) -> Result<EmbeddingResponse, Error>,
    /// `GET /models`.
    pub models_request: fn(&Target) -> Result<HttpRequest, Error>,
    /// A model list body.
    pub parse_models: fn(&Target, &[u8]) -> Result<ModelList, Error>,
    /// The moderation request.
    pub moderation_request: fn(&Target, &ModerationRequest) -> Result<HttpRequest, Error>,
    /// A moderation answer body.
    pub parse_moderation: fn(&Target, &[u8]) -> Result<ModerationResponse, Error>,
    /// The image generation request.
    pub image_request: fn(&Target, &ImageGenerationRequest) -> Result<HttpRequest, Error>,
    /// An image generation answer body.
    pub parse_image: fn(&Target, &[u8]) -> Result<ImageResponse, Error>,
    /// The rerank request.
    pub rerank_request: fn(&Target, &RerankRequest) -> Result<HttpRequest, Error>,
    /// A rerank answer body.
    pub parse_rerank: fn(&Target, &[u8]) -> Result<RerankResponse, Error>,
    /// The text-to-speech request (its answer is the audio itself).
    pub speech_request: fn(&Target, &SpeechRequest) -> Result<HttpRequest, Error>,
    /// The transcription request.
    pub transcription_request: fn(&Target, &TranscriptionRequest) -> Result<HttpRequest, Error>,
    /// A transcription answer body, JSON or (for `text`, `srt`, `vtt`) text.
    pub parse_transcription:
        fn(&Target, &TranscriptionRequest, &[u8]) -> Result<TranscriptionResponse, Error>,
}

impl Provider {
    /// A provider that chats over SSE and reads errors the shared way, with
    /// no embeddings and no model list: the base a chat-only provider's
    /// table is written over.
    pub(crate) const CHAT_ONLY: Provider = Provider {
        framing: Framing::Sse,
        chat_request: |target, _, _| Err(not_offered(target, "chat")),
        parse_chat: |target, _, _| Err(not_offered(target, "chat")),
        events: start::<openai::stream::OpenAiEvents>,
        map_error: upstream_error::from_json_body,
        embedding_request: |target, _, _| Err(not_offered(target, "embeddings")),
        parse_embedding: |target, _| Err(not_offered(target, "embeddings")),
        models_request: |target| Err(not_offered(target, MODEL_LIST)),
        parse_models: |target, _| Err(not_offered(target, MODEL_LIST)),
        moderation_request: |target, _| Err(not_offered(target, "moderations")),
        parse_moderation: |target, _| Err(not_offered(target, "moderations")),
        image_request: |target, _| Err(not_offered(target, "image generation")),
        parse_image: |target, _| Err(not_offered(target, "image generation")),
        rerank_request: |target, _| Err(not_offered(target, "rerank")),
        parse_rerank: |target, _| Err(not_offered(target, "rerank")),
        speech_request: |target, _| Err(not_offered(target, "text to speech")),
        transcription_request: |target, _| Err(not_offered(target, "audio transcription")),
        parse_transcription: |target, _, _| Err(not_offered(target, "audio transcription")),
    };
}

const MODEL_LIST: &str = "a model list in its inference API";

/// The `events` entry of a provider whose stream state is `E`.
pub(crate) fn start<E: EventParser + 'static>(now: SystemTime) -> Box<dyn EventParser> {
    Box::new(E::start(now))
}

/// The error for an endpoint a provider's API does not have.
pub(crate) fn not_offered(target: &Target, what: &str) -> Error {
    target.error(
        ErrorKind::BadRequest,
        format!("provider `{}` does not offer {what}", target.provider.name),
    )
}

impl Adapter {
    /// The registry: each [`Adapter`] and its provider's table. The one
    /// list to extend with a new native provider.
    pub(crate) fn provider(self) -> &'static Provider {
        match self {
            Adapter::OpenAi => &openai::OPENAI,
            Adapter::Azure => &azure::AZURE,
            Adapter::Bedrock => &bedrock::BEDROCK,
            Adapter::Gemini => &gemini::GEMINI,
            Adapter::VertexGemini => &vertex::VERTEX_GEMINI,
            Adapter::VertexAnthropic => &vertex::anthropic::VERTEX_ANTHROPIC,
            Adapter::Anthropic => &anthropic::ANTHROPIC,
            Adapter::Cohere => &cohere::COHERE,
        }
    }
}

/// Calls through the registry: `adapter.f(args)` is the `f` of the
/// adapter's provider table.
macro_rules! dispatch {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        impl Adapter {
            $(
                pub(crate) fn $name(self, $($arg: $ty),*) -> $ret {
                    (self.provider().$name)($($arg),*)
                }
            )*
        }
    };
}

dispatch! {
    chat_request(target: &Target, request: &ChatRequest, now: SystemTime) -> Result<HttpRequest, Error>;
    parse_chat(target: &Target, body: &[u8], now: SystemTime) -> Result<ChatResponse, Error>;
    embedding_request(target: &Target, request: &EmbeddingRequest, now: SystemTime) -> Result<HttpRequest, Error>;
    parse_embedding(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error>;
    models_request(target: &Target) -> Result<HttpRequest, Error>;
    parse_models(target: &Target, body: &[u8]) -> Result<ModelList, Error>;
    map_error(target: &Target, status: u16, body: &[u8]) -> Error;
    moderation_request(target: &Target, request: &ModerationRequest) -> Result<HttpRequest, Error>;
    parse_moderation(target: &Target, body: &[u8]) -> Result<ModerationResponse, Error>;
    image_request(target: &Target, request: &ImageGenerationRequest) -> Result<HttpRequest, Error>;
    parse_image(target: &Target, body: &[u8]) -> Result<ImageResponse, Error>;
    rerank_request(target: &Target, request: &RerankRequest) -> Result<HttpRequest, Error>;
    parse_rerank(target: &Target, body: &[u8]) -> Result<RerankResponse, Error>;
    speech_request(target: &Target, request: &SpeechRequest) -> Result<HttpRequest, Error>;
    transcription_request(target: &Target, request: &TranscriptionRequest) -> Result<HttpRequest, Error>;
    parse_transcription(target: &Target, request: &TranscriptionRequest, body: &[u8]) -> Result<TranscriptionResponse, Error>;
}

impl Adapter {
    pub(crate) fn framing(self) -> Framing {
        self.provider().framing
    }

    pub(crate) fn stream_parser(self, now: SystemTime) -> Box<dyn EventParser> {
        (self.provider().events)(now)
    }
}

/// Whole seconds since the Unix epoch of a clock reading.
pub(crate) fn unix_secs(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// An id distinct within a process, from a clock reading and a counter
/// (`chatcmpl-...` for providers that send none).
pub(crate) fn local_id(prefix: &str, now: SystemTime) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}{nanos:x}{n:x}")
}

/// The clock reading translations are tested at.
#[cfg(test)]
pub(crate) const TEST_NOW: SystemTime = UNIX_EPOCH;

/// A target resolved as a call with default client settings would resolve it.
#[cfg(test)]
pub(crate) fn resolve_target(
    model: &str,
    options: &crate::options::CallOptions,
) -> Result<Target, Error> {
    crate::route::resolve(model, options, false)
}

/// `body` parsed as `target`'s chat answer, with the cost the client would
/// attach.
#[cfg(test)]
pub(crate) fn parse_priced(
    target: &Target,
    body: &serde_json::Value,
) -> Result<ChatResponse, Error> {
    let mut response = target
        .adapter
        .parse_chat(target, body.to_string().as_bytes(), TEST_NOW)?;
    response.cost = crate::cost::chat_cost(target.info, &response);
    Ok(response)
}

/// A parsed answer with the cost the client would attach.
#[cfg(test)]
pub(crate) fn priced(target: &Target, mut response: ChatResponse) -> ChatResponse {
    response.cost = crate::cost::chat_cost(target.info, &response);
    response
}
