//! Gemini `generateContent` answers -> unified responses, with the cost.
//!
//! Text parts become `content`, `thought` parts `reasoning_content`,
//! `functionCall` parts tool calls (with a generated id that carries the
//! call's thought signature); a safety stop is `content_filter`, and a
//! prompt blocked before any candidate is a `ContentPolicyViolation` error,
//! so `content_policy_fallbacks` can act on it. Usage follows OpenAI's
//! convention: `prompt_tokens` includes the cached tokens, `completion_tokens`
//! the thoughts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use super::messages::THOUGHT_SIGNATURE_SEPARATOR;
use super::wire::{
    Candidate, EmbedContentResponse, GenerateContentResponse, PromptFeedback, ResponsePart,
    UsageMetadata,
};
use crate::error::{Error, ErrorKind};
use crate::providers::{unix_secs, Target};
use crate::types::{
    ChatResponse, Choice, CompletionTokensDetails, Embedding, EmbeddingResponse, EmbeddingUsage,
    EmbeddingVector, FunctionCall, PromptTokensDetails, ResponseMessage, ToolCall, Usage,
};

pub(crate) fn parse_chat(
    target: &Target,
    body: &[u8],
    now: SystemTime,
) -> Result<ChatResponse, Error> {
    let wire: GenerateContentResponse =
        serde_json::from_slice(body).map_err(|e| unreadable(target, &e))?;
    if let Some(err) = blocked(target, &wire) {
        return Err(err);
    }
    let choices = wire
        .candidates
        .iter()
        .enumerate()
        .map(|(position, candidate)| choice(candidate, position))
        .collect();
    let response = ChatResponse {
        id: response_id(wire.response_id.as_deref()),
        object: String::from("chat.completion"),
        created: unix_secs(now),
        model: wire.model_version.unwrap_or_else(|| target.model.clone()),
        choices,
        usage: wire.usage_metadata.as_ref().map(usage),
        ..ChatResponse::default()
    };
    Ok(response)
}

/// A prompt refused before generation (`promptFeedback.blockReason`, no candidate).
pub(crate) fn blocked(target: &Target, wire: &GenerateContentResponse) -> Option<Error> {
    let PromptFeedback {
        block_reason: Some(reason),
        block_reason_message,
    } = wire.prompt_feedback.as_ref()?
    else {
        return None;
    };
    if !wire.candidates.is_empty() {
        return None;
    }
    let detail = block_reason_message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    Some(target.error(
        ErrorKind::ContentPolicyViolation,
        format!("the prompt was blocked by Gemini's safety filters ({reason}){detail}"),
    ))
}

fn choice(candidate: &Candidate, position: usize) -> Choice {
    let parts = candidate
        .content
        .as_ref()
        .map_or(&[][..], |c| c.parts.as_slice());
    let (content, reasoning) = texts(parts);
    let tool_calls: Vec<ToolCall> = parts.iter().filter_map(tool_call).collect();
    let finish_reason = candidate
        .finish_reason
        .as_deref()
        .map(|r| finish_reason(r, !tool_calls.is_empty()).to_string());
    Choice {
        index: candidate
            .index
            .unwrap_or_else(|| u32::try_from(position).unwrap_or(u32::MAX)),
        message: ResponseMessage {
            content,
            reasoning_content: reasoning,
            tool_calls: (!tool_calls.is_empty()).then_some(tool_calls),
            ..ResponseMessage::default()
        },
        finish_reason,
        ..Choice::default()
    }
}

/// The answer text and the reasoning text of some parts.
pub(crate) fn texts(parts: &[ResponsePart]) -> (Option<String>, Option<String>) {
    let mut content: Option<String> = None;
    let mut reasoning: Option<String> = None;
    for part in parts {
        if let Some(text) = &part.text {
            let into = if part.thought {
                &mut reasoning
            } else {
                &mut content
            };
            into.get_or_insert_with(String::new).push_str(text);
        }
    }
    (content, reasoning)
}

/// A `functionCall` part as a complete tool call.
pub(crate) fn tool_call(part: &ResponsePart) -> Option<ToolCall> {
    let call = part.function_call.as_ref()?;
    let arguments = match &call.args {
        Some(args) => args.to_string(),
        None => String::from("{}"),
    };
    Some(ToolCall {
        id: call_id(part.thought_signature.as_deref()),
        kind: String::from("function"),
        function: FunctionCall {
            name: call.name.clone(),
            arguments,
        },
    })
}

/// Gemini's finish reason in OpenAI's words (LiteLLM's table); a turn that
/// called tools and stopped normally finished with `tool_calls`.
pub(crate) fn finish_reason(reason: &str, called_tools: bool) -> &'static str {
    match reason {
        "STOP"
        | "FINISH_REASON_UNSPECIFIED"
        | "MALFORMED_FUNCTION_CALL"
        | "TOO_MANY_TOOL_CALLS"
        | "MALFORMED_RESPONSE"
        | "UNEXPECTED_TOOL_CALL"
            if called_tools =>
        {
            "tool_calls"
        }
        "MAX_TOKENS" | "CONTINUATION" => "length",
        "SAFETY"
        | "RECITATION"
        | "LANGUAGE"
        | "OTHER"
        | "BLOCKLIST"
        | "PROHIBITED_CONTENT"
        | "SPII"
        | "IMAGE_SAFETY"
        | "IMAGE_PROHIBITED_CONTENT"
        | "NO_IMAGE"
        | "IMAGE_RECITATION"
        | "IMAGE_OTHER"
        | "ESCALATION" => "content_filter",
        _ => "stop",
    }
}

/// `usageMetadata` -> OpenAI usage. `toolUsePromptTokenCount` is prompt
/// input; thoughts are completion tokens (older models already count them
/// in `candidatesTokenCount`, recognised when the parts add up to the total).
pub(crate) fn usage(meta: &UsageMetadata) -> Usage {
    let prompt = meta
        .prompt_token_count
        .saturating_add(meta.tool_use_prompt_token_count);
    let thoughts = meta.thoughts_token_count;
    let counted = meta
        .prompt_token_count
        .saturating_add(meta.candidates_token_count)
        .saturating_add(meta.tool_use_prompt_token_count);
    let completion = if thoughts > 0 && counted != meta.total_token_count {
        meta.candidates_token_count.saturating_add(thoughts)
    } else {
        meta.candidates_token_count
    };
    let modality = |details: &[super::wire::ModalityTokenCount], name: &str| {
        let n: u64 = details
            .iter()
            .filter(|d| d.modality.eq_ignore_ascii_case(name))
            .map(|d| d.token_count)
            .sum();
        (n > 0).then_some(n)
    };
    Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt.saturating_add(completion),
        prompt_tokens_details: Some(PromptTokensDetails {
            cached_tokens: meta.cached_content_token_count,
            audio_tokens: modality(&meta.prompt_tokens_details, "AUDIO"),
            image_tokens: modality(&meta.prompt_tokens_details, "IMAGE"),
            ..PromptTokensDetails::default()
        }),
        completion_tokens_details: Some(CompletionTokensDetails {
            reasoning_tokens: thoughts,
            audio_tokens: modality(&meta.candidates_tokens_details, "AUDIO"),
            ..CompletionTokensDetails::default()
        }),
        ..Usage::default()
    }
}

/// `embedContent` / `batchEmbedContents` answers.
pub(crate) fn parse_embedding(target: &Target, body: &[u8]) -> Result<EmbeddingResponse, Error> {
    let wire: EmbedContentResponse =
        serde_json::from_slice(body).map_err(|e| unreadable(target, &e))?;
    let vectors = match wire.embedding {
        Some(one) => vec![one.values],
        None => wire.embeddings.into_iter().map(|e| e.values).collect(),
    };
    let prompt_tokens = wire.usage_metadata.map(|u| u.prompt_token_count);
    Ok(embedding_response(target, vectors, prompt_tokens))
}

/// An OpenAI-shaped embedding list, priced when the provider counted tokens.
pub(crate) fn embedding_response(
    target: &Target,
    vectors: Vec<Vec<f32>>,
    prompt_tokens: Option<u64>,
) -> EmbeddingResponse {
    let data = vectors
        .into_iter()
        .enumerate()
        .map(|(index, values)| Embedding {
            object: String::from("embedding"),
            index: u32::try_from(index).unwrap_or(u32::MAX),
            embedding: EmbeddingVector::Float(values),
        })
        .collect();
    let usage = prompt_tokens.map(|n| EmbeddingUsage {
        prompt_tokens: n,
        total_tokens: n,
    });
    EmbeddingResponse {
        object: String::from("list"),
        data,
        model: target.model.clone(),
        usage,
        ..EmbeddingResponse::default()
    }
}

pub(crate) fn unreadable(target: &Target, e: &serde_json::Error) -> Error {
    crate::providers::upstream_error::unreadable(target, "Gemini", e)
}

/// `chatcmpl-` and Gemini's `responseId`, or a fresh id when it sent none.
pub(crate) fn response_id(response_id: Option<&str>) -> String {
    match response_id {
        Some(id) if !id.is_empty() => format!("chatcmpl-{id}"),
        _ => format!("chatcmpl-{}", random_alphanumeric(29)),
    }
}

/// `call_...`, with the thought signature appended when Gemini sent one, so
/// a client that echoes the id back replays the signature.
pub(crate) fn call_id(signature: Option<&str>) -> String {
    let mut id = format!("call_{}", random_alphanumeric(24));
    if let Some(signature) = signature.filter(|s| !s.is_empty()) {
        id.push_str(THOUGHT_SIGNATURE_SEPARATOR);
        id.push_str(signature);
    }
    id
}

/// Letters and digits, distinct within a process (ids, not secrets).
fn random_alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // A per-process random seed (the standard library's hash keys) instead
    // of a clock reading: translations never read the clock.
    let seed = {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    };
    let mut state = seed
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..len)
        .map(|_| {
            // SplitMix64.
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            char::from(ALPHABET[((z ^ (z >> 31)) % 62) as usize])
        })
        .collect()
}
