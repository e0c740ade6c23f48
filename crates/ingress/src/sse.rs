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
        let mut out = Vec::with_capacity(self.data.len() + 32);
        self.write_to(&mut out);
        Bytes::from(out)
    }

    /// Appends the event's bytes on the wire to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        if let Some(name) = self.event {
            out.extend_from_slice(b"event: ");
            out.extend_from_slice(name.as_bytes());
            out.push(b'\n');
        }
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(self.data.as_bytes());
        out.extend_from_slice(b"\n\n");
    }
}
