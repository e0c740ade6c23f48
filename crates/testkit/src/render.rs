//! The wire-neutral half of every fake upstream: playing a scripted reply (latency, errors,
//! malformed bodies, dropped and hanging connections, stream faults) around a wire's own
//! renderers, cutting text into stream pieces, rough token estimates, and response shells.
//!
//! Each wire module (OpenAI, Anthropic, Cohere) says how an answer, an error and a
//! malformed body look; the timing and the faults are played here once for all of them.

use axum::body::Body;
use axum::http::header::{HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use crate::api_error::ApiError;
use crate::reply::{Outcome, Reply, StreamFaultKind};
use crate::server::{disconnect, sleep_unless_stopped, stopped, Shared};

/// `content-type` of JSON bodies.
const JSON: &str = "application/json";
/// `content-type` of streamed answers.
const EVENT_STREAM: &str = "text/event-stream; charset=utf-8";

/// How one wire renders the outcomes of a reply for one request.
pub(crate) trait Renderer: Sync {
    /// An HTTP error with the wire's error body.
    fn error(&self, error: &ApiError) -> Response;
    /// Status 200 with a body cut in the middle of its JSON.
    fn malformed(&self, stream: bool) -> Response;
    /// A successful answer as one body.
    fn body(&self, reply: &Reply) -> Response;
    /// A successful answer as an event stream, faults included.
    fn stream(&self, reply: &Reply, signal: watch::Receiver<bool>) -> Response;
}

/// Takes the next reply and plays it: latency, then the outcome, then its headers.
pub(crate) async fn play(state: &Shared, stream: bool, renderer: &impl Renderer) -> Response {
    let reply = state.next_reply();
    let mut signal = state.shutdown_signal();
    if !sleep_unless_stopped(reply.latency, &mut signal).await {
        return disconnect();
    }
    let mut response = match &reply.outcome {
        Outcome::Error(error) => renderer.error(error),
        Outcome::MalformedJson => renderer.malformed(stream),
        Outcome::Disconnect => return disconnect(),
        Outcome::Hang => {
            stopped(&mut signal).await;
            return disconnect();
        }
        Outcome::Message { .. } if stream => renderer.stream(&reply, signal),
        Outcome::Message { .. } => match reply.stream_fault.as_ref().map(|f| &f.kind) {
            // A plain request meets a stream fault before its body: see `Reply::close_after`.
            Some(StreamFaultKind::Close) => return disconnect(),
            Some(StreamFaultKind::Stall) => {
                stopped(&mut signal).await;
                return disconnect();
            }
            Some(StreamFaultKind::Error(error)) => renderer.error(error),
            None => renderer.body(&reply),
        },
    };
    add_headers(&mut response, &reply);
    response
}

/// Adds the reply's scripted headers; invalid names or values are skipped.
fn add_headers(response: &mut Response, reply: &Reply) {
    for (name, value) in &reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
}

/// A JSON body with this status.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

/// A JSON error body with the error's status (500 when it is not a valid status).
pub(crate) fn error_status(error: &ApiError, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_response(status, body)
}

/// A `text/event-stream` response around `body`.
pub(crate) fn event_stream(body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(EVENT_STREAM));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `event: NAME\ndata: JSON\n\n`, the framing of Anthropic's and Cohere's streams.
pub(crate) fn named_event(name: &str, json: &[u8]) -> Bytes {
    let mut bytes = Vec::with_capacity(name.len() + json.len() + 16);
    bytes.extend_from_slice(b"event: ");
    bytes.extend_from_slice(name.as_bytes());
    bytes.extend_from_slice(b"\ndata: ");
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b"\n\n");
    Bytes::from(bytes)
}

/// Serializes a wire type. These types hold only strings, numbers, options and JSON
/// values, which always serialize; the empty fallback keeps the server alive were that
/// ever to change.
pub(crate) fn to_json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// How text is cut into stream pieces when the reply does not give a count.
#[derive(Clone, Copy)]
pub(crate) enum Split {
    /// One piece per word, each word with the whitespace before it.
    Words,
    /// Pieces of at most this many characters.
    Chars(usize),
}

/// Cuts `text` into `pieces` parts of about equal length (by characters), or by `default`.
/// Empty text gives no piece; pieces are never empty.
pub(crate) fn split(text: &str, pieces: Option<usize>, default: Split) -> Vec<&str> {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let chars = bounds.len();
    if chars == 0 {
        return Vec::new();
    }
    let starts: Vec<usize> = match (pieces, default) {
        (Some(n), _) => {
            let n = n.clamp(1, chars);
            (0..n).map(|k| bounds[k * chars / n]).collect()
        }
        (None, Split::Chars(size)) => bounds.iter().copied().step_by(size.max(1)).collect(),
        (None, Split::Words) => {
            let mut starts = vec![0];
            let mut previous_was_space = false;
            for (i, c) in text.char_indices() {
                if c.is_whitespace() && !previous_was_space && i > 0 {
                    starts.push(i);
                }
                previous_was_space = c.is_whitespace();
            }
            starts
        }
    };
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&s, e)| &text[s..e]).collect()
}

/// The text of the last `user` message: a string, or its text parts joined by newlines.
/// OpenAI, Anthropic and Cohere all write `messages[].content` this way.
pub(crate) fn last_user_text(request: &Value) -> String {
    request["messages"]
        .as_array()
        .and_then(|messages| messages.iter().rev().find(|m| m["role"] == "user"))
        .map(|m| text_of(&m["content"]))
        .unwrap_or_default()
}

pub(crate) fn text_of(content: &Value) -> String {
    match content {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter(|p| p["type"] == "text")
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// About a token per four characters: a stable estimate, not a tokenizer.
pub(crate) fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// Four tokens per message plus its text, and three to prime the reply, as OpenAI counts.
pub(crate) fn estimate_prompt_tokens(request: &Value) -> u64 {
    let messages = request["messages"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    3 + messages
        .iter()
        .map(|m| 4 + estimate_tokens(&text_of(&m["content"])))
        .sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_with_their_leading_space() {
        assert_eq!(
            split("Hello  big world", None, Split::Words),
            ["Hello", "  big", " world"]
        );
        assert_eq!(split("", None, Split::Words), Vec::<&str>::new());
    }

    #[test]
    fn splits_into_even_pieces_on_char_boundaries() {
        assert_eq!(
            split("abcdefgh", Some(3), Split::Words),
            ["ab", "cde", "fgh"]
        );
        assert_eq!(split("héé", Some(5), Split::Words), ["h", "é", "é"]);
        assert_eq!(
            split(r#"{"a":1}"#, None, Split::Chars(3)),
            [r#"{"a"#, r#"":1"#, "}"]
        );
    }

    #[test]
    fn frames_named_events() {
        assert_eq!(
            &named_event("ping", br#"{"type":"ping"}"#)[..],
            b"event: ping\ndata: {\"type\":\"ping\"}\n\n"
        );
    }
}
