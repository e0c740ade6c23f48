//! Embedding requests and responses, OpenAI's shape.

use serde::{Deserialize, Serialize};

use super::Extra;

/// An embeddings request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingRequest {
    /// Model name, with or without a `provider/` prefix.
    pub model: String,
    /// What to embed.
    pub input: EmbeddingInput,
    /// `float` or `base64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_format: Option<String>,
    /// Output size, for models that can shorten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<u32>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EmbeddingRequest {
    /// A request embedding `texts` with `model`.
    pub fn new(model: impl Into<String>, texts: Vec<String>) -> Self {
        EmbeddingRequest {
            model: model.into(),
            input: EmbeddingInput::Many(texts),
            encoding_format: None,
            dimensions: None,
            user: None,
            extra: Extra::new(),
        }
    }
}

/// Text(s) or token ids to embed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EmbeddingInput {
    /// One text.
    One(String),
    /// Several texts.
    Many(Vec<String>),
    /// One text as token ids.
    Tokens(Vec<u32>),
    /// Several texts as token ids.
    ManyTokens(Vec<Vec<u32>>),
}

/// An embeddings response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingResponse {
    /// `list`.
    #[serde(default = "list")]
    pub object: String,
    /// One vector per input, by index.
    pub data: Vec<Embedding>,
    /// The model that answered.
    #[serde(default)]
    pub model: String,
    /// Token counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<EmbeddingUsage>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// What the call cost in US dollars, when the catalog prices the model.
    #[serde(skip)]
    pub cost: Option<f64>,
}

fn list() -> String {
    String::from("list")
}

/// One vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    /// `embedding`.
    #[serde(default = "embedding")]
    pub object: String,
    /// Which input it embeds.
    #[serde(default)]
    pub index: u32,
    /// Floats, or base64 of little-endian f32 when asked for.
    pub embedding: EmbeddingVector,
}

fn embedding() -> String {
    String::from("embedding")
}

/// The vector, as the request's `encoding_format` asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EmbeddingVector {
    /// `float`.
    Float(Vec<f32>),
    /// `base64`.
    Base64(String),
}

/// Embedding token counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingUsage {
    /// Input tokens.
    #[serde(default)]
    pub prompt_tokens: u64,
    /// Same as `prompt_tokens`.
    #[serde(default)]
    pub total_tokens: u64,
}
