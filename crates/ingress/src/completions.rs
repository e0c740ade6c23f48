//! OpenAI's legacy text completions (`/v1/completions`) over chat: the
//! prompt becomes one user message, the answer a `text_completion`.

use llmrelay::types::{Stop, StreamOptions};
use llmrelay::{ChatChunk, ChatRequest, ChatResponse, Message};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::IngressError;

/// A text completion request (the fields a chat model can honour).
#[derive(Debug, Clone, Deserialize)]
pub struct CompletionRequest {
    /// The model group.
    pub model: String,
    /// One prompt (a string, or a list holding one string).
    pub prompt: Value,
    /// Output limit (OpenAI's default for this API is 16).
    #[serde(default)]
    pub max_tokens: Option<u64>,
    /// Sampling temperature.
    #[serde(default)]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default)]
    pub top_p: Option<f64>,
    /// Choices.
    #[serde(default)]
    pub n: Option<u32>,
    /// Stop sequences.
    #[serde(default)]
    pub stop: Option<Stop>,
    /// Stream.
    #[serde(default)]
    pub stream: Option<bool>,
    /// `include_usage`.
    #[serde(default)]
    pub stream_options: Option<StreamOptions>,
    /// Sampling seed.
    #[serde(default)]
    pub seed: Option<i64>,
    /// End-user id.
    #[serde(default)]
    pub user: Option<String>,
    /// Presence penalty.
    #[serde(default)]
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    #[serde(default)]
    pub frequency_penalty: Option<f64>,
    /// Echo the prompt: chat models cannot.
    #[serde(default)]
    pub echo: Option<bool>,
    /// Text after the completion: chat models cannot.
    #[serde(default)]
    pub suffix: Option<String>,
}

/// The chat request a text completion stands for.
pub fn to_chat(request: CompletionRequest) -> Result<ChatRequest, IngressError> {
    let prompt = match request.prompt {
        Value::String(s) => s,
        Value::Array(items) if items.len() == 1 && items[0].is_string() => {
            items[0].as_str().unwrap_or_default().to_string()
        }
        Value::Array(items) if items.iter().all(Value::is_string) => {
            return Err(IngressError::new(format!(
                "{} prompts in one request: send one prompt per request",
                items.len()
            ))
            .with_param("prompt"))
        }
        _ => {
            return Err(IngressError::new(
                "`prompt` must be a string (token-id prompts cannot be sent to chat models)",
            )
            .with_param("prompt"))
        }
    };
    if request.echo == Some(true) {
        return Err(
            IngressError::new("`echo` is not supported through chat models").with_param("echo"),
        );
    }
    if request.suffix.is_some() {
        return Err(
            IngressError::new("`suffix` is not supported through chat models").with_param("suffix"),
        );
    }
    let mut chat = ChatRequest::new(request.model, vec![Message::user(prompt)]);
    chat.max_tokens = request.max_tokens;
    chat.temperature = request.temperature;
    chat.top_p = request.top_p;
    chat.n = request.n;
    chat.stop = request.stop;
    chat.stream = request.stream;
    chat.stream_options = request.stream_options;
    chat.seed = request.seed;
    chat.user = request.user;
    chat.presence_penalty = request.presence_penalty;
    chat.frequency_penalty = request.frequency_penalty;
    Ok(chat)
}

/// The `text_completion` for `response`.
pub fn from_chat(response: &ChatResponse, model: &str) -> Value {
    let choices: Vec<Value> = response
        .choices
        .iter()
        .map(|c| {
            json!({"text": c.message.content.clone().unwrap_or_default(), "index": c.index,
                   "logprobs": null, "finish_reason": c.finish_reason})
        })
        .collect();
    json!({
        "id": completion_id(&response.id),
        "object": "text_completion",
        "created": response.created,
        "model": model,
        "choices": choices,
        "usage": response.usage,
    })
}

/// One streamed `text_completion` chunk for `chunk`.
pub fn chunk_from_chat(chunk: &ChatChunk, model: &str) -> Value {
    let choices: Vec<Value> = chunk
        .choices
        .iter()
        .map(|c| {
            json!({"text": c.delta.content.clone().unwrap_or_default(), "index": c.index,
                   "logprobs": null, "finish_reason": c.finish_reason})
        })
        .collect();
    let mut out = json!({
        "id": completion_id(&chunk.id),
        "object": "text_completion",
        "created": chunk.created,
        "model": model,
        "choices": choices,
    });
    if let Some(usage) = &chunk.usage {
        out["usage"] = json!(usage);
    }
    out
}

fn completion_id(chat_id: &str) -> String {
    match chat_id.strip_prefix("chatcmpl-") {
        Some(rest) => format!("cmpl-{rest}"),
        None => chat_id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn request(v: Value) -> CompletionRequest {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_prompt_becomes_one_user_message() {
        let chat = to_chat(request(
            json!({"model": "m", "prompt": ["Say hi"], "max_tokens": 5, "stop": "\n"}),
        ))
        .unwrap();
        assert_eq!(
            serde_json::to_value(chat).unwrap(),
            json!({"model": "m", "messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 5, "stop": "\n"})
        );
    }

    #[test]
    fn what_chat_cannot_do_is_a_400() {
        for (body, param) in [
            (json!({"model": "m", "prompt": ["a", "b"]}), "prompt"),
            (json!({"model": "m", "prompt": [1, 2]}), "prompt"),
            (json!({"model": "m", "prompt": "a", "echo": true}), "echo"),
            (
                json!({"model": "m", "prompt": "a", "suffix": "z"}),
                "suffix",
            ),
        ] {
            assert_eq!(
                to_chat(request(body)).unwrap_err().param.as_deref(),
                Some(param)
            );
        }
    }

    #[test]
    fn the_answer_is_a_text_completion() {
        let response: ChatResponse = serde_json::from_value(json!({
            "id": "chatcmpl-abc", "created": 3, "model": "gpt-4o",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi!"}}],
            "usage": {"prompt_tokens": 2, "completion_tokens": 1, "total_tokens": 3}})).unwrap();
        assert_eq!(
            from_chat(&response, "m"),
            json!({"id": "cmpl-abc", "object": "text_completion", "created": 3, "model": "m",
                   "choices": [{"text": "Hi!", "index": 0, "logprobs": null, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 2, "completion_tokens": 1, "total_tokens": 3}})
        );
        let chunk: ChatChunk = serde_json::from_value(json!({"id": "chatcmpl-abc", "created": 3,
            "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": null}]}))
        .unwrap();
        assert_eq!(chunk_from_chat(&chunk, "m")["choices"][0]["text"], "Hi");
    }
}
