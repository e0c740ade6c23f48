//! The conversation -> Anthropic's `system` and turns.
//!
//! System and developer messages are hoisted into `system`; tool results travel as
//! `tool_result` blocks of a user turn, and turns of one role are merged (consecutive
//! tool results, and a user message after them, make one user turn); an assistant's tool
//! calls are `tool_use` blocks whose `input` is a JSON object, not text, and its thinking
//! blocks go back first, signatures intact; images and PDFs are `image`/`document` blocks
//! with a base64 or URL source; a message-level `cache_control` marks its last block.

use serde_json::{Map, Value};

use super::wire::{self, Block, Role, Source, ToolResultContent, Turn, TypedBlock};
use crate::error::{Error, ErrorKind};
use crate::providers::media::{self, Media};
use crate::providers::Target;
use crate::types::{Content, ContentPart, Message, Role as ChatRole};

/// The beta the Files API needs for `file_id` sources.
pub(crate) const FILES_BETA: &str = "files-api-2025-04-14";

/// The system prompt and the turns.
pub(super) fn conversation<'a>(
    target: &Target,
    messages: &'a [Message],
    betas: &mut Vec<&'static str>,
) -> Result<(Option<wire::System<'a>>, Vec<Turn<'a>>), Error> {
    let mut system: Vec<Block<'a>> = Vec::new();
    let mut turns: Vec<Turn<'a>> = Vec::with_capacity(messages.len());
    for (i, message) in messages.iter().enumerate() {
        let (role, mut blocks) = match message.role {
            ChatRole::System | ChatRole::Developer => {
                let mut own = blocks(target, message, betas)?;
                mark_cache_breakpoint(message, &mut own);
                system.append(&mut own);
                continue;
            }
            ChatRole::User => (Role::User, blocks(target, message, betas)?),
            ChatRole::Assistant => (Role::Assistant, assistant_blocks(target, message, betas)?),
            ChatRole::Tool => (Role::User, vec![tool_result(target, message, i, betas)?]),
            ChatRole::Function => {
                return Err(target.error(
                    ErrorKind::BadRequest,
                    "anthropic does not take legacy `function` messages; send `tool` messages",
                ))
            }
        };
        mark_cache_breakpoint(message, &mut blocks);
        if blocks.is_empty() {
            continue;
        }
        // Turns of one role are one turn: consecutive tool results (and a user message
        // after them) share a user turn.
        match turns.last_mut() {
            Some(turn) if turn.role == role => turn.content.append(&mut blocks),
            _ => turns.push(Turn {
                role,
                content: blocks,
            }),
        }
    }
    let system = match system.as_slice() {
        [] => None,
        [Block::Typed(TypedBlock::Text {
            text,
            cache_control: None,
        })] => Some(wire::System::Text(text)),
        _ => Some(wire::System::Blocks(system)),
    };
    Ok((system, turns))
}

/// A message-level `cache_control` (LiteLLM's convention) marks the message's last block.
fn mark_cache_breakpoint<'a>(message: &'a Message, blocks: &mut [Block<'a>]) {
    if let (Some(cache), Some(Block::Typed(last))) =
        (message.extra.get("cache_control"), blocks.last_mut())
    {
        last.set_cache_control(cache);
    }
}

/// The blocks of a user or system message.
fn blocks<'a>(
    target: &Target,
    message: &'a Message,
    betas: &mut Vec<&'static str>,
) -> Result<Vec<Block<'a>>, Error> {
    match &message.content {
        None => Ok(Vec::new()),
        Some(Content::Text(text)) => Ok(vec![text_block(text, None)]),
        Some(Content::Parts(parts)) => parts
            .iter()
            .map(|part| part_block(target, part, betas))
            .collect(),
    }
}

fn text_block<'a>(text: &'a str, cache_control: Option<&'a Value>) -> Block<'a> {
    Block::Typed(TypedBlock::Text {
        text,
        cache_control,
    })
}

fn part_block<'a>(
    target: &Target,
    part: &'a ContentPart,
    betas: &mut Vec<&'static str>,
) -> Result<Block<'a>, Error> {
    match part {
        ContentPart::Text { text, extra } => Ok(text_block(text, extra.get("cache_control"))),
        ContentPart::ImageUrl { image_url, extra } => {
            let media = media::parse(&image_url.url)
                .map_err(|e| target.error(ErrorKind::BadRequest, e.describe("image_url.url")))?;
            Ok(media_block(media, extra.get("cache_control")))
        }
        ContentPart::File { file, extra } => {
            let cache_control = extra.get("cache_control");
            if let Some(data) = &file.file_data {
                let media = media::parse(data).map_err(|e| {
                    target.error(ErrorKind::BadRequest, e.describe("file.file_data"))
                })?;
                return Ok(media_block(media, cache_control));
            }
            let file_id = file.file_id.as_deref().ok_or_else(|| {
                target.error(
                    ErrorKind::BadRequest,
                    "a file part needs `file_data` or `file_id`",
                )
            })?;
            if !betas.contains(&FILES_BETA) {
                betas.push(FILES_BETA);
            }
            Ok(Block::Typed(TypedBlock::Document {
                source: Source::File { file_id },
                cache_control,
            }))
        }
        ContentPart::InputAudio { .. } => {
            Err(target.error(ErrorKind::BadRequest, "anthropic does not take audio input"))
        }
    }
}

/// An image, or a document when the media is a PDF.
fn media_block<'a>(media: Media<'a>, cache_control: Option<&'a Value>) -> Block<'a> {
    let (source, pdf) = match media {
        Media::Url(url) => (
            Source::Url { url },
            url.split(['?', '#'])
                .next()
                .is_some_and(|u| u.to_ascii_lowercase().ends_with(".pdf")),
        ),
        Media::Base64 { media_type, data } => (
            Source::Base64 { media_type, data },
            media_type == "application/pdf",
        ),
    };
    Block::Typed(if pdf {
        TypedBlock::Document {
            source,
            cache_control,
        }
    } else {
        TypedBlock::Image {
            source,
            cache_control,
        }
    })
}

/// An assistant message: its thinking blocks handed back (signatures intact), its text,
/// then its tool calls as `tool_use` blocks.
fn assistant_blocks<'a>(
    target: &Target,
    message: &'a Message,
    betas: &mut Vec<&'static str>,
) -> Result<Vec<Block<'a>>, Error> {
    let mut out: Vec<Block<'a>> = Vec::new();
    if let Some(Value::Array(thinking)) = message.extra.get("thinking_blocks") {
        out.extend(thinking.iter().map(Block::Raw));
    }
    // OpenAI clients send `content: ""` beside tool calls; Anthropic rejects empty text.
    out.extend(
        blocks(target, message, betas)?.into_iter().filter(
            |b| !matches!(b, Block::Typed(TypedBlock::Text { text, .. }) if text.is_empty()),
        ),
    );
    for call in message.tool_calls.iter().flatten() {
        let input = tool_input(&call.function.arguments).ok_or_else(|| {
            target.error(
                ErrorKind::BadRequest,
                format!(
                    "the arguments of tool call `{}` are not a JSON object: {}",
                    call.id,
                    call.function
                        .arguments
                        .chars()
                        .take(200)
                        .collect::<String>()
                ),
            )
        })?;
        out.push(Block::Typed(TypedBlock::ToolUse {
            id: &call.id,
            name: &call.function.name,
            input,
            cache_control: None,
        }));
    }
    Ok(out)
}

/// A call's arguments as the JSON object Anthropic wants (empty text is `{}`).
fn tool_input(arguments: &str) -> Option<Value> {
    if arguments.trim().is_empty() {
        return Some(Value::Object(Map::new()));
    }
    serde_json::from_str::<Value>(arguments)
        .ok()
        .filter(Value::is_object)
}

/// A `tool` message as a `tool_result` block.
fn tool_result<'a>(
    target: &Target,
    message: &'a Message,
    index: usize,
    betas: &mut Vec<&'static str>,
) -> Result<Block<'a>, Error> {
    let tool_use_id = message.tool_call_id.as_deref().ok_or_else(|| {
        target.error(
            ErrorKind::BadRequest,
            format!("messages[{index}] has role `tool` but no `tool_call_id`"),
        )
    })?;
    let content = match &message.content {
        None => ToolResultContent::Text(""),
        Some(Content::Text(text)) => ToolResultContent::Text(text),
        Some(Content::Parts(_)) => ToolResultContent::Blocks(blocks(target, message, betas)?),
    };
    Ok(Block::Typed(TypedBlock::ToolResult {
        tool_use_id,
        content,
        cache_control: None,
    }))
}
