//! `POST /v1/messages`: a scripted answer rendered as one message, or as the events
//! Anthropic streams (`message_start`, a `ping`, one start/deltas/stop run per content
//! block, `message_delta` with the stop reason and output tokens, `message_stop`).

use std::borrow::Cow;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use super::{error_json, wire};
use crate::ids::random_id;
use crate::render::{
    estimate_prompt_tokens, estimate_tokens, event_stream, last_user_text, named_event, split,
    text_of, to_json, Split,
};
use crate::reply::{Reply, StreamFaultKind};
use crate::sse::{Fault, Playback};

/// Characters per tool-input piece when the reply does not say how many pieces.
const INPUT_PIECE_CHARS: usize = 8;

/// The answer to one request, resolved from the reply and the request.
struct Answer<'a> {
    id: String,
    model: &'a str,
    reasoning: Option<&'a str>,
    signature: String,
    content: Option<Cow<'a, str>>,
    /// Each call: id, name, raw input text.
    tool_calls: Vec<(Cow<'a, str>, &'a str, &'a str)>,
    stop_reason: &'a str,
    usage: crate::Usage,
}

impl<'a> Answer<'a> {
    fn new(reply: &'a Reply, request: &'a Value, model: &'a str) -> Self {
        let said = reply.said(|| last_user_text(request), || random_id("toolu_01", 22));
        let (content, tool_calls, reasoning) = (
            said.content.clone(),
            said.tool_calls.clone(),
            said.reasoning,
        );
        let stop_reason = match reply.finish_reason.as_deref() {
            Some(reason) => stop_reason(reason),
            None if tool_calls.is_empty() => "end_turn",
            None => "tool_use",
        };
        let usage = reply.usage.unwrap_or_else(|| {
            let completion = said.estimated_completion_tokens();
            let system = estimate_tokens(&text_of(&request["system"]));
            crate::Usage::new(estimate_prompt_tokens(request) + system, completion)
        });
        Self {
            id: random_id("msg_01", 22),
            model,
            reasoning,
            signature: random_id("EqQBCkYIBxgCKkB", 48),
            content,
            tool_calls,
            stop_reason,
            usage,
        }
    }

    /// The content blocks of the whole answer, in order.
    fn blocks(&self) -> Vec<wire::Block<'_>> {
        let mut blocks = Vec::new();
        if let Some(thinking) = self.reasoning {
            blocks.push(wire::Block::Thinking {
                thinking,
                signature: &self.signature,
            });
        }
        if let Some(text) = self.content.as_deref() {
            blocks.push(wire::Block::Text { text });
        }
        for (id, name, arguments) in &self.tool_calls {
            blocks.push(wire::Block::ToolUse {
                id,
                name,
                input: tool_input(arguments),
            });
        }
        blocks
    }

    fn message<'s>(&'s self, content: Vec<wire::Block<'s>>, done: bool) -> wire::Message<'s> {
        let mut usage = wire::Usage::from(self.usage);
        if !done {
            // `message_start` reports the input and a first output token.
            usage.output_tokens = 1;
        }
        wire::Message {
            id: &self.id,
            kind: "message",
            role: "assistant",
            model: self.model,
            content,
            stop_reason: done.then_some(self.stop_reason),
            stop_sequence: None,
            usage,
        }
    }
}

/// Anthropic's `stop_reason` for an OpenAI-worded finish reason; other words pass as is
/// (`stop_sequence`, `pause_turn`...).
fn stop_reason(finish_reason: &str) -> &str {
    match finish_reason {
        "stop" => "end_turn",
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        "content_filter" => "refusal",
        other => other,
    }
}

/// A call's input object; arguments that are not JSON are sent as a string, which a
/// client must cope with.
fn tool_input(arguments: &str) -> Value {
    serde_json::from_str(arguments).unwrap_or_else(|_| Value::String(arguments.to_owned()))
}

/// The body of a non-streamed answer.
pub(super) fn message(reply: &Reply, request: &Value, model: &str) -> Vec<u8> {
    let answer = Answer::new(reply, request, model);
    to_json(&answer.message(answer.blocks(), true))
}

fn event(event: &wire::Event<'_>) -> Bytes {
    named_event(event.name(), &to_json(event))
}

/// A streamed answer, with the reply's delay between events and its fault.
pub(super) fn stream(
    reply: &Reply,
    request: &Value,
    model: &str,
    signal: watch::Receiver<bool>,
) -> Response {
    let answer = Answer::new(reply, request, model);
    let mut events = vec![
        event(&wire::Event::MessageStart {
            message: answer.message(Vec::new(), false),
        }),
        event(&wire::Event::Ping),
    ];
    let mut index = 0;
    let mut block = |start: wire::Block<'_>, deltas: Vec<wire::Delta<'_>>| {
        events.push(event(&wire::Event::ContentBlockStart {
            index,
            content_block: start,
        }));
        for delta in deltas {
            events.push(event(&wire::Event::ContentBlockDelta { index, delta }));
        }
        events.push(event(&wire::Event::ContentBlockStop { index }));
        index += 1;
    };
    if let Some(thinking) = answer.reasoning {
        let mut deltas: Vec<_> = split(thinking, reply.pieces, Split::Words)
            .into_iter()
            .map(|thinking| wire::Delta::Thinking { thinking })
            .collect();
        deltas.push(wire::Delta::Signature {
            signature: &answer.signature,
        });
        let start = wire::Block::Thinking {
            thinking: "",
            signature: "",
        };
        block(start, deltas);
    }
    if let Some(content) = answer.content.as_deref() {
        let deltas = split(content, reply.pieces, Split::Words)
            .into_iter()
            .map(|text| wire::Delta::Text { text })
            .collect();
        block(wire::Block::Text { text: "" }, deltas);
    }
    for (id, name, arguments) in &answer.tool_calls {
        // Anthropic opens each input with an empty piece.
        let deltas = std::iter::once("")
            .chain(split(
                arguments,
                reply.pieces,
                Split::Chars(INPUT_PIECE_CHARS),
            ))
            .map(|partial_json| wire::Delta::InputJson { partial_json })
            .collect();
        let start = wire::Block::ToolUse {
            id,
            name,
            input: Value::Object(serde_json::Map::new()),
        };
        block(start, deltas);
    }
    events.push(event(&wire::Event::MessageDelta {
        delta: wire::MessageDelta {
            stop_reason: answer.stop_reason,
            stop_sequence: None,
        },
        usage: wire::DeltaUsage {
            output_tokens: answer.usage.completion_tokens,
        },
    }));
    events.push(event(&wire::Event::MessageStop));

    // A fault always comes before `message_stop`.
    let fault = reply.stream_fault.as_ref().map(|f| {
        let fault = match &f.kind {
            StreamFaultKind::Close => Fault::Close,
            StreamFaultKind::Stall => Fault::Stall,
            StreamFaultKind::Error(error) => {
                Fault::LastEvent(named_event("error", &error_json(error, model)))
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
pub(super) fn malformed(model: &str, stream: bool) -> Response {
    let id = random_id("msg_01", 22);
    if !stream {
        let body = format!(
            r#"{{"id":"{id}","type":"message","role":"assistant","model":"{model}","content":[{{"type":"text","text":"Hel"#
        );
        return crate::render::json_response(axum::http::StatusCode::OK, body.into_bytes());
    }
    let body = format!(
        "event: message_start\ndata: {{\"type\":\"message_start\",\"message\":{{\"id\":\"{id}\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"{model}\",\"content\":[],\"usage\":{{\"input_tokens\":3,\"output_tokens\":1}}}}}}\n\nevent: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"Hel\n\nevent: message_stop\ndata: {{\"type\":\"message_stop\"}}\n\n"
    );
    event_stream(Body::from(body))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::reply::ToolCall;

    #[test]
    fn renders_thinking_text_and_tool_use_with_split_usage() {
        let reply = Reply::content("Hi")
            .with_reasoning("hmm")
            .and_tool_call(ToolCall::new("f", &serde_json::json!({"a": 1})).with_id("toolu_1"))
            .with_usage(
                crate::Usage::new(100, 10)
                    .with_cached_tokens(60)
                    .with_cache_creation_tokens(30),
            );
        let request = serde_json::json!({"messages": [{"role": "user", "content": "x"}]});
        let body: Value = serde_json::from_slice(&message(&reply, &request, "claude")).unwrap();
        assert_eq!(body["type"], "message");
        assert_eq!(body["content"][0]["type"], "thinking");
        assert_eq!(
            body["content"][1],
            serde_json::json!({"type": "text", "text": "Hi"})
        );
        assert_eq!(
            body["content"][2],
            serde_json::json!({"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}})
        );
        assert_eq!(body["stop_reason"], "tool_use");
        assert_eq!(body["usage"]["input_tokens"], 10);
        assert_eq!(body["usage"]["cache_read_input_tokens"], 60);
        assert_eq!(body["usage"]["cache_creation_input_tokens"], 30);
        assert_eq!(body["usage"]["output_tokens"], 10);
    }

    #[test]
    fn maps_openai_finish_reasons() {
        assert_eq!(stop_reason("length"), "max_tokens");
        assert_eq!(stop_reason("stop_sequence"), "stop_sequence");
    }
}
