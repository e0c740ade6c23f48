//! Anthropic's Messages API (`/v1/messages`, `/v1/messages/count_tokens`)
//! in front of any provider: a Messages request becomes a `ChatRequest`, the
//! answer goes back as a Messages response or Anthropic's SSE events.

mod request;
mod response;
mod stream;
mod wire;

pub use request::{to_chat, CountTokensRequest};
pub use response::from_chat;
pub use stream::MessagesEncoder;
pub use wire::MessagesRequest;

/// Anthropic's `stop_reason` for an OpenAI `finish_reason`.
pub(crate) fn stop_reason(finish_reason: Option<&str>) -> &'static str {
    match finish_reason {
        Some("length") => "max_tokens",
        Some("tool_calls") | Some("function_call") => "tool_use",
        Some("content_filter") => "refusal",
        _ => "end_turn",
    }
}
