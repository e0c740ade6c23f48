//! `ChatChunk`: one server-sent event of a streamed chat completion.

use serde::{Deserialize, Serialize};

use super::request::Role;
use super::response::Usage;
use super::Extra;

/// One chunk of a streamed response (`chat.completion.chunk`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatChunk {
    /// Same id on every chunk of a response.
    pub id: String,
    /// `chat.completion.chunk`.
    #[serde(default = "chunk_object")]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: u64,
    /// The model that answers.
    #[serde(default)]
    pub model: String,
    /// Deltas, one per choice index (empty on the final usage chunk).
    #[serde(default)]
    pub choices: Vec<ChunkChoice>,
    /// Usage of the whole call, on the last chunk when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Backend fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// What the whole call cost in US dollars, on the chunk that carries
    /// the usage (attached by the client, as LiteLLM's final chunk carries
    /// `response_cost`). Not part of the wire format.
    #[serde(skip)]
    pub cost: Option<f64>,
}

impl ChatChunk {
    /// A chunk of a one-choice stream: `delta` for choice 0, and the finish
    /// reason when this is the choice's last chunk.
    pub fn single(
        id: &str,
        created: u64,
        model: &str,
        delta: Delta,
        finish_reason: Option<String>,
    ) -> Self {
        ChatChunk {
            id: id.to_string(),
            object: chunk_object(),
            created,
            model: model.to_string(),
            choices: vec![ChunkChoice {
                index: 0,
                delta,
                finish_reason,
                ..ChunkChoice::default()
            }],
            ..ChatChunk::default()
        }
    }
}

fn chunk_object() -> String {
    String::from("chat.completion.chunk")
}

/// The delta of one choice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChunkChoice {
    /// Choice index.
    #[serde(default)]
    pub index: u32,
    /// What this chunk adds.
    #[serde(default)]
    pub delta: Delta,
    /// Set on the choice's last chunk.
    #[serde(default)]
    pub finish_reason: Option<String>,
    /// Log probabilities, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<serde_json::Value>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Text, reasoning or tool-call fragments added by a chunk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// On the first chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// A piece of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// A piece of the reasoning text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<String>,
    /// Fragments of tool calls, by index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    /// A piece of a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Delta {
    /// A delta carrying one fragment of tool call `index`: its opening (with `id`, which
    /// also sets `type: function`, and `name`) or a piece of its arguments.
    pub(crate) fn tool_call(
        index: u32,
        id: Option<String>,
        name: Option<String>,
        arguments: String,
    ) -> Delta {
        let kind = id.as_ref().map(|_| String::from("function"));
        Delta {
            tool_calls: Some(vec![ToolCallDelta {
                index,
                id,
                kind,
                function: Some(FunctionCallDelta {
                    name,
                    arguments: Some(arguments),
                }),
            }]),
            ..Delta::default()
        }
    }
}

/// A fragment of a tool call: the first carries id and name, later ones
/// pieces of the arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolCallDelta {
    /// Which call of the turn this fragment belongs to.
    #[serde(default)]
    pub index: u32,
    /// Call id (first fragment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `function` (first fragment).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name and argument pieces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionCallDelta>,
}

/// Name (first fragment) and a piece of the arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionCallDelta {
    /// Function name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A piece of the JSON arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}
