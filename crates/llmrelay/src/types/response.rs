//! `ChatResponse` and its usage figures.

use serde::{Deserialize, Serialize};

use super::request::Role;
use super::Extra;

/// A chat-completions response, as OpenAI's API returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    /// `chatcmpl-...`.
    pub id: String,
    /// `chat.completion`.
    #[serde(default = "chat_completion")]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: u64,
    /// The model that answered.
    pub model: String,
    /// The answers.
    pub choices: Vec<Choice>,
    /// Token counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Backend fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Tier the call ran on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// What the call cost in US dollars (LiteLLM's `response_cost`), when the
    /// catalog prices the model. Not part of the wire format.
    #[serde(skip)]
    pub cost: Option<f64>,
}

fn chat_completion() -> String {
    String::from("chat.completion")
}

/// One answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Position among the choices.
    #[serde(default)]
    pub index: u32,
    /// The answer.
    pub message: ResponseMessage,
    /// `stop`, `length`, `tool_calls`, `content_filter`.
    #[serde(default)]
    pub finish_reason: Option<String>,
    /// Log probabilities, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<serde_json::Value>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The assistant's message in a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseMessage {
    /// Always `assistant`.
    #[serde(default = "assistant")]
    pub role: Role,
    /// Text; `null` when the model only called tools.
    #[serde(default)]
    pub content: Option<String>,
    /// Tool calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// Reasoning text, from providers that return it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<String>,
    /// Refusal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

fn assistant() -> Role {
    Role::Assistant
}

impl Default for ResponseMessage {
    /// An empty assistant message (a response message is always the assistant's).
    fn default() -> Self {
        ResponseMessage {
            role: Role::Assistant,
            content: None,
            tool_calls: None,
            reasoning_content: None,
            refusal: None,
            extra: Extra::new(),
        }
    }
}

/// A call the model made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// Call id, echoed by the tool message that answers it.
    pub id: String,
    /// Always `function`.
    #[serde(rename = "type", default = "function")]
    pub kind: String,
    /// Which function, with what arguments.
    pub function: FunctionCall,
}

fn function() -> String {
    String::from("function")
}

/// A function call: name and JSON arguments as text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    /// Function name.
    pub name: String,
    /// Arguments, a JSON object as text (not always valid JSON: models err).
    #[serde(default)]
    pub arguments: String,
}

/// Token counts, OpenAI's convention: `prompt_tokens` counts every prompt
/// token, cached and cache-creation ones included; `completion_tokens`
/// includes reasoning tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens, all of them.
    #[serde(default)]
    pub prompt_tokens: u64,
    /// Completion tokens, reasoning included.
    #[serde(default)]
    pub completion_tokens: u64,
    /// Sum of the two.
    #[serde(default)]
    pub total_tokens: u64,
    /// Breakdown of the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens_details: Option<PromptTokensDetails>,
    /// Breakdown of the completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens_details: Option<CompletionTokensDetails>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `prompt_tokens_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PromptTokensDetails {
    /// Read from the prompt cache.
    #[serde(default)]
    pub cached_tokens: u64,
    /// Written to the prompt cache (Anthropic, Bedrock...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_tokens: Option<u64>,
    /// Audio input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_tokens: Option<u64>,
    /// Image input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tokens: Option<u64>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `completion_tokens_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompletionTokensDetails {
    /// Reasoning tokens.
    #[serde(default)]
    pub reasoning_tokens: u64,
    /// Audio output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_tokens: Option<u64>,
    /// Predicted-output tokens that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_prediction_tokens: Option<u64>,
    /// Predicted-output tokens that did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_prediction_tokens: Option<u64>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl PromptTokensDetails {
    /// Cache writes with a one-hour lifetime (Anthropic's `ephemeral_1h_input_tokens`,
    /// under LiteLLM's `cache_creation_token_details`), billed at their own rate.
    pub fn cache_creation_1h_tokens(&self) -> u64 {
        self.extra
            .get("cache_creation_token_details")
            .and_then(|d| d.get("ephemeral_1h_input_tokens"))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    }
}

impl Usage {
    /// The billing view of these counts, for the catalog's `cost_per_token`.
    pub fn to_billing(&self) -> llmrelay_catalog::Usage {
        let prompt = self.prompt_tokens_details.as_ref();
        let completion = self.completion_tokens_details.as_ref();
        llmrelay_catalog::Usage {
            prompt_tokens: self.prompt_tokens,
            completion_tokens: self.completion_tokens,
            cached_tokens: prompt.map_or(0, |p| p.cached_tokens),
            cache_creation_tokens: prompt.and_then(|p| p.cache_creation_tokens).unwrap_or(0),
            cache_creation_1h_tokens: prompt
                .map_or(0, PromptTokensDetails::cache_creation_1h_tokens),
            audio_input_tokens: prompt.and_then(|p| p.audio_tokens).unwrap_or(0),
            image_input_tokens: prompt.and_then(|p| p.image_tokens).unwrap_or(0),
            reasoning_tokens: completion.map_or(0, |c| c.reasoning_tokens),
            audio_output_tokens: completion.and_then(|c| c.audio_tokens).unwrap_or(0),
            ..llmrelay_catalog::Usage::default()
        }
    }
}
