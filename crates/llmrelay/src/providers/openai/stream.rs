//! One OpenAI-format server-sent event -> a chunk, the end, or an error.

use std::time::SystemTime;

use serde_json::Value;

use super::error::map_stream_error;
use crate::error::{Error, ErrorKind};
use crate::providers::{EventParser, RawEvent, StreamEvent, Target};
use crate::types::ChatChunk;

/// OpenAI's events are self-contained: no state between them.
pub(crate) struct OpenAiEvents;

impl EventParser for OpenAiEvents {
    fn start(_now: SystemTime) -> Self {
        OpenAiEvents
    }

    fn parse(&mut self, target: &Target, event: RawEvent<'_>) -> Result<StreamEvent, Error> {
        parse_event(target, event.data)
    }
}

pub(crate) fn parse_event(target: &Target, data: &str) -> Result<StreamEvent, Error> {
    if data == "[DONE]" {
        return Ok(StreamEvent::Done);
    }
    let value: Value = serde_json::from_str(data).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("the provider sent an unreadable stream event: {e}"),
        )
    })?;
    if let Some(error) = value.get("error") {
        return Err(map_stream_error(target, error));
    }
    let chunk: ChatChunk = serde_json::from_value(value).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("the provider sent an unreadable stream chunk: {e}"),
        )
    })?;
    Ok(StreamEvent::Chunk(Box::new(chunk)))
}
