//! Anthropic's Messages API JSON shapes, field for field and in Anthropic's order, as the
//! API sends them.

use serde::Serialize;
use serde_json::Value;

/// `anthropic-version` the fake requires, the only one Anthropic documents for Messages.
pub(crate) const API_VERSION: &str = "2023-06-01";

/// `POST /v1/messages` without streaming, and the `message` of `message_start`.
#[derive(Serialize)]
pub(crate) struct Message<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub role: &'static str,
    pub model: &'a str,
    pub content: Vec<Block<'a>>,
    pub stop_reason: Option<&'a str>,
    pub stop_sequence: Option<&'a str>,
    pub usage: Usage,
}

/// One content block of a message.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Block<'a> {
    Thinking {
        thinking: &'a str,
        signature: &'a str,
    },
    Text {
        text: &'a str,
    },
    ToolUse {
        id: &'a str,
        name: &'a str,
        input: Value,
    },
}

/// `usage`: `input_tokens` excludes the cache reads and writes counted beside it.
#[derive(Serialize, Clone, Copy)]
pub(crate) struct Usage {
    pub input_tokens: u64,
    pub cache_creation_input_tokens: u64,
    pub cache_read_input_tokens: u64,
    pub cache_creation: CacheCreation,
    pub output_tokens: u64,
    pub service_tier: &'static str,
}

/// The cache writes by lifetime; the fake writes everything with the default five minutes.
#[derive(Serialize, Clone, Copy)]
pub(crate) struct CacheCreation {
    pub ephemeral_5m_input_tokens: u64,
    pub ephemeral_1h_input_tokens: u64,
}

impl From<crate::Usage> for Usage {
    fn from(u: crate::Usage) -> Self {
        Self {
            input_tokens: u
                .prompt_tokens
                .saturating_sub(u.cached_tokens)
                .saturating_sub(u.cache_creation_tokens),
            cache_creation_input_tokens: u.cache_creation_tokens,
            cache_read_input_tokens: u.cached_tokens,
            cache_creation: CacheCreation {
                ephemeral_5m_input_tokens: u.cache_creation_tokens,
                ephemeral_1h_input_tokens: 0,
            },
            output_tokens: u.completion_tokens,
            service_tier: "standard",
        }
    }
}

/// The events of a stream, each sent as `event: <type>` plus `data: <this JSON>`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Event<'a> {
    MessageStart {
        message: Message<'a>,
    },
    Ping,
    ContentBlockStart {
        index: usize,
        content_block: Block<'a>,
    },
    ContentBlockDelta {
        index: usize,
        delta: Delta<'a>,
    },
    ContentBlockStop {
        index: usize,
    },
    MessageDelta {
        delta: MessageDelta<'a>,
        usage: DeltaUsage,
    },
    MessageStop,
}

impl Event<'_> {
    /// The `event:` name, which is also the `type` of the data.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Event::MessageStart { .. } => "message_start",
            Event::Ping => "ping",
            Event::ContentBlockStart { .. } => "content_block_start",
            Event::ContentBlockDelta { .. } => "content_block_delta",
            Event::ContentBlockStop { .. } => "content_block_stop",
            Event::MessageDelta { .. } => "message_delta",
            Event::MessageStop => "message_stop",
        }
    }
}

/// A piece of a content block (`text_delta`, `input_json_delta`...).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Delta<'a> {
    #[serde(rename = "text_delta")]
    Text { text: &'a str },
    #[serde(rename = "input_json_delta")]
    InputJson { partial_json: &'a str },
    #[serde(rename = "thinking_delta")]
    Thinking { thinking: &'a str },
    #[serde(rename = "signature_delta")]
    Signature { signature: &'a str },
}

#[derive(Serialize)]
pub(crate) struct MessageDelta<'a> {
    pub stop_reason: &'a str,
    pub stop_sequence: Option<&'a str>,
}

/// The usage of `message_delta`: the output tokens of the whole message (the input
/// counts came with `message_start`).
#[derive(Serialize)]
pub(crate) struct DeltaUsage {
    pub output_tokens: u64,
}

/// `{"type": "error", "error": {...}}`, as an HTTP body or a stream event.
#[derive(Serialize)]
pub(crate) struct ErrorEnvelope<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub error: ErrorBody<'a>,
}

#[derive(Serialize)]
pub(crate) struct ErrorBody<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub message: &'a str,
}

/// `GET /v1/models`.
#[derive(Serialize)]
pub(crate) struct ModelList<'a> {
    pub data: Vec<Model<'a>>,
    pub has_more: bool,
    pub first_id: Option<&'a str>,
    pub last_id: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct Model<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: &'a str,
    pub display_name: &'a str,
    pub created_at: &'static str,
}
