//! One Cohere v2 chat stream event -> zero or one `ChatChunk`.
//!
//! The message id comes once, in `message-start`; tool calls are opened by
//! `tool-call-start` with Cohere's index and continued by `tool-call-delta` with the same
//! index. [`StreamState`] keeps the id and numbers tool calls 0, 1, ... as OpenAI's deltas
//! do. Text, thinking and the tool plan stream as content and reasoning, as the
//! unstreamed answer puts them.

use std::time::SystemTime;

use super::response::{finish_reason, usage};
use super::wire;
use crate::error::{Error, ErrorKind};
use crate::providers::{unix_secs, EventParser, RawEvent, StreamEvent, Target};
use crate::types::{ChatChunk, Delta, Role};

/// Per-stream state of the Cohere translation.
#[derive(Debug, Default)]
pub(crate) struct StreamState {
    id: String,
    model: String,
    created: u64,
    /// Cohere's index of each tool call opened so far, in OpenAI index order.
    tool_calls: Vec<u32>,
}

impl EventParser for StreamState {
    fn start(now: SystemTime) -> Self {
        StreamState {
            created: unix_secs(now),
            ..StreamState::default()
        }
    }

    fn parse(&mut self, target: &Target, event: RawEvent<'_>) -> Result<StreamEvent, Error> {
        let data = event.data;
        if data == "[DONE]" {
            return Ok(StreamEvent::Done);
        }
        let parsed: wire::StreamEvent = serde_json::from_str(data).map_err(|e| {
            target.error(
                ErrorKind::InternalServer,
                format!("the provider sent an unreadable stream event: {e}"),
            )
        })?;
        let delta = match parsed {
            wire::StreamEvent::MessageStart { id } => {
                self.id = id.unwrap_or_default();
                // Cohere's events do not name the model; the call's name stands in.
                self.model.clone_from(&target.model);
                Some(Delta {
                    role: Some(Role::Assistant),
                    ..Delta::default()
                })
            }
            wire::StreamEvent::ContentStart { delta }
            | wire::StreamEvent::ContentDelta { delta } => {
                let content = delta.and_then(|d| d.message).and_then(|m| m.content);
                content.and_then(|c| {
                    let text = c.text.filter(|t| !t.is_empty());
                    let thinking = c.thinking.filter(|t| !t.is_empty());
                    (text.is_some() || thinking.is_some()).then(|| Delta {
                        content: text,
                        reasoning_content: thinking,
                        ..Delta::default()
                    })
                })
            }
            wire::StreamEvent::ToolPlanDelta { delta } => delta
                .and_then(|d| d.message)
                .and_then(|m| m.tool_plan)
                .filter(|p| !p.is_empty())
                .map(|plan| Delta {
                    content: Some(plan),
                    ..Delta::default()
                }),
            wire::StreamEvent::ToolCallStart { index, delta } => {
                let call = delta
                    .and_then(|d| d.message)
                    .and_then(|m| m.tool_calls)
                    .unwrap_or_default();
                let n = self.tool_calls.len() as u32;
                self.tool_calls.push(index.unwrap_or(n));
                let function = call.function.unwrap_or_default();
                Some(Delta::tool_call(
                    n,
                    Some(call.id.unwrap_or_default()),
                    function.name,
                    function.arguments.unwrap_or_default(),
                ))
            }
            wire::StreamEvent::ToolCallDelta { index, delta } => {
                let n = match index {
                    Some(i) => self.tool_calls.iter().position(|&c| c == i),
                    None => self.tool_calls.len().checked_sub(1),
                }
                .ok_or_else(|| {
                    target.error(
                        ErrorKind::InternalServer,
                        "the provider streamed arguments for a tool call it never opened",
                    )
                })? as u32;
                delta
                    .and_then(|d| d.message)
                    .and_then(|m| m.tool_calls)
                    .and_then(|c| c.function)
                    .and_then(|f| f.arguments)
                    .filter(|a| !a.is_empty())
                    .map(|arguments| Delta::tool_call(n, None, None, arguments))
            }
            wire::StreamEvent::MessageEnd { delta } => {
                let end = delta.unwrap_or_default();
                let reason = end
                    .finish_reason
                    .as_deref()
                    .map(|r| finish_reason(target, r, end.error.as_deref()))
                    .transpose()
                    .map_err(|mut e| {
                        // Part of the answer was delivered: never retried.
                        e.upstream_status = None;
                        e
                    })?;
                let mut chunk = self.chunk(
                    Delta::default(),
                    Some(reason.unwrap_or_else(|| String::from("stop"))),
                );
                chunk.usage = end.usage.map(|u| usage(&u));
                return Ok(StreamEvent::Chunk(Box::new(chunk)));
            }
            wire::StreamEvent::Other => None,
        };
        Ok(match delta {
            Some(delta) => StreamEvent::Chunk(Box::new(self.chunk(delta, None))),
            None => StreamEvent::Skip,
        })
    }
}

impl StreamState {
    fn chunk(&self, delta: Delta, finish_reason: Option<String>) -> ChatChunk {
        ChatChunk::single(&self.id, self.created, &self.model, delta, finish_reason)
    }
}
