//! `ChatResponse` -> Responses API `response` object.

use llmrelay::{ChatResponse, Usage};
use serde_json::{json, Value};

use crate::new_id;

/// The `response` object for `response`, naming the model as the client did.
pub fn from_chat(response: &ChatResponse, model: &str, response_id: &str) -> Value {
    let choice = response.choices.first();
    let message = choice.map(|c| &c.message);
    let mut output = Vec::new();
    if let Some(reasoning) = message
        .and_then(|m| m.reasoning_content.as_deref())
        .filter(|r| !r.is_empty())
    {
        output.push(reasoning_item(&new_id("rs_"), reasoning));
    }
    if let Some(text) = message
        .and_then(|m| m.content.as_deref())
        .filter(|t| !t.is_empty())
    {
        output.push(message_item(&new_id("msg_"), text));
    }
    for call in message
        .and_then(|m| m.tool_calls.as_deref())
        .unwrap_or_default()
    {
        output.push(function_call_item(
            &new_id("fc_"),
            &call.id,
            &call.function.name,
            &call.function.arguments,
        ));
    }
    let incomplete = choice.and_then(|c| c.finish_reason.as_deref()) == Some("length");
    envelope(
        response_id,
        model,
        response.created,
        if incomplete {
            "incomplete"
        } else {
            "completed"
        },
        output,
        response.usage.as_ref(),
    )
}

/// The `response` object around `output` items.
pub(crate) fn envelope(
    id: &str,
    model: &str,
    created: u64,
    status: &str,
    output: Vec<Value>,
    usage: Option<&Usage>,
) -> Value {
    json!({
        "id": id,
        "object": "response",
        "created_at": created,
        "status": status,
        "error": null,
        "incomplete_details": if status == "incomplete" { json!({"reason": "max_output_tokens"}) } else { Value::Null },
        "model": model,
        "output": output,
        "parallel_tool_calls": true,
        "tool_choice": "auto",
        "tools": [],
        "usage": usage.map(usage_of),
    })
}

pub(crate) fn message_item(id: &str, text: &str) -> Value {
    json!({"type": "message", "id": id, "status": "completed", "role": "assistant",
           "content": [{"type": "output_text", "text": text, "annotations": []}]})
}

pub(crate) fn reasoning_item(id: &str, text: &str) -> Value {
    json!({"type": "reasoning", "id": id, "summary": [{"type": "summary_text", "text": text}]})
}

pub(crate) fn function_call_item(id: &str, call_id: &str, name: &str, arguments: &str) -> Value {
    json!({"type": "function_call", "id": id, "call_id": call_id, "name": name,
           "arguments": arguments, "status": "completed"})
}

fn usage_of(u: &Usage) -> Value {
    json!({
        "input_tokens": u.prompt_tokens,
        "input_tokens_details": {"cached_tokens": u.prompt_tokens_details.as_ref().map_or(0, |d| d.cached_tokens)},
        "output_tokens": u.completion_tokens,
        "output_tokens_details": {"reasoning_tokens": u.completion_tokens_details.as_ref().map_or(0, |d| d.reasoning_tokens)},
        "total_tokens": u.total_tokens,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn text_and_function_calls_become_output_items() {
        let response: ChatResponse = serde_json::from_value(json!({
            "id": "chatcmpl-1", "created": 7, "model": "gpt-4o",
            "choices": [{"finish_reason": "tool_calls", "message": {"role": "assistant", "content": "Checking.",
                "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "w", "arguments": "{}"}}]}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
                      "completion_tokens_details": {"reasoning_tokens": 2}}
        })).unwrap();
        let out = from_chat(&response, "my-gpt", "resp_1");
        assert_eq!(out["id"], "resp_1");
        assert_eq!(out["object"], "response");
        assert_eq!(out["status"], "completed");
        assert_eq!(out["model"], "my-gpt");
        assert_eq!(
            out["output"][0]["content"][0],
            json!({"type": "output_text", "text": "Checking.", "annotations": []})
        );
        assert_eq!(out["output"][1]["type"], "function_call");
        assert_eq!(out["output"][1]["call_id"], "call_1");
        assert_eq!(out["usage"]["output_tokens_details"]["reasoning_tokens"], 2);
        assert_eq!(out["usage"]["total_tokens"], 15);
    }

    #[test]
    fn a_length_stop_is_incomplete() {
        let response: ChatResponse = serde_json::from_value(json!({
            "id": "x", "model": "m", "choices": [{"finish_reason": "length", "message": {"role": "assistant", "content": "cu"}}]})).unwrap();
        let out = from_chat(&response, "m", "resp_2");
        assert_eq!(out["status"], "incomplete");
        assert_eq!(out["incomplete_details"]["reason"], "max_output_tokens");
    }
}
