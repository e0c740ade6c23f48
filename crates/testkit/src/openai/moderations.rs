//! `POST /v1/moderations`: one verdict per input text, from a fixed word list, so a test
//! knows which inputs are flagged: a text naming violence (`kill`, `attack`) is flagged
//! `violence`, one naming hate (`hate`) `hate`.

use serde_json::{json, Map, Value};

use crate::api_error::ApiError;
use crate::ids::random_id;
use crate::render::text_of;

/// OpenAI's moderation categories, in its order.
const CATEGORIES: &[&str] = &[
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
];

/// Words that flag a category.
const TRIGGERS: &[(&str, &str)] = &[
    ("kill", "violence"),
    ("attack", "violence"),
    ("hate", "hate"),
];

/// The texts of `input`: a string, a list of strings, or a list of `{"type": "text"}` parts.
pub(super) fn inputs(input: &Value) -> Result<Vec<String>, ApiError> {
    let invalid = || ApiError::new(400, "'$.input' is invalid. Please check the API reference.");
    match input {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item {
                Value::String(text) => Some(text.clone()),
                Value::Object(_) if item["type"] == "text" => Some(text_of(&json!([item]))),
                Value::Object(_) if item["type"] == "image_url" => Some(String::new()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

/// The answer for `texts`.
pub(super) fn render(texts: &[String], model: &str) -> Value {
    let results: Vec<Value> = texts.iter().map(|text| verdict(text)).collect();
    json!({
        "id": random_id("modr-", 24),
        "model": model,
        "results": results,
    })
}

fn verdict(text: &str) -> Value {
    let lower = text.to_ascii_lowercase();
    let hit = |category: &str| {
        TRIGGERS
            .iter()
            .any(|(word, c)| *c == category && lower.contains(word))
    };
    let mut categories = Map::new();
    let mut scores = Map::new();
    let mut applied = Map::new();
    for &category in CATEGORIES {
        let flagged = hit(category);
        categories.insert(category.into(), Value::Bool(flagged));
        scores.insert(category.into(), json!(if flagged { 0.92 } else { 0.0001 }));
        applied.insert(
            category.into(),
            json!(if flagged { vec!["text"] } else { vec![] }),
        );
    }
    json!({
        "flagged": CATEGORIES.iter().any(|c| hit(c)),
        "categories": categories,
        "category_scores": scores,
        "category_applied_input_types": applied,
    })
}
