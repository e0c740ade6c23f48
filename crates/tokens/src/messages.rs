//! Tokens of an OpenAI-format chat conversation, by LiteLLM's rules.
//!
//! Each message costs 3 tokens, plus the tokens of every string field
//! (`role`, `content`, `name`, `tool_call_id`... any key), plus 1 more for a
//! `name`. Content-part arrays count their text and images; tool calls count
//! their `arguments` only. After the messages come 3 tokens priming the
//! reply and the tool definitions (see [`crate::count_tool_choice`] for
//! `tool_choice`).

use serde_json::{Map, Value};

use crate::{count_text, image, pyfmt, tools, Encoding, TokenError};

const TOKENS_PER_MESSAGE: usize = 3;
const TOKENS_PER_NAME: usize = 1;
const PDF_DATA_URL_PREFIX: &str = "data:application/pdf;base64,";

/// Counts the prompt tokens of `messages` (and `tools`) for `model` exactly
/// as LiteLLM 1.110.2's `token_counter(model, messages=..., tools=...)` does
/// with encoding `enc` (normally [`crate::encoding_for`] of the model).
///
/// `model` is the name as the caller wrote it: it decides the chat template
/// tools are rendered for (DeepSeek, Qwen 3.5, Grok 4.x). Each message is a
/// JSON object in OpenAI's chat shape: string or content-part array
/// `content` (`text`, `image_url`, `file` without PDF, `thinking`,
/// `compaction`, `tool_reference`), `name`, `tool_calls`, `function_call`,
/// tool results. Images are never downloaded (see the crate docs).
///
/// Key order inside tool schemas changes the count, as it does for LiteLLM;
/// parse requests with serde_json's `preserve_order` feature to keep it.
///
/// # Errors
/// [`TokenError::InvalidMessage`] for a shape LiteLLM rejects too (a
/// message that is not an object, a tool call without `function`, a part
/// without `type`, an image part without a URL...), and
/// [`TokenError::UnsupportedContent`] for parts LiteLLM counts in ways we do
/// not (PDF pages, audio, Anthropic-format blocks).
pub fn count_messages(
    enc: Encoding,
    model: &str,
    messages: &[Value],
    tools: Option<&[Value]>,
) -> Result<usize, TokenError> {
    let mut total = 0;
    let mut has_system_message = false;
    for (index, message) in messages.iter().enumerate() {
        let fields = message
            .as_object()
            .ok_or_else(|| invalid(index, "a message must be a JSON object"))?;
        has_system_message |= fields.get("role").and_then(Value::as_str) == Some("system");
        total += message_tokens(enc, index, fields)?;
    }
    Ok(total + tools::reply_and_tools_tokens(enc, model, tools, has_system_message))
}

fn invalid(index: usize, reason: impl Into<String>) -> TokenError {
    TokenError::InvalidMessage {
        index,
        reason: reason.into(),
    }
}

fn message_tokens(
    enc: Encoding,
    index: usize,
    fields: &Map<String, Value>,
) -> Result<usize, TokenError> {
    let mut total = TOKENS_PER_MESSAGE;
    for (key, value) in fields {
        total += match (key.as_str(), value) {
            (_, Value::Null) => 0,
            ("tool_calls", Value::Array(calls)) => calls
                .iter()
                .map(|call| tool_call_tokens(enc, index, call))
                .sum::<Result<usize, _>>()?,
            ("tool_calls", _) => return Err(invalid(index, "tool_calls must be an array")),
            ("function_call", Value::Object(call)) => arguments_tokens(enc, call),
            ("function_call", _) => return Err(invalid(index, "function_call must be an object")),
            ("name", Value::String(text)) => count_text(enc, text) + TOKENS_PER_NAME,
            (_, Value::String(text)) => count_text(enc, text),
            ("content", Value::Array(parts)) => parts_tokens(enc, index, parts)?,
            ("provider_specific_fields", fields) => compaction_tokens(enc, fields),
            ("search_results", Value::Array(results)) => {
                count_text(enc, &search_results_text(results))
            }
            // LiteLLM skips every other field (numbers, objects such as audio).
            _ => 0,
        };
    }
    Ok(total)
}

/// A tool call costs the tokens of its `arguments` (as Python's `str()` of
/// them when not a string); the function name is not counted.
fn tool_call_tokens(enc: Encoding, index: usize, call: &Value) -> Result<usize, TokenError> {
    match call.get("function") {
        Some(Value::Object(function)) => Ok(arguments_tokens(enc, function)),
        Some(_) => Err(invalid(index, "a tool call's function must be an object")),
        None => Err(invalid(index, "a tool call must have a function")),
    }
}

fn arguments_tokens(enc: Encoding, function: &Map<String, Value>) -> usize {
    match function.get("arguments") {
        None => 0,
        Some(arguments) => count_text(enc, &pyfmt::str(arguments)),
    }
}

fn parts_tokens(enc: Encoding, index: usize, parts: &[Value]) -> Result<usize, TokenError> {
    let mut total = 0;
    for part in parts {
        let fields = match part {
            Value::String(text) => {
                total += count_text(enc, text);
                continue;
            }
            Value::Object(fields) => fields,
            _ => {
                return Err(invalid(
                    index,
                    "a content part must be a string or an object",
                ))
            }
        };
        let part_type = fields
            .get("type")
            .ok_or_else(|| invalid(index, "a content part must have a type"))?;
        total += match part_type.as_str().unwrap_or_default() {
            "text" => text_field_tokens(enc, fields, "text"),
            "thinking" | "redacted_thinking" => text_field_tokens(enc, fields, "thinking"),
            "compaction" => text_field_tokens(enc, fields, "content"),
            "tool_reference" => text_field_tokens(enc, fields, "tool_name"),
            "image_url" => image::image_url_tokens(fields.get("image_url"))
                .map_err(|reason| invalid(index, reason))?,
            "file" => file_tokens(enc, index, fields.get("file"))?,
            _ => {
                return Err(TokenError::UnsupportedContent {
                    index,
                    part_type: pyfmt::str(part_type),
                })
            }
        };
    }
    Ok(total)
}

/// `str(part.get(field) or "")`: a missing or falsy field counts nothing.
fn text_field_tokens(enc: Encoding, fields: &Map<String, Value>, field: &str) -> usize {
    match fields.get(field) {
        Some(value) if tools::truthy(value) => count_text(enc, &pyfmt::str(value)),
        _ => 0,
    }
}

/// An OpenAI `file` part: its file name, plus its inline data priced like an
/// `auto` detail image (85 tokens unless it is a readable inline image).
fn file_tokens(enc: Encoding, index: usize, file: Option<&Value>) -> Result<usize, TokenError> {
    let Some(Value::Object(file)) = file else {
        return Ok(0);
    };
    let name_tokens = match file.get("filename") {
        Some(Value::String(name)) => count_text(enc, name),
        _ => 0,
    };
    let data = match file.get("file_data") {
        Some(Value::String(data)) if !data.is_empty() => data,
        _ => return Ok(name_tokens),
    };
    if data.starts_with(PDF_DATA_URL_PREFIX) {
        // LiteLLM reads the PDF's pages with pypdf; we do not parse PDFs.
        return Err(TokenError::UnsupportedContent {
            index,
            part_type: "file (PDF)".to_owned(),
        });
    }
    Ok(name_tokens + image::auto_detail_tokens(data))
}

/// LiteLLM's compaction summaries carried in `provider_specific_fields`.
fn compaction_tokens(enc: Encoding, fields: &Value) -> usize {
    let Some(Value::Array(blocks)) = fields.get("compaction_blocks") else {
        return 0;
    };
    blocks
        .iter()
        .filter(|block| block.get("type").and_then(Value::as_str) == Some("compaction"))
        .filter_map(|block| block.get("content").and_then(Value::as_str))
        .filter(|content| !content.is_empty())
        .map(|content| count_text(enc, content))
        .sum()
}

/// The text of a tool message's `search_results` that LiteLLM counts: each
/// result's `source`, `title`, content texts and JSON `citations`, joined.
fn search_results_text(results: &[Value]) -> String {
    let mut text = String::new();
    for result in results.iter().filter_map(Value::as_object) {
        for key in ["source", "title"] {
            if let Some(Value::String(value)) = result.get(key) {
                text.push_str(value);
            }
        }
        if let Some(Value::Array(blocks)) = result.get("content") {
            for block in blocks {
                if let Some(Value::String(value)) = block.get("text") {
                    text.push_str(value);
                }
            }
        }
        match result.get("citations") {
            None | Some(Value::Null) => {}
            Some(citations) => text.push_str(&pyfmt::json_dumps_ascii_compact(citations)),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    const ENC: Encoding = Encoding::Cl100kBase;

    #[test]
    fn openai_cookbook_example_shape() {
        // Two messages: 3 each, the strings, 1 for the name, 3 for the reply.
        let messages = [
            json!({"role": "system", "content": "You are helpful."}),
            json!({"role": "user", "name": "bob", "content": "Hi"}),
        ];
        let strings: usize = ["system", "You are helpful.", "user", "bob", "Hi"]
            .iter()
            .map(|text| count_text(ENC, text))
            .sum();
        assert_eq!(
            count_messages(ENC, "gpt-4", &messages, None).unwrap(),
            3 + 3 + strings + 1 + 3
        );
    }

    #[test]
    fn empty_conversation_is_the_reply_primer() {
        assert_eq!(count_messages(ENC, "gpt-4", &[], None).unwrap(), 3);
        assert_eq!(count_messages(ENC, "gpt-4", &[], Some(&[])).unwrap(), 3);
    }

    #[test]
    fn tool_calls_count_arguments_only() {
        let call = json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}
        ]});
        let expected = 3 + count_text(ENC, "assistant") + count_text(ENC, "{\"a\": 1}") + 3;
        assert_eq!(
            count_messages(ENC, "gpt-4", &[call], None).unwrap(),
            expected
        );
        let null_arguments =
            json!({"role": "assistant", "tool_calls": [{"function": {"arguments": null}}]});
        let expected = 3 + count_text(ENC, "assistant") + count_text(ENC, "None") + 3;
        assert_eq!(
            count_messages(ENC, "gpt-4", &[null_arguments], None).unwrap(),
            expected
        );
    }

    #[test]
    fn bad_shapes_are_errors() {
        let cases = [
            json!("just a string"),
            json!({"role": "assistant", "tool_calls": {"function": {}}}),
            json!({"role": "assistant", "tool_calls": [{"id": "x"}]}),
            json!({"role": "user", "content": [{"text": "no type"}]}),
            json!({"role": "user", "content": [42]}),
            json!({"role": "user", "content": [{"type": "image_url", "image_url": {}}]}),
        ];
        for message in cases {
            let error = count_messages(
                ENC,
                "gpt-4",
                &[json!({"role": "user"}), message.clone()],
                None,
            );
            assert!(
                matches!(error, Err(TokenError::InvalidMessage { index: 1, .. })),
                "{message}: {error:?}"
            );
        }
        let audio =
            json!({"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]});
        assert!(matches!(
            count_messages(ENC, "gpt-4", &[audio], None),
            Err(TokenError::UnsupportedContent { index: 0, .. })
        ));
    }

    #[test]
    fn search_results_text_like_litellm() {
        let results = [
            json!({"source": "s", "title": "t", "content": [{"text": "x"}], "citations": {"é": 1}}),
        ];
        assert_eq!(search_results_text(&results), "stx{\"\\u00e9\":1}");
    }
}
