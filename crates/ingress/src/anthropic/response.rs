//! `ChatResponse` -> Messages response.

use llmrelay::{ChatResponse, Usage};
use serde_json::{json, Value};

use super::stop_reason;
use crate::new_id;

/// The Messages response for `response`, naming the model as the client did.
pub fn from_chat(response: &ChatResponse, model: &str) -> Value {
    let choice = response.choices.first();
    let message = choice.map(|c| &c.message);
    let mut content = Vec::new();
    if let Some(reasoning) = message.and_then(|m| m.reasoning_content.as_deref()) {
        if !reasoning.is_empty() {
            content.push(json!({"type": "thinking", "thinking": reasoning, "signature": ""}));
        }
    }
    if let Some(text) = message.and_then(|m| m.content.as_deref()) {
        if !text.is_empty() {
            content.push(json!({"type": "text", "text": text}));
        }
    }
    for call in message
        .and_then(|m| m.tool_calls.as_deref())
        .unwrap_or_default()
    {
        // Models sometimes send arguments that are not JSON; Anthropic's input
        // must be an object, so such text is kept under one key.
        let input = serde_json::from_str::<Value>(&call.function.arguments)
            .ok()
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({"arguments": call.function.arguments}));
        content.push(
            json!({"type": "tool_use", "id": call.id, "name": call.function.name, "input": input}),
        );
    }
    let id = if response.id.starts_with("msg_") {
        response.id.clone()
    } else {
        new_id("msg_")
    };
    json!({
        "id": id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason(choice.and_then(|c| c.finish_reason.as_deref())),
        "stop_sequence": null,
        "usage": usage(response.usage.as_ref()),
    })
}

/// Anthropic's usage: `input_tokens` excludes cache reads and writes, which
/// OpenAI's `prompt_tokens` includes.
pub(crate) fn usage(usage: Option<&Usage>) -> Value {
    let Some(u) = usage else {
        return json!({"input_tokens": 0, "output_tokens": 0});
    };
    let details = u.prompt_tokens_details.as_ref();
    let cached = details.map_or(0, |d| d.cached_tokens);
    let created = details.and_then(|d| d.cache_creation_tokens).unwrap_or(0);
    json!({
        "input_tokens": u.prompt_tokens.saturating_sub(cached + created),
        "output_tokens": u.completion_tokens,
        "cache_read_input_tokens": cached,
        "cache_creation_input_tokens": created,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn text_tool_use_reasoning_and_cached_usage() {
        let response: ChatResponse = serde_json::from_value(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": "Let me check.", "reasoning_content": "Need weather.",
                "tool_calls": [{"id": "call_1", "type": "function",
                                "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120,
                      "prompt_tokens_details": {"cached_tokens": 64}}
        }))
        .unwrap();
        let out = from_chat(&response, "claude");
        assert!(out["id"].as_str().unwrap().starts_with("msg_"));
        assert_eq!(out["model"], "claude");
        assert_eq!(out["stop_reason"], "tool_use");
        assert_eq!(
            out["content"],
            json!([
                {"type": "thinking", "thinking": "Need weather.", "signature": ""},
                {"type": "text", "text": "Let me check."},
                {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}}
            ])
        );
        assert_eq!(
            out["usage"],
            json!({"input_tokens": 36, "output_tokens": 20, "cache_read_input_tokens": 64,
                   "cache_creation_input_tokens": 0})
        );
    }

    #[test]
    fn length_maps_to_max_tokens() {
        let response: ChatResponse = serde_json::from_value(json!({
            "id": "x", "model": "m", "choices": [{"finish_reason": "length",
                "message": {"role": "assistant", "content": "cut"}}]}))
        .unwrap();
        assert_eq!(from_chat(&response, "m")["stop_reason"], "max_tokens");
    }
}
