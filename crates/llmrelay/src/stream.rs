//! Streamed completions: server-sent events decoded into [`ChatChunk`]s, an
//! idle timeout between events, and [`stream_chunk_builder`] to fold the
//! chunks back into one [`ChatResponse`].

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::stream::{self, BoxStream, Stream, StreamExt};

use crate::error::{Error, ErrorKind};
use crate::providers::{Framing, RawEvent, StreamEvent, StreamParser, Target};
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

/// Turns an HTTP response carrying a stream into a [`ChatStream`].
pub(crate) fn decode(
    response: reqwest::Response,
    target: Arc<Target>,
    idle_timeout: Duration,
) -> ChatStream {
    decode_bytes(response.bytes_stream(), target, idle_timeout)
}

/// A framed event, owned: (event name, data).
type Framed = Result<(String, String), String>;

/// Cuts a byte stream into events by the provider's framing.
fn frame<S, B, E>(bytes: S, framing: Framing) -> BoxStream<'static, Framed>
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: AsRef<[u8]> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    match framing {
        Framing::Sse => bytes
            .eventsource()
            .map(|event| event.map(|e| (e.event, e.data)).map_err(|e| e.to_string()))
            .boxed(),
    }
}

/// The decoder's state between two items.
struct Decoder {
    events: BoxStream<'static, Framed>,
    target: Arc<Target>,
    parser: StreamParser,
    pending: VecDeque<ChatChunk>,
    idle_timeout: Duration,
    saw_finish: bool,
    finished: bool,
}

impl Decoder {
    /// The next chunk, error, or the end.
    async fn next_item(&mut self) -> Option<Result<ChatChunk, Error>> {
        loop {
            if let Some(chunk) = self.pending.pop_front() {
                return Some(Ok(chunk));
            }
            if self.finished {
                return None;
            }
            let next = match tokio::time::timeout(self.idle_timeout, self.events.next()).await {
                Err(_) => {
                    return self.fail(
                        ErrorKind::Timeout,
                        format!(
                            "the stream was idle for {:.1}s",
                            self.idle_timeout.as_secs_f64()
                        ),
                    );
                }
                Ok(next) => next,
            };
            let (event, data) = match next {
                None if self.saw_finish => return None,
                None => {
                    return self.fail(
                        ErrorKind::ApiConnection,
                        "the connection closed before the stream finished".into(),
                    )
                }
                Some(Err(e)) => {
                    return self.fail(ErrorKind::ApiConnection, format!("the stream broke: {e}"))
                }
                Some(Ok(event)) => event,
            };
            let raw = RawEvent {
                event: &event,
                data: &data,
            };
            match self.parser.parse(&self.target, raw) {
                Ok(StreamEvent::Skip) => {}
                Ok(StreamEvent::Done) => {
                    self.finished = true;
                }
                Ok(StreamEvent::Chunk(chunk)) => self.push(*chunk),
                Ok(StreamEvent::Chunks(chunks)) => chunks.into_iter().for_each(|c| self.push(c)),
                Err(err) => {
                    self.finished = true;
                    self.pending.clear();
                    return Some(Err(err));
                }
            }
        }
    }

    fn push(&mut self, chunk: ChatChunk) {
        self.saw_finish |= chunk.choices.iter().any(|c| c.finish_reason.is_some());
        self.pending.push_back(chunk);
    }

    fn fail(&mut self, kind: ErrorKind, message: String) -> Option<Result<ChatChunk, Error>> {
        self.finished = true;
        Some(Err(self.target.error(kind, message)))
    }
}

/// Turns any stream of bytes into a [`ChatStream`] (the HTTP body in
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
    let decoder = Decoder {
        events: frame(bytes, target.adapter.framing()),
        parser: target.adapter.stream_parser(),
        target,
        pending: VecDeque::new(),
        idle_timeout,
        saw_finish: false,
        finished: false,
    };
    let inner = stream::unfold(decoder, |mut decoder| async move {
        let item = decoder.next_item().await?;
        Some((item, decoder))
    });
    ChatStream {
        inner: inner.boxed(),
    }
}
