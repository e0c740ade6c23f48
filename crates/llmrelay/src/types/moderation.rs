//! Moderation requests and responses, OpenAI's `POST /moderations` shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;

/// A moderation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationRequest {
    /// Model name, with or without a `provider/` prefix.
    pub model: String,
    /// A text, a list of texts, or OpenAI's multi-modal input parts.
    pub input: Value,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ModerationRequest {
    /// A request classifying `text` with `model`.
    pub fn new(model: impl Into<String>, text: impl Into<String>) -> Self {
        ModerationRequest {
            model: model.into(),
            input: Value::String(text.into()),
            extra: Extra::new(),
        }
    }
}

/// A moderation response: one result per input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModerationResponse {
    /// `modr-...`.
    #[serde(default)]
    pub id: String,
    /// The model that answered.
    #[serde(default)]
    pub model: String,
    /// One verdict per input, in order.
    pub results: Vec<ModerationResult>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The verdict on one input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModerationResult {
    /// Whether any category applies.
    pub flagged: bool,
    /// Category name -> whether it applies (names as OpenAI spells them, `hate/threatening`).
    #[serde(default)]
    pub categories: Extra,
    /// Category name -> score in `[0, 1]`.
    #[serde(default)]
    pub category_scores: Extra,
    /// Any other field (`category_applied_input_types`).
    #[serde(flatten)]
    pub extra: Extra,
}
