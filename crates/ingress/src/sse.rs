//! One server-sent event, as the gateway writes it.

use bytes::Bytes;

/// An event: an optional `event:` name and one `data:` line.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    /// `event:` (Anthropic and Responses name their events; OpenAI chat does not).
    pub event: Option<&'static str>,
    /// The `data:` payload, one line of JSON (or `[DONE]`).
    pub data: String,
}

impl SseEvent {
    /// An unnamed event.
    pub fn data(data: impl Into<String>) -> Self {
        SseEvent {
            event: None,
            data: data.into(),
        }
    }

    /// A named event carrying `value` as JSON.
    pub fn named(event: &'static str, value: &serde_json::Value) -> Self {
        SseEvent {
            event: Some(event),
            data: value.to_string(),
        }
    }

    /// The event's bytes on the wire.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = String::with_capacity(self.data.len() + 32);
        if let Some(name) = self.event {
            out.push_str("event: ");
            out.push_str(name);
            out.push('\n');
        }
        out.push_str("data: ");
        out.push_str(&self.data);
        out.push_str("\n\n");
        Bytes::from(out)
    }
}
