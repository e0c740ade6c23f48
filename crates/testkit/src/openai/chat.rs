//! `POST /v1/chat/completions`: a scripted answer rendered as one JSON body, or as the
//! SSE chunks OpenAI streams (role first, then content pieces, tool-call fragments, the
//! finish reason, usage when asked, and `[DONE]`).

use std::borrow::Cow;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use super::error_json;
use super::wire::{self, SERVICE_TIER, SYSTEM_FINGERPRINT};
use crate::ids::{random_id, unix_now};
use crate::render::{estimate_prompt_tokens, event_stream, last_user_text, split, to_json, Split};
use crate::reply::{Reply, StreamFaultKind};
use crate::sse::{Fault, Playback};
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
        let said = reply.said(|| last_user_text(request), || random_id("call_", 24));
        let (content, tool_calls) = (said.content.clone(), said.tool_calls.clone());
        let finish_reason = match &reply.finish_reason {
            Some(reason) => reason.as_str(),
            None if tool_calls.is_empty() => "stop",
            None => "tool_calls",
        };
        let usage = reply.usage.unwrap_or_else(|| {
            crate::Usage::new(
                estimate_prompt_tokens(request),
                said.estimated_completion_tokens(),
            )
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
        return crate::render::json_response(axum::http::StatusCode::OK, body.into_bytes());
    }
    let body = format!(
        "data: {{\"id\":\"{id}\",\"object\":\"chat.completion.chunk\",\"created\":{created},\"model\":\"{model}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"Hel\n\ndata: [DONE]\n\n"
    );
    event_stream(Body::from(body))
}

/// `data: JSON\n\n`.
fn event(json: &[u8]) -> Bytes {
    let mut bytes = Vec::with_capacity(json.len() + 8);
    bytes.extend_from_slice(b"data: ");
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b"\n\n");
    Bytes::from(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
