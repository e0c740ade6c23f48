//! Unified request -> OpenAI-format body, applying the provider's rules from
//! the catalog: the upstream model name, parameter renames, unsupported
//! parameters (dropped with `drop_params`, else an `UnsupportedParams`
//! error), and content flattened to a string where a server wants one.

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};
use crate::providers::http::json_body;
use crate::providers::Target;
use crate::types::{ChatRequest, EmbeddingRequest};

pub(crate) fn chat_body(target: &Target, request: &ChatRequest) -> Result<Bytes, Error> {
    let mut body = to_object(target, request)?;
    body.insert(String::from("model"), Value::String(target.model.clone()));
    apply_param_rules(target, &mut body)?;
    if target.provider.content_as_string {
        flatten_content(&mut body);
    }
    to_bytes(target, &body)
}

pub(crate) fn embedding_body(target: &Target, request: &EmbeddingRequest) -> Result<Bytes, Error> {
    let mut body = to_object(target, request)?;
    body.insert(String::from("model"), Value::String(target.model.clone()));
    to_bytes(target, &body)
}

fn to_object<T: serde::Serialize>(target: &Target, value: &T) -> Result<Map<String, Value>, Error> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(target.error(
            ErrorKind::BadRequest,
            "request did not serialise to a JSON object",
        )),
        Err(e) => Err(target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )),
    }
}

fn to_bytes(target: &Target, body: &Map<String, Value>) -> Result<Bytes, Error> {
    json_body(target, body)
}

/// Drops or rejects what the provider does not take, then renames.
fn apply_param_rules(target: &Target, body: &mut Map<String, Value>) -> Result<(), Error> {
    let unsupported: Vec<&str> = target
        .provider
        .unsupported_params
        .iter()
        .copied()
        .filter(|p| body.contains_key(*p))
        .collect();
    super::super::params::unsupported(target, &unsupported)?;
    for p in unsupported {
        body.remove(p);
    }
    for (from, to) in target.provider.param_renames {
        if let Some(value) = body.remove(*from) {
            // An explicit value under the provider's own name wins.
            body.entry((*to).to_string()).or_insert(value);
        }
    }
    Ok(())
}

/// Joins content-part lists into plain strings, for servers that only take
/// strings (images and files cannot be flattened and stay as they are).
fn flatten_content(body: &mut Map<String, Value>) {
    let Some(Value::Array(messages)) = body.get_mut("messages") else {
        return;
    };
    for message in messages {
        let Some(Value::Array(parts)) = message.get("content") else {
            continue;
        };
        let all_text = parts
            .iter()
            .all(|p| p.get("type").and_then(Value::as_str) == Some("text"));
        if all_text {
            let text: String = parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n");
            message["content"] = Value::String(text);
        }
    }
}
