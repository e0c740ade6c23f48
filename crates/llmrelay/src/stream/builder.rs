//! LiteLLM's `stream_chunk_builder`: chunks -> the response the same call
//! would have returned unstreamed (content, reasoning, tool calls, finish
//! reasons and usage, per choice).

use std::collections::BTreeMap;

use crate::types::{ChatChunk, ChatResponse, Choice, FunctionCall, ResponseMessage, ToolCall};

#[derive(Default)]
struct ChoiceParts {
    content: Option<String>,
    reasoning: Option<String>,
    refusal: Option<String>,
    finish_reason: Option<String>,
    tool_calls: BTreeMap<u32, ToolCall>,
}

/// Folds `chunks` into one response; `None` when there are none.
pub fn stream_chunk_builder(chunks: &[ChatChunk]) -> Option<ChatResponse> {
    let first = chunks.first()?;
    let mut choices: BTreeMap<u32, ChoiceParts> = BTreeMap::new();
    let mut usage = None;
    let mut cost = None;
    let mut fingerprint = None;
    for chunk in chunks {
        if chunk.usage.is_some() {
            usage = chunk.usage.clone();
            cost = chunk.cost;
        }
        if chunk.system_fingerprint.is_some() {
            fingerprint = chunk.system_fingerprint.clone();
        }
        for choice in &chunk.choices {
            let parts = choices.entry(choice.index).or_default();
            let delta = &choice.delta;
            append(&mut parts.content, delta.content.as_deref());
            append(&mut parts.reasoning, delta.reasoning_content.as_deref());
            append(&mut parts.refusal, delta.refusal.as_deref());
            if choice.finish_reason.is_some() {
                parts.finish_reason = choice.finish_reason.clone();
            }
            for fragment in delta.tool_calls.iter().flatten() {
                let call = parts
                    .tool_calls
                    .entry(fragment.index)
                    .or_insert_with(|| ToolCall {
                        id: String::new(),
                        kind: String::from("function"),
                        function: FunctionCall::default(),
                    });
                if let Some(id) = &fragment.id {
                    call.id.clone_from(id);
                }
                if let Some(kind) = &fragment.kind {
                    call.kind.clone_from(kind);
                }
                if let Some(function) = &fragment.function {
                    if let Some(name) = &function.name {
                        call.function.name.push_str(name);
                    }
                    if let Some(arguments) = &function.arguments {
                        call.function.arguments.push_str(arguments);
                    }
                }
            }
        }
    }
    let choices = choices
        .into_iter()
        .map(|(index, parts)| {
            let tool_calls: Vec<ToolCall> = parts.tool_calls.into_values().collect();
            // The opening `content: ""` of a tool-call stream is the `null`
            // content of the same answer unstreamed.
            let content = parts
                .content
                .filter(|c| !c.is_empty() || tool_calls.is_empty());
            Choice {
                index,
                message: ResponseMessage {
                    content,
                    reasoning_content: parts.reasoning,
                    refusal: parts.refusal,
                    tool_calls: (!tool_calls.is_empty()).then_some(tool_calls),
                    ..ResponseMessage::default()
                },
                finish_reason: parts.finish_reason,
                ..Choice::default()
            }
        })
        .collect();
    Some(ChatResponse {
        id: first.id.clone(),
        object: String::from("chat.completion"),
        created: first.created,
        model: first.model.clone(),
        choices,
        usage,
        system_fingerprint: fingerprint,
        cost,
        ..ChatResponse::default()
    })
}

fn append(into: &mut Option<String>, piece: Option<&str>) {
    if let Some(piece) = piece {
        into.get_or_insert_with(String::new).push_str(piece);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chunk(json: &str) -> ChatChunk {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn folds_content_tool_calls_and_usage() {
        let chunks = [
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
            ),
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"}}]}"#,
            ),
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"lo"}}]}"#,
            ),
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}"#,
            ),
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}}]}"#,
            ),
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]},"finish_reason":"tool_calls"}]}"#,
            ),
            chunk(
                r#"{"id":"c1","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"#,
            ),
        ];
        let r = stream_chunk_builder(&chunks).unwrap();
        assert_eq!(r.id, "c1");
        assert_eq!(r.choices[0].message.role, crate::types::Role::Assistant);
        assert_eq!(r.choices.len(), 1);
        let m = &r.choices[0].message;
        assert_eq!(m.content.as_deref(), Some("Hello"));
        let calls = m.tool_calls.as_ref().unwrap();
        assert_eq!(calls[0].id, "call_1");
        assert_eq!(calls[0].function.name, "f");
        assert_eq!(calls[0].function.arguments, r#"{"a":1}"#);
        assert_eq!(r.choices[0].finish_reason.as_deref(), Some("tool_calls"));
        assert_eq!(r.usage.unwrap().total_tokens, 12);
        assert!(stream_chunk_builder(&[]).is_none());
    }
}
