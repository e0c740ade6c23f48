//! Fake upstream LLM servers for llmrelay's tests and benchmarks.
//!
//! [`FakeOpenAi`] is an OpenAI API on a loopback port that answers in OpenAI's exact wire
//! format (chat completions, plain and streamed as server-sent events, embeddings, the
//! model list) and is scripted per request with [`Reply`]s: fixed or echoed content, tool
//! calls, usage, latency, pacing of stream events, and faults (HTTP errors with OpenAI's
//! bodies and `Retry-After`, malformed JSON, connections dropped or stalled mid-stream,
//! error events). It records what it receives so a test can check what a client sent.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use llmrelay_testkit::{ApiError, FakeOpenAi, Reply, ToolCall, Usage};
//!
//! let upstream = FakeOpenAi::start().await?;
//! upstream.push(Reply::rate_limited().with_retry_after_secs(1));
//! upstream.push(Reply::content("Paris.").with_usage(Usage::new(20, 2).with_cached_tokens(16)));
//! upstream.push(Reply::tool_call(ToolCall::new("get_weather", &serde_json::json!({"city": "Paris"}))));
//! upstream.push(Reply::echo().split_into(3).close_after(2));
//! upstream.push(Reply::content("partial").error_after(1, ApiError::server_error()));
//! // A client pointed at `upstream.base_url()` now meets these five answers in order,
//! // then the default reply.
//! let requests = upstream.requests();
//! # let _ = requests;
//! # Ok(()) }
//! ```
//!
//! [`FakeAnthropic`] (the Messages API) and [`FakeCohere`] (v2 chat and embed) take the
//! same [`Reply`]s and faults and answer in their provider's wire format: its JSON, its
//! `event:`-named server-sent events, its error bodies. All three are instances of
//! [`FakeUpstream`], which owns the listener, the script queue and the recording.
//!
//! [`FakeGemini`] speaks Gemini on both of Google's URL shapes (AI Studio's
//! `/v1beta/models/...` and Vertex AI's `/v1/projects/.../publishers/google/models/...`)
//! and serves an OAuth2 token endpoint, so Vertex service-account authentication is
//! tested on loopback too.
//!
//! The `llmrelay-mock` binary serves the default reply forever on a fixed port, for load
//! benchmarks.
//!
//! This crate is for tests and benchmarks only: it is not a model, not a proxy, and it
//! accepts any API key unless told to require one.

#![warn(missing_docs)]

mod anthropic;
mod api_error;
mod bedrock;
mod cohere;
mod gemini;
mod ids;
mod openai;
mod record;
mod render;
mod reply;
mod server;
mod sse;
mod vectors;

pub use anthropic::{FakeAnthropic, FakeAnthropicBuilder};
pub use api_error::ApiError;
pub use bedrock::{FakeBedrock, FakeBedrockBuilder};
pub use cohere::{FakeCohere, FakeCohereBuilder};
pub use gemini::{FakeGemini, FakeGeminiBuilder, DEFAULT_ACCESS_TOKEN};
pub use openai::audio::wav;
pub use record::RecordedRequest;
pub use reply::{Reply, ToolCall, Usage, DEFAULT_CONTENT};
pub use server::{
    wire, AnthropicWire, BedrockWire, CohereWire, FakeOpenAi, FakeOpenAiBuilder, FakeUpstream,
    FakeUpstreamBuilder, GeminiWire, OpenAiWire, Wire,
};
