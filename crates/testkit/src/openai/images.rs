//! `POST /v1/images/generations`: `n` images (a URL each, or base64 of a fixed PNG header
//! for `response_format: b64_json`); DALL-E 3 also revises the prompt.

use base64::Engine as _;
use serde_json::{json, Value};

use crate::api_error::ApiError;
use crate::ids::{random_id, unix_now};

/// The first bytes of a PNG file: what every fake image decodes to.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// OpenAI's checks: a `prompt`, `n` from 1 to 10, a `size` of the form `WxH` or `auto`.
pub(super) fn validate(body: &Value) -> Result<(), ApiError> {
    if !body["prompt"].is_string() {
        return Err(ApiError::new(400, "Missing required parameter: 'prompt'.")
            .with_param(Some("prompt"))
            .with_code(Some("missing_required_parameter")));
    }
    if let Some(n) = body.get("n").filter(|n| !n.is_null()) {
        if !n.as_u64().is_some_and(|n| (1..=10).contains(&n)) {
            return Err(
                ApiError::new(400, format!("Invalid 'n': {n}. Expected 1 to 10."))
                    .with_param(Some("n")),
            );
        }
    }
    if let Some(size) = body.get("size").filter(|s| !s.is_null()) {
        let ok = size.as_str().is_some_and(|s| {
            s == "auto"
                || s.split_once('x')
                    .is_some_and(|(w, h)| w.parse::<u32>().is_ok() && h.parse::<u32>().is_ok())
        });
        if !ok {
            return Err(ApiError::new(400, format!("Invalid value: {size}. Supported values are: '256x256', '512x512', '1024x1024', '1024x1792', '1792x1024' and 'auto'."))
                .with_param(Some("size"))
                .with_code(Some("invalid_value")));
        }
    }
    Ok(())
}

/// The answer to `body`.
pub(super) fn render(body: &Value) -> Value {
    let n = body["n"].as_u64().unwrap_or(1);
    let base64 = body["response_format"] == "b64_json";
    let revises = body["model"]
        .as_str()
        .is_some_and(|m| m.contains("dall-e-3"));
    let data: Vec<Value> = (0..n)
        .map(|_| {
            let mut image = if base64 {
                json!({ "b64_json": base64::engine::general_purpose::STANDARD.encode(PNG_SIGNATURE) })
            } else {
                json!({ "url": format!("https://images.fake-upstream.invalid/{}.png", random_id("img-", 16)) })
            };
            if revises {
                image["revised_prompt"] = json!(format!("A detailed rendering of: {}", body["prompt"].as_str().unwrap_or_default()));
            }
            image
        })
        .collect();
    json!({ "created": unix_now(), "data": data })
}
