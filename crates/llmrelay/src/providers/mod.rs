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
use crate::types::{ChatChunk, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse};

/// Which translation a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Adapter {
    /// OpenAI and every OpenAI-compatible provider.
    OpenAi,
    /// Azure OpenAI: OpenAI's bodies at deployment URLs with `api-version`.
    Azure,
}

/// An HTTP request ready for the transport. The body is `Bytes` so a retry
/// resends it without copying.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// What one server-sent event of a stream means.
#[derive(Debug)]
pub(crate) enum StreamEvent {
    Chunk(Box<ChatChunk>),
    Done,
    Skip,
}

impl Adapter {
    pub(crate) fn chat_request(
        self,
        target: &Target,
        request: &ChatRequest,
    ) -> Result<HttpRequest, Error> {
        let body = openai::request::chat_body(target, request)?;
        Ok(match self {
            Adapter::OpenAi => openai::http_request(target, "/chat/completions", body),
            Adapter::Azure => azure::http_request(target, "chat/completions", body),
        })
    }

    pub(crate) fn embedding_request(
        self,
        target: &Target,
        request: &EmbeddingRequest,
    ) -> Result<HttpRequest, Error> {
        let body = openai::request::embedding_body(target, request)?;
        Ok(match self {
            Adapter::OpenAi => openai::http_request(target, "/embeddings", body),
            Adapter::Azure => azure::http_request(target, "embeddings", body),
        })
    }

    pub(crate) fn parse_chat(self, target: &Target, body: &[u8]) -> Result<ChatResponse, Error> {
        openai::response::parse_chat(target, body)
    }

    pub(crate) fn parse_embedding(
        self,
        target: &Target,
        body: &[u8],
    ) -> Result<EmbeddingResponse, Error> {
        openai::response::parse_embedding(target, body)
    }

    pub(crate) fn parse_stream_event(
        self,
        target: &Target,
        data: &str,
    ) -> Result<StreamEvent, Error> {
        openai::stream::parse_event(target, data)
    }

    pub(crate) fn map_error(self, target: &Target, status: u16, body: &[u8]) -> Error {
        openai::error::map_error(target, status, body)
    }
}
