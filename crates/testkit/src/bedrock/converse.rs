//! Converse answers: one JSON body, or ConverseStream's binary event-stream
//! frames (`messageStart`, `contentBlockStart`/`Delta`/`Stop` per block,
//! `messageStop`, `metadata`), each frame CRC-checked by the client.

use std::borrow::Cow;

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use axum::http::header::{HeaderValue as HttpHeaderValue, CONTENT_TYPE};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::ids::random_id;
use crate::render::{estimate_tokens, split, Split};
use crate::reply::{Reply, StreamFaultKind};
use crate::sse::{Fault, Playback};

/// The answer to one request, from the reply and the request.
struct Answer<'a> {
    content: Option<Cow<'a, str>>,
    reasoning: Option<&'a str>,
    /// (toolUseId, name, raw JSON input)
    tool_calls: Vec<(String, &'a str, &'a str)>,
    stop_reason: &'a str,
    usage: crate::Usage,
}

impl<'a> Answer<'a> {
    fn new(reply: &'a Reply, request: &'a Value) -> Self {
        let said = reply.said(|| last_user_text(request), || random_id("tooluse_", 22));
        let tool_calls: Vec<_> = said
            .tool_calls
            .iter()
            .map(|(id, name, args)| (id.to_string(), *name, *args))
            .collect();
        let stop_reason = match reply.finish_reason.as_deref() {
            Some("length") => "max_tokens",
            Some("content_filter") => "content_filtered",
            Some("tool_calls") => "tool_use",
            Some(_) => "end_turn",
            None if tool_calls.is_empty() => "end_turn",
            None => "tool_use",
        };
        let usage = reply.usage.unwrap_or_else(|| {
            let prompt = 3 + estimate_tokens(&last_user_text(request));
            crate::Usage::new(prompt, said.estimated_completion_tokens().max(1))
        });
        Answer {
            content: said.content,
            reasoning: said.reasoning,
            tool_calls,
            stop_reason,
            usage,
        }
    }

    /// Converse's usage: `inputTokens` excludes cache reads and writes.
    fn usage_json(&self) -> Value {
        let u = self.usage;
        let input = u
            .prompt_tokens
            .saturating_sub(u.cached_tokens + u.cache_creation_tokens);
        json!({
            "inputTokens": input,
            "outputTokens": u.completion_tokens,
            "totalTokens": u.prompt_tokens + u.completion_tokens,
            "cacheReadInputTokens": u.cached_tokens,
            "cacheWriteInputTokens": u.cache_creation_tokens,
        })
    }
}

/// The last user turn's text, from Converse's `messages[].content[].text`.
fn last_user_text(request: &Value) -> String {
    request["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_array())
        .map(|blocks| {
            blocks
                .iter()
                .filter_map(|b| b["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn tool_input(arguments: &str) -> Value {
    serde_json::from_str(arguments).unwrap_or(Value::Object(serde_json::Map::new()))
}

/// `POST /model/{id}/converse`.
pub(super) fn body(reply: &Reply, request: &Value) -> Vec<u8> {
    let answer = Answer::new(reply, request);
    let mut content = Vec::new();
    if let Some(reasoning) = answer.reasoning {
        content.push(json!({"reasoningContent": {"reasoningText": {"text": reasoning, "signature": random_id("sig", 24)}}}));
    }
    if let Some(text) = answer.content.as_deref() {
        content.push(json!({"text": text}));
    }
    for (id, name, arguments) in &answer.tool_calls {
        content.push(
            json!({"toolUse": {"toolUseId": id, "name": name, "input": tool_input(arguments)}}),
        );
    }
    crate::render::to_json(&json!({
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": answer.stop_reason,
        "usage": answer.usage_json(),
        "metrics": {"latencyMs": 42},
    }))
}

/// One event-stream frame.
pub(super) fn frame(message_type: &str, kind_header: (&str, &str), payload: &Value) -> Bytes {
    let message = Message::new(crate::render::to_json(payload))
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String(message_type.to_string().into()),
        ))
        .add_header(Header::new(
            kind_header.0.to_string(),
            HeaderValue::String(kind_header.1.to_string().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ));
    let mut out = Vec::new();
    // Writing to a Vec cannot fail but for an oversized header, which these are not.
    let _ = write_message_to(&message, &mut out);
    Bytes::from(out)
}

fn event(name: &str, payload: Value) -> Bytes {
    frame("event", (":event-type", name), &payload)
}

/// `POST /model/{id}/converse-stream`.
pub(super) fn stream(reply: &Reply, request: &Value, signal: watch::Receiver<bool>) -> Response {
    let answer = Answer::new(reply, request);
    let mut events = vec![event("messageStart", json!({"role": "assistant"}))];
    let mut index = 0u64;
    if let Some(reasoning) = answer.reasoning {
        for piece in split(reasoning, reply.pieces, Split::Words) {
            events.push(event(
                "contentBlockDelta",
                json!({"contentBlockIndex": index, "delta": {"reasoningContent": {"text": piece}}}),
            ));
        }
        events.push(event(
            "contentBlockStop",
            json!({"contentBlockIndex": index}),
        ));
        index += 1;
    }
    if let Some(text) = answer.content.as_deref() {
        for piece in split(text, reply.pieces, Split::Words) {
            events.push(event(
                "contentBlockDelta",
                json!({"contentBlockIndex": index, "delta": {"text": piece}}),
            ));
        }
        events.push(event(
            "contentBlockStop",
            json!({"contentBlockIndex": index}),
        ));
        index += 1;
    }
    for (id, name, arguments) in &answer.tool_calls {
        events.push(event("contentBlockStart", json!({"contentBlockIndex": index, "start": {"toolUse": {"toolUseId": id, "name": name}}})));
        for piece in split(arguments, reply.pieces, Split::Chars(8)) {
            events.push(event(
                "contentBlockDelta",
                json!({"contentBlockIndex": index, "delta": {"toolUse": {"input": piece}}}),
            ));
        }
        events.push(event(
            "contentBlockStop",
            json!({"contentBlockIndex": index}),
        ));
        index += 1;
    }
    events.push(event(
        "messageStop",
        json!({"stopReason": answer.stop_reason}),
    ));
    events.push(event(
        "metadata",
        json!({"usage": answer.usage_json(), "metrics": {"latencyMs": 42}}),
    ));
    let fault = reply.stream_fault.as_ref().map(|f| {
        let fault = match &f.kind {
            StreamFaultKind::Close => Fault::Close,
            StreamFaultKind::Stall => Fault::Stall,
            StreamFaultKind::Error(error) => Fault::LastEvent(frame(
                "exception",
                (
                    ":exception-type",
                    super::exception_type(error.status, error.code.as_deref()),
                ),
                &json!({"message": error.message}),
            )),
        };
        (f.after.min(events.len() - 1), fault)
    });
    let playback = Playback {
        events,
        delay: reply.stream_delay,
        fault,
    };
    let mut response = Response::new(playback.into_body(signal));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HttpHeaderValue::from_static("application/vnd.amazon.eventstream"),
    );
    response
}
