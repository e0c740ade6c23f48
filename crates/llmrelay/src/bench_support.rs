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
        aws_access_key_id: Some(String::from("AKIDBENCH")),
        aws_secret_access_key: Some(String::from("bench-secret")),
        aws_region_name: Some(String::from("us-east-1")),
        vertex_project: Some(String::from("bench-project")),
        ..CallOptions::default()
    };
    Ok(BenchTarget(
        Arc::new(resolve_target(model, &options)?),
        options,
    ))
}

/// A resolved call destination, and the options it was resolved with.
pub struct BenchTarget(Arc<Target>, CallOptions);

impl BenchTarget {
    /// Resolve + build the HTTP request body for `request`; returns its size.
    pub fn build(&self, request: &ChatRequest) -> Result<usize, Error> {
        let target = resolve_target(&request.model, &self.1)?;
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

    /// SigV4-signs a POST of `body` for this target (Bedrock targets only):
    /// the signing share of a Bedrock call's overhead.
    pub fn sign_only(&self, body: &[u8]) -> Option<usize> {
        let auth = self.0.aws()?;
        let url = format!("{}/model/m/converse", self.0.api_base);
        let headers = [(
            String::from("content-type"),
            String::from("application/json"),
        )];
        crate::providers::bedrock::sign_headers(
            auth,
            &url,
            &headers,
            body,
            std::time::SystemTime::now(),
        )
        .ok()
        .map(|h| h.len())
    }
}
