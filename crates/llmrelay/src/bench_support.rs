//! Entry points for the crate's own benchmarks: the client-side work of a
//! call (build the request, parse the answer, decode a stream) without a
//! socket. Not part of the public API; may change at any time.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use crate::client::target_events;
use crate::error::Error;
use crate::options::{AwsOptions, CallOptions, VertexOptions};
use crate::route::{self, Target};
use crate::stream::{decode_bytes, ChatStream};
use crate::types::{ChatRequest, ChatResponse};

/// A target for `model` at a placeholder base URL, as a call would resolve it.
pub fn target(model: &str) -> Result<BenchTarget, Error> {
    let options = CallOptions {
        api_base: Some(String::from("http://127.0.0.1:1/v1")),
        api_key: Some("sk-bench".into()),
        aws: AwsOptions {
            access_key_id: Some(String::from("AKIDBENCH")),
            secret_access_key: Some("bench-secret".into()),
            region_name: Some(String::from("us-east-1")),
            ..AwsOptions::default()
        },
        vertex: VertexOptions {
            project: Some(String::from("bench-project")),
            ..VertexOptions::default()
        },
        ..CallOptions::default()
    };
    Ok(BenchTarget(
        route::resolve(model, &options, false)?,
        options,
    ))
}

/// A resolved call destination, and the options it was resolved with.
pub struct BenchTarget(Target, CallOptions);

impl BenchTarget {
    /// Resolve + build the HTTP request body for `request`; returns its size.
    pub fn build(&self, request: &ChatRequest) -> Result<usize, Error> {
        let target = route::resolve(&request.model, &self.1, false)?;
        let http = target
            .adapter
            .chat_request(&target, request, SystemTime::now())?;
        Ok(http.body.len())
    }

    /// Parse a chat-completions body and price it.
    pub fn parse(&self, body: &[u8]) -> Result<ChatResponse, Error> {
        let mut response = self
            .0
            .adapter
            .parse_chat(&self.0, body, SystemTime::now())?;
        response.cost = crate::cost::chat_cost(self.0.info, &response);
        Ok(response)
    }

    /// A stream decoding `pieces` of an SSE body.
    pub fn stream(&self, pieces: Vec<Bytes>) -> ChatStream {
        let body =
            futures_util::stream::iter(pieces.into_iter().map(Ok::<_, std::convert::Infallible>));
        let target = route::resolve(&self.0.requested_model, &self.1, false);
        match target {
            Ok(target) => {
                let framing = target.adapter.framing();
                let events = target_events(target, SystemTime::now());
                decode_bytes(body, framing, events, Duration::from_secs(60))
            }
            Err(err) => ChatStream::from_chunks(vec![Err(err)]),
        }
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
