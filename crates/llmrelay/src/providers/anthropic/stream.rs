//! One Messages API stream event -> zero or one `ChatChunk`.
//!
//! Anthropic's events refer to earlier ones: the message id, model and input usage come
//! once in `message_start`; deltas name their content block by index, and only the
//! block's start says whether it is text, thinking or a tool call. [`StreamState`] keeps
//! that, and numbers tool calls 0, 1, ... as OpenAI's deltas do. The response-format
//! tool's input is streamed as content, as the unstreamed answer returns it.

use std::time::SystemTime;

use super::format::JSON_TOOL;
use super::response::{finish_reason, usage};
use super::wire::{self, BlockDelta, ResponseBlock};
use crate::error::{Error, ErrorKind};
use crate::providers::{unix_secs, EventParser, RawEvent, StreamEvent, Target};
use crate::types::{ChatChunk, Delta, Role};

/// What an open content block carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Text,
    Thinking,
    /// A tool call, with its OpenAI index.
    Tool(u32),
    /// The response-format tool: its input is the answer's content.
    JsonTool,
    /// Anything else (redacted thinking, server tools): its deltas are skipped.
    Other,
}

/// Per-stream state of the Anthropic translation.
#[derive(Debug, Default)]
pub(crate) struct StreamState {
    id: String,
    model: String,
    created: u64,
    /// The usage of `message_start` (input, cache reads and writes).
    start_usage: wire::Usage,
    /// Content blocks by Anthropic index (a handful per message: a list is enough).
    blocks: Vec<(u32, BlockKind)>,
    tool_calls: u32,
    answered_json: bool,
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
        let parsed: wire::StreamEvent = serde_json::from_str(data).map_err(|e| {
            target.error(
                ErrorKind::InternalServer,
                format!("the provider sent an unreadable stream event: {e}"),
            )
        })?;
        match parsed {
            wire::StreamEvent::MessageStart { message } => {
                self.id = message.id;
                self.model = message.model;
                self.start_usage = message.usage;
                Ok(self.chunk(
                    Delta {
                        role: Some(Role::Assistant),
                        ..Delta::default()
                    },
                    None,
                ))
            }
            wire::StreamEvent::ContentBlockStart {
                index,
                content_block,
            } => Ok(self.open_block(index, content_block)),
            wire::StreamEvent::ContentBlockDelta { index, delta } => {
                self.block_delta(target, index, delta)
            }
            wire::StreamEvent::MessageDelta {
                delta,
                usage: delta_usage,
            } => {
                let reason = delta
                    .stop_reason
                    .as_deref()
                    .map(|r| finish_reason(r, self.answered_json && self.tool_calls == 0));
                let usage = delta_usage.map(|u| usage(&u, Some(&self.start_usage)));
                let mut chunk = self.chunk(Delta::default(), reason);
                if let StreamEvent::Chunk(c) = &mut chunk {
                    c.usage = usage;
                }
                Ok(chunk)
            }
            wire::StreamEvent::MessageStop {} => Ok(StreamEvent::Done),
            wire::StreamEvent::Error { error } => {
                Err(super::error::map_stream_error(target, &error))
            }
            wire::StreamEvent::ContentBlockStop {}
            | wire::StreamEvent::Ping {}
            | wire::StreamEvent::Other => Ok(StreamEvent::Skip),
        }
    }
}

impl StreamState {
    fn open_block(&mut self, index: u32, block: ResponseBlock) -> StreamEvent {
        let (kind, delta) = match block {
            ResponseBlock::Text { text } => (BlockKind::Text, text_delta(text)),
            ResponseBlock::Thinking { thinking, .. } => (
                BlockKind::Thinking,
                (!thinking.is_empty()).then(|| Delta {
                    reasoning_content: Some(thinking),
                    ..Delta::default()
                }),
            ),
            ResponseBlock::ToolUse { name, .. } if name == JSON_TOOL => {
                self.answered_json = true;
                (BlockKind::JsonTool, None)
            }
            ResponseBlock::ToolUse { id, name, .. } => {
                let n = self.tool_calls;
                self.tool_calls += 1;
                (
                    BlockKind::Tool(n),
                    Some(Delta::tool_call(n, Some(id), Some(name), String::new())),
                )
            }
            ResponseBlock::RedactedThinking { .. } | ResponseBlock::Other => {
                (BlockKind::Other, None)
            }
        };
        match self.blocks.iter_mut().find(|(i, _)| *i == index) {
            Some(slot) => slot.1 = kind,
            None => self.blocks.push((index, kind)),
        }
        match delta {
            Some(delta) => self.chunk(delta, None),
            None => StreamEvent::Skip,
        }
    }

    fn block_delta(
        &mut self,
        target: &Target,
        index: u32,
        delta: BlockDelta,
    ) -> Result<StreamEvent, Error> {
        let kind = self
            .blocks
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, kind)| *kind);
        let delta = match (delta, kind) {
            (BlockDelta::TextDelta { text }, _) => text_delta(text),
            (BlockDelta::ThinkingDelta { thinking }, _) => Some(Delta {
                reasoning_content: Some(thinking),
                ..Delta::default()
            }),
            (BlockDelta::InputJsonDelta { partial_json }, Some(BlockKind::Tool(n))) => {
                (!partial_json.is_empty()).then(|| Delta::tool_call(n, None, None, partial_json))
            }
            (BlockDelta::InputJsonDelta { partial_json }, Some(BlockKind::JsonTool)) => {
                text_delta(partial_json)
            }
            (BlockDelta::InputJsonDelta { .. }, _) => {
                return Err(target.error(
                    ErrorKind::InternalServer,
                    format!(
                        "the provider streamed tool input for content block {index}, which is \
                         not an open tool call"
                    ),
                ))
            }
            // Signatures are kept by the unstreamed answer only (`thinking_blocks`).
            (BlockDelta::SignatureDelta { .. } | BlockDelta::Other, _) => None,
        };
        Ok(match delta {
            Some(delta) => self.chunk(delta, None),
            None => StreamEvent::Skip,
        })
    }

    fn chunk(&self, delta: Delta, finish_reason: Option<String>) -> StreamEvent {
        StreamEvent::Chunk(Box::new(ChatChunk::single(
            &self.id,
            self.created,
            &self.model,
            delta,
            finish_reason,
        )))
    }
}

fn text_delta(text: String) -> Option<Delta> {
    (!text.is_empty()).then(|| Delta {
        content: Some(text),
        ..Delta::default()
    })
}
