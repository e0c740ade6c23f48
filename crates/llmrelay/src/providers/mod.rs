//! Providers as pure translations between the unified types and each
//! provider's wire format. A provider never opens a socket, sleeps or
//! retries: it builds an [`HttpRequest`], and parses bytes the transport hands
//! it. Dispatch is static, over [`Adapter`].
//!
//! OpenAI-compatible providers are not code: they are the OpenAI adapter
//! driven by a row of catalog data (base URL, key variable, renames).

pub(crate) mod anthropic;
mod azure;
pub(crate) mod bedrock;
pub(crate) mod cohere;
pub(crate) mod gemini;
pub(crate) mod media;
pub(crate) mod openai;
mod target;
pub(crate) mod vertex;

pub(crate) use target::{resolve_target, Target};

use bytes::Bytes;

use crate::error::Error;
use crate::types::{
    ChatChunk, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, ModelList,
};

/// Which translation a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Adapter {
    /// OpenAI and every OpenAI-compatible provider.
    OpenAi,
    /// Azure OpenAI: OpenAI's bodies at deployment URLs with `api-version`.
    Azure,
    /// AWS Bedrock Converse, SigV4-signed.
    Bedrock,
    /// Google AI Studio's Gemini API (`generateContent`).
    Gemini,
    /// Gemini on Vertex AI: Gemini's bodies, Vertex URLs, an OAuth2 token.
    VertexGemini,
    /// Anthropic's Messages bodies on Vertex AI (`rawPredict`).
    VertexAnthropic,
    /// Anthropic's Messages API.
    Anthropic,
    /// Cohere's v2 chat and embed.
    Cohere,
}

/// HTTP method of an upstream call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

/// An HTTP request ready for the transport. The body is `Bytes` so a retry
/// resends it without copying.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

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
/// and its data.
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

/// Per-stream state of a provider's stream translation. OpenAI's events are
/// self-contained; providers whose events refer to earlier ones (a message id
/// sent once, tool calls opened by index) keep what they need here.
#[derive(Debug)]
pub(crate) enum StreamParser {
    OpenAi,
    Bedrock(bedrock::stream::StreamState),
    Gemini(gemini::stream::StreamState),
    Anthropic(anthropic::stream::StreamState),
    Cohere(cohere::stream::StreamState),
}

impl StreamParser {
    pub(crate) fn parse(
        &mut self,
        target: &Target,
        event: RawEvent<'_>,
    ) -> Result<StreamEvent, Error> {
        match self {
            StreamParser::OpenAi => openai::stream::parse_event(target, event.data),
            StreamParser::Bedrock(state) => state.parse(target, event),
            StreamParser::Gemini(state) => state.parse(target, event.data),
            StreamParser::Anthropic(state) => state.parse(target, event),
            StreamParser::Cohere(state) => state.parse(target, event),
        }
    }
}

impl Adapter {
    pub(crate) fn chat_request(
        self,
        target: &Target,
        request: &ChatRequest,
    ) -> Result<HttpRequest, Error> {
        match self {
            Adapter::OpenAi => {
                let body = openai::request::chat_body(target, request)?;
                Ok(openai::http_request(
                    target,
                    Method::Post,
                    "/chat/completions",
                    body,
                ))
            }
            Adapter::Azure => {
                let body = openai::request::chat_body(target, request)?;
                Ok(azure::http_request(target, "chat/completions", body))
            }
            Adapter::Bedrock => bedrock::chat_request(target, request),
            Adapter::Gemini => gemini::chat_request(target, request),
            Adapter::VertexGemini => vertex::chat_request(target, request),
            Adapter::VertexAnthropic => vertex::anthropic::chat_request(target, request),
            Adapter::Anthropic => anthropic::chat_request(target, request),
            Adapter::Cohere => {
                let body = cohere::request::chat_body(target, request)?;
                Ok(cohere::http_request(target, "chat", body))
            }
        }
    }

    pub(crate) fn embedding_request(
        self,
        target: &Target,
        request: &EmbeddingRequest,
    ) -> Result<HttpRequest, Error> {
        match self {
            Adapter::OpenAi => {
                let body = openai::request::embedding_body(target, request)?;
                Ok(openai::http_request(
                    target,
                    Method::Post,
                    "/embeddings",
                    body,
                ))
            }
            Adapter::Azure => {
                let body = openai::request::embedding_body(target, request)?;
                Ok(azure::http_request(target, "embeddings", body))
            }
            Adapter::Bedrock => bedrock::embedding::embedding_request(target, request),
            Adapter::Gemini => gemini::embedding_request(target, request),
            Adapter::VertexGemini => vertex::embedding_request(target, request),
            Adapter::VertexAnthropic | Adapter::Anthropic => Err(target.error(
                crate::error::ErrorKind::BadRequest,
                "Anthropic models do not embed",
            )),
            Adapter::Cohere => {
                let body = cohere::embed::embedding_body(target, request)?;
                Ok(cohere::http_request(target, "embed", body))
            }
        }
    }

    /// `GET /models`, for adapters that list models.
    pub(crate) fn models_request(self, target: &Target) -> Result<HttpRequest, Error> {
        match self {
            Adapter::OpenAi => Ok(openai::http_request(
                target,
                Method::Get,
                "/models",
                Bytes::new(),
            )),
            Adapter::Azure
            | Adapter::Bedrock
            | Adapter::Gemini
            | Adapter::VertexGemini
            | Adapter::VertexAnthropic
            | Adapter::Anthropic
            | Adapter::Cohere => Err(target.error(
                crate::error::ErrorKind::BadRequest,
                "this provider lists models in its management API, not its inference API",
            )),
        }
    }

    pub(crate) fn parse_chat(self, target: &Target, body: &[u8]) -> Result<ChatResponse, Error> {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::response::parse_chat(target, body),
            Adapter::Bedrock => bedrock::response::parse_chat(target, body),
            Adapter::Gemini | Adapter::VertexGemini => gemini::response::parse_chat(target, body),
            Adapter::VertexAnthropic | Adapter::Anthropic => {
                anthropic::response::parse_chat(target, body)
            }
            Adapter::Cohere => cohere::response::parse_chat(target, body),
        }
    }

    pub(crate) fn parse_embedding(
        self,
        target: &Target,
        body: &[u8],
    ) -> Result<EmbeddingResponse, Error> {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::response::parse_embedding(target, body),
            Adapter::Bedrock => bedrock::embedding::parse_embedding(target, body),
            Adapter::Gemini => gemini::response::parse_embedding(target, body),
            Adapter::VertexGemini => vertex::embedding::parse_predict(target, body),
            Adapter::VertexAnthropic | Adapter::Anthropic => Err(target.error(
                crate::error::ErrorKind::BadRequest,
                "Anthropic models do not embed",
            )),
            Adapter::Cohere => cohere::embed::parse_embedding(target, body),
        }
    }

    pub(crate) fn parse_models(self, target: &Target, body: &[u8]) -> Result<ModelList, Error> {
        match self {
            Adapter::OpenAi | Adapter::Azure | Adapter::Bedrock => {
                openai::response::parse_models(target, body)
            }
            // Never asked: `models_request` refuses these.
            Adapter::Gemini
            | Adapter::VertexGemini
            | Adapter::VertexAnthropic
            | Adapter::Anthropic
            | Adapter::Cohere => openai::response::parse_models(target, body),
        }
    }

    pub(crate) fn framing(self) -> Framing {
        match self {
            Adapter::OpenAi | Adapter::Azure => Framing::Sse,
            Adapter::Bedrock => Framing::AwsEventStream,
            Adapter::Gemini | Adapter::VertexGemini | Adapter::VertexAnthropic => Framing::Sse,
            Adapter::Anthropic | Adapter::Cohere => Framing::Sse,
        }
    }

    pub(crate) fn stream_parser(self) -> StreamParser {
        match self {
            Adapter::OpenAi | Adapter::Azure => StreamParser::OpenAi,
            Adapter::Bedrock => StreamParser::Bedrock(bedrock::stream::StreamState::default()),
            Adapter::Gemini | Adapter::VertexGemini => {
                StreamParser::Gemini(gemini::stream::StreamState::default())
            }
            Adapter::VertexAnthropic | Adapter::Anthropic => {
                StreamParser::Anthropic(anthropic::stream::StreamState::default())
            }
            Adapter::Cohere => StreamParser::Cohere(cohere::stream::StreamState::default()),
        }
    }

    pub(crate) fn map_error(self, target: &Target, status: u16, body: &[u8]) -> Error {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::error::map_error(target, status, body),
            Adapter::Bedrock => bedrock::error::map_error(target, status, body),
            Adapter::Gemini | Adapter::VertexGemini => {
                gemini::error::map_error(target, status, body)
            }
            Adapter::VertexAnthropic => vertex::anthropic::map_error(target, status, body),
            Adapter::Anthropic => anthropic::error::map_error(target, status, body),
            Adapter::Cohere => cohere::error::map_error(target, status, body),
        }
    }
}

/// Seconds since the Unix epoch, for providers that send no creation time.
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
