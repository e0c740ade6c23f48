//! The script of one answer: what the fake upstream says to one request, and how.
//!
//! A [`Reply`] is wire-neutral: it says "answer with this content, these tool calls, this
//! usage, after this latency, and break the stream after three events"; the server renders it
//! in the upstream's own wire format.

use std::borrow::Cow;
use std::time::Duration;

use crate::api_error::ApiError;
use crate::render::estimate_tokens;

/// The content served when nothing else is scripted.
pub const DEFAULT_CONTENT: &str = "Hello! How can I help you today?";

/// What the fake upstream does with one request.
///
/// Build one with a constructor (a successful answer such as [`Reply::content`], or a fault
/// such as [`Reply::rate_limited`]) and refine it with the `with_*` methods:
///
/// ```
/// use std::time::Duration;
/// use llmrelay_testkit::{Reply, Usage};
///
/// let reply = Reply::content("Hello there")
///     .with_usage(Usage::new(12, 3).with_cached_tokens(8))
///     .with_latency(Duration::from_millis(5))
///     .split_into(4)
///     .close_after(2);
/// # let _ = reply;
/// ```
///
/// Every request, to any endpoint, takes the next reply. Requests that fail validation
/// (bad API key, body that is not JSON, missing `model`) are answered with OpenAI's error
/// for them and do not take one. Chat completions use the content, tool calls and finish
/// reason; embeddings and models answer their usual shape and use only the usage (for
/// embeddings), the latency, the headers and the faults.
#[derive(Debug, Clone)]
pub struct Reply {
    pub(crate) outcome: Outcome,
    pub(crate) usage: Option<Usage>,
    pub(crate) latency: Duration,
    pub(crate) stream_delay: Duration,
    pub(crate) pieces: Option<usize>,
    pub(crate) finish_reason: Option<String>,
    pub(crate) stream_fault: Option<StreamFault>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) reasoning: Option<String>,
}

/// What the answer is, before latency, headers and stream faults.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// A successful answer.
    Message {
        content: Option<Content>,
        tool_calls: Vec<ToolCall>,
    },
    /// An HTTP error with an error body.
    Error(ApiError),
    /// Status 200 with a body that is not valid JSON.
    MalformedJson,
    /// The connection is closed before any response byte.
    Disconnect,
    /// No response at all until the server shuts down.
    Hang,
}

/// Where an answer's text comes from.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    Text(String),
    /// The text of the request's last user message.
    Echo,
}

/// A fault injected into a streamed answer after `after` events.
#[derive(Debug, Clone)]
pub(crate) struct StreamFault {
    pub(crate) after: usize,
    pub(crate) kind: StreamFaultKind,
}

#[derive(Debug, Clone)]
pub(crate) enum StreamFaultKind {
    Close,
    Stall,
    Error(ApiError),
}

/// What a successful reply says, resolved against one request: the text (an echo
/// filled in), each tool call with its id (generated when the reply gives none), and
/// the reasoning. Every wire renders the same `Said` in its own format.
pub(crate) struct Said<'a> {
    pub(crate) content: Option<Cow<'a, str>>,
    /// Each call: id, name, raw JSON arguments.
    pub(crate) tool_calls: Vec<(Cow<'a, str>, &'a str, &'a str)>,
    pub(crate) reasoning: Option<&'a str>,
}

impl Said<'_> {
    /// Completion tokens to report when the reply scripts no usage.
    pub(crate) fn estimated_completion_tokens(&self) -> u64 {
        self.content.as_deref().map_or(0, estimate_tokens)
            + self.reasoning.map_or(0, estimate_tokens)
            + self
                .tool_calls
                .iter()
                .map(|(_, name, args)| estimate_tokens(name) + estimate_tokens(args))
                .sum::<u64>()
    }
}

impl Default for Reply {
    /// [`DEFAULT_CONTENT`], at once, with estimated usage.
    fn default() -> Self {
        Self::content(DEFAULT_CONTENT)
    }
}

impl Reply {
    /// What this reply says to a request whose last user text `last_user_text` gives;
    /// `new_id` names tool calls the reply leaves unnamed.
    pub(crate) fn said(
        &self,
        last_user_text: impl FnOnce() -> String,
        new_id: impl Fn() -> String,
    ) -> Said<'_> {
        let (content, calls) = match &self.outcome {
            Outcome::Message {
                content,
                tool_calls,
            } => (content.as_ref(), tool_calls.as_slice()),
            _ => (None, &[][..]),
        };
        Said {
            content: content.map(|c| match c {
                Content::Text(text) => Cow::Borrowed(text.as_str()),
                Content::Echo => Cow::Owned(last_user_text()),
            }),
            tool_calls: calls
                .iter()
                .map(|c| {
                    let id =
                        c.id.as_deref()
                            .map_or_else(|| Cow::Owned(new_id()), Cow::Borrowed);
                    (id, c.name.as_str(), c.arguments.as_str())
                })
                .collect(),
            reasoning: self.reasoning.as_deref(),
        }
    }

    fn with_outcome(outcome: Outcome) -> Self {
        Self {
            outcome,
            usage: None,
            latency: Duration::ZERO,
            stream_delay: Duration::ZERO,
            pieces: None,
            finish_reason: None,
            stream_fault: None,
            headers: Vec::new(),
            reasoning: None,
        }
    }

    /// Answers with this assistant text (`finish_reason: "stop"`).
    pub fn content(text: impl Into<String>) -> Self {
        Self::with_outcome(Outcome::Message {
            content: Some(Content::Text(text.into())),
            tool_calls: Vec::new(),
        })
    }

    /// Answers with the text of the request's last `user` message (text parts joined by
    /// newlines; empty when there is none).
    pub fn echo() -> Self {
        Self::with_outcome(Outcome::Message {
            content: Some(Content::Echo),
            tool_calls: Vec::new(),
        })
    }

    /// Answers with one tool call and no content (`finish_reason: "tool_calls"`).
    pub fn tool_call(call: ToolCall) -> Self {
        Self::tool_calls([call])
    }

    /// Answers with several tool calls at once (parallel tool calls) and no content.
    pub fn tool_calls(calls: impl IntoIterator<Item = ToolCall>) -> Self {
        Self::with_outcome(Outcome::Message {
            content: None,
            tool_calls: calls.into_iter().collect(),
        })
    }

    /// Adds a tool call to a successful answer, after its content and earlier calls.
    /// Has no effect on faults.
    pub fn and_tool_call(mut self, call: ToolCall) -> Self {
        if let Outcome::Message { tool_calls, .. } = &mut self.outcome {
            tool_calls.push(call);
        }
        self
    }

    /// Answers with this HTTP error and OpenAI's error body for it.
    pub fn error(error: ApiError) -> Self {
        Self::with_outcome(Outcome::Error(error))
    }

    /// 429 `rate_limit_exceeded`; see [`ApiError::rate_limited`].
    pub fn rate_limited() -> Self {
        Self::error(ApiError::rate_limited())
    }

    /// 429 `insufficient_quota`; see [`ApiError::insufficient_quota`].
    pub fn insufficient_quota() -> Self {
        Self::error(ApiError::insufficient_quota())
    }

    /// 500 `server_error`; see [`ApiError::server_error`].
    pub fn server_error() -> Self {
        Self::error(ApiError::server_error())
    }

    /// 503 overloaded; see [`ApiError::service_unavailable`].
    pub fn service_unavailable() -> Self {
        Self::error(ApiError::service_unavailable())
    }

    /// 400 `context_length_exceeded`; see [`ApiError::context_length_exceeded`].
    pub fn context_length_exceeded(max_tokens: u64, requested_tokens: u64) -> Self {
        Self::error(ApiError::context_length_exceeded(
            max_tokens,
            requested_tokens,
        ))
    }

    /// 400 `content_filter`; see [`ApiError::content_filter`].
    pub fn content_filter() -> Self {
        Self::error(ApiError::content_filter())
    }

    /// 401 `invalid_api_key`; see [`ApiError::invalid_api_key`].
    pub fn invalid_api_key() -> Self {
        Self::error(ApiError::invalid_api_key())
    }

    /// 404 `model_not_found` naming the request's model; see [`ApiError::model_not_found`].
    pub fn model_not_found() -> Self {
        Self::error(ApiError::model_not_found())
    }

    /// Status 200 with a body that is not valid JSON: a truncated completion for a plain
    /// request; for a streamed one, an event whose data is truncated JSON, then `[DONE]`.
    pub fn malformed_json() -> Self {
        Self::with_outcome(Outcome::MalformedJson)
    }

    /// Closes the connection before sending any byte of the response.
    pub fn disconnect() -> Self {
        Self::with_outcome(Outcome::Disconnect)
    }

    /// Never answers: no status line, no headers, until the client gives up or the server
    /// is dropped.
    pub fn hang() -> Self {
        Self::with_outcome(Outcome::Hang)
    }

    /// Reports this usage instead of the estimate (chat and embeddings).
    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    /// Answers with this reasoning before the content: Anthropic's `thinking` block (with a
    /// signature), Cohere's `thinking` content. The OpenAI fake does not send it.
    pub fn with_reasoning(mut self, text: impl Into<String>) -> Self {
        self.reasoning = Some(text.into());
        self
    }

    /// Waits this long before sending the response headers (for every outcome).
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Waits this long between two stream events.
    pub fn with_stream_delay(mut self, delay: Duration) -> Self {
        self.stream_delay = delay;
        self
    }

    /// Streams the content (and each tool call's arguments) in `pieces` parts of about
    /// equal length, instead of one part per word (and 8-character argument pieces).
    pub fn split_into(mut self, pieces: usize) -> Self {
        self.pieces = Some(pieces.max(1));
        self
    }

    /// Reports this `finish_reason` (for example `"length"`) instead of `"stop"` or
    /// `"tool_calls"`.
    pub fn with_finish_reason(mut self, reason: impl Into<String>) -> Self {
        self.finish_reason = Some(reason.into());
        self
    }

    /// Adds a `Retry-After` header, in whole seconds.
    pub fn with_retry_after_secs(self, seconds: u64) -> Self {
        self.with_header("retry-after", seconds.to_string())
    }

    /// Adds a `retry-after-ms` header, in milliseconds, as OpenAI sends it.
    pub fn with_retry_after_ms(self, millis: u64) -> Self {
        self.with_header("retry-after-ms", millis.to_string())
    }

    /// Adds a response header. Invalid names or values are skipped.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Streamed: closes the connection after `events` events, without `[DONE]` (the
    /// headers are always sent first). Plain: closes the connection before any response.
    pub fn close_after(self, events: usize) -> Self {
        self.with_stream_fault(events, StreamFaultKind::Close)
    }

    /// Streamed: sends `events` events, then nothing, keeping the connection open until
    /// the client gives up or the server is dropped. Plain: never answers.
    pub fn stall_after(self, events: usize) -> Self {
        self.with_stream_fault(events, StreamFaultKind::Stall)
    }

    /// Streamed: sends `events` events, then `data: {"error": {...}}` and ends the stream
    /// without `[DONE]`. Plain: answers with this error and its status.
    pub fn error_after(self, events: usize, error: ApiError) -> Self {
        self.with_stream_fault(events, StreamFaultKind::Error(error))
    }

    fn with_stream_fault(mut self, after: usize, kind: StreamFaultKind) -> Self {
        self.stream_fault = Some(StreamFault { after, kind });
        self
    }
}

/// One function call the assistant makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    pub(crate) id: Option<String>,
    pub(crate) name: String,
    pub(crate) arguments: String,
}

impl ToolCall {
    /// A call of `name` with these JSON arguments (sent as a JSON string, as OpenAI does),
    /// with a generated `call_...` id.
    pub fn new(name: impl Into<String>, arguments: &serde_json::Value) -> Self {
        Self::with_raw_arguments(name, arguments.to_string())
    }

    /// A call whose `arguments` string is sent verbatim, valid JSON or not.
    pub fn with_raw_arguments(name: impl Into<String>, arguments: impl Into<String>) -> Self {
        Self {
            id: None,
            name: name.into(),
            arguments: arguments.into(),
        }
    }

    /// Uses this id instead of a generated one.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// Token usage to report. `completion_tokens` includes `reasoning_tokens` and
/// `prompt_tokens` includes `cached_tokens` and `cache_creation_tokens`, as in OpenAI's
/// usage. Anthropic's fake reports `input_tokens` as what is left of `prompt_tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Usage {
    /// Input tokens, cached ones included.
    pub prompt_tokens: u64,
    /// Output tokens, reasoning ones included.
    pub completion_tokens: u64,
    /// Input tokens read from the prompt cache.
    pub cached_tokens: u64,
    /// Output tokens spent on hidden reasoning.
    pub reasoning_tokens: u64,
    /// Input tokens written to the prompt cache (Anthropic).
    pub cache_creation_tokens: u64,
}

impl Usage {
    /// This many prompt and completion tokens, none cached or reasoning.
    pub fn new(prompt_tokens: u64, completion_tokens: u64) -> Self {
        Self {
            prompt_tokens,
            completion_tokens,
            cached_tokens: 0,
            reasoning_tokens: 0,
            cache_creation_tokens: 0,
        }
    }

    /// Reports this many of the prompt tokens as cached.
    pub fn with_cached_tokens(mut self, cached_tokens: u64) -> Self {
        self.cached_tokens = cached_tokens;
        self
    }

    /// Reports this many of the prompt tokens as written to the prompt cache.
    pub fn with_cache_creation_tokens(mut self, cache_creation_tokens: u64) -> Self {
        self.cache_creation_tokens = cache_creation_tokens;
        self
    }

    /// Reports this many of the completion tokens as reasoning.
    pub fn with_reasoning_tokens(mut self, reasoning_tokens: u64) -> Self {
        self.reasoning_tokens = reasoning_tokens;
        self
    }

    /// `prompt_tokens + completion_tokens`.
    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens.saturating_add(self.completion_tokens)
    }
}
