//! AWS's binary event-stream framing (`application/vnd.amazon.eventstream`),
//! decoded with `aws-smithy-eventstream` (which checks both CRCs) into
//! (event name, JSON payload) pairs for the provider's stream parser.

use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
use aws_smithy_types::event_stream::{HeaderValue, Message};
use bytes::{Buf, BytesMut};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};

/// One decoded frame: (`:event-type`, or `exception/<:exception-type>`; payload).
pub(crate) type Framed = Result<(String, String), String>;

struct State<S> {
    bytes: S,
    buffer: BytesMut,
    decoder: MessageFrameDecoder,
    ended: bool,
}

/// Frames from a byte stream; a truncated last frame or a bad CRC is an error item.
pub(crate) fn frames<S, B, E>(bytes: S) -> BoxStream<'static, Framed>
where
    S: Stream<Item = Result<B, E>> + Send + Unpin + 'static,
    B: AsRef<[u8]> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let state = State {
        bytes,
        buffer: BytesMut::new(),
        decoder: MessageFrameDecoder::new(),
        ended: false,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            if state.ended {
                return None;
            }
            match state.decoder.decode_frame(&mut state.buffer) {
                Ok(DecodedFrame::Complete(message)) => return Some((event(&message), state)),
                Ok(DecodedFrame::Incomplete) => {}
                Err(e) => {
                    state.ended = true;
                    return Some((Err(format!("bad event-stream frame: {e}")), state));
                }
            }
            match state.bytes.next().await {
                Some(Ok(piece)) => state.buffer.extend_from_slice(piece.as_ref()),
                Some(Err(e)) => {
                    state.ended = true;
                    return Some((Err(e.to_string()), state));
                }
                None => {
                    state.ended = true;
                    if state.buffer.has_remaining() {
                        return Some((
                            Err(String::from(
                                "the stream ended inside an event-stream frame",
                            )),
                            state,
                        ));
                    }
                    return None;
                }
            }
        }
    })
    .boxed()
}

fn event(message: &Message) -> Framed {
    let header = |name: &str| {
        message
            .headers()
            .iter()
            .find(|h| h.name().as_str() == name)
            .and_then(|h| match h.value() {
                HeaderValue::String(s) => Some(s.as_str().to_string()),
                _ => None,
            })
    };
    let payload = String::from_utf8(message.payload().to_vec())
        .map_err(|_| String::from("an event-stream payload is not UTF-8"))?;
    let name = match header(":message-type").as_deref() {
        Some("exception") | Some("error") => {
            let kind = header(":exception-type")
                .or_else(|| header(":error-code"))
                .unwrap_or_else(|| String::from("unknown"));
            format!("exception/{kind}")
        }
        _ => header(":event-type").unwrap_or_default(),
    };
    Ok((name, payload))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use aws_smithy_eventstream::frame::write_message_to;
    use aws_smithy_types::event_stream::Header;
    use proptest::prelude::*;

    fn frame(event_type: &str, payload: &str) -> Vec<u8> {
        let message = Message::new(payload.as_bytes().to_vec())
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("event".into()),
            ))
            .add_header(Header::new(
                ":event-type",
                HeaderValue::String(event_type.to_string().into()),
            ))
            .add_header(Header::new(
                ":content-type",
                HeaderValue::String("application/json".into()),
            ));
        let mut out = Vec::new();
        write_message_to(&message, &mut out).unwrap();
        out
    }

    fn run(pieces: Vec<Vec<u8>>) -> Vec<Framed> {
        let body =
            futures_util::stream::iter(pieces.into_iter().map(Ok::<_, std::convert::Infallible>));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(frames(body).collect::<Vec<_>>())
    }

    #[test]
    fn frames_split_anywhere_decode_in_order() {
        let mut bytes = frame("messageStart", r#"{"role":"assistant"}"#);
        bytes.extend(frame("contentBlockDelta", r#"{"delta":{"text":"hi"}}"#));
        for cut in [1, 7, 12, 13, bytes.len() / 2, bytes.len() - 1] {
            let out = run(vec![bytes[..cut].to_vec(), bytes[cut..].to_vec()]);
            let events: Vec<_> = out.into_iter().map(Result::unwrap).collect();
            assert_eq!(events[0].0, "messageStart");
            assert_eq!(
                events[1],
                (
                    "contentBlockDelta".to_string(),
                    r#"{"delta":{"text":"hi"}}"#.to_string()
                )
            );
        }
    }

    #[test]
    fn a_bad_crc_or_a_cut_frame_is_an_error() {
        let mut bytes = frame("messageStart", r#"{"role":"assistant"}"#);
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        let out = run(vec![bytes]);
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .contains("bad event-stream frame"),
            "{out:?}"
        );

        let bytes = frame("messageStart", r#"{"role":"assistant"}"#);
        let out = run(vec![bytes[..bytes.len() - 3].to_vec()]);
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .contains("inside an event-stream frame"),
            "{out:?}"
        );
    }

    #[test]
    fn exceptions_are_named_by_type() {
        let message = Message::new(br#"{"message":"slow down"}"#.to_vec())
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("exception".into()),
            ))
            .add_header(Header::new(
                ":exception-type",
                HeaderValue::String("throttlingException".into()),
            ));
        let mut bytes = Vec::new();
        write_message_to(&message, &mut bytes).unwrap();
        let out = run(vec![bytes]);
        assert_eq!(out[0].as_ref().unwrap().0, "exception/throttlingException");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_bytes_never_panic(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..8)) {
            let out = run(chunks);
            // At most one error, and it ends the stream.
            let errors = out.iter().filter(|e| e.is_err()).count();
            prop_assert!(errors <= 1);
            if errors == 1 {
                prop_assert!(out.last().is_some_and(Result::is_err));
            }
        }
    }
}
