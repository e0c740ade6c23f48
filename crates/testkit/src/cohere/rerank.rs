//! `POST /v2/rerank`: documents scored by the share of the query's words they contain
//! (ties keep request order), most relevant first, cut to `top_n`; one search unit billed.

use serde_json::{json, Value};

use super::{object_body, require_model, uuid_like};
use crate::api_error::ApiError;

/// Cohere's checks: `model`, a `query` string, a non-empty list of string `documents`.
pub(super) fn validate(body: Option<&Value>) -> Result<&Value, ApiError> {
    let body = object_body(body)?;
    require_model(body)?;
    if !body["query"].is_string() {
        return Err(ApiError::new(
            400,
            "invalid request: query must be provided",
        ));
    }
    let documents = body["documents"].as_array().filter(|d| !d.is_empty());
    if !documents.is_some_and(|d| d.iter().all(Value::is_string)) {
        return Err(ApiError::new(
            400,
            "invalid request: documents must be a non-empty list of strings",
        ));
    }
    Ok(body)
}

/// The answer to a validated `body`.
pub(super) fn response(body: &Value) -> Vec<u8> {
    let query = words(body["query"].as_str().unwrap_or_default());
    let documents = body["documents"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut scored: Vec<(usize, f64)> = documents
        .iter()
        .enumerate()
        .map(|(index, doc)| {
            let doc = words(doc.as_str().unwrap_or_default());
            let shared = query.iter().filter(|w| doc.contains(w)).count();
            (index, shared as f64 / query.len().max(1) as f64)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top_n = body["top_n"].as_u64().map_or(scored.len(), |n| n as usize);
    let results: Vec<Value> = scored
        .into_iter()
        .take(top_n)
        .map(|(index, score)| json!({ "index": index, "relevance_score": score }))
        .collect();
    let answer = json!({
        "id": uuid_like(),
        "results": results,
        "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}},
    });
    answer.to_string().into_bytes()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
