//! Unified request -> Messages API body.
//!
//! The conversation is translated by [`super::messages`]; here the rest: tools and
//! `tool_choice` (`required` is `any`, `parallel_tool_calls: false` is
//! `disable_parallel_tool_use`), the required `max_tokens` (the call's, else the
//! catalog's `max_output_tokens`, else 4096), `reasoning_effort` as thinking (a budget,
//! or adaptive thinking with an effort on the models that think adaptively),
//! `response_format` (see [`super::format`]), `user` as `metadata.user_id`, and the
//! caller's unmodelled fields passed through. Parameters Anthropic does not take fail
//! with `UnsupportedParams` unless `drop_params` is set.

use std::borrow::Cow;

use bytes::Bytes;
use serde_json::{Map, Value};

use super::format::{self, Plan};
use super::{messages, wire};
use crate::error::{Error, ErrorKind};
use crate::providers::params::{reasoning_effort, unsupported, Effort, MIN_THINKING_BUDGET};
use crate::providers::Target;
use crate::types::{ChatRequest, Stop, ToolChoice, ToolChoiceMode};

/// `max_tokens` when neither the call nor the catalog gives one.
const DEFAULT_MAX_TOKENS: u64 = 4096;

/// Fields of the caller's `extra` this translation sets itself (never passed twice).
const OWN_FIELDS: &[&str] = &[
    "model",
    "messages",
    "max_tokens",
    "system",
    "stop_sequences",
    "stream",
    "temperature",
    "top_p",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
    "output_config",
];

/// A request body and the betas it needs.
#[derive(Debug)]
pub(crate) struct Built {
    pub body: Bytes,
    pub betas: Vec<&'static str>,
}

pub(crate) fn chat_body(target: &Target, request: &ChatRequest) -> Result<Built, Error> {
    check_unsupported(target, request)?;
    let mut betas = Vec::new();
    let (system, messages) = messages::conversation(target, &request.messages, &mut betas)?;
    let mut tools = tools(target, request)?;
    let mut tool_choice = tool_choice(target, request, !tools.is_empty())?;
    let max_tokens = request
        .max_completion_tokens
        .or(request.max_tokens)
        .or_else(|| target.info.and_then(|i| i.max_output_tokens))
        .unwrap_or(DEFAULT_MAX_TOKENS);
    let (thinking, effort) = thinking(target, request, max_tokens)?;
    let thinking_on = thinking
        .as_deref()
        .and_then(|t| t.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t != "disabled");
    let mut output_config = request.extra.get("output_config").cloned();
    if let Some(effort) = effort {
        set_output_config(&mut output_config, "effort", Value::from(effort));
    }
    match format::plan(target, request, thinking_on, !tools.is_empty())? {
        Plan::None => {}
        Plan::Native(format) => set_output_config(&mut output_config, "format", format),
        Plan::Tool { tool, force } => {
            if matches!(tool_choice, Some(wire::ToolChoice::None)) {
                return Err(target.error(
                    ErrorKind::UnsupportedParams,
                    "response_format needs a tool call on this model, which tool_choice=\"none\" \
                     forbids",
                ));
            }
            tool_choice = Some(match (force, tool_choice) {
                (true, _) => wire::ToolChoice::Tool {
                    name: format::JSON_TOOL,
                    disable_parallel_tool_use: Some(true),
                },
                // The caller's tools stay callable; the answer must be a call either way.
                (false, None | Some(wire::ToolChoice::Auto { .. })) => wire::ToolChoice::Any {
                    disable_parallel_tool_use: None,
                },
                (false, Some(choice)) => choice,
            });
            tools.push(tool);
        }
    }
    let extra: Map<String, Value> = request
        .extra
        .iter()
        .filter(|(k, _)| !OWN_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let body = wire::MessagesRequest {
        model: &target.model,
        max_tokens,
        messages,
        system,
        stop_sequences: request.stop.as_ref().map(|stop| match stop {
            Stop::One(s) => vec![s.as_str()],
            Stop::Many(v) => v.iter().map(String::as_str).collect(),
        }),
        temperature: request.temperature,
        top_p: request
            .top_p
            .filter(|_| target.info.and_then(|i| i.capability("sampling_params")) != Some(false)),
        stream: request.is_stream().then_some(true),
        tools,
        tool_choice,
        thinking,
        metadata: request
            .user
            .as_deref()
            .map(|user_id| wire::Metadata { user_id }),
        output_config,
        extra,
    };
    let body = serde_json::to_vec(&body).map(Bytes::from).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })?;
    Ok(Built { body, betas })
}

/// Sets `key` of `output_config`, keeping what the caller put there.
fn set_output_config(config: &mut Option<Value>, key: &str, value: Value) {
    let mut map = match config.take() {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    map.insert(key.to_string(), value);
    *config = Some(Value::Object(map));
}

/// True when the catalog says the model rejects `tool_choice` `any`/`tool`.
pub(super) fn forced_tool_use_unsupported(target: &Target) -> bool {
    target.info.and_then(|i| i.capability("forced_tool_use")) == Some(false)
}

/// OpenAI parameters with no Anthropic counterpart: an error naming them, or nothing
/// with `drop_params`.
fn check_unsupported(target: &Target, request: &ChatRequest) -> Result<(), Error> {
    let present = [
        ("n", request.n.is_some_and(|n| n > 1)),
        ("seed", request.seed.is_some()),
        ("logprobs", request.logprobs == Some(true)),
        ("top_logprobs", request.top_logprobs.is_some()),
        ("presence_penalty", request.presence_penalty.is_some()),
        ("frequency_penalty", request.frequency_penalty.is_some()),
        ("logit_bias", request.logit_bias.is_some()),
        // The newest models take `temperature` but no other sampling parameter.
        (
            "top_p",
            request.top_p.is_some()
                && target.info.and_then(|i| i.capability("sampling_params")) == Some(false),
        ),
    ];
    let names: Vec<&str> = present.iter().filter(|p| p.1).map(|p| p.0).collect();
    unsupported(target, &names)
}

fn tools<'a>(target: &Target, request: &'a ChatRequest) -> Result<Vec<wire::Tool<'a>>, Error> {
    let native_strict = target
        .info
        .is_some_and(|i| i.supports("native_structured_output"));
    let tools = request.tools.as_deref().unwrap_or_default();
    tools
        .iter()
        .map(|tool| {
            let function = &tool.function;
            if function.name == format::JSON_TOOL {
                return Err(target.error(
                    ErrorKind::BadRequest,
                    format!(
                        "`{}` is reserved for response_format on anthropic; rename the tool",
                        format::JSON_TOOL
                    ),
                ));
            }
            Ok(wire::Tool {
                name: &function.name,
                description: function.description.as_deref(),
                input_schema: function
                    .parameters
                    .as_ref()
                    .map_or_else(|| Cow::Owned(format::empty_object_schema()), Cow::Borrowed),
                // `strict` exists only where structured outputs do; elsewhere the schema
                // still applies, unenforced.
                strict: function.strict.filter(|_| native_strict),
                cache_control: tool.extra.get("cache_control"),
            })
        })
        .collect()
}

fn tool_choice<'a>(
    target: &Target,
    request: &'a ChatRequest,
    has_tools: bool,
) -> Result<Option<wire::ToolChoice<'a>>, Error> {
    let disable_parallel = (request.parallel_tool_calls == Some(false)).then_some(true);
    let choice = match &request.tool_choice {
        None if has_tools && disable_parallel.is_some() => wire::ToolChoice::Auto {
            disable_parallel_tool_use: disable_parallel,
        },
        None => return Ok(None),
        // Without tools there is nothing to decline.
        Some(ToolChoice::Mode(ToolChoiceMode::None)) if !has_tools => return Ok(None),
        Some(ToolChoice::Mode(ToolChoiceMode::None)) => wire::ToolChoice::None,
        Some(ToolChoice::Mode(ToolChoiceMode::Auto)) => wire::ToolChoice::Auto {
            disable_parallel_tool_use: disable_parallel,
        },
        Some(ToolChoice::Function(_) | ToolChoice::Mode(ToolChoiceMode::Required))
            if forced_tool_use_unsupported(target) =>
        {
            if !target.drop_params {
                return Err(target.error(
                    ErrorKind::UnsupportedParams,
                    format!(
                        "`{}` does not take a required or named tool_choice; use \"auto\" or \
                         set drop_params=true",
                        target.requested_model
                    ),
                ));
            }
            wire::ToolChoice::Auto {
                disable_parallel_tool_use: disable_parallel,
            }
        }
        Some(ToolChoice::Mode(ToolChoiceMode::Required)) => wire::ToolChoice::Any {
            disable_parallel_tool_use: disable_parallel,
        },
        Some(ToolChoice::Function(named)) => {
            let name = named
                .function
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    target.error(
                        ErrorKind::BadRequest,
                        "tool_choice names no function: expected {\"type\": \"function\", \
                         \"function\": {\"name\": ...}}",
                    )
                })?;
            wire::ToolChoice::Tool {
                name,
                disable_parallel_tool_use: disable_parallel,
            }
        }
    };
    Ok(Some(choice))
}

/// What `thinking` and `output_config.effort` a request sends.
type Thinking<'a> = (Option<Cow<'a, Value>>, Option<&'static str>);

/// `thinking`: the caller's own (Anthropic's shape, passed as is), or one for
/// `reasoning_effort`: adaptive thinking with an effort on the models that think
/// adaptively, else a budget kept below `max_tokens` as Anthropic requires.
fn thinking<'a>(
    target: &Target,
    request: &'a ChatRequest,
    max_tokens: u64,
) -> Result<Thinking<'a>, Error> {
    if let Some(own) = request.extra.get("thinking") {
        return Ok((Some(Cow::Borrowed(own)), None));
    }
    let Some(effort) = request.reasoning_effort.as_deref() else {
        return Ok((None, None));
    };
    let (budget, level) = match reasoning_effort(target, effort)? {
        Effort::Off => return Ok((None, None)),
        Effort::Budget { tokens, level } => (tokens, level),
    };
    if target.info.is_some_and(|i| !i.supports("reasoning")) {
        if target.drop_params {
            return Ok((None, None));
        }
        return Err(target.error(
            ErrorKind::UnsupportedParams,
            format!(
                "`{}` does not support reasoning_effort; remove it or set drop_params=true",
                target.requested_model
            ),
        ));
    }
    if target.info.is_some_and(|i| i.supports("adaptive_thinking")) {
        // Without `display`, adaptive thinking comes back blank.
        let thinking = serde_json::json!({"type": "adaptive", "display": "summarized"});
        return Ok((Some(Cow::Owned(thinking)), Some(level)));
    }
    let budget = budget.min(max_tokens.saturating_sub(1));
    if budget < MIN_THINKING_BUDGET {
        return Err(target.error(
            ErrorKind::BadRequest,
            format!(
                "max_tokens ({max_tokens}) leaves no room for a thinking budget of at least \
                 {MIN_THINKING_BUDGET} tokens"
            ),
        ));
    }
    let thinking = serde_json::json!({"type": "enabled", "budget_tokens": budget});
    Ok((Some(Cow::Owned(thinking)), None))
}
