//! Rerank requests and responses, in the shape LiteLLM's `rerank` takes and
//! returns (Cohere's, which the OpenAI-compatible rerank APIs copy).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;

/// A rerank request: order `documents` by relevance to `query`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RerankRequest {
    /// Model name, with or without a `provider/` prefix.
    pub model: String,
    /// What the documents are ranked against.
    pub query: String,
    /// Texts, or objects with a `text` field.
    pub documents: Vec<Value>,
    /// How many results to return (all when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_n: Option<u32>,
    /// Whether each result carries its document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_documents: Option<bool>,
    /// Longest document, in tokens, before it is cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens_per_doc: Option<u32>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RerankRequest {
    /// A request ranking `documents` against `query` with `model`.
    pub fn new(model: impl Into<String>, query: impl Into<String>, documents: Vec<String>) -> Self {
        RerankRequest {
            model: model.into(),
            query: query.into(),
            documents: documents.into_iter().map(Value::String).collect(),
            top_n: None,
            return_documents: None,
            max_tokens_per_doc: None,
            extra: Extra::new(),
        }
    }

    /// The text of document `index` (a string, or an object's `text`).
    pub fn document_text(&self, index: usize) -> Option<&str> {
        let doc = self.documents.get(index)?;
        doc.as_str().or_else(|| doc.get("text")?.as_str())
    }
}

/// A rerank response: results, most relevant first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RerankResponse {
    /// The provider's id of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// One entry per returned document, most relevant first.
    pub results: Vec<RerankResult>,
    /// Billing facts (`billed_units.search_units`) and token counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// What the call cost in US dollars, when the catalog prices the model.
    #[serde(skip)]
    pub cost: Option<f64>,
}

impl RerankResponse {
    /// The search units billed (Cohere's `meta.billed_units.search_units`), else 1.
    pub fn search_units(&self) -> f64 {
        self.meta
            .as_ref()
            .and_then(|m| m.pointer("/billed_units/search_units"))
            .and_then(Value::as_f64)
            .unwrap_or(1.0)
    }
}

/// One ranked document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RerankResult {
    /// Its position in the request's `documents`.
    pub index: u32,
    /// Higher is more relevant.
    pub relevance_score: f64,
    /// The document as `{"text": ...}`, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Value>,
}
