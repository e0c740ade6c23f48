//! Entry points for the crate's own benchmarks: the client-side work of a
//! call (build the request, parse the answer, decode a stream) without a
//! socket. Not part of the public API; may change at any time.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::client::CallOptions;
use crate::error::Error;
use crate::providers::{resolve_target, Target};
use crate::stream::{decode_bytes, ChatStream};
use crate::types::{ChatRequest, ChatResponse};

/// A target for `model` at a placeholder base URL, as a call would resolve it.
pub fn target(model: &str) -> Result<BenchTarget, Error> {
    let options = CallOptions {
        api_base: Some(String::from("http://127.0.0.1:1/v1")),
        api_key: Some(String::from("sk-bench")),
        ..CallOptions::default()
    };
    Ok(BenchTarget(Arc::new(resolve_target(model, &options)?)))
}

/// A resolved call destination.
pub struct BenchTarget(Arc<Target>);

impl BenchTarget {
    /// Resolve + build the HTTP request body for `request`; returns its size.
    pub fn build(&self, request: &ChatRequest) -> Result<usize, Error> {
        let target = resolve_target(
            &request.model,
            &CallOptions {
                api_base: Some(self.0.api_base.clone()),
                api_key: self.0.api_key.clone(),
                ..CallOptions::default()
            },
        )?;
        Ok(target.adapter.chat_request(&target, request)?.body.len())
    }

    /// Parse a chat-completions body and price it.
    pub fn parse(&self, body: &[u8]) -> Result<ChatResponse, Error> {
        self.0.adapter.parse_chat(&self.0, body)
    }

    /// A stream decoding `pieces` of an SSE body.
    pub fn stream(&self, pieces: Vec<Bytes>) -> ChatStream {
        let body =
            futures_util::stream::iter(pieces.into_iter().map(Ok::<_, std::convert::Infallible>));
        decode_bytes(body, Arc::clone(&self.0), Duration::from_secs(60))
    }
}
