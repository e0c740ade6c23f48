//! Unified request -> Converse body.
//!
//! System messages are hoisted into `system`; consecutive messages of the
//! same role are merged (Converse requires alternation); tool messages become
//! `toolResult` blocks of a user turn; images must be inline base64 (`data:`
//! URLs), since Converse does not fetch URLs.

use serde_json::{json, Value};

use super::wire::{
    ContentBlock, ConverseRequest, InferenceConfig, Message, SystemBlock, ToolConfig, ToolUse,
};
use crate::error::{Error, ErrorKind};
use crate::providers::Target;
use crate::types::{
    ChatRequest, Content, ContentPart, ResponseFormat, Role, Stop, ToolChoice, ToolChoiceMode,
};

/// Name of the tool that carries a structured answer when `response_format`
/// asks for JSON: Converse has no native JSON mode for every model, so the
/// schema becomes a forced tool call whose input is handed back as content.
pub(crate) const JSON_TOOL: &str = "json_response";

pub(crate) fn converse_body(
    target: &Target,
    request: &ChatRequest,
) -> Result<ConverseRequest, Error> {
    let mut body = ConverseRequest::default();
    for message in &request.messages {
        match message.role {
            Role::System | Role::Developer => body.system.push(SystemBlock {
                text: message.text_content(),
            }),
            Role::User => push(
                &mut body.messages,
                "user",
                user_blocks(target, &message.content)?,
            ),
            Role::Assistant | Role::Function => {
                let mut blocks = Vec::new();
                let text = message.text_content();
                if !text.is_empty() {
                    blocks.push(ContentBlock {
                        text: Some(text),
                        ..ContentBlock::default()
                    });
                }
                for call in message.tool_calls.iter().flatten() {
                    let input: Value =
                        serde_json::from_str(&call.function.arguments).map_err(|e| {
                            target.error(
                                ErrorKind::BadRequest,
                                format!(
                                    "tool call `{}` has arguments that are not JSON: {e}",
                                    call.function.name
                                ),
                            )
                        })?;
                    blocks.push(ContentBlock {
                        tool_use: Some(ToolUse {
                            tool_use_id: call.id.clone(),
                            name: call.function.name.clone(),
                            input,
                        }),
                        ..ContentBlock::default()
                    });
                }
                push(&mut body.messages, "assistant", blocks);
            }
            Role::Tool => {
                let id = message.tool_call_id.clone().ok_or_else(|| {
                    target.error(ErrorKind::BadRequest, "a tool message needs `tool_call_id`")
                })?;
                let block = ContentBlock {
                    tool_result: Some(
                        json!({"toolUseId": id, "content": [{"text": message.text_content()}]}),
                    ),
                    ..ContentBlock::default()
                };
                push(&mut body.messages, "user", vec![block]);
            }
        }
    }
    body.inference_config = InferenceConfig {
        max_tokens: request.max_completion_tokens.or(request.max_tokens),
        temperature: request.temperature,
        top_p: request.top_p,
        stop_sequences: match &request.stop {
            Some(Stop::One(s)) => vec![s.clone()],
            Some(Stop::Many(v)) => v.clone(),
            None => Vec::new(),
        },
    };
    body.tool_config = tool_config(target, request)?;
    Ok(body)
}

/// Appends blocks to the last message when it has the same role.
fn push(messages: &mut Vec<Message>, role: &str, blocks: Vec<ContentBlock>) {
    if blocks.is_empty() {
        return;
    }
    match messages.last_mut() {
        Some(last) if last.role == role => last.content.extend(blocks),
        _ => messages.push(Message {
            role: role.to_string(),
            content: blocks,
        }),
    }
}

fn user_blocks(target: &Target, content: &Option<Content>) -> Result<Vec<ContentBlock>, Error> {
    let text = |t: &str| ContentBlock {
        text: Some(t.to_string()),
        ..ContentBlock::default()
    };
    match content {
        None => Ok(Vec::new()),
        Some(Content::Text(t)) => Ok(vec![text(t)]),
        Some(Content::Parts(parts)) => parts
            .iter()
            .map(|part| match part {
                ContentPart::Text { text: t, .. } => Ok(text(t)),
                ContentPart::ImageUrl { image_url, .. } => {
                    let (format, data) = data_url(target, &image_url.url)?;
                    Ok(ContentBlock {
                        image: Some(json!({"format": format, "source": {"bytes": data}})),
                        ..ContentBlock::default()
                    })
                }
                ContentPart::File { file, .. } => {
                    let url = file.file_data.as_deref().ok_or_else(|| {
                        target.error(
                            ErrorKind::BadRequest,
                            "Bedrock needs file content inline (`file_data`), not a file id",
                        )
                    })?;
                    let (format, data) = data_url(target, url)?;
                    let name = file
                        .filename
                        .clone()
                        .unwrap_or_else(|| String::from("document"));
                    // Converse allows only letters, digits, spaces, hyphens, parentheses and brackets in names.
                    let name: String = name
                        .chars()
                        .map(|c| {
                            if c.is_alphanumeric() || " -()[]".contains(c) {
                                c
                            } else {
                                '-'
                            }
                        })
                        .collect();
                    Ok(ContentBlock {
                        document: Some(
                            json!({"format": format, "name": name, "source": {"bytes": data}}),
                        ),
                        ..ContentBlock::default()
                    })
                }
                ContentPart::InputAudio { .. } => Err(target.error(
                    ErrorKind::UnsupportedParams,
                    "Bedrock Converse does not take audio input",
                )),
            })
            .collect(),
    }
}

/// `data:image/png;base64,AAAA` -> (`png`, `AAAA`). Anything else is refused:
/// Converse takes bytes, and llmrelay's providers never fetch URLs.
fn data_url(target: &Target, url: &str) -> Result<(String, String), Error> {
    let bad = || {
        target.error(
            ErrorKind::BadRequest,
            "Bedrock needs images and documents as base64 `data:` URLs (data:image/png;base64,...)",
        )
    };
    let rest = url.strip_prefix("data:").ok_or_else(bad)?;
    let (meta, data) = rest.split_once(',').ok_or_else(bad)?;
    let mime = meta.strip_suffix(";base64").ok_or_else(bad)?;
    let format = mime
        .rsplit('/')
        .next()
        .filter(|f| !f.is_empty())
        .ok_or_else(bad)?;
    let format = if format == "jpg" { "jpeg" } else { format };
    Ok((format.to_string(), data.to_string()))
}

fn tool_config(target: &Target, request: &ChatRequest) -> Result<Option<ToolConfig>, Error> {
    let mut tools: Vec<Value> = request
        .tools
        .iter()
        .flatten()
        .map(|t| {
            json!({"toolSpec": {
                "name": t.function.name,
                "description": t.function.description.clone().unwrap_or_else(|| t.function.name.clone()),
                "inputSchema": {"json": t.function.parameters.clone().unwrap_or_else(|| json!({"type": "object"}))},
            }})
        })
        .collect();
    let mut tool_choice = match &request.tool_choice {
        None | Some(ToolChoice::Mode(ToolChoiceMode::Auto)) => None,
        Some(ToolChoice::Mode(ToolChoiceMode::Required)) => Some(json!({"any": {}})),
        Some(ToolChoice::Mode(ToolChoiceMode::None)) => {
            // Converse has no "none": sending no tools is the way to forbid calls.
            tools.clear();
            None
        }
        Some(ToolChoice::Function(f)) => {
            let name = f
                .function
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    target.error(ErrorKind::BadRequest, "tool_choice names no function")
                })?;
            Some(json!({"tool": {"name": name}}))
        }
    };
    match &request.response_format {
        None | Some(ResponseFormat::Text) => {}
        Some(format) => {
            let schema = match format {
                ResponseFormat::JsonSchema { json_schema } => json_schema
                    .schema
                    .clone()
                    .unwrap_or_else(|| json!({"type": "object"})),
                _ => json!({"type": "object"}),
            };
            tools.push(json!({"toolSpec": {
                "name": JSON_TOOL,
                "description": "Respond with a JSON object matching this schema.",
                "inputSchema": {"json": schema},
            }}));
            tool_choice = Some(json!({"tool": {"name": JSON_TOOL}}));
        }
    }
    if tools.is_empty() {
        return Ok(None);
    }
    Ok(Some(ToolConfig { tools, tool_choice }))
}
