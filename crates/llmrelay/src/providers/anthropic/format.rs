//! `response_format` on Anthropic, never silently dropped:
//!
//! - a JSON schema, on a model the catalog marks `supports_native_structured_output`:
//!   Anthropic's structured outputs, `output_config.format = {"type": "json_schema", ...}`;
//! - a JSON schema elsewhere, or `json_object` (which structured outputs cannot express:
//!   they require closed objects): a tool named [`JSON_TOOL`] whose input schema is the
//!   schema (an open object for `json_object`), forced with `tool_choice`; the response
//!   translation hands its input back as the message content;
//! - when neither can work (extended thinking forbids forcing a tool, and so do the
//!   models the catalog marks `supports_forced_tool_use: false`; a tool input must be an
//!   object): `UnsupportedParams`.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::wire;
use crate::error::{Error, ErrorKind};
use crate::providers::Target;
use crate::types::{ChatRequest, ResponseFormat};

/// The tool that carries a JSON answer on models without structured outputs (LiteLLM's
/// name, so traffic looks the same). Callers may not define a tool of this name.
pub(crate) const JSON_TOOL: &str = "json_tool_call";

/// What `response_format` turns into.
#[derive(Debug)]
pub(crate) enum Plan<'a> {
    /// Nothing to send (`text`, or no `response_format`).
    None,
    /// `output_config.format`.
    Native(Value),
    /// Add this tool; `force` it with `tool_choice` when the caller has no tools of its
    /// own (else the answer must be a call of any tool).
    Tool { tool: wire::Tool<'a>, force: bool },
}

/// `{"type": "object", "properties": {}}`: the schema of a tool that takes nothing.
pub(crate) fn empty_object_schema() -> Value {
    json!({"type": "object", "properties": {}})
}

pub(crate) fn plan<'a>(
    target: &Target,
    request: &'a ChatRequest,
    thinking_on: bool,
    has_tools: bool,
) -> Result<Plan<'a>, Error> {
    let (schema, description) = match &request.response_format {
        None | Some(ResponseFormat::Text) => return Ok(Plan::None),
        Some(ResponseFormat::JsonObject) => (None, None),
        Some(ResponseFormat::JsonSchema { json_schema }) => (
            json_schema.schema.as_ref(),
            json_schema.description.as_deref(),
        ),
    };
    let native = target
        .info
        .is_some_and(|i| i.supports("native_structured_output"));
    if let (Some(schema), true) = (schema, native) {
        return Ok(Plan::Native(
            json!({"type": "json_schema", "schema": schema}),
        ));
    }
    if super::request::forced_tool_use_unsupported(target) {
        return Err(target.error(
            ErrorKind::UnsupportedParams,
            format!(
                "response_format {} on `{}` needs a forced tool call, which this model does not \
                 take; give a json_schema (structured outputs) instead",
                if schema.is_some() {
                    "json_schema"
                } else {
                    "json_object"
                },
                target.requested_model
            ),
        ));
    }
    if thinking_on {
        return Err(target.error(
            ErrorKind::UnsupportedParams,
            format!(
                "response_format on `{}` needs a forced tool call, which Anthropic does not \
                 allow with extended thinking; drop reasoning_effort/thinking or response_format",
                target.requested_model
            ),
        ));
    }
    let input_schema = match schema {
        Some(schema) if schema.get("type").and_then(Value::as_str) == Some("object") => {
            Cow::Borrowed(schema)
        }
        Some(_) => {
            return Err(target.error(
                ErrorKind::UnsupportedParams,
                format!(
                    "response_format on `{}` is carried by a tool call, whose input must be an \
                     object: give the schema a top-level \"type\": \"object\"",
                    target.requested_model
                ),
            ))
        }
        None => Cow::Owned(json!({"type": "object", "additionalProperties": true})),
    };
    Ok(Plan::Tool {
        tool: wire::Tool {
            name: JSON_TOOL,
            description: Some(description.unwrap_or("Respond with a JSON object.")),
            input_schema,
            strict: None,
            cache_control: None,
        },
        force: !has_tools,
    })
}
