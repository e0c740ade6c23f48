//! Helpers shared by the wire-format tests: a plain HTTP client and ways to read answers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};

/// A client with no pooling surprises: each test builds its own.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// POSTs `body` as JSON to `base/path`.
pub async fn post(base: &str, path: &str, body: &Value) -> reqwest::Response {
    client()
        .post(format!("{base}{path}"))
        .bearer_auth("sk-test-key-123456")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A minimal chat request.
pub fn chat(stream: bool) -> Value {
    json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Say hi"}],
        "stream": stream,
    })
}

/// Replaces the values that change between runs (`id`, `created`, tool-call ids) with
/// fixed markers after checking their form.
pub fn scrub(value: &mut Value) {
    let id = value["id"].as_str().unwrap();
    let tail = id.strip_prefix("chatcmpl-").unwrap();
    assert_eq!(tail.len(), 29, "{id}");
    assert!(tail.bytes().all(|c| c.is_ascii_alphanumeric()), "{id}");
    value["id"] = json!("ID");
    assert!(value["created"].as_u64().unwrap() > 1_700_000_000);
    value["created"] = json!(0);
    scrub_call_ids(value);
}

fn scrub_call_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("id") {
                if id.starts_with("call_") {
                    assert_eq!(id.len(), "call_".len() + 24, "{id}");
                    map.insert("id".into(), json!("CALL"));
                }
            }
            map.values_mut().for_each(scrub_call_ids);
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_call_ids),
        _ => {}
    }
}

/// The `data:` payloads of a complete SSE body, checking the framing on the way.
pub fn data_lines(body: &str) -> Vec<String> {
    assert!(body.ends_with("\n\n"), "unterminated stream: {body:?}");
    body.trim_end_matches("\n\n")
        .split("\n\n")
        .map(|event| {
            event
                .strip_prefix("data: ")
                .unwrap_or_else(|| panic!("not a data event: {event:?}"))
                .to_owned()
        })
        .collect()
}

/// The chunks of a complete stream: every payload but `[DONE]`, parsed and scrubbed;
/// asserts the stream ends with `[DONE]` and that all chunks share one id.
pub fn chunks(body: &str) -> Vec<Value> {
    let mut lines = data_lines(body);
    assert_eq!(lines.pop().as_deref(), Some("[DONE]"));
    let chunks: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first_id = chunks[0]["id"].clone();
    chunks
        .into_iter()
        .map(|mut c| {
            assert_eq!(c["id"], first_id);
            scrub(&mut c);
            c
        })
        .collect()
}

/// A chunk with one choice holding `delta` and `finish_reason`, scrubbed.
pub fn chunk(delta: Value, finish_reason: Value) -> Value {
    json!({
        "id": "ID",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "gpt-4o-mini",
        "service_tier": "default",
        "system_fingerprint": "fp_f33640a400",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason}],
    })
}

/// OpenAI's usage object with these counts.
pub fn usage(prompt: u64, completion: u64, cached: u64, reasoning: u64) -> Value {
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": reasoning,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0
        }
    })
}

/// OpenAI's error body.
pub fn error_body(message: &str, kind: Value, param: Value, code: Value) -> Value {
    json!({"error": {"message": message, "type": kind, "param": param, "code": code}})
}
