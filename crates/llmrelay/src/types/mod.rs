//! The unified request and response types, in OpenAI's chat-completions
//! shape. Every struct keeps fields it does not know in `extra`, so a
//! provider-specific or newer OpenAI field passes through untouched in both
//! directions.

mod audio;
mod chunk;
mod embedding;
mod image;
mod models;
mod moderation;
mod request;
mod rerank;
mod response;

pub use audio::{
    AudioFile, SpeechRequest, SpeechResponse, TranscriptionRequest, TranscriptionResponse,
};
pub use chunk::{ChatChunk, ChunkChoice, Delta, FunctionCallDelta, ToolCallDelta};
pub use embedding::{
    Embedding, EmbeddingInput, EmbeddingRequest, EmbeddingResponse, EmbeddingUsage, EmbeddingVector,
};
pub use image::{ImageData, ImageGenerationRequest, ImageResponse};
pub use models::{ModelCard, ModelList};
pub use moderation::{ModerationRequest, ModerationResponse, ModerationResult};
pub use request::{
    ChatRequest, Content, ContentPart, FileRef, FunctionDefinition, ImageUrl, JsonSchemaFormat,
    Message, ResponseFormat, Role, Stop, StreamOptions, Tool, ToolChoice, ToolChoiceFunction,
    ToolChoiceMode,
};
pub use rerank::{RerankRequest, RerankResponse, RerankResult};
pub use response::{
    ChatResponse, Choice, CompletionTokensDetails, FunctionCall, PromptTokensDetails,
    ResponseMessage, ToolCall, Usage,
};

/// Fields a type does not model, kept verbatim.
pub type Extra = serde_json::Map<String, serde_json::Value>;
