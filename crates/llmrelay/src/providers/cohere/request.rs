//! Unified request -> Cohere v2 chat body.
//!
//! Cohere's v2 messages are close to OpenAI's; what differs: an assistant's words beside
//! its tool calls are its `tool_plan`; `tool_choice` is `REQUIRED` or `NONE` (a named
//! function is those tools narrowed to it, then `REQUIRED`); `top_p` is `p`, `stop` is
//! `stop_sequences`; `response_format` is Cohere's own (`json_object`, with the schema
//! as `json_schema`); `reasoning_effort` is a `thinking` budget. Parameters Cohere does
//! not take fail with `UnsupportedParams` unless `drop_params` is set.

use std::borrow::Cow;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::wire::{self, Content, Part};
use crate::error::{Error, ErrorKind};
use crate::providers::media;
use crate::providers::params::{reasoning_effort, unsupported, Effort};
use crate::providers::Target;
use crate::types::{
    ChatRequest, Content as ChatContent, ContentPart, Message, ResponseFormat, Role, Stop,
    ToolChoice, ToolChoiceMode,
};

/// Fields of the caller's `extra` this translation sets itself (never passed twice).
const OWN_FIELDS: &[&str] = &[
    "model",
    "messages",
    "tools",
    "tool_choice",
    "response_format",
    "max_tokens",
    "stop_sequences",
    "temperature",
    "p",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "thinking",
    "stream",
    "strict_tools",
];

pub(crate) fn chat_body(target: &Target, request: &ChatRequest) -> Result<Bytes, Error> {
    check_unsupported(target, request)?;
    let messages = request
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| message(target, m, i))
        .collect::<Result<Vec<_>, _>>()?;
    let (tools, tool_choice) = tools(target, request)?;
    let strict = request
        .tools
        .iter()
        .flatten()
        .any(|t| t.function.strict == Some(true));
    let body = wire::ChatRequest {
        model: &target.model,
        messages,
        tools,
        strict_tools: strict.then_some(true),
        tool_choice,
        response_format: response_format(request),
        max_tokens: request.max_completion_tokens.or(request.max_tokens),
        stop_sequences: request.stop.as_ref().map(|stop| match stop {
            Stop::One(s) => vec![s.as_str()],
            Stop::Many(v) => v.iter().map(String::as_str).collect(),
        }),
        temperature: request.temperature,
        p: request.top_p,
        seed: request.seed,
        frequency_penalty: request.frequency_penalty,
        presence_penalty: request.presence_penalty,
        thinking: thinking(target, request)?,
        stream: request.is_stream().then_some(true),
        extra: extra_fields(&request.extra, OWN_FIELDS),
    };
    to_bytes(target, &body)
}

/// The caller's unmodelled fields, minus the ones the translation sets.
pub(super) fn extra_fields(extra: &Map<String, Value>, own: &[&str]) -> Map<String, Value> {
    extra
        .iter()
        .filter(|(k, _)| !own.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

pub(super) fn to_bytes(target: &Target, body: &impl serde::Serialize) -> Result<Bytes, Error> {
    serde_json::to_vec(body).map(Bytes::from).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })
}

/// An error naming `names`, unless `drop_params` drops them.
fn check_unsupported(target: &Target, request: &ChatRequest) -> Result<(), Error> {
    let present = [
        ("n", request.n.is_some_and(|n| n > 1)),
        ("logprobs", request.logprobs == Some(true)),
        ("top_logprobs", request.top_logprobs.is_some()),
        ("logit_bias", request.logit_bias.is_some()),
        ("user", request.user.is_some()),
        (
            "parallel_tool_calls",
            request.parallel_tool_calls == Some(false),
        ),
    ];
    let names: Vec<&str> = present.iter().filter(|p| p.1).map(|p| p.0).collect();
    unsupported(target, &names)
}

fn message<'a>(
    target: &Target,
    message: &'a Message,
    index: usize,
) -> Result<wire::Message<'a>, Error> {
    Ok(match message.role {
        Role::System | Role::Developer => wire::Message::System {
            content: Content::Text(text_of(message)),
        },
        Role::User => wire::Message::User {
            content: content(target, message.content.as_ref())?,
        },
        Role::Assistant => {
            let calls = message.tool_calls.as_deref().filter(|c| !c.is_empty());
            let text = text_of(message);
            match calls {
                Some(calls) => wire::Message::Assistant {
                    content: None,
                    tool_plan: (!text.is_empty()).then_some(text),
                    tool_calls: Some(calls),
                },
                None => wire::Message::Assistant {
                    content: Some(Content::Text(text)),
                    tool_plan: None,
                    tool_calls: None,
                },
            }
        }
        Role::Tool => wire::Message::Tool {
            tool_call_id: message.tool_call_id.as_deref().ok_or_else(|| {
                target.error(
                    ErrorKind::BadRequest,
                    format!("messages[{index}] has role `tool` but no `tool_call_id`"),
                )
            })?,
            content: Content::Text(text_of(message)),
        },
        Role::Function => {
            return Err(target.error(
                ErrorKind::BadRequest,
                "cohere does not take legacy `function` messages; send `tool` messages",
            ))
        }
    })
}

/// A message's text, borrowed when it is a plain string.
fn text_of(message: &Message) -> Cow<'_, str> {
    match &message.content {
        Some(ChatContent::Text(text)) => Cow::Borrowed(text),
        _ => Cow::Owned(message.text_content()),
    }
}

/// A user message's content: text, or text and images (URLs or base64 data URLs).
fn content<'a>(target: &Target, content: Option<&'a ChatContent>) -> Result<Content<'a>, Error> {
    let parts = match content {
        None => return Ok(Content::Text(Cow::Borrowed(""))),
        Some(ChatContent::Text(text)) => return Ok(Content::Text(Cow::Borrowed(text))),
        Some(ChatContent::Parts(parts)) => parts,
    };
    parts
        .iter()
        .map(|part| match part {
            ContentPart::Text { text, .. } => Ok(Part::Text { text }),
            ContentPart::ImageUrl { image_url, .. } => {
                media::parse(&image_url.url).map_err(|e| {
                    target.error(ErrorKind::BadRequest, e.describe("image_url.url"))
                })?;
                Ok(Part::ImageUrl {
                    image_url: wire::ImageUrl {
                        url: &image_url.url,
                        detail: image_url.detail.as_deref(),
                    },
                })
            }
            ContentPart::InputAudio { .. } | ContentPart::File { .. } => Err(target.error(
                ErrorKind::BadRequest,
                "cohere takes text and images only, not audio or files",
            )),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Content::Parts)
}

/// Tools and `tool_choice`. A named function narrows the tools to it and requires it.
fn tools<'a>(
    target: &Target,
    request: &'a ChatRequest,
) -> Result<(Option<Vec<wire::Tool<'a>>>, Option<&'static str>), Error> {
    let all = request.tools.as_deref().unwrap_or_default();
    let tool = |t: &'a crate::types::Tool| wire::Tool {
        kind: "function",
        function: (&t.function).into(),
    };
    let (tools, choice) = match &request.tool_choice {
        None | Some(ToolChoice::Mode(ToolChoiceMode::Auto)) => {
            (all.iter().map(tool).collect::<Vec<_>>(), None)
        }
        Some(ToolChoice::Mode(ToolChoiceMode::Required)) => {
            (all.iter().map(tool).collect(), Some("REQUIRED"))
        }
        Some(ToolChoice::Mode(ToolChoiceMode::None)) => (
            all.iter().map(tool).collect(),
            (!all.is_empty()).then_some("NONE"),
        ),
        Some(ToolChoice::Function(named)) => {
            let name = named.function.get("name").and_then(Value::as_str);
            let chosen: Vec<_> = all
                .iter()
                .filter(|t| Some(t.function.name.as_str()) == name)
                .map(tool)
                .collect();
            if chosen.is_empty() {
                return Err(target.error(
                    ErrorKind::BadRequest,
                    format!(
                        "tool_choice names `{}`, which is not among the tools",
                        name.unwrap_or_default()
                    ),
                ));
            }
            (chosen, Some("REQUIRED"))
        }
    };
    Ok(((!tools.is_empty()).then_some(tools), choice))
}

/// Cohere's JSON mode: `json_object`, constrained by `json_schema` when one is given.
fn response_format(request: &ChatRequest) -> Option<Value> {
    match request.response_format.as_ref()? {
        ResponseFormat::Text => None,
        ResponseFormat::JsonObject => Some(json!({"type": "json_object"})),
        ResponseFormat::JsonSchema { json_schema } => Some(match &json_schema.schema {
            Some(schema) => json!({"type": "json_object", "json_schema": schema}),
            None => json!({"type": "json_object"}),
        }),
    }
}

/// `thinking`: the caller's own (Cohere's shape), or one for `reasoning_effort`.
fn thinking<'a>(
    target: &Target,
    request: &'a ChatRequest,
) -> Result<Option<Cow<'a, Value>>, Error> {
    if let Some(own) = request.extra.get("thinking") {
        return Ok(Some(Cow::Borrowed(own)));
    }
    let Some(effort) = request.reasoning_effort.as_deref() else {
        return Ok(None);
    };
    let budget = match reasoning_effort(target, effort)? {
        Effort::Off => return Ok(Some(Cow::Owned(json!({"type": "disabled"})))),
        Effort::Budget { tokens, .. } => tokens,
    };
    if target.info.is_some_and(|i| !i.supports("reasoning")) {
        unsupported(target, &["reasoning_effort"])?;
        return Ok(None);
    }
    Ok(Some(Cow::Owned(
        json!({"type": "enabled", "token_budget": budget}),
    )))
}
