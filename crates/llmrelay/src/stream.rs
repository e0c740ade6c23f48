//! Streamed completions: server-sent events decoded into [`ChatChunk`]s, an
//! idle timeout between events, and [`stream_chunk_builder`] to fold the
//! chunks back into one [`ChatResponse`].

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::stream::{self, BoxStream, Stream, StreamExt};

use crate::error::{Error, ErrorKind};
use crate::providers::{Framing, RawEvent, StreamEvent};

/// A provider's stream translation as the decoder sees it: what each framed
/// event means, and errors about the stream itself (idle, cut short) named
/// as the provider's.
pub(crate) trait EventSource: Send {
    /// What `event` means, given the events before it.
    fn parse(&mut self, event: RawEvent<'_>) -> Result<StreamEvent, Error>;
    /// An error of `kind` about this stream.
    fn error(&self, kind: ErrorKind, message: String) -> Error;
}
use crate::types::ChatChunk;

mod builder;
mod eventstream;

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

    /// A stream over any source of chunks (the router's failover stream,
    /// a gateway's translation). Dropping it drops `source`.
    pub fn from_stream<S>(source: S) -> Self
    where
        S: Stream<Item = Result<ChatChunk, Error>> + Send + 'static,
    {
        ChatStream {
            inner: source.boxed(),
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
    framing: Framing,
    source: Box<dyn EventSource>,
    idle_timeout: Duration,
) -> ChatStream {
    decode_bytes(response.bytes_stream(), framing, source, idle_timeout)
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
        Framing::AwsEventStream => eventstream::frames(Box::pin(bytes)),
    }
}

/// The decoder's state between two items.
struct Decoder {
    events: BoxStream<'static, Framed>,
    source: Box<dyn EventSource>,
    idle_timeout: Duration,
    saw_finish: bool,
    finished: bool,
}

impl Decoder {
    /// The next chunk, error, or the end.
    async fn next_item(&mut self) -> Option<Result<ChatChunk, Error>> {
        loop {
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
            let data = data.trim();
            if data.is_empty() {
                continue;
            }
            let raw = RawEvent {
                event: &event,
                data,
            };
            match self.source.parse(raw) {
                Ok(StreamEvent::Skip) => {}
                Ok(StreamEvent::Done) => {
                    self.finished = true;
                }
                Ok(StreamEvent::Chunk(chunk)) => {
                    self.saw_finish |= chunk.choices.iter().any(|c| c.finish_reason.is_some());
                    return Some(Ok(*chunk));
                }
                Err(err) => {
                    self.finished = true;
                    return Some(Err(err));
                }
            }
        }
    }

    fn fail(&mut self, kind: ErrorKind, message: String) -> Option<Result<ChatChunk, Error>> {
        self.finished = true;
        Some(Err(self.source.error(kind, message)))
    }
}

/// Turns any stream of bytes into a [`ChatStream`] (the HTTP body in
/// production, an in-memory body in benchmarks).
pub(crate) fn decode_bytes<S, B, E>(
    bytes: S,
    framing: Framing,
    source: Box<dyn EventSource>,
    idle_timeout: Duration,
) -> ChatStream
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: AsRef<[u8]> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let decoder = Decoder {
        events: frame(bytes, framing),
        source,
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

/// `pieces` of a streamed answer of `model`, decoded as a call with a key
/// (and AWS credentials) would decode them.
#[cfg(test)]
pub(crate) fn decode_for_test(model: &str, pieces: Vec<Vec<u8>>) -> Vec<Result<ChatChunk, Error>> {
    use crate::options::{AwsOptions, CallOptions};
    let options = CallOptions {
        api_base: Some("http://127.0.0.1:1".into()),
        api_key: Some("k".into()),
        aws: AwsOptions {
            access_key_id: Some("a".into()),
            secret_access_key: Some("s".into()),
            region_name: Some("us-east-1".into()),
            ..AwsOptions::default()
        },
        ..CallOptions::default()
    };
    let decoded = crate::route::resolve(model, &options, false).map(|target| {
        let framing = target.adapter.framing();
        let events = crate::client::target_events(target, crate::providers::TEST_NOW);
        let body = stream::iter(pieces.into_iter().map(Ok::<_, std::convert::Infallible>));
        decode_bytes(body, framing, events, Duration::from_secs(5))
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build();
    match (decoded, runtime) {
        (Ok(stream), Ok(runtime)) => runtime.block_on(stream.collect::<Vec<_>>()),
        (Err(err), _) => vec![Err(err)],
        (_, Err(err)) => vec![Err(Error::new(ErrorKind::InternalServer, err.to_string()))],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    fn decode_all(model: &str, pieces: Vec<Vec<u8>>) -> Vec<Result<ChatChunk, Error>> {
        decode_for_test(model, pieces)
    }

    #[test]
    fn keep_alive_events_reach_no_provider() {
        let body = b": ping\n\ndata:   \n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n".to_vec();
        let out = decode_all("gpt-4o", vec![body]);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            out[0].as_ref().unwrap().choices[0].delta.content.as_deref(),
            Some("hi")
        );
    }

    #[test]
    fn a_stream_cut_inside_an_event_is_a_typed_error() {
        let body = b"data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: {\"id\":\"c\",\"cho".to_vec();
        let out = decode_all("gpt-4o", vec![body]);
        assert_eq!(
            out[0].as_ref().unwrap().choices[0].delta.content.as_deref(),
            Some("hi")
        );
        assert_eq!(
            out.last().unwrap().as_ref().unwrap_err().kind,
            ErrorKind::ApiConnection
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_sse_bytes_never_panic(pieces in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..80), 0..6)) {
            let out = decode_all("gpt-4o", pieces);
            prop_assert!(out.iter().filter(|r| r.is_err()).count() <= 1);
        }

        #[test]
        fn arbitrary_sse_lines_never_panic(lines in proptest::collection::vec("(data|event|id|retry|:)?: ?[ -~]{0,40}", 0..12)) {
            let body = lines.join("\n").into_bytes();
            let out = decode_all("gpt-4o", vec![body]);
            prop_assert!(out.iter().filter(|r| r.is_err()).count() <= 1);
        }

        #[test]
        fn arbitrary_bytes_on_a_bedrock_stream_never_panic(pieces in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..80), 0..6)) {
            let out = decode_all("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", pieces);
            prop_assert!(out.iter().filter(|r| r.is_err()).count() <= 1);
        }
    }
}
