//! One OpenAI-format server-sent event -> a chunk, the end, or an error.

use serde_json::Value;

use super::error::map_stream_error;
use crate::error::{Error, ErrorKind};
use crate::providers::{StreamEvent, Target};
use crate::types::ChatChunk;

pub(crate) fn parse_event(target: &Target, data: &str) -> Result<StreamEvent, Error> {
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(StreamEvent::Done);
    }
    if data.is_empty() {
        return Ok(StreamEvent::Skip);
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
