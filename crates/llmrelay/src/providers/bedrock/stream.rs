//! ConverseStream events (decoded from AWS's binary event stream by the
//! transport's framing) -> chunks. Events name content blocks by index, and
//! only the block's start names a tool, so the parser keeps a little state.

use std::time::SystemTime;

use std::collections::HashMap;

use serde_json::Value;

use super::request::JSON_TOOL;
use super::response::{finish_reason, usage};
use super::wire::TokenUsage;
use crate::error::{Error, ErrorKind};
use crate::providers::{local_id, unix_secs, EventParser, RawEvent, StreamEvent, Target};
use crate::types::{ChatChunk, Delta, FunctionCallDelta, Role, ToolCallDelta};

/// What earlier events of this stream said.
#[derive(Debug, Default)]
pub(crate) struct StreamState {
    id: String,
    created: u64,
    /// Content block index -> tool-call index (OpenAI numbers calls from 0).
    tools: HashMap<u64, u32>,
    /// The block carrying the forced JSON tool, streamed as content.
    json_block: Option<u64>,
}

impl EventParser for StreamState {
    fn start(now: SystemTime) -> Self {
        StreamState {
            id: local_id("chatcmpl-", now),
            created: unix_secs(now),
            ..StreamState::default()
        }
    }

    fn parse(&mut self, target: &Target, event: RawEvent<'_>) -> Result<StreamEvent, Error> {
        if let Some(exception) = event.event.strip_prefix("exception/") {
            return Err(exception_error(target, exception, event.data));
        }
        let payload: Value = serde_json::from_str(event.data).map_err(|e| {
            target.error(
                ErrorKind::InternalServer,
                format!("Bedrock sent an unreadable stream event: {e}"),
            )
        })?;
        let index = payload
            .get("contentBlockIndex")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let delta = match event.event {
            "messageStart" => Delta {
                role: Some(Role::Assistant),
                content: Some(String::new()),
                ..Delta::default()
            },
            "contentBlockStart" => {
                let Some(tool) = payload.pointer("/start/toolUse") else {
                    return Ok(StreamEvent::Skip);
                };
                let name = tool.get("name").and_then(Value::as_str).unwrap_or_default();
                if name == JSON_TOOL {
                    self.json_block = Some(index);
                    return Ok(StreamEvent::Skip);
                }
                let call_index = self.tools.len() as u32;
                self.tools.insert(index, call_index);
                tool_delta(
                    call_index,
                    tool.get("toolUseId").and_then(Value::as_str),
                    Some(name),
                    Some(""),
                )
            }
            "contentBlockDelta" => {
                let delta = payload.get("delta").unwrap_or(&Value::Null);
                if let Some(text) = delta.get("text").and_then(Value::as_str) {
                    content(text)
                } else if let Some(input) = delta.pointer("/toolUse/input").and_then(Value::as_str)
                {
                    match (self.json_block == Some(index), self.tools.get(&index)) {
                        (true, _) => content(input),
                        (false, Some(&call)) => tool_delta(call, None, None, Some(input)),
                        (false, None) => {
                            return Err(target.error(
                                ErrorKind::InternalServer,
                                "Bedrock streamed tool input for a block it never opened",
                            ))
                        }
                    }
                } else if let Some(text) = delta
                    .pointer("/reasoningContent/text")
                    .and_then(Value::as_str)
                {
                    Delta {
                        reasoning_content: Some(text.to_string()),
                        ..Delta::default()
                    }
                } else {
                    return Ok(StreamEvent::Skip);
                }
            }
            "messageStop" => {
                let reason = if self.json_block.is_some() {
                    String::from("stop")
                } else {
                    finish_reason(payload.get("stopReason").and_then(Value::as_str))
                };
                return Ok(StreamEvent::Chunk(Box::new(self.chunk(
                    target,
                    Delta::default(),
                    Some(reason),
                ))));
            }
            "metadata" => {
                let Some(raw) = payload.get("usage") else {
                    return Ok(StreamEvent::Skip);
                };
                let wire: TokenUsage = serde_json::from_value(raw.clone()).unwrap_or_default();
                let mut chunk = self.chunk(target, Delta::default(), None);
                chunk.choices.clear();
                chunk.usage = Some(usage(wire));
                return Ok(StreamEvent::Chunk(Box::new(chunk)));
            }
            _ => return Ok(StreamEvent::Skip),
        };
        Ok(StreamEvent::Chunk(Box::new(
            self.chunk(target, delta, None),
        )))
    }
}

impl StreamState {
    fn chunk(&self, target: &Target, delta: Delta, finish_reason: Option<String>) -> ChatChunk {
        ChatChunk::single(&self.id, self.created, &target.model, delta, finish_reason)
    }
}

fn content(text: &str) -> Delta {
    Delta {
        content: Some(text.to_string()),
        ..Delta::default()
    }
}

fn tool_delta(index: u32, id: Option<&str>, name: Option<&str>, arguments: Option<&str>) -> Delta {
    Delta {
        tool_calls: Some(vec![ToolCallDelta {
            index,
            id: id.map(str::to_string),
            kind: id.map(|_| String::from("function")),
            function: Some(FunctionCallDelta {
                name: name.map(str::to_string),
                arguments: arguments.map(str::to_string),
            }),
        }]),
        ..Delta::default()
    }
}

/// An `exception` frame: its type stands for the HTTP status it would have had.
fn exception_error(target: &Target, exception: &str, payload: &str) -> Error {
    let status = match exception {
        "throttlingException" => 429,
        "validationException" => 400,
        "modelTimeoutException" => 408,
        "serviceUnavailableException" => 503,
        _ => 500,
    };
    let mut err =
        crate::providers::upstream_error::from_json_body(target, status, payload.as_bytes());
    // Part of the answer was delivered: the stream is not retried.
    err.upstream_status = None;
    err
}
