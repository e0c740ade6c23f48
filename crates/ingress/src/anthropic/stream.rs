//! `ChatChunk`s -> Anthropic's stream events: `message_start`, then per
//! block `content_block_start` / `_delta` / `_stop` (thinking, text,
//! tool_use), then `message_delta` (stop reason, usage) and `message_stop`.

use llmrelay::{ChatChunk, Usage};
use serde_json::{json, Value};

use super::response::usage;
use super::stop_reason;

use crate::{new_id, SseEvent};

/// The block being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Thinking,
    Text,
    /// A tool call, by its OpenAI index.
    Tool(u32),
}

/// Turns one chat stream into Anthropic's events; keeps the state between chunks.
#[derive(Debug)]
pub struct MessagesEncoder {
    model: String,
    started: bool,
    /// Index of the open block, and what it is.
    block: Option<(usize, Open)>,
    next_index: usize,
    finish_reason: Option<String>,
    usage: Option<Usage>,
}

impl MessagesEncoder {
    /// An encoder naming `model` as the client did.
    pub fn new(model: &str) -> Self {
        MessagesEncoder {
            model: model.to_string(),
            started: false,
            block: None,
            next_index: 0,
            finish_reason: None,
            usage: None,
        }
    }

    fn start(&mut self, out: &mut Vec<SseEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        out.push(SseEvent::named(
            "message_start",
            &json!({"type": "message_start", "message": {
                "id": new_id("msg_"), "type": "message", "role": "assistant", "model": self.model,
                "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 0, "output_tokens": 0}}}),
        ));
    }

    /// Closes the open block if it is not `want`, then opens `want` with `block`.
    fn switch(&mut self, want: Open, block: Value, out: &mut Vec<SseEvent>) -> usize {
        if let Some((index, open)) = self.block {
            if open == want {
                return index;
            }
            out.push(stop(index));
        }
        let index = self.next_index;
        self.next_index += 1;
        self.block = Some((index, want));
        out.push(SseEvent::named(
            "content_block_start",
            &json!({"type": "content_block_start", "index": index, "content_block": block}),
        ));
        index
    }

    /// The events one chunk gives.
    pub fn chunk(&mut self, chunk: &ChatChunk) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.start(&mut out);
        if let Some(u) = &chunk.usage {
            self.usage = Some(u.clone());
        }
        for choice in chunk.choices.iter().filter(|c| c.index == 0) {
            let delta = &choice.delta;
            if let Some(text) = delta.reasoning_content.as_deref().filter(|t| !t.is_empty()) {
                let i = self.switch(
                    Open::Thinking,
                    json!({"type": "thinking", "thinking": ""}),
                    &mut out,
                );
                out.push(block_delta(
                    i,
                    json!({"type": "thinking_delta", "thinking": text}),
                ));
            }
            if let Some(text) = delta.content.as_deref().filter(|t| !t.is_empty()) {
                let i = self.switch(Open::Text, json!({"type": "text", "text": ""}), &mut out);
                out.push(block_delta(i, json!({"type": "text_delta", "text": text})));
            }
            for call in delta.tool_calls.as_deref().unwrap_or_default() {
                let function = call.function.as_ref();
                let opening =
                    call.id.is_some() || self.block.map(|b| b.1) != Some(Open::Tool(call.index));
                let i = if opening {
                    // A new call: close whatever was open, even another call.
                    if let Some((index, _)) = self.block.take() {
                        out.push(stop(index));
                    }
                    self.switch(
                        Open::Tool(call.index),
                        json!({"type": "tool_use", "id": call.id.clone().unwrap_or_else(|| new_id("toolu_")),
                               "name": function.and_then(|f| f.name.clone()).unwrap_or_default(),
                               "input": {}}),
                        &mut out,
                    )
                } else {
                    self.block.map_or(0, |b| b.0)
                };
                if let Some(args) = function
                    .and_then(|f| f.arguments.as_deref())
                    .filter(|a| !a.is_empty())
                {
                    out.push(block_delta(
                        i,
                        json!({"type": "input_json_delta", "partial_json": args}),
                    ));
                }
            }
            if let Some(reason) = &choice.finish_reason {
                self.finish_reason = Some(reason.clone());
            }
        }
        out
    }

    /// The closing events, after the last chunk.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.start(&mut out);
        if let Some((index, _)) = self.block.take() {
            out.push(stop(index));
        }
        let usage = usage(self.usage.as_ref());
        out.push(SseEvent::named(
            "message_delta",
            &json!({"type": "message_delta",
                    "delta": {"stop_reason": stop_reason(self.finish_reason.as_deref()), "stop_sequence": null},
                    "usage": usage}),
        ));
        out.push(SseEvent::named(
            "message_stop",
            &json!({"type": "message_stop"}),
        ));
        out
    }

    /// An `error` event: the stream failed after it started. `error_type`
    /// is Anthropic's (`overloaded_error`, `api_error`...).
    pub fn error(&mut self, error_type: &str, message: &str) -> Vec<SseEvent> {
        let body = json!({"type": "error", "error": {"type": error_type, "message": message}});
        vec![SseEvent::named("error", &body)]
    }
}

fn stop(index: usize) -> SseEvent {
    SseEvent::named(
        "content_block_stop",
        &json!({"type": "content_block_stop", "index": index}),
    )
}

fn block_delta(index: usize, delta: Value) -> SseEvent {
    SseEvent::named(
        "content_block_delta",
        &json!({"type": "content_block_delta", "index": index, "delta": delta}),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chunk(v: Value) -> ChatChunk {
        serde_json::from_value(v).unwrap()
    }

    fn names_and_data(events: &[SseEvent]) -> Vec<(String, Value)> {
        events
            .iter()
            .map(|e| {
                (
                    e.event.unwrap_or("").to_string(),
                    serde_json::from_str(&e.data).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn thinking_text_and_tool_use_make_three_blocks_in_order() {
        let mut enc = MessagesEncoder::new("claude");
        let mut events = Vec::new();
        for c in [
            json!({"id": "c", "choices": [{"index": 0, "delta": {"role": "assistant", "reasoning_content": "Hmm."}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"content": "Hi"}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"content": " there"}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": ""}}]}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{\"a\":1}"}}]}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}),
            json!({"id": "c", "choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14}}),
        ] {
            events.extend(enc.chunk(&chunk(c)));
        }
        events.extend(enc.finish());
        let got = names_and_data(&events);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "message_start",
                "content_block_start",
                "content_block_delta",
                "content_block_stop",
                "content_block_start",
                "content_block_delta",
                "content_block_delta",
                "content_block_stop",
                "content_block_start",
                "content_block_delta",
                "content_block_stop",
                "message_delta",
                "message_stop"
            ]
        );
        assert_eq!(
            got[1].1["content_block"],
            json!({"type": "thinking", "thinking": ""})
        );
        assert_eq!(
            got[2].1["delta"],
            json!({"type": "thinking_delta", "thinking": "Hmm."})
        );
        assert_eq!(
            got[5].1,
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "Hi"}})
        );
        assert_eq!(
            got[8].1["content_block"],
            json!({"type": "tool_use", "id": "call_1", "name": "f", "input": {}})
        );
        assert_eq!(
            got[9].1["delta"],
            json!({"type": "input_json_delta", "partial_json": "{\"a\":1}"})
        );
        assert_eq!(got[10].1["index"], 2);
        assert_eq!(got[11].1["delta"]["stop_reason"], "tool_use");
        assert_eq!(got[11].1["usage"]["output_tokens"], 4);
        assert_eq!(got[11].1["usage"]["input_tokens"], 10);
    }

    #[test]
    fn an_empty_stream_still_starts_and_stops() {
        let mut enc = MessagesEncoder::new("m");
        let names: Vec<_> = enc.finish().iter().map(|e| e.event.unwrap_or("")).collect();
        assert_eq!(names, ["message_start", "message_delta", "message_stop"]);
    }

    #[test]
    fn two_tool_calls_are_two_blocks() {
        let mut enc = MessagesEncoder::new("m");
        let mut events = enc.chunk(&chunk(
            json!({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "a", "function": {"name": "f", "arguments": "{}"}}]}}]}),
        ));
        events.extend(enc.chunk(&chunk(
            json!({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 1, "id": "b", "function": {"name": "g", "arguments": "{}"}}]}}]}),
        )));
        let starts = events
            .iter()
            .filter(|e| e.event == Some("content_block_start"))
            .count();
        let stops = events
            .iter()
            .filter(|e| e.event == Some("content_block_stop"))
            .count();
        assert_eq!((starts, stops), (2, 1));
    }
}
