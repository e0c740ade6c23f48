//! llmrelay: one OpenAI-format API to every LLM provider.
//!
//! This crate is the SDK. Discovery (which models exist, their limits, prices
//! and capabilities) comes from the compiled catalog in `llmrelay-catalog` and
//! costs nothing at start-up. Execution is per provider: a provider is a pure
//! translation ([`providers`](crate::providers) is private; OpenAI-compatible
//! providers are catalog rows), and the transport (built on first use) owns
//! sockets, timeouts and retries.
//!
//! ```no_run
//! # async fn demo() -> Result<(), llmrelay::Error> {
//! use llmrelay::{CallOptions, ChatRequest, Client, Message};
//! let client = Client::new();
//! let request = ChatRequest::new("groq/llama-3.3-70b-versatile", vec![Message::user("Hello")]);
//! let response = client.completion(request, &CallOptions::default()).await?;
//! println!("{:?} cost ${:?}", response.choices[0].message.content, response.cost);
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

#[doc(hidden)]
pub mod bench_support;
mod client;
mod cost;
mod credentials;
mod error;
mod mock;
mod model_info;
mod options;
mod providers;
mod route;
mod stream;
mod tokens;
mod transport;
pub mod types;

pub use client::Client;
pub use cost::{
    completion_cost, cost_per_token, cost_per_token_at, custom_cost, is_unpriced, price_by_name,
};
pub use error::{Error, ErrorKind, MAX_UPSTREAM_BODY};
pub use llmrelay_catalog as catalog;
pub use llmrelay_catalog::{Cost, ServiceTier};
/// JSON values written as Python writes them (`str()`, `repr()`, `json.dumps`), for LiteLLM's derived keys and counts.
pub use llmrelay_tokens::pyfmt;
/// The text LiteLLM counts for a tool list (for counting with a caller's own tokenizer).
pub use llmrelay_tokens::typescript_namespace as tool_definitions_text;
pub use mock::mock_embedding;
pub use model_info::{
    get_llm_provider, get_max_tokens, get_model_info, model_info, supports_audio_input,
    supports_audio_output, supports_function_calling, supports_parallel_function_calling,
    supports_pdf_input, supports_prompt_caching, supports_reasoning, supports_response_schema,
    supports_system_messages, supports_tool_choice, supports_vision, supports_web_search,
};
pub use options::{AwsOptions, CallOptions, ClientConfig, Headers, Secret, VertexOptions};
pub use stream::{stream_chunk_builder, ChatStream};
pub use tokens::{decode, encode, token_counter, tool_choice_tokens, TokenInput};
pub use types::{
    ChatChunk, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse,
    ImageGenerationRequest, ImageResponse, Message, ModerationRequest, ModerationResponse,
    RerankRequest, RerankResponse, Role, SpeechRequest, SpeechResponse, TranscriptionRequest,
    TranscriptionResponse, Usage,
};
