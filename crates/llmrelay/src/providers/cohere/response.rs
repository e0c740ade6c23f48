//! Cohere v2 chat answer -> `ChatResponse`, with the cost attached from the catalog.
//!
//! Usage is Cohere's `billed_units` (what it charges, so the cost is the bill), falling
//! back to `tokens` where no billed count is given. An assistant's `tool_plan` is its
//! content beside tool calls, as OpenAI puts it; thinking is `reasoning_content`. A
//! generation Cohere reports as failed (`finish_reason: ERROR`) is an error, not an
//! answer.

use std::time::SystemTime;

use super::wire;
use crate::error::{Error, ErrorKind};
use crate::providers::{unix_secs, Target};
use crate::types::{ChatResponse, Choice, Extra, FunctionCall, ResponseMessage, ToolCall, Usage};

pub(crate) fn parse_chat(
    target: &Target,
    body: &[u8],
    now: SystemTime,
) -> Result<ChatResponse, Error> {
    let answer: wire::ChatResponse = serde_json::from_slice(body).map_err(|e| {
        target.error(
            ErrorKind::InternalServer,
            format!("the provider's response is not a valid Cohere chat body: {e}"),
        )
    })?;
    let finish_reason = answer
        .finish_reason
        .as_deref()
        .map(|r| finish_reason(target, r, None))
        .transpose()?;
    let mut text: Option<String> = None;
    let mut thinking: Option<String> = None;
    for item in answer.message.content {
        match item {
            wire::ResponseContent::Text { text: piece } => {
                text.get_or_insert_with(String::new).push_str(&piece);
            }
            wire::ResponseContent::Thinking { thinking: piece } => {
                thinking.get_or_insert_with(String::new).push_str(&piece);
            }
            wire::ResponseContent::Other => {}
        }
    }
    let tool_calls: Vec<ToolCall> = answer
        .message
        .tool_calls
        .into_iter()
        .map(|call| {
            let function = call.function.unwrap_or_default();
            ToolCall {
                id: call.id.unwrap_or_default(),
                kind: String::from("function"),
                function: FunctionCall {
                    name: function.name.unwrap_or_default(),
                    arguments: function.arguments.unwrap_or_default(),
                },
            }
        })
        .collect();
    let content = text.or(answer.message.tool_plan.filter(|p| !p.is_empty()));
    let mut extra = Extra::new();
    if let Some(citations) = answer.message.citations.filter(|c| !c.is_null()) {
        extra.insert(String::from("citations"), citations);
    }
    let response = ChatResponse {
        id: answer.id,
        object: String::from("chat.completion"),
        created: unix_secs(now),
        model: target.model.clone(),
        choices: vec![Choice {
            index: 0,
            message: ResponseMessage {
                content,
                tool_calls: (!tool_calls.is_empty()).then_some(tool_calls),
                reasoning_content: thinking,
                extra,
                ..ResponseMessage::default()
            },
            finish_reason,
            ..Choice::default()
        }],
        usage: answer.usage.map(|u| usage(&u)),
        ..ChatResponse::default()
    };
    Ok(response)
}

/// OpenAI's `finish_reason` for Cohere's, or the error a failed generation is.
pub(crate) fn finish_reason(
    target: &Target,
    reason: &str,
    error: Option<&str>,
) -> Result<String, Error> {
    Ok(String::from(match reason {
        "COMPLETE" | "STOP_SEQUENCE" | "USER_CANCEL" => "stop",
        "MAX_TOKENS" => "length",
        "TOOL_CALL" => "tool_calls",
        "ERROR_TOXIC" => "content_filter",
        "ERROR" | "ERROR_LIMIT" | "TIMEOUT" => {
            let words = error.unwrap_or("the generation failed");
            let kind = if words.to_ascii_lowercase().contains("rate limit") {
                ErrorKind::RateLimit
            } else if reason == "TIMEOUT" {
                ErrorKind::Timeout
            } else {
                ErrorKind::InternalServer
            };
            return Err(target.error(kind, format!("{words} (finish_reason {reason})")));
        }
        other => return Ok(other.to_ascii_lowercase()),
    }))
}

/// OpenAI-convention usage: billed units where Cohere gives them, else its token counts.
pub(crate) fn usage(usage: &wire::Usage) -> Usage {
    let count = |f: fn(&wire::Units) -> Option<f64>| {
        usage
            .billed_units
            .as_ref()
            .and_then(f)
            .or_else(|| usage.tokens.as_ref().and_then(f))
            .map_or(0, |n| n.max(0.0).round() as u64)
    };
    let prompt = count(|u| u.input_tokens);
    let completion = count(|u| u.output_tokens);
    Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt.saturating_add(completion),
        ..Usage::default()
    }
}
