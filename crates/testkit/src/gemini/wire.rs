//! Gemini's JSON shapes, field for field and in Google's order, as the API sends them.
//! Vertex AI sends the same ones for Gemini models.

use serde::Serialize;
use serde_json::Value;

/// `generateContent`'s answer, and each event of `streamGenerateContent`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GenerateContentResponse<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<[Candidate<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_feedback: Option<PromptFeedback<'a>>,
    pub usage_metadata: UsageMetadata,
    pub model_version: &'a str,
    pub response_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Candidate<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Content<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub safety_ratings: Vec<SafetyRating<'a>>,
    pub index: u32,
}

#[derive(Serialize)]
pub(crate) struct Content<'a> {
    pub parts: Vec<Part<'a>>,
    pub role: &'static str,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Part<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct FunctionCall<'a> {
    pub name: &'a str,
    pub args: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SafetyRating<'a> {
    pub category: &'a str,
    pub probability: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blocked: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PromptFeedback<'a> {
    pub block_reason: &'a str,
    pub safety_ratings: Vec<SafetyRating<'a>>,
}

/// Token counts: `promptTokenCount` includes the cached tokens, `candidatesTokenCount`
/// excludes the thoughts.
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UsageMetadata {
    pub prompt_token_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates_token_count: Option<u64>,
    pub total_token_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached_content_token_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thoughts_token_count: Option<u64>,
    pub prompt_tokens_details: [ModalityTokenCount; 1],
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModalityTokenCount {
    pub modality: &'static str,
    pub token_count: u64,
}

/// `embedContent`'s answer.
#[derive(Serialize)]
pub(crate) struct EmbedContentResponse {
    pub embedding: Values,
}

/// `batchEmbedContents`' answer.
#[derive(Serialize)]
pub(crate) struct BatchEmbedContentsResponse {
    pub embeddings: Vec<Values>,
}

#[derive(Serialize)]
pub(crate) struct Values {
    pub values: Vec<f32>,
}

/// Vertex's `:predict` answer for text-embedding models.
#[derive(Serialize)]
pub(crate) struct PredictResponse {
    pub predictions: Vec<Prediction>,
    pub metadata: PredictMetadata,
}

#[derive(Serialize)]
pub(crate) struct Prediction {
    pub embeddings: PredictionEmbeddings,
}

#[derive(Serialize)]
pub(crate) struct PredictionEmbeddings {
    pub statistics: Statistics,
    pub values: Vec<f32>,
}

#[derive(Serialize)]
pub(crate) struct Statistics {
    pub truncated: bool,
    pub token_count: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PredictMetadata {
    pub billable_character_count: u64,
}

/// `{"error": {"code", "message", "status", "details"}}`, Google's error envelope.
#[derive(Serialize)]
pub(crate) struct ErrorEnvelope<'a> {
    pub error: ErrorBody<'a>,
}

#[derive(Serialize)]
pub(crate) struct ErrorBody<'a> {
    pub code: u16,
    pub message: &'a str,
    pub status: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Value>,
}

/// An OAuth2 token endpoint's answer.
#[derive(Serialize)]
pub(crate) struct TokenResponse<'a> {
    pub access_token: &'a str,
    pub expires_in: u64,
    pub token_type: &'static str,
}

/// An OAuth2 token endpoint's error.
#[derive(Serialize)]
pub(crate) struct TokenError<'a> {
    pub error: &'a str,
    pub error_description: &'a str,
}
