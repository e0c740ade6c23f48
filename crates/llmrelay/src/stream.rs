//! Streamed completions: server-sent events decoded into [`ChatChunk`]s, an
//! idle timeout between events, and [`stream_chunk_builder`] to fold the
//! chunks back into one [`ChatResponse`].

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::stream::{self, BoxStream, Stream, StreamExt};

use crate::error::{Error, ErrorKind};
use crate::providers::{StreamEvent, Target};
use crate::types::ChatChunk;

mod builder;

pub use builder::stream_chunk_builder;

/// A stream of chunks; ends after the provider's last event. Dropping it
/// closes the connection (cancellation).
pub struct ChatStream {
    inner: BoxStream<'static, Result<ChatChunk, Error>>,
}

impl ChatStream {
    /// A stream over chunks already in hand (`mock_response`, tests).
    pub fn from_chunks(chunks: Vec<Result<ChatChunk, Error>>) -> Self {
        ChatStream {
            inner: stream::iter(chunks).boxed(),
        }
    }

    /// Collects the rest of the stream into one response (see [`stream_chunk_builder`]).
    pub async fn collect_response(mut self) -> Result<crate::types::ChatResponse, Error> {
        let mut chunks = Vec::new();
        while let Some(chunk) = self.next().await {
            chunks.push(chunk?);
        }
        stream_chunk_builder(&chunks)
            .ok_or_else(|| Error::new(ErrorKind::InternalServer, "the stream held no chunk"))
    }
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatStream")
    }
}

impl Stream for ChatStream {
    type Item = Result<ChatChunk, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Where the decoder is.
enum State {
    Open,
    Finished,
}

/// Turns an HTTP response carrying SSE into a [`ChatStream`].
pub(crate) fn decode(
    response: reqwest::Response,
    target: Arc<Target>,
    idle_timeout: Duration,
) -> ChatStream {
    decode_bytes(response.bytes_stream(), target, idle_timeout)
}

/// Turns any stream of SSE bytes into a [`ChatStream`] (the HTTP body in
/// production, an in-memory body in benchmarks).
pub(crate) fn decode_bytes<S, B, E>(
    bytes: S,
    target: Arc<Target>,
    idle_timeout: Duration,
) -> ChatStream
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: AsRef<[u8]> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let events = bytes.eventsource().boxed();
    let inner = stream::unfold(
        (events, target, State::Open, false),
        move |(mut events, target, state, mut saw_finish)| async move {
            if matches!(state, State::Finished) {
                return None;
            }
            loop {
                let next = match tokio::time::timeout(idle_timeout, events.next()).await {
                    Err(_) => {
                        let err = target.error(
                            ErrorKind::Timeout,
                            format!("the stream was idle for {:.1}s", idle_timeout.as_secs_f64()),
                        );
                        return Some((Err(err), (events, target, State::Finished, saw_finish)));
                    }
                    Ok(next) => next,
                };
                let event = match next {
                    None if saw_finish => return None,
                    None => {
                        let err = target.error(
                            ErrorKind::ApiConnection,
                            "the connection closed before the stream finished",
                        );
                        return Some((Err(err), (events, target, State::Finished, saw_finish)));
                    }
                    Some(Err(e)) => {
                        let err = target
                            .error(ErrorKind::ApiConnection, format!("the stream broke: {e}"));
                        return Some((Err(err), (events, target, State::Finished, saw_finish)));
                    }
                    Some(Ok(event)) => event,
                };
                match target.adapter.parse_stream_event(&target, &event.data) {
                    Ok(StreamEvent::Skip) => continue,
                    Ok(StreamEvent::Done) => return None,
                    Ok(StreamEvent::Chunk(chunk)) => {
                        saw_finish |= chunk.choices.iter().any(|c| c.finish_reason.is_some());
                        return Some((Ok(*chunk), (events, target, State::Open, saw_finish)));
                    }
                    Err(err) => {
                        return Some((Err(err), (events, target, State::Finished, saw_finish)))
                    }
                }
            }
        },
    );
    ChatStream {
        inner: inner.boxed(),
    }
}
