//! Converse response -> unified response, with usage normalised so
//! `prompt_tokens` counts cache reads and writes too, and the cost attached.

use std::time::SystemTime;

use super::request::JSON_TOOL;
use super::wire::{ContentBlock, ConverseResponse, TokenUsage};
use crate::error::{Error, ErrorKind};
use crate::providers::{local_id, unix_secs, Target};
use crate::types::{
    ChatResponse, Choice, CompletionTokensDetails, FunctionCall, PromptTokensDetails,
    ResponseMessage, ToolCall, Usage,
};

pub(crate) fn parse_chat(
    target: &Target,
    body: &[u8],
    now: SystemTime,
) -> Result<ChatResponse, Error> {
    let wire: ConverseResponse = serde_json::from_slice(body).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("Bedrock's response is not a Converse body: {e}"),
        )
    })?;
    let mut message = ResponseMessage::default();
    let mut calls = Vec::new();
    let mut structured = false;
    for block in wire.output.message.content {
        absorb(&mut message, &mut calls, &mut structured, block);
    }
    message.tool_calls = (!calls.is_empty()).then_some(calls);
    let finish_reason = if structured {
        String::from("stop")
    } else {
        finish_reason(wire.stop_reason.as_deref())
    };
    let response = ChatResponse {
        id: local_id("chatcmpl-", now),
        object: String::from("chat.completion"),
        created: unix_secs(now),
        model: target.model.clone(),
        choices: vec![Choice {
            index: 0,
            message,
            finish_reason: Some(finish_reason),
            ..Choice::default()
        }],
        usage: wire.usage.map(usage),
        ..ChatResponse::default()
    };
    Ok(response)
}

/// Adds one content block to the message being built. The forced JSON tool's
/// input becomes the message content (the caller asked for JSON, not a call).
fn absorb(
    message: &mut ResponseMessage,
    calls: &mut Vec<ToolCall>,
    structured: &mut bool,
    block: ContentBlock,
) {
    if let Some(text) = block.text {
        message
            .content
            .get_or_insert_with(String::new)
            .push_str(&text);
    }
    if let Some(reasoning) = block.reasoning_content {
        if let Some(text) = reasoning
            .pointer("/reasoningText/text")
            .and_then(|t| t.as_str())
        {
            message
                .reasoning_content
                .get_or_insert_with(String::new)
                .push_str(text);
        }
    }
    if let Some(tool) = block.tool_use {
        if tool.name == JSON_TOOL {
            *structured = true;
            message.content = Some(tool.input.to_string());
        } else {
            calls.push(ToolCall {
                id: tool.tool_use_id,
                kind: String::from("function"),
                function: FunctionCall {
                    name: tool.name,
                    arguments: tool.input.to_string(),
                },
            });
        }
    }
}

/// Converse's `stopReason` -> OpenAI's `finish_reason`.
pub(crate) fn finish_reason(stop: Option<&str>) -> String {
    match stop {
        Some("tool_use") => "tool_calls",
        Some("max_tokens") | Some("model_context_window_exceeded") => "length",
        Some("guardrail_intervened") | Some("content_filtered") => "content_filter",
        _ => "stop",
    }
    .to_string()
}

/// Converse usage -> OpenAI usage (cache reads and writes inside `prompt_tokens`).
pub(crate) fn usage(u: TokenUsage) -> Usage {
    let prompt = u.input_tokens + u.cache_read_input_tokens + u.cache_write_input_tokens;
    Usage {
        prompt_tokens: prompt,
        completion_tokens: u.output_tokens,
        total_tokens: prompt + u.output_tokens,
        prompt_tokens_details: Some(PromptTokensDetails {
            cached_tokens: u.cache_read_input_tokens,
            cache_creation_tokens: Some(u.cache_write_input_tokens),
            ..PromptTokensDetails::default()
        }),
        completion_tokens_details: Some(CompletionTokensDetails::default()),
        ..Usage::default()
    }
}
