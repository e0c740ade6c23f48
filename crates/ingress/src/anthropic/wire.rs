//! Anthropic's request format, as Anthropic names it.

use serde::Deserialize;
use serde_json::Value;

/// A Messages API request.
#[derive(Debug, Clone, Deserialize)]
pub struct MessagesRequest {
    /// The model (a gateway model group).
    pub model: String,
    /// The conversation.
    pub messages: Vec<InputMessage>,
    /// Output limit (required by Anthropic; optional here).
    #[serde(default)]
    pub max_tokens: Option<u64>,
    /// Instructions: text or text blocks.
    #[serde(default)]
    pub system: Option<SystemPrompt>,
    /// Stop sequences.
    #[serde(default)]
    pub stop_sequences: Option<Vec<String>>,
    /// Sampling temperature.
    #[serde(default)]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default)]
    pub top_p: Option<f64>,
    /// Top-k sampling.
    #[serde(default)]
    pub top_k: Option<u64>,
    /// Stream as server-sent events.
    #[serde(default)]
    pub stream: Option<bool>,
    /// Tools.
    #[serde(default)]
    pub tools: Option<Vec<ToolDefinition>>,
    /// Tool choice.
    #[serde(default)]
    pub tool_choice: Option<ToolChoice>,
    /// `{"user_id": ...}`.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// `{"type": "enabled", "budget_tokens": N}`.
    #[serde(default)]
    pub thinking: Option<Thinking>,
}

/// `system`: a string or text blocks.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SystemPrompt {
    /// Plain text.
    Text(String),
    /// Text blocks.
    Blocks(Vec<Block>),
}

/// One message.
#[derive(Debug, Clone, Deserialize)]
pub struct InputMessage {
    /// `user` or `assistant`.
    pub role: String,
    /// Text or blocks.
    pub content: MessageContent,
}

/// A message's content.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// Blocks.
    Blocks(Vec<Block>),
}

/// A content block.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// An image.
    Image {
        /// base64 or URL.
        source: Source,
    },
    /// A document (PDF).
    Document {
        /// base64 or URL.
        source: Source,
    },
    /// A tool call the assistant made.
    ToolUse {
        /// Call id.
        id: String,
        /// Tool name.
        name: String,
        /// Arguments.
        #[serde(default)]
        input: Value,
    },
    /// A tool's answer.
    ToolResult {
        /// The call answered.
        tool_use_id: String,
        /// Text or blocks.
        #[serde(default)]
        content: Option<MessageContent>,
        /// The tool failed.
        #[serde(default)]
        is_error: Option<bool>,
    },
    /// Extended thinking from an earlier turn.
    Thinking {
        /// The reasoning text.
        thinking: String,
        /// Anthropic's signature.
        #[serde(default)]
        signature: Option<String>,
    },
    /// Redacted thinking (opaque; dropped when another provider answers).
    RedactedThinking {
        /// Opaque data.
        #[serde(default)]
        data: Option<String>,
    },
}

/// Where an image or document is.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    /// Inline data.
    Base64 {
        /// `image/png`, `application/pdf`...
        media_type: String,
        /// base64.
        data: String,
    },
    /// A URL.
    Url {
        /// The URL.
        url: String,
    },
}

/// A tool definition.
#[derive(Debug, Clone, Deserialize)]
pub struct ToolDefinition {
    /// Name.
    pub name: String,
    /// What it does.
    #[serde(default)]
    pub description: Option<String>,
    /// JSON Schema of the input.
    #[serde(default)]
    pub input_schema: Option<Value>,
}

/// `tool_choice`.
#[derive(Debug, Clone, Deserialize)]
pub struct ToolChoice {
    /// `auto`, `any`, `tool`, `none`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The tool, for `tool`.
    #[serde(default)]
    pub name: Option<String>,
    /// One tool call at most.
    #[serde(default)]
    pub disable_parallel_tool_use: Option<bool>,
}

/// `thinking`.
#[derive(Debug, Clone, Deserialize)]
pub struct Thinking {
    /// `enabled` or `disabled`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Token budget.
    #[serde(default)]
    pub budget_tokens: Option<u64>,
}
