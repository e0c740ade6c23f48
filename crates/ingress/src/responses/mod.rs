//! OpenAI's Responses API (`/v1/responses`) over chat: `input` items become
//! messages, the chat answer becomes `output` items, and a chat stream
//! becomes the `response.*` events.

mod request;
mod response;
mod stream;

pub use request::{to_chat, ResponsesRequest};
pub use response::from_chat;
pub use stream::ResponsesEncoder;
