//! `POST /v2/chat`: a scripted answer rendered as one response, or as the events Cohere
//! streams. With tool calls, the reply's text is the `tool_plan` (as Cohere answers in
//! its tool-calling step); without, it is the message's text content.

use std::borrow::Cow;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use super::{uuid_like, wire};
use crate::ids::random_id;
use crate::render::{
    estimate_prompt_tokens, event_stream, last_user_text, named_event, split, to_json, Split,
};
use crate::reply::{Reply, StreamFaultKind};
use crate::sse::{Fault, Playback};

/// Characters per tool-argument piece when the reply does not say how many pieces.
const ARGUMENT_PIECE_CHARS: usize = 8;

/// The answer to one request, resolved from the reply and the request.
struct Answer<'a> {
    id: String,
    thinking: Option<&'a str>,
    text: Option<Cow<'a, str>>,
    tool_plan: Option<Cow<'a, str>>,
    /// Each call: id, name, arguments.
    tool_calls: Vec<(Cow<'a, str>, &'a str, &'a str)>,
    finish_reason: &'a str,
    usage: wire::Usage,
}

impl<'a> Answer<'a> {
    fn new(reply: &'a Reply, request: &'a Value) -> Self {
        let said = reply.said(|| last_user_text(request), || random_id("", 12));
        let (content, tool_calls) = (said.content.clone(), said.tool_calls.clone());
        let thinking = reply.reasoning.as_deref();
        let finish_reason = match reply.finish_reason.as_deref() {
            Some(reason) => finish_reason(reason),
            None if tool_calls.is_empty() => "COMPLETE",
            None => "TOOL_CALL",
        };
        let usage = reply.usage.unwrap_or_else(|| {
            crate::Usage::new(
                estimate_prompt_tokens(request),
                said.estimated_completion_tokens(),
            )
        });
        let (text, tool_plan) = if tool_calls.is_empty() {
            (content, None)
        } else {
            (None, content)
        };
        Self {
            id: uuid_like(),
            thinking,
            text,
            tool_plan,
            tool_calls,
            finish_reason,
            usage: usage.into(),
        }
    }
}

/// Cohere's `finish_reason` for an OpenAI-worded one; other words pass as is.
fn finish_reason(reason: &str) -> &str {
    match reason {
        "stop" => "COMPLETE",
        "length" => "MAX_TOKENS",
        "tool_calls" => "TOOL_CALL",
        "content_filter" => "ERROR_TOXIC",
        other => other,
    }
}

/// The body of a non-streamed answer.
pub(super) fn response(reply: &Reply, request: &Value) -> Vec<u8> {
    let answer = Answer::new(reply, request);
    let mut content = Vec::new();
    if let Some(thinking) = answer.thinking {
        content.push(wire::Content::Thinking { thinking });
    }
    if let Some(text) = answer.text.as_deref() {
        content.push(wire::Content::Text { text });
    }
    to_json(&wire::ChatResponse {
        id: &answer.id,
        message: wire::Message {
            role: "assistant",
            content,
            tool_plan: answer.tool_plan.as_deref(),
            tool_calls: answer
                .tool_calls
                .iter()
                .map(|(id, name, arguments)| wire::ToolCall {
                    id: Some(id),
                    kind: Some("function"),
                    function: wire::Function {
                        name: Some(name),
                        arguments,
                    },
                })
                .collect(),
        },
        finish_reason: answer.finish_reason,
        usage: answer.usage,
    })
}

fn event(kind: &'static str, index: Option<usize>, delta: Option<wire::EventDelta<'_>>) -> Bytes {
    let event = wire::Event {
        id: None,
        kind,
        index,
        delta,
    };
    named_event(kind, &to_json(&event))
}

fn message_delta(message: wire::DeltaMessage<'_>) -> Option<wire::EventDelta<'_>> {
    Some(wire::EventDelta::Message { message })
}

fn content<'b>(
    kind: Option<&'static str>,
    text: Option<&'b str>,
    thinking: Option<&'b str>,
) -> Option<wire::EventDelta<'b>> {
    message_delta(wire::DeltaMessage {
        content: Some(wire::DeltaContent {
            kind,
            text,
            thinking,
        }),
        ..wire::DeltaMessage::default()
    })
}

/// A streamed answer, with the reply's delay between events and its fault.
pub(super) fn stream(
    reply: &Reply,
    request: &Value,
    model: &str,
    signal: watch::Receiver<bool>,
) -> Response {
    let answer = Answer::new(reply, request);
    let start = wire::Event {
        id: Some(&answer.id),
        kind: "message-start",
        index: None,
        delta: message_delta(wire::DeltaMessage {
            role: Some("assistant"),
            ..wire::DeltaMessage::default()
        }),
    };
    let mut events = vec![named_event("message-start", &to_json(&start))];
    let mut index = 0;
    if let Some(thinking) = answer.thinking {
        events.push(event(
            "content-start",
            Some(index),
            content(Some("thinking"), None, Some("")),
        ));
        for piece in split(thinking, reply.pieces, Split::Words) {
            events.push(event(
                "content-delta",
                Some(index),
                content(None, None, Some(piece)),
            ));
        }
        events.push(event("content-end", Some(index), None));
        index += 1;
    }
    if let Some(text) = answer.text.as_deref() {
        events.push(event(
            "content-start",
            Some(index),
            content(Some("text"), Some(""), None),
        ));
        for piece in split(text, reply.pieces, Split::Words) {
            events.push(event(
                "content-delta",
                Some(index),
                content(None, Some(piece), None),
            ));
        }
        events.push(event("content-end", Some(index), None));
    }
    if let Some(plan) = answer.tool_plan.as_deref() {
        for piece in split(plan, reply.pieces, Split::Words) {
            let delta = message_delta(wire::DeltaMessage {
                tool_plan: Some(piece),
                ..wire::DeltaMessage::default()
            });
            events.push(event("tool-plan-delta", None, delta));
        }
    }
    for (index, (id, name, arguments)) in answer.tool_calls.iter().enumerate() {
        let call = |id, kind, name, arguments| {
            message_delta(wire::DeltaMessage {
                tool_calls: Some(wire::ToolCall {
                    id,
                    kind,
                    function: wire::Function { name, arguments },
                }),
                ..wire::DeltaMessage::default()
            })
        };
        let opening = call(Some(id), Some("function"), Some(name), "");
        events.push(event("tool-call-start", Some(index), opening));
        for piece in split(arguments, reply.pieces, Split::Chars(ARGUMENT_PIECE_CHARS)) {
            let delta = call(None, None, None, piece);
            events.push(event("tool-call-delta", Some(index), delta));
        }
        events.push(event("tool-call-end", Some(index), None));
    }
    let end = wire::EndDelta {
        error: None,
        finish_reason: answer.finish_reason,
        usage: Some(answer.usage),
    };
    events.push(event("message-end", None, Some(wire::EventDelta::End(end))));

    // A fault always comes before `message-end`.
    let fault = reply.stream_fault.as_ref().map(|f| {
        let fault = match &f.kind {
            StreamFaultKind::Close => Fault::Close,
            StreamFaultKind::Stall => Fault::Stall,
            StreamFaultKind::Error(error) => {
                let message = error.message.replace("{model}", model);
                let end = wire::EndDelta {
                    error: Some(&message),
                    finish_reason: "ERROR",
                    usage: None,
                };
                Fault::LastEvent(event("message-end", None, Some(wire::EventDelta::End(end))))
            }
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

/// Status 200 whose body is cut in the middle of the JSON.
pub(super) fn malformed(stream: bool) -> Response {
    let id = uuid_like();
    if !stream {
        let body = format!(
            r#"{{"id":"{id}","message":{{"role":"assistant","content":[{{"type":"text","text":"Hel"#
        );
        return crate::render::json_response(axum::http::StatusCode::OK, body.into_bytes());
    }
    let body = format!(
        "event: message-start\ndata: {{\"id\":\"{id}\",\"type\":\"message-start\",\"delta\":{{\"message\":{{\"role\":\"assistant\"}}}}}}\n\nevent: content-delta\ndata: {{\"type\":\"content-delta\",\"index\":0,\"delta\":{{\"message\":{{\"content\":{{\"text\":\"Hel\n\n"
    );
    event_stream(Body::from(body))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::reply::ToolCall;

    #[test]
    fn text_becomes_the_tool_plan_beside_tool_calls() {
        let reply = Reply::content("I will search.")
            .and_tool_call(ToolCall::new("search", &serde_json::json!({"q": 1})).with_id("c1"))
            .with_usage(crate::Usage::new(10, 5));
        let request = serde_json::json!({"messages": [{"role": "user", "content": "x"}]});
        let body: Value = serde_json::from_slice(&response(&reply, &request)).unwrap();
        assert_eq!(body["finish_reason"], "TOOL_CALL");
        assert_eq!(body["message"]["tool_plan"], "I will search.");
        assert!(body["message"].get("content").is_none());
        assert_eq!(body["message"]["tool_calls"][0]["id"], "c1");
        assert_eq!(
            body["message"]["tool_calls"][0]["function"]["arguments"],
            r#"{"q":1}"#
        );
        assert_eq!(body["usage"]["billed_units"]["input_tokens"], 10);
        assert_eq!(body["usage"]["tokens"]["input_tokens"], 226);
    }
}
