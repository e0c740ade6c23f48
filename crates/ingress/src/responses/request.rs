//! Responses request -> `ChatRequest`.

use llmrelay::types::{
    Content, FunctionCall, FunctionDefinition, JsonSchemaFormat, ResponseFormat, Tool, ToolCall,
    ToolChoice, ToolChoiceFunction,
};
use llmrelay::{ChatRequest, Message, Role};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::IngressError;
use crate::{content_of, image_part, text_part};

/// A Responses API request (the fields a chat model can honour).
#[derive(Debug, Clone, Deserialize)]
pub struct ResponsesRequest {
    /// The model group.
    pub model: String,
    /// A string, or a list of items.
    pub input: Value,
    /// System instructions.
    #[serde(default)]
    pub instructions: Option<String>,
    /// Output limit.
    #[serde(default)]
    pub max_output_tokens: Option<u64>,
    /// Sampling temperature.
    #[serde(default)]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default)]
    pub top_p: Option<f64>,
    /// Function tools.
    #[serde(default)]
    pub tools: Option<Vec<Value>>,
    /// `auto`, `none`, `required` or `{"type": "function", "name": ...}`.
    #[serde(default)]
    pub tool_choice: Option<Value>,
    /// Several tool calls per turn.
    #[serde(default)]
    pub parallel_tool_calls: Option<bool>,
    /// Stream the `response.*` events.
    #[serde(default)]
    pub stream: Option<bool>,
    /// `{"format": {"type": "text" | "json_object" | "json_schema", ...}}`.
    #[serde(default)]
    pub text: Option<Value>,
    /// `{"effort": "low" | ...}`.
    #[serde(default)]
    pub reasoning: Option<Value>,
    /// End-user id.
    #[serde(default)]
    pub user: Option<String>,
    /// Caller metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Server-side conversation state: not kept by this gateway.
    #[serde(default)]
    pub previous_response_id: Option<String>,
}

/// The chat request a Responses request stands for.
pub fn to_chat(request: ResponsesRequest) -> Result<ChatRequest, IngressError> {
    if request.previous_response_id.is_some() {
        return Err(IngressError::new(
            "previous_response_id is not supported: this gateway stores no responses; send the whole conversation in `input`",
        )
        .with_param("previous_response_id"));
    }
    let mut messages = Vec::new();
    if let Some(instructions) = request.instructions.filter(|s| !s.is_empty()) {
        messages.push(Message::system(instructions));
    }
    match request.input {
        Value::String(text) => messages.push(Message::user(text)),
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                input_item(item, i, &mut messages)?;
            }
        }
        _ => {
            return Err(
                IngressError::new("`input` must be a string or a list of items")
                    .with_param("input"),
            )
        }
    }
    let mut chat = ChatRequest::new(request.model, messages);
    chat.max_completion_tokens = request.max_output_tokens;
    chat.temperature = request.temperature;
    chat.top_p = request.top_p;
    chat.stream = request.stream;
    chat.user = request.user;
    chat.metadata = request.metadata;
    chat.parallel_tool_calls = request.parallel_tool_calls;
    chat.reasoning_effort = request
        .reasoning
        .as_ref()
        .and_then(|r| r.get("effort"))
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(tools) = request.tools {
        chat.tools = Some(
            tools
                .into_iter()
                .enumerate()
                .map(tool)
                .collect::<Result<_, _>>()?,
        );
    }
    chat.tool_choice = match request.tool_choice {
        None => None,
        Some(Value::String(mode)) => {
            Some(serde_json::from_value(Value::String(mode)).map_err(|_| {
                IngressError::new("tool_choice must be auto, none or required")
                    .with_param("tool_choice")
            })?)
        }
        Some(Value::Object(o)) => {
            let name = o.get("name").and_then(Value::as_str).ok_or_else(|| {
                IngressError::new("tool_choice.name is required").with_param("tool_choice.name")
            })?;
            Some(ToolChoice::Function(ToolChoiceFunction {
                kind: "function".into(),
                function: json!({"name": name}),
            }))
        }
        Some(_) => return Err(IngressError::new("invalid tool_choice").with_param("tool_choice")),
    };
    if let Some(format) = request.text.as_ref().and_then(|t| t.get("format")) {
        chat.response_format = response_format(format)?;
    }
    Ok(chat)
}

fn tool(index_and_tool: (usize, Value)) -> Result<Tool, IngressError> {
    let (i, t) = index_and_tool;
    let bad =
        |m: &str| IngressError::new(format!("tools[{i}]: {m}")).with_param(format!("tools[{i}]"));
    if t.get("type").and_then(Value::as_str) != Some("function") {
        return Err(bad(
            "only `function` tools can be served through chat models",
        ));
    }
    let name = t
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("`name` is required"))?;
    Ok(Tool {
        kind: "function".into(),
        function: FunctionDefinition {
            name: name.to_string(),
            description: t
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            parameters: t.get("parameters").cloned(),
            strict: t.get("strict").and_then(Value::as_bool),
        },
        extra: Default::default(),
    })
}

fn response_format(format: &Value) -> Result<Option<ResponseFormat>, IngressError> {
    Ok(match format.get("type").and_then(Value::as_str) {
        Some("text") | None => None,
        Some("json_object") => Some(ResponseFormat::JsonObject),
        Some("json_schema") => Some(ResponseFormat::JsonSchema {
            json_schema: JsonSchemaFormat {
                name: format
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("response")
                    .to_string(),
                description: format
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                schema: format.get("schema").cloned(),
                strict: format.get("strict").and_then(Value::as_bool),
            },
        }),
        Some(other) => {
            return Err(
                IngressError::new(format!("text.format.type `{other}` is not supported"))
                    .with_param("text.format.type"),
            )
        }
    })
}

/// One `input` item -> messages (function calls join the previous assistant message).
fn input_item(item: Value, i: usize, out: &mut Vec<Message>) -> Result<(), IngressError> {
    let bad =
        |m: String| IngressError::new(format!("input[{i}]: {m}")).with_param(format!("input[{i}]"));
    let kind = item
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("message");
    match kind {
        "message" => {
            let role = match item.get("role").and_then(Value::as_str) {
                Some("user") => Role::User,
                Some("assistant") => Role::Assistant,
                Some("system") => Role::System,
                Some("developer") => Role::Developer,
                other => return Err(bad(format!("unknown role {other:?}"))),
            };
            let content = match item.get("content") {
                Some(Value::String(s)) => Some(Content::Text(s.clone())),
                Some(Value::Array(parts)) => content_of(
                    parts
                        .iter()
                        .map(|p| part(p).map_err(&bad))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                _ => return Err(bad("`content` must be a string or a list of parts".into())),
            };
            out.push(Message {
                role,
                content,
                ..Message::default()
            });
        }
        "function_call" => {
            let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
            let call = ToolCall {
                id: text("call_id").ok_or_else(|| bad("`call_id` is required".into()))?,
                kind: "function".into(),
                function: FunctionCall {
                    name: text("name").ok_or_else(|| bad("`name` is required".into()))?,
                    arguments: text("arguments").unwrap_or_default(),
                },
            };
            match out.last_mut() {
                Some(m) if m.role == Role::Assistant && m.tool_call_id.is_none() => {
                    m.tool_calls.get_or_insert_with(Vec::new).push(call)
                }
                _ => out.push(Message {
                    role: Role::Assistant,
                    tool_calls: Some(vec![call]),
                    ..Message::default()
                }),
            }
        }
        "function_call_output" => {
            let call_id = item
                .get("call_id")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("`call_id` is required".into()))?;
            let output = match item.get("output") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            out.push(Message {
                role: Role::Tool,
                content: Some(Content::Text(output)),
                tool_call_id: Some(call_id.to_string()),
                ..Message::default()
            });
        }
        // Reasoning items from an earlier turn carry nothing a chat model takes back.
        "reasoning" => {}
        other => return Err(bad(format!("item type `{other}` is not supported"))),
    }
    Ok(())
}

fn part(p: &Value) -> Result<llmrelay::types::ContentPart, String> {
    let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
    match p.get("type").and_then(Value::as_str) {
        Some("input_text") | Some("output_text") | Some("text") => {
            Ok(text_part(text("text").ok_or("a text part needs `text`")?))
        }
        Some("input_image") => Ok(image_part(
            text("image_url")
                .ok_or("an input_image needs `image_url` (file_id is not supported)")?,
            text("detail"),
        )),
        other => Err(format!("content part type {other:?} is not supported")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chat(body: Value) -> Result<Value, IngressError> {
        let request: ResponsesRequest = serde_json::from_value(body).unwrap();
        to_chat(request).map(|c| serde_json::to_value(c).unwrap())
    }

    #[test]
    fn a_string_input_with_instructions() {
        let out = chat(
            json!({"model": "gpt", "input": "Hi", "instructions": "Be brief.",
                              "max_output_tokens": 50, "reasoning": {"effort": "low"}}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"model": "gpt", "messages": [{"role": "system", "content": "Be brief."},
                                                 {"role": "user", "content": "Hi"}],
                   "max_completion_tokens": 50, "reasoning_effort": "low"})
        );
    }

    #[test]
    fn function_call_items_round_trip_into_tool_turns() {
        let out = chat(json!({"model": "gpt", "input": [
            {"role": "user", "content": [{"type": "input_text", "text": "Weather?"}]},
            {"type": "function_call", "call_id": "call_1", "name": "w", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "18C"}],
            "tools": [{"type": "function", "name": "w", "parameters": {"type": "object"}}],
            "tool_choice": {"type": "function", "name": "w"},
            "text": {"format": {"type": "json_schema", "name": "out", "schema": {"type": "object"}}}
        }))
        .unwrap();
        assert_eq!(
            out["messages"],
            json!([{"role": "user", "content": "Weather?"},
                   {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                                                         "function": {"name": "w", "arguments": "{}"}}]},
                   {"role": "tool", "content": "18C", "tool_call_id": "call_1"}])
        );
        assert_eq!(out["tools"][0]["function"]["name"], "w");
        assert_eq!(
            out["tool_choice"],
            json!({"type": "function", "function": {"name": "w"}})
        );
        assert_eq!(out["response_format"]["type"], "json_schema");
    }

    #[test]
    fn unsupported_inputs_are_refused_naming_the_field() {
        let err = chat(json!({"model": "m", "input": "x", "previous_response_id": "resp_1"}))
            .unwrap_err();
        assert_eq!(err.param.as_deref(), Some("previous_response_id"));
        let err = chat(json!({"model": "m", "input": [{"type": "file_search_call"}]})).unwrap_err();
        assert_eq!(err.param.as_deref(), Some("input[0]"));
        let err = chat(json!({"model": "m", "input": "x", "tools": [{"type": "web_search"}]}))
            .unwrap_err();
        assert_eq!(err.param.as_deref(), Some("tools[0]"));
        let err = chat(json!({"model": "m", "input": 3})).unwrap_err();
        assert_eq!(err.message, "`input` must be a string or a list of items");
    }
}
