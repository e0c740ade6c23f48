//! `mock_response`: a canned answer (or a named error) with no network, so
//! code built on llmrelay can be tested offline. Usage matches LiteLLM's mock
//! (10 prompt and 20 completion tokens), and the cost is the catalog's price
//! of that usage, as LiteLLM reports it.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::types::{
    ChatChunk, ChatRequest, ChatResponse, Choice, Delta, Embedding, EmbeddingResponse,
    EmbeddingUsage, EmbeddingVector, ResponseMessage, Role, Usage,
};

/// LiteLLM's `DEFAULT_MOCK_RESPONSE_PROMPT_TOKEN_COUNT`.
const MOCK_PROMPT_TOKENS: u64 = 10;
/// LiteLLM's `DEFAULT_MOCK_RESPONSE_COMPLETION_TOKEN_COUNT`.
const MOCK_COMPLETION_TOKENS: u64 = 20;

/// The error a mock text asks for: a LiteLLM exception name
/// (`RateLimitError`), or LiteLLM's error-shaped strings (`"Exception:
/// content_filter_policy"` is a content-filter refusal, any other
/// `"Exception..."` text a bad request carrying that text).
fn mock_error(text: &str) -> Option<Error> {
    if let Some(err) = Error::from_litellm_name(text) {
        return Some(err);
    }
    if !text.starts_with("Exception") {
        return None;
    }
    let kind = if text.contains("content_filter_policy") {
        crate::ErrorKind::ContentPolicyViolation
    } else {
        crate::ErrorKind::BadRequest
    };
    Some(Error::new(kind, text).with_provider("openai"))
}

/// The mock answer to `request`, or the error `text` names.
pub(crate) fn mock_completion(request: &ChatRequest, text: &str) -> Result<ChatResponse, Error> {
    if let Some(err) = mock_error(text) {
        return Err(err.with_model(request.model.clone()));
    }
    let resolved = llmrelay_catalog::resolve(&request.model).ok();
    let usage = Usage {
        prompt_tokens: MOCK_PROMPT_TOKENS,
        completion_tokens: MOCK_COMPLETION_TOKENS,
        total_tokens: MOCK_PROMPT_TOKENS + MOCK_COMPLETION_TOKENS,
        ..Usage::default()
    };
    let cost = resolved.and_then(|r| r.info).and_then(|info| {
        llmrelay_catalog::cost_per_token(
            info,
            &usage.to_billing(),
            llmrelay_catalog::ServiceTier::Standard,
        )
        .ok()
        .map(|c| c.total())
    });
    let n = request.n.unwrap_or(1).clamp(1, 128);
    let choices = (0..n)
        .map(|index| Choice {
            index,
            message: ResponseMessage {
                role: Role::Assistant,
                content: Some(text.to_string()),
                ..ResponseMessage::default()
            },
            finish_reason: Some(String::from("stop")),
            ..Choice::default()
        })
        .collect();
    Ok(ChatResponse {
        id: format!("chatcmpl-mock-{}", now_nanos()),
        object: String::from("chat.completion"),
        created: now_secs(),
        model: request.model.clone(),
        choices,
        usage: Some(usage),
        cost,
        ..ChatResponse::default()
    })
}

/// The mock answer as stream chunks: role, the text word by word, the finish
/// reason, and a usage chunk when `stream_options.include_usage` is set.
pub(crate) fn mock_chunks(request: &ChatRequest, text: &str) -> Result<Vec<ChatChunk>, Error> {
    let response = mock_completion(request, text)?;
    let chunk = |delta: Delta, finish: Option<&str>| {
        ChatChunk::single(
            &response.id,
            response.created,
            &response.model,
            delta,
            finish.map(str::to_string),
        )
    };
    let mut chunks = vec![chunk(
        Delta {
            role: Some(Role::Assistant),
            content: Some(String::new()),
            ..Delta::default()
        },
        None,
    )];
    for piece in text.split_inclusive(' ') {
        chunks.push(chunk(
            Delta {
                content: Some(piece.to_string()),
                ..Delta::default()
            },
            None,
        ));
    }
    chunks.push(chunk(Delta::default(), Some("stop")));
    if request
        .stream_options
        .as_ref()
        .and_then(|o| o.include_usage)
        == Some(true)
    {
        // The usage chunk carries the call's cost, as a streamed call's does.
        chunks.push(ChatChunk {
            choices: Vec::new(),
            usage: response.usage.clone(),
            cost: response.cost,
            ..chunk(Delta::default(), None)
        });
    }
    Ok(chunks)
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// LiteLLM's embedding mock, with no network: `vector` (else a zero vector
/// of 8) for the one input, 10 prompt tokens, priced as the catalog prices them; or the error
/// `text` names when the mock is an exception name.
pub fn mock_embedding(
    model: &str,
    text: Option<&str>,
    vector: Option<EmbeddingVector>,
) -> Result<EmbeddingResponse, Error> {
    if let Some(err) = text.and_then(Error::from_litellm_name) {
        return Err(err.with_model(model));
    }
    let mut response = EmbeddingResponse {
        object: String::from("list"),
        model: model.to_string(),
        data: vec![Embedding {
            object: String::from("embedding"),
            index: 0,
            embedding: vector.unwrap_or_else(|| EmbeddingVector::Float(vec![0.0; 8])),
        }],
        usage: Some(EmbeddingUsage {
            prompt_tokens: MOCK_PROMPT_TOKENS,
            total_tokens: MOCK_PROMPT_TOKENS,
        }),
        ..EmbeddingResponse::default()
    };
    let info = llmrelay_catalog::resolve(model).ok().and_then(|r| r.info);
    response.cost = crate::cost::embedding_cost(info, &response);
    Ok(response)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::ErrorKind;
    use crate::types::Message;

    #[test]
    fn canned_text_with_litellms_usage_and_a_cost() {
        let request = ChatRequest::new("gpt-4o", vec![Message::user("hi")]);
        let r = mock_completion(&request, "hello there").unwrap();
        assert_eq!(r.choices[0].message.content.as_deref(), Some("hello there"));
        assert_eq!(r.usage.as_ref().unwrap().total_tokens, 30);
        let expected = 10.0 * 2.5e-6 + 20.0 * 1e-5;
        assert!((r.cost.unwrap() - expected).abs() < 1e-15);
    }

    #[test]
    fn error_names_raise_that_error() {
        let request = ChatRequest::new("gpt-4o", vec![Message::user("hi")]);
        for (name, kind) in [
            ("RateLimitError", ErrorKind::RateLimit),
            (
                "litellm.ContextWindowExceededError",
                ErrorKind::ContextWindowExceeded,
            ),
            ("litellm.InternalServerError", ErrorKind::InternalServer),
            ("Timeout", ErrorKind::Timeout),
        ] {
            assert_eq!(
                mock_completion(&request, name).unwrap_err().kind,
                kind,
                "{name}"
            );
        }
    }

    #[test]
    fn error_shaped_strings_raise_as_litellm_does() {
        let request = ChatRequest::new("gpt-4o", vec![Message::user("hi")]);
        let refused = mock_completion(&request, "Exception: content_filter_policy").unwrap_err();
        assert_eq!(refused.kind, ErrorKind::ContentPolicyViolation);
        assert!(refused.message.contains("content_filter_policy"));
        let other = mock_completion(&request, "Exception: boom").unwrap_err();
        assert_eq!(other.kind, ErrorKind::BadRequest);
        assert!(mock_completion(&request, "No Exception here").is_ok());
    }

    #[test]
    fn chunks_fold_back_into_the_same_answer() {
        let mut request = ChatRequest::new("gpt-4o", vec![Message::user("hi")]);
        request.stream_options = Some(crate::types::StreamOptions {
            include_usage: Some(true),
            ..Default::default()
        });
        let chunks = mock_chunks(&request, "one two three").unwrap();
        let folded = crate::stream_chunk_builder(&chunks).unwrap();
        assert_eq!(
            folded.choices[0].message.content.as_deref(),
            Some("one two three")
        );
        assert_eq!(folded.usage.unwrap().total_tokens, 30);
    }
}
