//! `streamGenerateContent?alt=sse`: every event is a whole
//! `GenerateContentResponse` holding the next piece of each candidate, so
//! one event becomes one chunk. The state keeps what OpenAI's chunks repeat
//! or number across the stream: the id, the model, whether the role was
//! sent, and how many tool calls each candidate has made. Usage rides on
//! the chunk that carries the finish reason. There is no `[DONE]`: the
//! stream ends when the connection closes after the last finish reason.

use std::time::SystemTime;

use super::error::map_stream_error;
use super::response::{blocked, call_id, finish_reason, response_id, texts, unreadable, usage};
use super::wire::{GenerateContentResponse, UsageMetadata};
use crate::error::Error;
use crate::providers::{unix_secs, EventParser, RawEvent, StreamEvent, Target};
use crate::types::{ChatChunk, ChunkChoice, Delta, FunctionCallDelta, Role, ToolCallDelta};

/// What a Gemini stream remembers between events.
#[derive(Debug, Default)]
pub(crate) struct StreamState {
    id: Option<String>,
    model: Option<String>,
    created: u64,
    /// Per candidate index: the role was sent, tool calls so far.
    candidates: Vec<(bool, u32)>,
    usage: Option<UsageMetadata>,
    /// A finish reason went out already; later usage gets a chunk of its own.
    finished: bool,
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
        let value: serde_json::Value =
            serde_json::from_str(data).map_err(|e| unreadable(target, &e))?;
        if let Some(error) = value.get("error") {
            return Err(map_stream_error(target, error));
        }
        let event: GenerateContentResponse =
            serde_json::from_value(value).map_err(|e| unreadable(target, &e))?;
        if let Some(err) = blocked(target, &event) {
            return Err(err);
        }
        if self.id.is_none() {
            self.id = Some(response_id(event.response_id.as_deref()));
        }
        if let Some(version) = event.model_version {
            self.model.get_or_insert(version);
        }
        let has_usage = event.usage_metadata.is_some();
        if has_usage {
            self.usage = event.usage_metadata;
        }
        let mut finished = false;
        let mut choices = Vec::with_capacity(event.candidates.len());
        for (position, candidate) in event.candidates.iter().enumerate() {
            let index = candidate
                .index
                .unwrap_or_else(|| u32::try_from(position).unwrap_or(u32::MAX));
            let slot = usize::try_from(index).unwrap_or(usize::MAX).min(64);
            if self.candidates.len() <= slot {
                self.candidates.resize(slot + 1, (false, 0));
            }
            let (role_sent, calls_so_far) = &mut self.candidates[slot];
            let parts = candidate
                .content
                .as_ref()
                .map_or(&[][..], |c| c.parts.as_slice());
            let (content, reasoning) = texts(parts);
            let mut tool_calls = Vec::new();
            for part in parts {
                let Some(call) = &part.function_call else {
                    continue;
                };
                tool_calls.push(ToolCallDelta {
                    index: *calls_so_far,
                    id: Some(call_id(part.thought_signature.as_deref())),
                    kind: Some(String::from("function")),
                    function: Some(FunctionCallDelta {
                        name: Some(call.name.clone()),
                        arguments: Some(
                            call.args
                                .as_ref()
                                .map_or_else(|| String::from("{}"), ToString::to_string),
                        ),
                    }),
                });
                *calls_so_far += 1;
            }
            let finish = candidate
                .finish_reason
                .as_deref()
                .map(|r| finish_reason(r, *calls_so_far > 0).to_string());
            finished |= finish.is_some();
            let role = (!*role_sent).then_some(Role::Assistant);
            *role_sent = true;
            choices.push(ChunkChoice {
                index,
                delta: Delta {
                    role,
                    content,
                    reasoning_content: reasoning,
                    tool_calls: (!tool_calls.is_empty()).then_some(tool_calls),
                    ..Delta::default()
                },
                finish_reason: finish,
                ..ChunkChoice::default()
            });
        }
        // Usage sent after the last finish reason still reaches the caller.
        let late_usage = choices.is_empty() && self.finished && has_usage;
        self.finished |= finished;
        if choices.is_empty() && !late_usage {
            return Ok(StreamEvent::Skip);
        }
        let chunk = ChatChunk {
            id: self.id.clone().unwrap_or_default(),
            object: String::from("chat.completion.chunk"),
            created: self.created,
            model: self.model.clone().unwrap_or_else(|| target.model.clone()),
            choices,
            usage: if finished || late_usage {
                self.usage.as_ref().map(usage)
            } else {
                None
            },
            ..ChatChunk::default()
        };
        Ok(StreamEvent::Chunk(Box::new(chunk)))
    }
}
