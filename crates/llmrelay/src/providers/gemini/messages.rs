//! OpenAI messages -> Gemini `contents` and `systemInstruction`.
//!
//! System and developer messages become the system instruction; `assistant`
//! turns become `model` turns (text and `functionCall` parts); `tool`
//! results become `functionResponse` parts of a `user` turn, named after the
//! call they answer. Consecutive turns of one role are merged, as Gemini
//! wants roles to alternate. Media must be a URL (`fileData`) or base64
//! (`inlineData`): anything else is an error here, not a 400 upstream.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{Map, Value};

use super::wire::{
    Blob, Content, FileData, FunctionCall, FunctionResponse, Part, SystemInstruction,
};
use crate::error::{Error, ErrorKind};
use crate::providers::media::{self, Media};
use crate::providers::Target;
use crate::types::{Content as MessageContent, ContentPart, Message, Role};

/// Separates a tool-call id from the Gemini thought signature carried in it
/// (LiteLLM's convention, so ids round-trip through any OpenAI client).
pub(crate) const THOUGHT_SIGNATURE_SEPARATOR: &str = "__thought__";

/// The conversation in Gemini's shape.
pub(crate) struct Conversation<'a> {
    pub system: Option<SystemInstruction<'a>>,
    pub contents: Vec<Content<'a>>,
}

pub(crate) fn conversation<'a>(
    target: &Target,
    messages: &'a [Message],
) -> Result<Conversation<'a>, Error> {
    let mut system = Vec::new();
    let mut contents: Vec<Content<'a>> = Vec::with_capacity(messages.len());
    // Tool results name the function they answer; OpenAI's only carry the call id.
    let mut call_names: HashMap<&'a str, &'a str> = HashMap::new();
    for message in messages {
        let (role, parts) = match message.role {
            Role::System | Role::Developer => {
                system.extend(text_parts(message));
                continue;
            }
            Role::User => ("user", user_parts(target, message)?),
            Role::Assistant => {
                for call in message.tool_calls.iter().flatten() {
                    call_names.insert(call.id.as_str(), call.function.name.as_str());
                }
                ("model", assistant_parts(target, message)?)
            }
            Role::Tool | Role::Function => {
                let name = message
                    .tool_call_id
                    .as_deref()
                    .and_then(|id| call_names.get(id).copied())
                    .or(message.name.as_deref())
                    .ok_or_else(|| {
                        target.error(
                            ErrorKind::BadRequest,
                            format!(
                                "a tool message answers call `{}`, which no earlier assistant message made; \
                                 Gemini needs the function's name",
                                message.tool_call_id.as_deref().unwrap_or("")
                            ),
                        )
                    })?;
                ("user", vec![function_response(name, message)])
            }
        };
        if parts.is_empty() {
            continue;
        }
        push_turn(&mut contents, role, parts);
    }
    if contents.is_empty() {
        // Gemini needs at least one turn; a system-only request gets an empty user turn.
        contents.push(Content {
            role: "user",
            parts: vec![Part::text(" ")],
        });
    }
    Ok(Conversation {
        system: (!system.is_empty()).then_some(SystemInstruction { parts: system }),
        contents,
    })
}

/// Appends a turn, merging it into the previous one of the same role
/// (function results stay apart from the user's own words).
fn push_turn<'a>(contents: &mut Vec<Content<'a>>, role: &'static str, parts: Vec<Part<'a>>) {
    let answers = |p: &[Part<'_>]| p.iter().any(|p| p.function_response.is_some());
    if let Some(last) = contents.last_mut() {
        if last.role == role && answers(&last.parts) == answers(&parts) {
            last.parts.extend(parts);
            return;
        }
    }
    contents.push(Content { role, parts });
}

fn text_parts(message: &Message) -> Vec<Part<'_>> {
    match &message.content {
        Some(MessageContent::Text(text)) if !text.is_empty() => vec![Part::text(text.as_str())],
        Some(MessageContent::Parts(parts)) => parts
            .iter()
            .filter_map(|p| match p {
                ContentPart::Text { text, .. } if !text.is_empty() => {
                    Some(Part::text(text.as_str()))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn user_parts<'a>(target: &Target, message: &'a Message) -> Result<Vec<Part<'a>>, Error> {
    let Some(MessageContent::Parts(parts)) = &message.content else {
        return Ok(text_parts(message));
    };
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            ContentPart::Text { text, .. } if text.is_empty() => {}
            ContentPart::Text { text, .. } => out.push(Part::text(text.as_str())),
            ContentPart::ImageUrl { image_url, .. } => {
                let format = image_url.extra.get("format").and_then(Value::as_str);
                out.push(media(target, &image_url.url, format, "image/jpeg")?);
            }
            ContentPart::InputAudio { input_audio, .. } => {
                let data = input_audio.get("data").and_then(Value::as_str);
                let format = input_audio.get("format").and_then(Value::as_str);
                let (Some(data), Some(format)) = (data, format) else {
                    return Err(target.error(
                        ErrorKind::BadRequest,
                        "input_audio needs `data` (base64) and `format`",
                    ));
                };
                check_base64(target, data)?;
                out.push(Part {
                    inline_data: Some(Blob {
                        mime_type: Cow::Owned(format!("audio/{format}")),
                        data,
                    }),
                    ..Part::default()
                });
            }
            ContentPart::File { file, .. } => {
                let format = file.extra.get("format").and_then(Value::as_str);
                let default = file
                    .filename
                    .as_deref()
                    .and_then(mime_from_extension)
                    .unwrap_or("application/pdf");
                let source = file.file_data.as_deref().or(file.file_id.as_deref());
                let Some(source) = source else {
                    return Err(target.error(
                        ErrorKind::BadRequest,
                        "a file part needs `file_data` (a data: URL) or `file_id` (a URI)",
                    ));
                };
                out.push(media(target, source, format, default)?);
            }
        }
    }
    Ok(out)
}

/// A media reference: a base64 `data:` URL inline, an `http(s)://` or `gs://` URL by
/// reference; anything else is the same typed error every provider gives
/// (`providers/media`).
fn media<'a>(
    target: &Target,
    url: &'a str,
    format: Option<&'a str>,
    default_mime: &'static str,
) -> Result<Part<'a>, Error> {
    let url = url.trim();
    // Cloud Storage URIs are a kind of URL only Google takes.
    let cloud_storage = url.len() > 5 && url[..5].eq_ignore_ascii_case("gs://");
    let classified = if cloud_storage {
        Ok(Media::Url(url))
    } else {
        media::parse(url)
    };
    match classified {
        Ok(Media::Base64 { media_type, data }) => Ok(Part {
            inline_data: Some(Blob {
                mime_type: Cow::Borrowed(format.unwrap_or(media_type)),
                data,
            }),
            ..Part::default()
        }),
        Ok(Media::Url(url)) => Ok(Part {
            file_data: Some(FileData {
                mime_type: Cow::Borrowed(
                    format
                        .or_else(|| mime_from_extension(url))
                        .unwrap_or(default_mime),
                ),
                file_uri: url,
            }),
            ..Part::default()
        }),
        Err(e) => Err(target.error(ErrorKind::BadRequest, e.describe("an image or file"))),
    }
}

/// Rejects audio that is not base64 text before it costs a round trip.
fn check_base64(target: &Target, data: &str) -> Result<(), Error> {
    let valid = !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
    if valid {
        Ok(())
    } else {
        Err(target.error(ErrorKind::BadRequest, "inline media is not valid base64"))
    }
}

/// The MIME type Gemini expects for a file name or URL, by its extension.
fn mime_from_extension(name: &str) -> Option<&'static str> {
    let path = name.split(['?', '#']).next().unwrap_or(name);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "mp3" => "audio/mp3",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "mov" => "video/mov",
        "webm" => "video/webm",
        _ => return None,
    })
}

fn assistant_parts<'a>(target: &Target, message: &'a Message) -> Result<Vec<Part<'a>>, Error> {
    let mut parts = text_parts(message);
    for call in message.tool_calls.iter().flatten() {
        let arguments = call.function.arguments.trim();
        let args = if arguments.is_empty() {
            Value::Object(Map::new())
        } else {
            match serde_json::from_str::<Value>(arguments) {
                Ok(value @ Value::Object(_)) => value,
                _ => {
                    return Err(target.error(
                        ErrorKind::BadRequest,
                        format!(
                            "the arguments of tool call `{}` ({}) are not a JSON object",
                            call.id, call.function.name
                        ),
                    ))
                }
            }
        };
        let signature = call
            .id
            .split_once(THOUGHT_SIGNATURE_SEPARATOR)
            .map(|(_, signature)| signature)
            .filter(|s| !s.is_empty());
        parts.push(Part {
            function_call: Some(FunctionCall {
                name: call.function.name.as_str(),
                args,
            }),
            thought_signature: signature,
            ..Part::default()
        });
    }
    Ok(parts)
}

/// A tool's answer: its JSON object as is, any other text as `{"content": text}`.
fn function_response<'a>(name: &'a str, message: &Message) -> Part<'a> {
    let text = message.text_content();
    let response = match serde_json::from_str::<Value>(text.trim()) {
        Ok(object @ Value::Object(_)) => object,
        _ => serde_json::json!({ "content": text }),
    };
    Part {
        function_response: Some(FunctionResponse { name, response }),
        ..Part::default()
    }
}
