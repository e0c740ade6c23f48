//! `POST /v1/chat/completions`: a scripted answer rendered as one JSON body, or as the
//! SSE chunks OpenAI streams (role first, then content pieces, tool-call fragments, the
//! finish reason, usage when asked, and `[DONE]`).

use std::borrow::Cow;

use axum::body::Body;
use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use super::wire::{self, SERVICE_TIER, SYSTEM_FINGERPRINT};
use super::{error_json, to_json};
use crate::ids::{random_id, unix_now};
use crate::reply::{Content, Outcome, Reply, StreamFaultKind};
use crate::sse::{Fault, Playback};

/// `content-type` of streamed answers.
const EVENT_STREAM: &str = "text/event-stream; charset=utf-8";
/// Characters per tool-argument piece when the reply does not say how many pieces.
const ARGUMENT_PIECE_CHARS: usize = 8;

/// The answer to one request, resolved from the reply and the request.
struct Answer<'a> {
    id: String,
    created: u64,
    model: &'a str,
    content: Option<Cow<'a, str>>,
    /// Each call with its id.
    tool_calls: Vec<(Cow<'a, str>, &'a str, &'a str)>,
    finish_reason: &'a str,
    usage: wire::Usage,
}

impl<'a> Answer<'a> {
    fn new(reply: &'a Reply, request: &'a Value, model: &'a str) -> Self {
        let (content, calls) = match &reply.outcome {
            Outcome::Message {
                content,
                tool_calls,
            } => (content.as_ref(), tool_calls.as_slice()),
            _ => (None, &[][..]),
        };
        let content = content.map(|c| match c {
            Content::Text(text) => Cow::Borrowed(text.as_str()),
            Content::Echo => Cow::Owned(last_user_text(request)),
        });
        let tool_calls: Vec<_> = calls
            .iter()
            .map(|c| {
                let id =
                    c.id.as_deref()
                        .map_or_else(|| Cow::Owned(random_id("call_", 24)), Cow::Borrowed);
                (id, c.name.as_str(), c.arguments.as_str())
            })
            .collect();
        let finish_reason = match &reply.finish_reason {
            Some(reason) => reason.as_str(),
            None if tool_calls.is_empty() => "stop",
            None => "tool_calls",
        };
        let usage = reply.usage.unwrap_or_else(|| {
            let completion = content.as_deref().map_or(0, estimate_tokens)
                + tool_calls
                    .iter()
                    .map(|(_, name, args)| estimate_tokens(name) + estimate_tokens(args))
                    .sum::<u64>();
            crate::Usage::new(estimate_prompt_tokens(request), completion)
        });
        Self {
            id: random_id("chatcmpl-", 29),
            created: unix_now(),
            model,
            content,
            tool_calls,
            finish_reason,
            usage: usage.into(),
        }
    }

    fn chunk(
        &self,
        choices: &[wire::ChunkChoice<'_>],
        usage: Option<Option<wire::Usage>>,
    ) -> Bytes {
        event(&to_json(&wire::ChatChunk {
            id: &self.id,
            object: "chat.completion.chunk",
            created: self.created,
            model: self.model,
            service_tier: SERVICE_TIER,
            system_fingerprint: SYSTEM_FINGERPRINT,
            choices,
            usage,
        }))
    }
}

/// The body of a non-streamed completion.
pub(super) fn completion(reply: &Reply, request: &Value, model: &str) -> Vec<u8> {
    let answer = Answer::new(reply, request, model);
    let tool_calls = (!answer.tool_calls.is_empty()).then(|| {
        answer
            .tool_calls
            .iter()
            .map(|(id, name, arguments)| wire::ToolCall {
                id,
                kind: "function",
                function: wire::Function { name, arguments },
            })
            .collect()
    });
    to_json(&wire::ChatCompletion {
        id: &answer.id,
        object: "chat.completion",
        created: answer.created,
        model,
        choices: [wire::Choice {
            index: 0,
            message: wire::Message {
                role: "assistant",
                content: answer.content.as_deref(),
                tool_calls,
                refusal: None,
                annotations: [],
            },
            logprobs: None,
            finish_reason: answer.finish_reason,
        }],
        usage: answer.usage,
        service_tier: SERVICE_TIER,
        system_fingerprint: SYSTEM_FINGERPRINT,
    })
}

/// A streamed completion, with the reply's delay between events and its fault.
pub(super) fn stream(
    reply: &Reply,
    request: &Value,
    model: &str,
    signal: watch::Receiver<bool>,
) -> Response {
    let include_usage = request["stream_options"]["include_usage"].as_bool() == Some(true);
    let answer = Answer::new(reply, request, model);
    let usage_slot = include_usage.then_some(None);
    let choice = |delta, finish_reason| wire::ChunkChoice {
        index: 0,
        delta,
        logprobs: None,
        finish_reason,
    };
    let mut events = Vec::new();
    // The first chunk names the role; a reply with no content opens its first tool call
    // in the same chunk, as OpenAI does.
    let opens_call = answer.content.is_none() && !answer.tool_calls.is_empty();
    let first = wire::Delta {
        role: Some("assistant"),
        content: Some(answer.content.as_ref().map(|_| "")),
        tool_calls: answer
            .tool_calls
            .first()
            .filter(|_| opens_call)
            .and_then(|(id, name, _)| fragment(0, Some(id), Some(name), "")),
        refusal: Some(None),
    };
    events.push(answer.chunk(&[choice(first, None)], usage_slot));
    if let Some(content) = answer.content.as_deref() {
        for piece in split(content, reply.pieces, Split::Words) {
            let delta = wire::Delta {
                content: Some(Some(piece)),
                ..wire::Delta::default()
            };
            events.push(answer.chunk(&[choice(delta, None)], usage_slot));
        }
    }
    for (index, (id, name, arguments)) in answer.tool_calls.iter().enumerate() {
        if !(opens_call && index == 0) {
            let delta = wire::Delta {
                tool_calls: fragment(index, Some(id), Some(name), ""),
                ..wire::Delta::default()
            };
            events.push(answer.chunk(&[choice(delta, None)], usage_slot));
        }
        for piece in split(arguments, reply.pieces, Split::Chars(ARGUMENT_PIECE_CHARS)) {
            let delta = wire::Delta {
                tool_calls: fragment(index, None, None, piece),
                ..wire::Delta::default()
            };
            events.push(answer.chunk(&[choice(delta, None)], usage_slot));
        }
    }
    let last = choice(wire::Delta::default(), Some(answer.finish_reason));
    events.push(answer.chunk(&[last], usage_slot));
    if include_usage {
        events.push(answer.chunk(&[], Some(Some(answer.usage))));
    }
    events.push(Bytes::from_static(b"data: [DONE]\n\n"));

    // A fault always comes before `[DONE]`.
    let fault = reply.stream_fault.as_ref().map(|f| {
        let fault = match &f.kind {
            StreamFaultKind::Close => Fault::Close,
            StreamFaultKind::Stall => Fault::Stall,
            StreamFaultKind::Error(error) => Fault::LastEvent(event(&error_json(error, model))),
        };
        (f.after.min(events.len() - 1), fault)
    });
    let playback = Playback {
        events,
        delay: reply.stream_delay,
        fault,
    };
    event_stream(playback.into_body(signal))
}

/// A tool-call fragment: with `id` (and so `type`) and `name` for the first of a call,
/// with only a piece of the arguments after.
fn fragment<'b>(
    index: usize,
    id: Option<&'b str>,
    name: Option<&'b str>,
    arguments: &'b str,
) -> Option<[wire::ToolCallDelta<'b>; 1]> {
    Some([wire::ToolCallDelta {
        index,
        id,
        kind: id.map(|_| "function"),
        function: wire::FunctionDelta { name, arguments },
    }])
}

/// Status 200 whose body is cut in the middle of the JSON.
pub(super) fn malformed(model: &str, stream: bool) -> Response {
    let id = random_id("chatcmpl-", 29);
    let created = unix_now();
    if !stream {
        let body = format!(
            r#"{{"id":"{id}","object":"chat.completion","created":{created},"model":"{model}","choices":[{{"index":0,"message":{{"role":"assistant","content":"Hel"#
        );
        return super::json_response(axum::http::StatusCode::OK, body.into_bytes());
    }
    let body = format!(
        "data: {{\"id\":\"{id}\",\"object\":\"chat.completion.chunk\",\"created\":{created},\"model\":\"{model}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"Hel\n\ndata: [DONE]\n\n"
    );
    event_stream(Body::from(body))
}

fn event_stream(body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(EVENT_STREAM));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `data: JSON\n\n`.
fn event(json: &[u8]) -> Bytes {
    let mut bytes = Vec::with_capacity(json.len() + 8);
    bytes.extend_from_slice(b"data: ");
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b"\n\n");
    Bytes::from(bytes)
}

/// How text is cut into stream pieces when the reply does not give a count.
#[derive(Clone, Copy)]
enum Split {
    /// One piece per word, each word with the whitespace before it.
    Words,
    /// Pieces of at most this many characters.
    Chars(usize),
}

/// Cuts `text` into `pieces` parts of about equal length (by characters), or by `default`.
/// Empty text gives no piece; pieces are never empty.
fn split(text: &str, pieces: Option<usize>, default: Split) -> Vec<&str> {
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
fn last_user_text(request: &Value) -> String {
    request["messages"]
        .as_array()
        .and_then(|messages| messages.iter().rev().find(|m| m["role"] == "user"))
        .map(|m| text_of(&m["content"]))
        .unwrap_or_default()
}

fn text_of(content: &Value) -> String {
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
fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// Four tokens per message plus its text, and three to prime the reply, as OpenAI counts.
fn estimate_prompt_tokens(request: &Value) -> u64 {
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
    fn echoes_the_last_user_text() {
        let request = serde_json::json!({"messages": [
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": [
                {"type": "text", "text": "a"},
                {"type": "image_url", "image_url": {"url": "x"}},
                {"type": "text", "text": "b"}
            ]},
        ]});
        assert_eq!(last_user_text(&request), "a\nb");
        // "first" is two tokens, "ok" and "a\nb" one each.
        assert_eq!(estimate_prompt_tokens(&request), 3 + 6 + 5 + 5);
    }
}
