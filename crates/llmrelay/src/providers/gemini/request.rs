//! Unified request -> Gemini `generateContent` body (also Vertex AI's), and
//! embedding requests -> `embedContent` / `batchEmbedContents` bodies.
//!
//! OpenAI parameters Gemini has no equivalent for (`logit_bias`,
//! `logprobs`...) and unknown body fields are an `UnsupportedParams` error,
//! or dropped under `drop_params`; `response_format` is never dropped (see
//! `config.rs`).

use bytes::Bytes;
use serde_json::{Map, Value};

use super::config::{generation_config, merge_caller_config};
use super::messages::conversation;
use super::schema::to_gemini_schema;
use super::wire::{
    BatchEmbedContentsRequest, EmbedContent, EmbedContentRequest, FunctionCallingConfig,
    FunctionDeclaration, GenerateContentRequest, Part, Tool, ToolConfig,
};
use crate::error::{Error, ErrorKind};
use crate::providers::Target;
use crate::types::{ChatRequest, EmbeddingInput, EmbeddingRequest, ToolChoice, ToolChoiceMode};

/// Body fields Gemini takes at the top level, by their snake_case and camelCase names.
const PASSTHROUGH: &[(&str, &str)] = &[
    ("safety_settings", "safetySettings"),
    ("safetySettings", "safetySettings"),
    ("cached_content", "cachedContent"),
    ("cachedContent", "cachedContent"),
    ("labels", "labels"),
];

pub(crate) fn chat_body(target: &Target, request: &ChatRequest) -> Result<Bytes, Error> {
    check_unsupported(target, request)?;
    let conversation = conversation(target, &request.messages)?;
    let mut generation_config = generation_config(target, request)?;
    let mut extra = Map::new();
    for (key, value) in &request.extra {
        if let Some((_, name)) = PASSTHROUGH.iter().find(|(k, _)| k == key) {
            extra.insert((*name).to_string(), value.clone());
        } else if matches!(key.as_str(), "top_k" | "topK") {
            let top_k = Map::from_iter([(String::from("topK"), value.clone())]);
            merge_caller_config(&mut generation_config, &top_k);
        } else if matches!(key.as_str(), "generation_config" | "generationConfig") {
            // Caller-given Gemini settings win over the translated ones.
            if let Value::Object(fields) = value {
                merge_caller_config(&mut generation_config, fields);
            }
        } else if key != "thinking" {
            unsupported(target, key)?;
        }
    }
    let body = GenerateContentRequest {
        contents: conversation.contents,
        system_instruction: conversation.system,
        tools: tools(target, request)?,
        tool_config: tool_config(target, request)?,
        generation_config,
        extra,
    };
    serde_json::to_vec(&body).map(Bytes::from).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })
}

/// OpenAI parameters with no Gemini equivalent.
fn check_unsupported(target: &Target, request: &ChatRequest) -> Result<(), Error> {
    if request.logit_bias.is_some() {
        unsupported(target, "logit_bias")?;
    }
    if request.logprobs == Some(true) {
        unsupported(target, "logprobs")?;
    }
    if request.top_logprobs.is_some() {
        unsupported(target, "top_logprobs")?;
    }
    let tool_count = request.tools.as_ref().map_or(0, Vec::len);
    if request.parallel_tool_calls == Some(false) && tool_count > 1 {
        // Gemini cannot be told to call one function at a time.
        unsupported(target, "parallel_tool_calls")?;
    }
    Ok(())
}

fn unsupported(target: &Target, param: &str) -> Result<(), Error> {
    if target.drop_params {
        return Ok(());
    }
    Err(target.error(
        ErrorKind::UnsupportedParams,
        format!(
            "provider `{}` does not support `{param}`; remove it or set drop_params=true",
            target.provider.name
        ),
    ))
}

/// Every function in one `functionDeclarations` list.
fn tools<'a>(target: &Target, request: &'a ChatRequest) -> Result<Vec<Tool<'a>>, Error> {
    let Some(tools) = &request.tools else {
        return Ok(Vec::new());
    };
    let mut declarations = Vec::with_capacity(tools.len());
    for tool in tools {
        if tool.kind != "function" {
            unsupported(target, &format!("tools[].type = {}", tool.kind))?;
            continue;
        }
        let function = &tool.function;
        let parameters = match &function.parameters {
            // Gemini rejects an OBJECT schema without properties: a function
            // that takes nothing declares no parameters.
            Some(schema) if has_properties(schema) => {
                Some(to_gemini_schema(schema, false).map_err(|e| {
                    target.error(
                        ErrorKind::BadRequest,
                        format!("the parameters of tool `{}`: {}", function.name, e.0),
                    )
                })?)
            }
            _ => None,
        };
        declarations.push(FunctionDeclaration {
            name: function.name.as_str(),
            description: function.description.as_deref(),
            parameters,
        });
    }
    if declarations.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Tool {
        function_declarations: declarations,
    }])
}

fn has_properties(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) != Some("object")
        || schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// `tool_choice` -> `functionCallingConfig` (`auto` AUTO, `required` ANY,
/// `none` NONE, a named function ANY restricted to it).
fn tool_config<'a>(
    target: &Target,
    request: &'a ChatRequest,
) -> Result<Option<ToolConfig<'a>>, Error> {
    let Some(choice) = &request.tool_choice else {
        return Ok(None);
    };
    if request.tools.as_ref().is_none_or(Vec::is_empty) {
        return Ok(None);
    }
    let (mode, allowed) = match choice {
        ToolChoice::Mode(ToolChoiceMode::Auto) => ("AUTO", Vec::new()),
        ToolChoice::Mode(ToolChoiceMode::Required) => ("ANY", Vec::new()),
        ToolChoice::Mode(ToolChoiceMode::None) => ("NONE", Vec::new()),
        ToolChoice::Function(named) => {
            let name = named
                .function
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    target.error(
                        ErrorKind::BadRequest,
                        "tool_choice names no function (`{\"function\": {\"name\": ...}}`)",
                    )
                })?;
            ("ANY", vec![name])
        }
    };
    Ok(Some(ToolConfig {
        function_calling_config: FunctionCallingConfig {
            mode,
            allowed_function_names: allowed,
        },
    }))
}

/// The texts of an embedding request; Gemini embeds text, not token ids.
pub(crate) fn embedding_texts<'a>(
    target: &Target,
    request: &'a EmbeddingRequest,
) -> Result<Vec<&'a str>, Error> {
    if request
        .encoding_format
        .as_deref()
        .is_some_and(|f| f != "float")
        && !target.drop_params
    {
        return Err(target.error(
            ErrorKind::UnsupportedParams,
            "Gemini returns float embeddings only; remove encoding_format or set drop_params=true",
        ));
    }
    match &request.input {
        EmbeddingInput::One(text) => Ok(vec![text.as_str()]),
        EmbeddingInput::Many(texts) if !texts.is_empty() => {
            Ok(texts.iter().map(String::as_str).collect())
        }
        EmbeddingInput::Many(_) => Err(target.error(ErrorKind::BadRequest, "`input` is empty")),
        EmbeddingInput::Tokens(_) | EmbeddingInput::ManyTokens(_) => Err(target.error(
            ErrorKind::BadRequest,
            "Gemini embeds text; token-id input is not supported",
        )),
    }
}

/// `embedContent` for one text, `batchEmbedContents` for several; returns
/// the method and the body.
pub(crate) fn embedding_body(
    target: &Target,
    request: &EmbeddingRequest,
) -> Result<(&'static str, Bytes), Error> {
    let texts = embedding_texts(target, request)?;
    let task_type = request
        .extra
        .get("task_type")
        .or_else(|| request.extra.get("taskType"))
        .and_then(Value::as_str);
    let model = format!("models/{}", target.model);
    let one = |text| EmbedContentRequest {
        model: model.clone(),
        content: EmbedContent {
            parts: [Part::text(text)],
        },
        output_dimensionality: request.dimensions,
        task_type,
    };
    let serialised = if let [text] = texts.as_slice() {
        ("embedContent", serde_json::to_vec(&one(*text)))
    } else {
        let batch = BatchEmbedContentsRequest {
            requests: texts.into_iter().map(one).collect(),
        };
        ("batchEmbedContents", serde_json::to_vec(&batch))
    };
    let (method, body) = serialised;
    let body = body.map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })?;
    Ok((method, Bytes::from(body)))
}
