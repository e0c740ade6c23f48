//! Streams that fail over. A streamed attempt is held back until its first
//! content arrives: chunks before it (the role announcement) are buffered,
//! and an error, a malformed event, or no content within the deployment's
//! `stream_timeout` fails the attempt, so the router moves on and the caller
//! never sees a partial answer. Once content has arrived the stream is the
//! caller's; a stall after that ends it with a typed `Timeout` (the SDK's
//! idle timeout, set to `stream_timeout`), never a hang.

use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use llmrelay::{CallOptions, ChatChunk, ChatRequest, ChatStream, Client, Error, ErrorKind};

use crate::failover::InFlight;

/// Opens a stream on one deployment and waits for its first content.
pub(crate) async fn open(
    client: &Client,
    request: ChatRequest,
    options: &CallOptions,
    first_token_deadline: Option<Duration>,
    in_flight: InFlight,
) -> Result<ChatStream, Error> {
    let model = request.model.clone();
    let first = first_content(client, request, options);
    let (buffered, rest) = match first_token_deadline {
        None => first.await?,
        Some(deadline) => tokio::time::timeout(deadline, first).await.map_err(|_| {
            Error::new(
                ErrorKind::Timeout,
                format!(
                    "no content within the stream_timeout of {:.1}s",
                    deadline.as_secs_f64()
                ),
            )
            .with_model(model)
        })??,
    };
    // The guard counts the call in flight until the stream is drained or
    // dropped, and the tokens of the usage chunk when it passes.
    let counter = in_flight.usage_counter();
    let done = stream::once(async move {
        drop(in_flight);
    })
    .filter_map(|()| async { None });
    let counted = stream::iter(buffered.into_iter().map(Ok))
        .chain(rest)
        .inspect(move |item| {
            if let Ok(ChatChunk {
                usage: Some(usage), ..
            }) = item
            {
                counter.record_tokens(usage.total_tokens);
            }
        });
    Ok(ChatStream::from_stream(counted.chain(done)))
}

/// Reads until the first chunk that carries content, returning the chunks
/// read so far and the rest of the stream.
async fn first_content(
    client: &Client,
    request: ChatRequest,
    options: &CallOptions,
) -> Result<(Vec<ChatChunk>, ChatStream), Error> {
    let mut stream = client.completion_stream(request, options).await?;
    let mut buffered = Vec::new();
    while let Some(item) = stream.next().await {
        let chunk = item?;
        let content = carries_content(&chunk);
        buffered.push(chunk);
        if content {
            return Ok((buffered, stream));
        }
    }
    if buffered.is_empty() {
        return Err(Error::new(
            ErrorKind::ApiConnection,
            "the stream ended before its first chunk",
        ));
    }
    Ok((buffered, stream))
}

/// Whether a chunk says something: text, reasoning, a tool call, a refusal or
/// the end of an answer (an empty answer is an answer).
fn carries_content(chunk: &ChatChunk) -> bool {
    chunk.choices.iter().any(|c| {
        let d = &c.delta;
        d.content.as_deref().is_some_and(|t| !t.is_empty())
            || d.reasoning_content
                .as_deref()
                .is_some_and(|t| !t.is_empty())
            || d.refusal.as_deref().is_some_and(|t| !t.is_empty())
            || d.tool_calls.as_ref().is_some_and(|t| !t.is_empty())
            || c.finish_reason.is_some()
    })
}
