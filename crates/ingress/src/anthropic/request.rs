//! Messages request -> `ChatRequest`.

use llmrelay::types::{
    Content, FunctionCall, FunctionDefinition, Stop, Tool, ToolCall, ToolChoice as ChatToolChoice,
    ToolChoiceFunction, ToolChoiceMode,
};
use llmrelay::{ChatRequest, Message, Role};
use serde::Deserialize;
use serde_json::{json, Value};

use super::wire::{Block, MessageContent, MessagesRequest, Source, SystemPrompt, ToolChoice};
use crate::IngressError;
use crate::{content_of, image_part, text_part};

/// `/v1/messages/count_tokens`: a Messages request without `max_tokens`.
#[derive(Debug, Clone, Deserialize)]
pub struct CountTokensRequest {
    /// The model.
    pub model: String,
    /// The conversation.
    pub messages: Vec<super::wire::InputMessage>,
    /// Instructions.
    #[serde(default)]
    pub system: Option<SystemPrompt>,
    /// Tools.
    #[serde(default)]
    pub tools: Option<Vec<super::wire::ToolDefinition>>,
}

impl CountTokensRequest {
    /// The same conversation as a Messages request, for translation.
    pub fn into_messages_request(self) -> MessagesRequest {
        MessagesRequest {
            model: self.model,
            messages: self.messages,
            max_tokens: None,
            system: self.system,
            stop_sequences: None,
            temperature: None,
            top_p: None,
            top_k: None,
            stream: None,
            tools: self.tools,
            tool_choice: None,
            metadata: None,
            thinking: None,
        }
    }
}

/// The chat request a Messages request stands for.
pub fn to_chat(request: MessagesRequest) -> Result<ChatRequest, IngressError> {
    let mut messages = Vec::with_capacity(request.messages.len() + 1);
    if let Some(system) = request.system {
        let text = match system {
            SystemPrompt::Text(text) => text,
            SystemPrompt::Blocks(blocks) => blocks
                .into_iter()
                .filter_map(|b| match b {
                    Block::Text { text } => Some(text),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        if !text.is_empty() {
            messages.push(Message::system(text));
        }
    }
    for (i, message) in request.messages.into_iter().enumerate() {
        match message.role.as_str() {
            "user" => user_turn(message.content, &mut messages),
            "assistant" => messages.push(assistant_turn(message.content)),
            other => {
                return Err(IngressError::new(format!(
                    "messages.{i}.role: `{other}` is not `user` or `assistant`"
                ))
                .with_param(format!("messages.{i}.role")))
            }
        }
    }
    let mut chat = ChatRequest::new(request.model, messages);
    chat.max_tokens = request.max_tokens;
    chat.temperature = request.temperature;
    chat.top_p = request.top_p;
    chat.stream = request.stream;
    chat.stop = request.stop_sequences.map(Stop::Many);
    if let Some(top_k) = request.top_k {
        chat.extra.insert("top_k".into(), json!(top_k));
    }
    chat.user = request
        .metadata
        .as_ref()
        .and_then(|m| m.get("user_id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    chat.tools = request.tools.map(|tools| {
        tools
            .into_iter()
            .map(|t| Tool {
                kind: "function".into(),
                function: FunctionDefinition {
                    name: t.name,
                    description: t.description,
                    parameters: t.input_schema,
                    strict: None,
                },
                extra: Default::default(),
            })
            .collect()
    });
    if let Some(choice) = request.tool_choice {
        let (choice, parallel) = tool_choice(choice)?;
        chat.tool_choice = Some(choice);
        chat.parallel_tool_calls = parallel;
    }
    if let Some(thinking) = request.thinking.filter(|t| t.kind == "enabled") {
        // LiteLLM's effort budgets (low 1024, medium 2048, high 4096), inverted,
        // so any provider's reasoning control gets the request's intent.
        let budget = thinking.budget_tokens.unwrap_or(1024);
        let effort = match budget {
            b if b >= 4096 => "high",
            b if b >= 2048 => "medium",
            _ => "low",
        };
        chat.reasoning_effort = Some(effort.into());
    }
    Ok(chat)
}

fn tool_choice(choice: ToolChoice) -> Result<(ChatToolChoice, Option<bool>), IngressError> {
    let parallel = choice.disable_parallel_tool_use.map(|d| !d);
    let mode = |m| Ok((ChatToolChoice::Mode(m), parallel));
    match choice.kind.as_str() {
        "auto" => mode(ToolChoiceMode::Auto),
        "any" => mode(ToolChoiceMode::Required),
        "none" => mode(ToolChoiceMode::None),
        "tool" => {
            let name = choice.name.ok_or_else(|| {
                IngressError::new("tool_choice.name is required with type `tool`")
                    .with_param("tool_choice.name")
            })?;
            Ok((
                ChatToolChoice::Function(ToolChoiceFunction {
                    kind: "function".into(),
                    function: json!({"name": name}),
                }),
                parallel,
            ))
        }
        other => Err(IngressError::new(format!(
            "tool_choice.type `{other}` is not auto, any, tool or none"
        ))
        .with_param("tool_choice.type")),
    }
}

/// A user turn: tool results become `tool` messages (first, as Anthropic
/// puts them), the rest one user message.
fn user_turn(content: MessageContent, out: &mut Vec<Message>) {
    let blocks = match content {
        MessageContent::Text(text) => {
            out.push(Message::user(text));
            return;
        }
        MessageContent::Blocks(blocks) => blocks,
    };
    let mut parts = Vec::new();
    for block in blocks {
        match block {
            Block::ToolResult {
                tool_use_id,
                content,
                is_error,
            } => {
                let mut text = match content {
                    Some(MessageContent::Text(t)) => t,
                    Some(MessageContent::Blocks(b)) => b
                        .into_iter()
                        .filter_map(|b| match b {
                            Block::Text { text } => Some(text),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                    None => String::new(),
                };
                if is_error == Some(true) && !text.starts_with("Error") {
                    text = format!("Error: {text}");
                }
                out.push(Message {
                    role: Role::Tool,
                    content: Some(Content::Text(text)),
                    tool_call_id: Some(tool_use_id),
                    ..Message::default()
                });
            }
            Block::Text { text } => parts.push(text_part(text)),
            Block::Image { source } => parts.push(image_part(source_url(source), None)),
            Block::Document { source } => parts.push(llmrelay::types::ContentPart::File {
                file: llmrelay::types::FileRef {
                    file_data: Some(source_url(source)),
                    ..Default::default()
                },
                extra: Default::default(),
            }),
            // Thinking blocks only come back in assistant turns.
            Block::ToolUse { .. } | Block::Thinking { .. } | Block::RedactedThinking { .. } => {}
        }
    }
    if let Some(content) = content_of(parts) {
        out.push(Message {
            role: Role::User,
            content: Some(content),
            ..Message::default()
        });
    }
}

/// An assistant turn: text, tool calls, and earlier reasoning.
fn assistant_turn(content: MessageContent) -> Message {
    let blocks = match content {
        MessageContent::Text(text) => return Message::assistant(text),
        MessageContent::Blocks(blocks) => blocks,
    };
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut calls = Vec::new();
    for block in blocks {
        match block {
            Block::Text { text: t } => text.push_str(&t),
            Block::Thinking { thinking, .. } => reasoning.push_str(&thinking),
            Block::ToolUse { id, name, input } => calls.push(ToolCall {
                id,
                kind: "function".into(),
                function: FunctionCall {
                    name,
                    arguments: input.to_string(),
                },
            }),
            _ => {}
        }
    }
    let mut message = Message {
        role: Role::Assistant,
        content: (!text.is_empty()).then(|| Content::Text(text)),
        tool_calls: (!calls.is_empty()).then_some(calls),
        ..Message::default()
    };
    if !reasoning.is_empty() {
        message
            .extra
            .insert("reasoning_content".into(), Value::String(reasoning));
    }
    message
}

/// An image or document source as a URL (`data:` for inline data).
fn source_url(source: Source) -> String {
    match source {
        Source::Base64 { media_type, data } => format!("data:{media_type};base64,{data}"),
        Source::Url { url } => url,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chat(body: Value) -> Value {
        let request: MessagesRequest = serde_json::from_value(body).unwrap();
        serde_json::to_value(to_chat(request).unwrap()).unwrap()
    }

    #[test]
    fn system_tools_and_sampling_translate() {
        let out = chat(json!({
            "model": "claude", "max_tokens": 100, "system": [{"type": "text", "text": "Be brief."}],
            "messages": [{"role": "user", "content": "Hi"}],
            "stop_sequences": ["END"], "temperature": 0.5, "top_k": 3, "stream": true,
            "metadata": {"user_id": "u1"},
            "tools": [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}],
            "tool_choice": {"type": "any", "disable_parallel_tool_use": true}
        }));
        assert_eq!(
            out,
            json!({
                "model": "claude",
                "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
                "temperature": 0.5, "max_tokens": 100, "stop": ["END"], "user": "u1", "stream": true,
                "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                           "parameters": {"type": "object"}}}],
                "tool_choice": "required", "parallel_tool_calls": false, "top_k": 3
            })
        );
    }

    #[test]
    fn tool_use_and_tool_result_turns_become_tool_calls_and_tool_messages() {
        let out = chat(json!({
            "model": "claude", "max_tokens": 10,
            "messages": [
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": [
                    {"type": "thinking", "thinking": "Use the tool.", "signature": "sig"},
                    {"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "18C"}]},
                    {"type": "text", "text": "And tomorrow?"}]}
            ]
        }));
        assert_eq!(
            out["messages"],
            json!([
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": "Checking.", "reasoning_content": "Use the tool.",
                 "tool_calls": [{"id": "toolu_1", "type": "function",
                                 "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "content": "18C", "tool_call_id": "toolu_1"},
                {"role": "user", "content": "And tomorrow?"}
            ])
        );
    }

    #[test]
    fn images_become_data_urls_and_thinking_an_effort() {
        let out = chat(json!({
            "model": "claude", "max_tokens": 10, "thinking": {"type": "enabled", "budget_tokens": 5000},
            "messages": [{"role": "user", "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}}]}]
        }));
        assert_eq!(out["reasoning_effort"], "high");
        assert_eq!(
            out["messages"][0]["content"],
            json!([{"type": "text", "text": "What is this?"},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}])
        );
    }

    #[test]
    fn a_bad_role_or_tool_choice_is_refused_naming_the_field() {
        let bad_role: MessagesRequest = serde_json::from_value(json!({
            "model": "m", "messages": [{"role": "system", "content": "x"}]}))
        .unwrap();
        let err = to_chat(bad_role).unwrap_err();
        assert_eq!(err.param.as_deref(), Some("messages.0.role"));
        let bad_choice: MessagesRequest = serde_json::from_value(json!({
            "model": "m", "messages": [], "tool_choice": {"type": "tool"}}))
        .unwrap();
        assert_eq!(
            to_chat(bad_choice).unwrap_err().param.as_deref(),
            Some("tool_choice.name")
        );
    }
}
