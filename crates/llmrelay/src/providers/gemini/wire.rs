//! Gemini's own JSON shapes (`generateContent`, `streamGenerateContent`,
//! `embedContent`, `batchEmbedContents`, errors), named as Google names them.
//! The same bodies travel to AI Studio and to Vertex AI.
//!
//! Request types borrow from the unified request so a call serialises
//! without copying its text; response types own their data.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST models/{model}:generateContent` (and `:streamGenerateContent`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GenerateContentRequest<'a> {
    pub contents: Vec<Content<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_instruction: Option<SystemInstruction<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_config: Option<ToolConfig<'a>>,
    #[serde(skip_serializing_if = "GenerationConfig::is_empty")]
    pub generation_config: GenerationConfig,
    /// Caller fields passed through as they are (`safetySettings`, `cachedContent`, `labels`...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One turn: `user` or `model`.
#[derive(Debug, Serialize)]
pub(crate) struct Content<'a> {
    pub role: &'static str,
    pub parts: Vec<Part<'a>>,
}

/// `systemInstruction`: parts without a role.
#[derive(Debug, Serialize)]
pub(crate) struct SystemInstruction<'a> {
    pub parts: Vec<Part<'a>>,
}

/// One part of a turn; exactly one of the data fields is set.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Part<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_data: Option<Blob<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_data: Option<FileData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_response: Option<FunctionResponse<'a>>,
    /// Gemini 3 asks for the signature of a function call it made back
    /// when the call is replayed in the history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<&'a str>,
}

impl<'a> Part<'a> {
    pub(crate) fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Part {
            text: Some(text.into()),
            ..Part::default()
        }
    }
}

/// Base64 bytes inline.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Blob<'a> {
    pub mime_type: Cow<'a, str>,
    pub data: &'a str,
}

/// A file by URI (`https://`, `gs://`, a Files API URI).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FileData<'a> {
    pub mime_type: Cow<'a, str>,
    pub file_uri: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct FunctionCall<'a> {
    pub name: &'a str,
    pub args: Value,
}

#[derive(Debug, Serialize)]
pub(crate) struct FunctionResponse<'a> {
    pub name: &'a str,
    pub response: Value,
}

/// `tools[]`: Gemini groups every function into one `functionDeclarations` list.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tool<'a> {
    pub function_declarations: Vec<FunctionDeclaration<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct FunctionDeclaration<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ToolConfig<'a> {
    pub function_calling_config: FunctionCallingConfig<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FunctionCallingConfig<'a> {
    /// `AUTO`, `ANY` or `NONE`.
    pub mode: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_function_names: Vec<&'a str>,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GenerationConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stop_sequences: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_mime_type: Option<&'static str>,
    /// OpenAPI-subset schema (Gemini 1.x and unknown models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_schema: Option<Value>,
    /// Standard JSON Schema (Gemini 2.0 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_json_schema: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking_config: Option<ThinkingConfig>,
    /// Caller-given settings (`topK`, a `generationConfig` passed as is).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl GenerationConfig {
    fn is_empty(&self) -> bool {
        self.temperature.is_none()
            && self.top_p.is_none()
            && self.max_output_tokens.is_none()
            && self.stop_sequences.is_empty()
            && self.candidate_count.is_none()
            && self.seed.is_none()
            && self.presence_penalty.is_none()
            && self.frequency_penalty.is_none()
            && self.response_mime_type.is_none()
            && self.response_schema.is_none()
            && self.response_json_schema.is_none()
            && self.thinking_config.is_none()
            && self.extra.is_empty()
    }
}

/// Gemini 2.5 takes a token budget, Gemini 3 a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ThinkingConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking_budget: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking_level: Option<&'static str>,
    pub include_thoughts: bool,
}

/// The answer of `generateContent`, and each event of a stream.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GenerateContentResponse {
    #[serde(default)]
    pub candidates: Vec<Candidate>,
    pub prompt_feedback: Option<PromptFeedback>,
    pub usage_metadata: Option<UsageMetadata>,
    pub model_version: Option<String>,
    pub response_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Candidate {
    pub content: Option<CandidateContent>,
    pub finish_reason: Option<String>,
    pub index: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CandidateContent {
    #[serde(default)]
    pub parts: Vec<ResponsePart>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResponsePart {
    pub text: Option<String>,
    /// The text is the model's reasoning, not its answer.
    #[serde(default)]
    pub thought: bool,
    pub function_call: Option<ResponseFunctionCall>,
    pub thought_signature: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResponseFunctionCall {
    pub name: String,
    #[serde(default)]
    pub args: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PromptFeedback {
    pub block_reason: Option<String>,
    pub block_reason_message: Option<String>,
}

/// Token counts. `promptTokenCount` includes the cached tokens;
/// `candidatesTokenCount` excludes the thoughts (on current models).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UsageMetadata {
    #[serde(default)]
    pub prompt_token_count: u64,
    #[serde(default)]
    pub candidates_token_count: u64,
    #[serde(default)]
    pub total_token_count: u64,
    #[serde(default)]
    pub cached_content_token_count: u64,
    #[serde(default)]
    pub thoughts_token_count: u64,
    #[serde(default)]
    pub tool_use_prompt_token_count: u64,
    #[serde(default)]
    pub prompt_tokens_details: Vec<ModalityTokenCount>,
    #[serde(default)]
    pub candidates_tokens_details: Vec<ModalityTokenCount>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModalityTokenCount {
    #[serde(default)]
    pub modality: String,
    #[serde(default)]
    pub token_count: u64,
}

/// `embedContent`: one text.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EmbedContentRequest<'a> {
    /// `models/{model}`; required inside a batch, harmless alone.
    pub model: String,
    pub content: EmbedContent<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_dimensionality: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_type: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct EmbedContent<'a> {
    pub parts: [Part<'a>; 1],
}

/// `batchEmbedContents`: several texts.
#[derive(Debug, Serialize)]
pub(crate) struct BatchEmbedContentsRequest<'a> {
    pub requests: Vec<EmbedContentRequest<'a>>,
}

/// The answer of either embedding call.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EmbedContentResponse {
    pub embedding: Option<ContentEmbedding>,
    #[serde(default)]
    pub embeddings: Vec<ContentEmbedding>,
    pub usage_metadata: Option<UsageMetadata>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ContentEmbedding {
    #[serde(default)]
    pub values: Vec<f32>,
}

/// `{"error": {"code", "message", "status", "details"}}`, Google's error envelope.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorEnvelope {
    pub error: Option<ErrorBody>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub message: String,
    /// `INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, `UNAVAILABLE`...
    pub status: Option<String>,
    #[serde(default)]
    pub details: Vec<Value>,
}
