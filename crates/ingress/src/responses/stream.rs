//! `ChatChunk`s -> the Responses API's `response.*` events.

use std::collections::BTreeMap;

use llmrelay::{ChatChunk, Usage};
use serde_json::{json, Value};

use super::response::{envelope, function_call_item, message_item, reasoning_item};

use crate::{new_id, SseEvent};

/// An output item being streamed.
#[derive(Debug)]
enum Item {
    Reasoning {
        id: String,
        text: String,
    },
    Message {
        id: String,
        text: String,
    },
    Call {
        id: String,
        call_id: String,
        name: String,
        arguments: String,
    },
}

/// Turns one chat stream into `response.*` events.
#[derive(Debug)]
pub struct ResponsesEncoder {
    model: String,
    id: String,
    created: u64,
    sequence: u64,
    started: bool,
    /// The open item and its output index.
    open: Option<(usize, Item)>,
    /// Tool call index -> output index, while the call streams.
    done: Vec<Value>,
    calls: BTreeMap<u32, usize>,
    usage: Option<Usage>,
    finish_reason: Option<String>,
}

impl ResponsesEncoder {
    /// An encoder for a response `id` naming `model` as the client did.
    pub fn new(model: &str, id: &str, created: u64) -> Self {
        ResponsesEncoder {
            model: model.to_string(),
            id: id.to_string(),
            created,
            sequence: 0,
            started: false,
            open: None,
            done: Vec::new(),
            calls: BTreeMap::new(),
            usage: None,
            finish_reason: None,
        }
    }

    fn event(&mut self, name: &'static str, mut body: Value) -> SseEvent {
        if let Some(map) = body.as_object_mut() {
            map.insert("type".into(), json!(name));
            map.insert("sequence_number".into(), json!(self.sequence));
        }
        self.sequence += 1;
        SseEvent::named(name, &body)
    }

    fn snapshot(&self, status: &str) -> Value {
        envelope(
            &self.id,
            &self.model,
            self.created,
            status,
            self.done.clone(),
            self.usage.as_ref(),
        )
    }

    fn start(&mut self, out: &mut Vec<SseEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        let response = self.snapshot("in_progress");
        out.push(self.event("response.created", json!({"response": response})));
        let response = self.snapshot("in_progress");
        out.push(self.event("response.in_progress", json!({"response": response})));
    }

    /// Closes the open item, emitting its `.done` events.
    fn close(&mut self, out: &mut Vec<SseEvent>) {
        let Some((index, item)) = self.open.take() else {
            return;
        };
        let done = match &item {
            Item::Reasoning { id, text } => {
                let part = json!({"type": "summary_text", "text": text});
                out.push(self.event(
                    "response.reasoning_summary_text.done",
                    json!({"item_id": id, "output_index": index, "summary_index": 0, "text": text}),
                ));
                out.push(self.event(
                    "response.reasoning_summary_part.done",
                    json!({"item_id": id, "output_index": index, "summary_index": 0, "part": part}),
                ));
                reasoning_item(id, text)
            }
            Item::Message { id, text } => {
                let part = json!({"type": "output_text", "text": text, "annotations": []});
                out.push(self.event(
                    "response.output_text.done",
                    json!({"item_id": id, "output_index": index, "content_index": 0, "text": text}),
                ));
                out.push(self.event(
                    "response.content_part.done",
                    json!({"item_id": id, "output_index": index, "content_index": 0, "part": part}),
                ));
                message_item(id, text)
            }
            Item::Call {
                id,
                call_id,
                name,
                arguments,
            } => {
                out.push(self.event(
                    "response.function_call_arguments.done",
                    json!({"item_id": id, "output_index": index, "arguments": arguments}),
                ));
                function_call_item(id, call_id, name, arguments)
            }
        };
        out.push(self.event(
            "response.output_item.done",
            json!({"output_index": index, "item": done}),
        ));
        self.done.push(done);
    }

    /// Opens `item` as the next output item.
    fn open(&mut self, item: Item, out: &mut Vec<SseEvent>) {
        self.close(out);
        let index = self.done.len();
        let added = match &item {
            Item::Reasoning { id, .. } => json!({"type": "reasoning", "id": id, "summary": []}),
            Item::Message { id, .. } => {
                json!({"type": "message", "id": id, "status": "in_progress", "role": "assistant", "content": []})
            }
            Item::Call {
                id, call_id, name, ..
            } => {
                json!({"type": "function_call", "id": id, "call_id": call_id, "name": name, "arguments": "", "status": "in_progress"})
            }
        };
        out.push(self.event(
            "response.output_item.added",
            json!({"output_index": index, "item": added}),
        ));
        match &item {
            Item::Reasoning { id, .. } => out.push(self.event("response.reasoning_summary_part.added",
                json!({"item_id": id, "output_index": index, "summary_index": 0, "part": {"type": "summary_text", "text": ""}}))),
            Item::Message { id, .. } => out.push(self.event("response.content_part.added",
                json!({"item_id": id, "output_index": index, "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": []}}))),
            Item::Call { .. } => {}
        }
        self.open = Some((index, item));
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
                if !matches!(self.open, Some((_, Item::Reasoning { .. }))) {
                    self.open(
                        Item::Reasoning {
                            id: new_id("rs_"),
                            text: String::new(),
                        },
                        &mut out,
                    );
                }
                if let Some((index, Item::Reasoning { id, text: all })) = &mut self.open {
                    all.push_str(text);
                    let body = json!({"item_id": id, "output_index": *index, "summary_index": 0, "delta": text});
                    out.push(self.event("response.reasoning_summary_text.delta", body));
                }
            }
            if let Some(text) = delta.content.as_deref().filter(|t| !t.is_empty()) {
                if !matches!(self.open, Some((_, Item::Message { .. }))) {
                    self.open(
                        Item::Message {
                            id: new_id("msg_"),
                            text: String::new(),
                        },
                        &mut out,
                    );
                }
                if let Some((index, Item::Message { id, text: all })) = &mut self.open {
                    all.push_str(text);
                    let body = json!({"item_id": id, "output_index": *index, "content_index": 0, "delta": text});
                    out.push(self.event("response.output_text.delta", body));
                }
            }
            for call in delta.tool_calls.as_deref().unwrap_or_default() {
                let function = call.function.as_ref();
                let current = matches!(&self.open, Some((i, Item::Call { .. })) if self.calls.get(&call.index) == Some(i));
                if !current {
                    let item = Item::Call {
                        id: new_id("fc_"),
                        call_id: call.id.clone().unwrap_or_else(|| new_id("call_")),
                        name: function.and_then(|f| f.name.clone()).unwrap_or_default(),
                        arguments: String::new(),
                    };
                    self.open(item, &mut out);
                    self.calls.insert(call.index, self.done.len());
                }
                if let Some(args) = function
                    .and_then(|f| f.arguments.as_deref())
                    .filter(|a| !a.is_empty())
                {
                    if let Some((index, Item::Call { id, arguments, .. })) = &mut self.open {
                        arguments.push_str(args);
                        let body = json!({"item_id": id, "output_index": *index, "delta": args});
                        out.push(self.event("response.function_call_arguments.delta", body));
                    }
                }
            }
            if let Some(reason) = &choice.finish_reason {
                self.finish_reason = Some(reason.clone());
            }
        }
        out
    }

    /// The closing events: every item done, then `response.completed`.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        self.start(&mut out);
        self.close(&mut out);
        let status = if self.finish_reason.as_deref() == Some("length") {
            "incomplete"
        } else {
            "completed"
        };
        let name = if status == "completed" {
            "response.completed"
        } else {
            "response.incomplete"
        };
        let response = self.snapshot(status);
        out.push(self.event(name, json!({"response": response})));
        out
    }

    /// An `error` event: the stream failed after it started. `error_type`
    /// is OpenAI's (`rate_limit_error`, `api_error`...), sent as the event's
    /// `code`; `param` names the request field at fault, when one is.
    pub fn error(&mut self, error_type: &str, message: &str, param: Option<&str>) -> Vec<SseEvent> {
        let event = json!({"code": error_type, "message": message, "param": param});
        vec![self.event("error", event)]
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chunk(v: Value) -> ChatChunk {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn text_then_a_function_call_stream_as_two_items() {
        let mut enc = ResponsesEncoder::new("m", "resp_1", 5);
        let mut events = Vec::new();
        for c in [
            json!({"id": "c", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hel"}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"content": "lo"}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_9", "function": {"name": "w", "arguments": "{\"a\""}}]}}]}),
            json!({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": ":1}"}}]}, "finish_reason": "tool_calls"}]}),
            json!({"id": "c", "choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}),
        ] {
            events.extend(enc.chunk(&chunk(c)));
        }
        events.extend(enc.finish());
        let names: Vec<&str> = events.iter().map(|e| e.event.unwrap_or("")).collect();
        assert_eq!(
            names,
            [
                "response.created",
                "response.in_progress",
                "response.output_item.added",
                "response.content_part.added",
                "response.output_text.delta",
                "response.output_text.delta",
                "response.output_text.done",
                "response.content_part.done",
                "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.done",
                "response.output_item.done",
                "response.completed"
            ]
        );
        let last: Value = serde_json::from_str(&events.last().unwrap().data).unwrap();
        assert_eq!(last["sequence_number"], 14);
        let response = &last["response"];
        assert_eq!(response["status"], "completed");
        assert_eq!(response["output"][0]["content"][0]["text"], "Hello");
        assert_eq!(response["output"][1]["arguments"], "{\"a\":1}");
        assert_eq!(response["output"][1]["call_id"], "call_9");
        assert_eq!(response["usage"]["total_tokens"], 5);
    }
}
