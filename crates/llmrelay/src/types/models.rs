//! `GET /models`: the models a provider serves.

use serde::{Deserialize, Serialize};

use super::Extra;

/// OpenAI's model list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelList {
    /// `list`.
    #[serde(default)]
    pub object: String,
    /// The models.
    pub data: Vec<ModelCard>,
}

/// One served model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// The name to call it by.
    pub id: String,
    /// `model`.
    #[serde(default)]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: u64,
    /// Organisation.
    #[serde(default)]
    pub owned_by: String,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}
