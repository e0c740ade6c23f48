//! Messages API answer -> `ChatResponse`, with usage normalised to OpenAI's convention
//! (`prompt_tokens` counts cache reads and writes too; `prompt_tokens_details` breaks
//! them out) and the cost attached from the catalog.

use std::time::SystemTime;

use serde_json::{json, Value};

use super::format::JSON_TOOL;
use super::wire::{self, ResponseBlock};
use crate::error::{Error, ErrorKind};
use crate::providers::{unix_secs, Target};
use crate::types::{
    ChatResponse, Choice, Extra, FunctionCall, PromptTokensDetails, ResponseMessage, ToolCall,
    Usage,
};

pub(crate) fn parse_chat(
    target: &Target,
    body: &[u8],
    now: SystemTime,
) -> Result<ChatResponse, Error> {
    let message: wire::MessagesResponse = serde_json::from_slice(body).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("the provider's response is not a valid Anthropic Messages body: {e}"),
        )
    })?;
    let mut text: Option<String> = None;
    let mut reasoning: Option<String> = None;
    let mut thinking_blocks: Vec<Value> = Vec::new();
    let mut tool_calls: Vec<ToolCall> = Vec::new();
    let mut json_answer: Option<String> = None;
    for block in message.content {
        match block {
            ResponseBlock::Text { text: piece } => {
                text.get_or_insert_with(String::new).push_str(&piece)
            }
            ResponseBlock::Thinking {
                thinking,
                signature,
            } => {
                reasoning
                    .get_or_insert_with(String::new)
                    .push_str(&thinking);
                thinking_blocks.push(
                    json!({"type": "thinking", "thinking": thinking, "signature": signature}),
                );
            }
            ResponseBlock::RedactedThinking { data } => {
                thinking_blocks.push(json!({"type": "redacted_thinking", "data": data}));
            }
            ResponseBlock::ToolUse { name, input, .. } if name == JSON_TOOL => {
                json_answer = Some(input.to_string());
            }
            ResponseBlock::ToolUse { id, name, input } => tool_calls.push(ToolCall {
                id,
                kind: String::from("function"),
                function: FunctionCall {
                    name,
                    arguments: input.to_string(),
                },
            }),
            ResponseBlock::Other => {}
        }
    }
    let answered_json = json_answer.is_some();
    let mut extra = Extra::new();
    if !thinking_blocks.is_empty() {
        // Handed back on the next turn, signatures intact, so thinking can continue
        // across tool use.
        extra.insert(
            String::from("thinking_blocks"),
            Value::Array(thinking_blocks),
        );
    }
    let finish_reason = message
        .stop_reason
        .as_deref()
        .map(|r| finish_reason(r, answered_json && tool_calls.is_empty()));
    let response = ChatResponse {
        id: message.id,
        object: String::from("chat.completion"),
        created: unix_secs(now),
        model: if message.model.is_empty() {
            target.model.clone()
        } else {
            message.model
        },
        choices: vec![Choice {
            index: 0,
            message: ResponseMessage {
                // The forced tool's input is the answer the caller asked for.
                content: json_answer.or(text),
                tool_calls: (!tool_calls.is_empty()).then_some(tool_calls),
                reasoning_content: reasoning,
                extra,
                ..ResponseMessage::default()
            },
            finish_reason,
            ..Choice::default()
        }],
        usage: Some(usage(&message.usage, None)),
        ..ChatResponse::default()
    };
    Ok(response)
}

/// OpenAI's `finish_reason` for a `stop_reason`. `answered_json`: the only tool call was
/// the response-format tool, which to the caller is a finished answer.
pub(crate) fn finish_reason(stop_reason: &str, answered_json: bool) -> String {
    let reason = match stop_reason {
        "end_turn" | "stop_sequence" | "pause_turn" => "stop",
        "tool_use" if answered_json => "stop",
        "tool_use" => "tool_calls",
        "max_tokens" | "model_context_window_exceeded" => "length",
        "refusal" => "content_filter",
        other => other,
    };
    reason.to_string()
}

/// OpenAI-convention usage from Anthropic's. `start` holds the input counts a stream
/// sent in `message_start`, used where `message_delta` does not repeat them.
pub(crate) fn usage(usage: &wire::Usage, start: Option<&wire::Usage>) -> Usage {
    let pick = |f: fn(&wire::Usage) -> Option<u64>| f(usage).or_else(|| start.and_then(f));
    let input = pick(|u| u.input_tokens).unwrap_or(0);
    let read = pick(|u| u.cache_read_input_tokens).unwrap_or(0);
    let write = pick(|u| u.cache_creation_input_tokens).unwrap_or(0);
    let output = usage.output_tokens.unwrap_or(0);
    let prompt = input.saturating_add(read).saturating_add(write);
    let mut details = PromptTokensDetails {
        cached_tokens: read,
        cache_creation_tokens: Some(write),
        ..PromptTokensDetails::default()
    };
    if let Some(by_ttl) = usage
        .cache_creation
        .or_else(|| start.and_then(|s| s.cache_creation))
    {
        // LiteLLM's key; the one-hour writes are priced at their own rate.
        details.extra.insert(
            String::from("cache_creation_token_details"),
            json!({
                "ephemeral_5m_input_tokens": by_ttl.ephemeral_5m_input_tokens,
                "ephemeral_1h_input_tokens": by_ttl.ephemeral_1h_input_tokens,
            }),
        );
    }
    Usage {
        prompt_tokens: prompt,
        completion_tokens: output,
        total_tokens: prompt.saturating_add(output),
        prompt_tokens_details: Some(details),
        ..Usage::default()
    }
}
