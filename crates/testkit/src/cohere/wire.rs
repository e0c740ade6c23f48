//! Cohere's v2 JSON shapes, field for field and in Cohere's order, as the API sends them.

use serde::Serialize;

/// `POST /v2/chat` without streaming.
#[derive(Serialize)]
pub(crate) struct ChatResponse<'a> {
    pub id: &'a str,
    pub message: Message<'a>,
    pub finish_reason: &'a str,
    pub usage: Usage,
}

#[derive(Serialize)]
pub(crate) struct Message<'a> {
    pub role: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<Content<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_plan: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall<'a>>,
}

/// One content item: text, or a reasoning model's thinking.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Content<'a> {
    Thinking { thinking: &'a str },
    Text { text: &'a str },
}

#[derive(Serialize)]
pub(crate) struct ToolCall<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    pub function: Function<'a>,
}

#[derive(Serialize)]
pub(crate) struct Function<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub arguments: &'a str,
}

/// `usage`: what is billed, and the tokens the model saw (more: Cohere's own preamble).
#[derive(Serialize, Clone, Copy)]
pub(crate) struct Usage {
    pub billed_units: Units,
    pub tokens: Units,
}

#[derive(Serialize, Clone, Copy)]
pub(crate) struct Units {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// Tokens of the preamble Cohere adds before the caller's messages, counted in
/// `usage.tokens` but not billed.
const PREAMBLE_TOKENS: u64 = 216;

impl From<crate::Usage> for Usage {
    fn from(u: crate::Usage) -> Self {
        Self {
            billed_units: Units {
                input_tokens: u.prompt_tokens,
                output_tokens: u.completion_tokens,
            },
            tokens: Units {
                input_tokens: u.prompt_tokens + PREAMBLE_TOKENS,
                output_tokens: u.completion_tokens,
            },
        }
    }
}

/// One event of a stream, sent as `event: <type>` plus `data: <this JSON>`.
#[derive(Serialize)]
pub(crate) struct Event<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<EventDelta<'a>>,
}

/// The `delta` of an event: a piece of the message, or the end of it.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum EventDelta<'a> {
    Message { message: DeltaMessage<'a> },
    End(EndDelta<'a>),
}

/// The part of the message an event adds; one field at a time.
#[derive(Serialize, Default)]
pub(crate) struct DeltaMessage<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<DeltaContent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_plan: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<ToolCall<'a>>,
}

/// `content` of `content-start` (with its `type`) and `content-delta` (without).
#[derive(Serialize)]
pub(crate) struct DeltaContent<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<&'a str>,
}

/// The `delta` of `message-end`; `error` only when the generation failed.
#[derive(Serialize)]
pub(crate) struct EndDelta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
    pub finish_reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

/// `{"id", "message"}`: Cohere's error body.
#[derive(Serialize)]
pub(crate) struct Error<'a> {
    pub id: &'a str,
    pub message: &'a str,
}

/// `POST /v2/embed` with `embedding_types: ["float"]`.
#[derive(Serialize)]
pub(crate) struct EmbedResponse<'a> {
    pub id: &'a str,
    pub embeddings: Embeddings,
    pub texts: &'a [&'a str],
    pub meta: Meta,
    pub response_type: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Embeddings {
    pub float: Vec<Vec<f32>>,
}

#[derive(Serialize)]
pub(crate) struct Meta {
    pub api_version: ApiVersion,
    pub billed_units: InputUnits,
}

#[derive(Serialize)]
pub(crate) struct ApiVersion {
    pub version: &'static str,
}

#[derive(Serialize)]
pub(crate) struct InputUnits {
    pub input_tokens: u64,
}
