//! Providers as pure translations between the unified types and each
//! provider's wire format. A provider never opens a socket, sleeps or
//! retries: it builds an [`HttpRequest`], and parses bytes the transport hands
//! it. Dispatch is static, over [`Adapter`].
//!
//! OpenAI-compatible providers are not code: they are the OpenAI adapter
//! driven by a row of catalog data (base URL, key variable, renames).

mod azure;
pub(crate) mod openai;
mod target;

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
    /// Several chunks (a provider event can carry more than one delta).
    Chunks(Vec<ChatChunk>),
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
}

impl StreamParser {
    pub(crate) fn parse(
        &mut self,
        target: &Target,
        event: RawEvent<'_>,
    ) -> Result<StreamEvent, Error> {
        match self {
            StreamParser::OpenAi => openai::stream::parse_event(target, event.data),
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
            Adapter::Azure => Err(target.error(
                crate::error::ErrorKind::BadRequest,
                "Azure lists deployments in its management API, not here",
            )),
        }
    }

    pub(crate) fn parse_chat(self, target: &Target, body: &[u8]) -> Result<ChatResponse, Error> {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::response::parse_chat(target, body),
        }
    }

    pub(crate) fn parse_embedding(
        self,
        target: &Target,
        body: &[u8],
    ) -> Result<EmbeddingResponse, Error> {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::response::parse_embedding(target, body),
        }
    }

    pub(crate) fn parse_models(self, target: &Target, body: &[u8]) -> Result<ModelList, Error> {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::response::parse_models(target, body),
        }
    }

    pub(crate) fn framing(self) -> Framing {
        match self {
            Adapter::OpenAi | Adapter::Azure => Framing::Sse,
        }
    }

    pub(crate) fn stream_parser(self) -> StreamParser {
        match self {
            Adapter::OpenAi | Adapter::Azure => StreamParser::OpenAi,
        }
    }

    pub(crate) fn map_error(self, target: &Target, status: u16, body: &[u8]) -> Error {
        match self {
            Adapter::OpenAi | Adapter::Azure => openai::error::map_error(target, status, body),
        }
    }
}
