//! Cohere's v2 API as serde types named as Cohere names them: what we send (borrowing
//! from the caller's request) and what we read (unknown content and event types are
//! kept as `Other`, to be skipped).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::types::{FunctionDefinition, ToolCall};

/// `POST /v2/chat`.
#[derive(Debug, Serialize)]
pub(crate) struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: Vec<Message<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict_tools: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_sequences: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<Cow<'a, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// The caller's fields this translation does not model, passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool: OpenAI's shape without `strict` (Cohere sets that per request).
#[derive(Debug, Serialize)]
pub(crate) struct Tool<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub function: ToolFunction<'a>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ToolFunction<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<&'a Value>,
}

impl<'a> From<&'a FunctionDefinition> for ToolFunction<'a> {
    fn from(f: &'a FunctionDefinition) -> Self {
        ToolFunction {
            name: &f.name,
            description: f.description.as_deref(),
            parameters: f.parameters.as_ref(),
        }
    }
}

/// One message. Cohere's v2 roles are OpenAI's; an assistant's words beside its tool
/// calls are its `tool_plan`.
#[derive(Debug, Serialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub(crate) enum Message<'a> {
    System {
        content: Content<'a>,
    },
    User {
        content: Content<'a>,
    },
    Assistant {
        #[serde(skip_serializing_if = "Option::is_none")]
        content: Option<Content<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tool_plan: Option<Cow<'a, str>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tool_calls: Option<&'a [ToolCall]>,
    },
    Tool {
        tool_call_id: &'a str,
        content: Content<'a>,
    },
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Content<'a> {
    Text(Cow<'a, str>),
    Parts(Vec<Part<'a>>),
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Part<'a> {
    Text { text: &'a str },
    ImageUrl { image_url: ImageUrl<'a> },
}

#[derive(Debug, Serialize)]
pub(crate) struct ImageUrl<'a> {
    pub url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'a str>,
}

/// A non-streamed answer.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatResponse {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub finish_reason: Option<String>,
    pub message: ResponseMessage,
    #[serde(default)]
    pub usage: Option<Usage>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResponseMessage {
    #[serde(default)]
    pub content: Vec<ResponseContent>,
    #[serde(default)]
    pub tool_plan: Option<String>,
    #[serde(default)]
    pub tool_calls: Vec<ResponseToolCall>,
    #[serde(default)]
    pub citations: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ResponseContent {
    Text {
        #[serde(default)]
        text: String,
    },
    Thinking {
        #[serde(default)]
        thinking: String,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ResponseToolCall {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub function: Option<ResponseFunction>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ResponseFunction {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub arguments: Option<String>,
}

/// `usage`: `billed_units` is what Cohere charges; `tokens` adds what it does not
/// (its own preamble).
#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub(crate) struct Usage {
    #[serde(default)]
    pub billed_units: Option<Units>,
    #[serde(default)]
    pub tokens: Option<Units>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub(crate) struct Units {
    #[serde(default)]
    pub input_tokens: Option<f64>,
    #[serde(default)]
    pub output_tokens: Option<f64>,
}

/// One server-sent event of a chat stream.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub(crate) enum StreamEvent {
    MessageStart {
        #[serde(default)]
        id: Option<String>,
    },
    ContentStart {
        #[serde(default)]
        delta: Option<EventDelta>,
    },
    ContentDelta {
        #[serde(default)]
        delta: Option<EventDelta>,
    },
    ToolPlanDelta {
        #[serde(default)]
        delta: Option<EventDelta>,
    },
    ToolCallStart {
        #[serde(default)]
        index: Option<u32>,
        #[serde(default)]
        delta: Option<EventDelta>,
    },
    ToolCallDelta {
        #[serde(default)]
        index: Option<u32>,
        #[serde(default)]
        delta: Option<EventDelta>,
    },
    MessageEnd {
        #[serde(default)]
        delta: Option<EndDelta>,
    },
    /// `content-end`, `tool-call-end`, citations, debug, and anything newer.
    #[serde(other)]
    Other,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EventDelta {
    #[serde(default)]
    pub message: Option<DeltaMessage>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeltaMessage {
    #[serde(default)]
    pub content: Option<DeltaContent>,
    #[serde(default)]
    pub tool_plan: Option<String>,
    #[serde(default)]
    pub tool_calls: Option<ResponseToolCall>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeltaContent {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub thinking: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EndDelta {
    #[serde(default)]
    pub finish_reason: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub usage: Option<Usage>,
}

/// `POST /v2/embed`.
#[derive(Debug, Serialize)]
pub(crate) struct EmbedRequest<'a> {
    pub model: &'a str,
    pub texts: Vec<&'a str>,
    pub input_type: &'a str,
    pub embedding_types: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_dimension: Option<u32>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmbedResponse {
    #[serde(default)]
    pub embeddings: Embeddings,
    #[serde(default)]
    pub meta: Option<Meta>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Embeddings {
    #[serde(default)]
    pub float: Vec<Vec<f32>>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Meta {
    #[serde(default)]
    pub billed_units: Option<Units>,
}
