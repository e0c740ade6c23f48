//! `generateContent` and `streamGenerateContent`: a scripted answer rendered as one
//! `GenerateContentResponse`, or as the server-sent events Gemini streams with `alt=sse`
//! (each a `GenerateContentResponse` holding the next piece: thoughts, then text, then
//! the function calls whole; the finish reason and the full usage on the last one).
//! Without `alt=sse` a stream is one JSON array of those events.

use std::borrow::Cow;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::watch;

use super::{error_json, wire};
use crate::api_error::ApiError;
use crate::ids::random_id;
use crate::render::{estimate_tokens, event_stream, json_response, split, to_json, Split};
use crate::reply::{Content, Outcome, Reply, StreamFaultKind};
use crate::sse::{Fault, Playback};

/// The answer to one request, resolved from the reply and the request.
pub(super) struct Answer<'a> {
    model: &'a str,
    response_id: String,
    reasoning: Option<&'a str>,
    content: Option<Cow<'a, str>>,
    calls: Vec<(&'a str, Value)>,
    finish_reason: Cow<'a, str>,
    usage: crate::Usage,
}

impl<'a> Answer<'a> {
    pub(super) fn new(reply: &'a Reply, request: &'a Value, model: &'a str) -> Self {
        let (content, calls) = match &reply.outcome {
            Outcome::Message {
                content,
                tool_calls,
            } => (content.as_ref(), tool_calls.as_slice()),
            _ => (None, &[][..]),
        };
        let content = content
            .map(|c| match c {
                Content::Text(text) => Cow::Borrowed(text.as_str()),
                Content::Echo => Cow::Owned(last_user_text(request)),
            })
            .filter(|c| !c.is_empty());
        // Gemini sends arguments as a JSON object; text that is not JSON goes as a string,
        // which a client must survive.
        let calls: Vec<_> = calls
            .iter()
            .map(|c| {
                let args = serde_json::from_str(&c.arguments)
                    .unwrap_or_else(|_| Value::String(c.arguments.clone()));
                (c.name.as_str(), args)
            })
            .collect();
        let reasoning = reply.reasoning.as_deref();
        let usage = reply.usage.unwrap_or_else(|| {
            let completion = content.as_deref().map_or(0, estimate_tokens)
                + reasoning.map_or(0, estimate_tokens)
                + calls
                    .iter()
                    .map(|(name, args)| estimate_tokens(name) + estimate_tokens(&args.to_string()))
                    .sum::<u64>();
            let mut usage = crate::Usage::new(estimate_prompt_tokens(request), completion);
            usage.reasoning_tokens = reasoning.map_or(0, estimate_tokens);
            usage
        });
        Self {
            model,
            response_id: random_id("", 22),
            reasoning,
            content,
            calls,
            finish_reason: finish_reason(reply.finish_reason.as_deref()),
            usage,
        }
    }

    /// Usage as Gemini counts it; `partial` is the running count of an early event.
    fn usage_metadata(&self, partial: bool) -> wire::UsageMetadata {
        let u = self.usage;
        let thoughts = u.reasoning_tokens.min(u.completion_tokens);
        let prompt = u.prompt_tokens;
        wire::UsageMetadata {
            prompt_token_count: prompt,
            candidates_token_count: (!partial).then_some(u.completion_tokens - thoughts),
            total_token_count: if partial { prompt } else { u.total_tokens() },
            cached_content_token_count: (u.cached_tokens > 0).then_some(u.cached_tokens),
            thoughts_token_count: (!partial && thoughts > 0).then_some(thoughts),
            prompt_tokens_details: [wire::ModalityTokenCount {
                modality: "TEXT",
                token_count: prompt,
            }],
        }
    }

    fn response(&self, parts: Vec<wire::Part<'_>>, finish: bool) -> Vec<u8> {
        let blocked = finish && is_filtered(&self.finish_reason);
        let candidate = wire::Candidate {
            content: (!parts.is_empty()).then_some(wire::Content {
                parts,
                role: "model",
            }),
            finish_reason: finish.then_some(self.finish_reason.as_ref()),
            safety_ratings: if blocked {
                vec![wire::SafetyRating {
                    category: "HARM_CATEGORY_DANGEROUS_CONTENT",
                    probability: "HIGH",
                    blocked: true,
                }]
            } else {
                Vec::new()
            },
            index: 0,
        };
        to_json(&wire::GenerateContentResponse {
            candidates: Some([candidate]),
            prompt_feedback: None,
            usage_metadata: self.usage_metadata(!finish),
            model_version: self.model,
            response_id: &self.response_id,
        })
    }

    fn thought(text: &str) -> wire::Part<'_> {
        wire::Part {
            text: Some(text),
            thought: Some(true),
            ..wire::Part::default()
        }
    }

    fn text(text: &str) -> wire::Part<'_> {
        wire::Part {
            text: Some(text),
            ..wire::Part::default()
        }
    }

    /// Function calls, the first signed as Gemini signs the calls of a thinking turn.
    fn call_parts(&self) -> Vec<wire::Part<'_>> {
        self.calls
            .iter()
            .enumerate()
            .map(|(i, (name, args))| wire::Part {
                function_call: Some(wire::FunctionCall {
                    name,
                    args: args.clone(),
                }),
                thought_signature: (i == 0).then_some(THOUGHT_SIGNATURE),
                ..wire::Part::default()
            })
            .collect()
    }
}

/// The signature the fake puts on the first function call of a turn (base64, as Gemini's).
pub(crate) const THOUGHT_SIGNATURE: &str = "ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ==";

/// Gemini's `finishReason` for an OpenAI-worded finish reason; Gemini's own words (all
/// capitals: `SAFETY`, `RECITATION`...) pass as they are.
fn finish_reason(reason: Option<&str>) -> Cow<'_, str> {
    Cow::Borrowed(match reason {
        None | Some("stop" | "tool_calls") => "STOP",
        Some("length") => "MAX_TOKENS",
        Some("content_filter") => "SAFETY",
        Some(other) => return Cow::Borrowed(other),
    })
}

fn is_filtered(reason: &str) -> bool {
    matches!(
        reason,
        "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII"
    )
}

/// The body of a non-streamed answer.
pub(super) fn body(answer: &Answer<'_>) -> Vec<u8> {
    let mut parts = Vec::new();
    parts.extend(answer.reasoning.map(Answer::thought));
    parts.extend(answer.content.as_deref().map(Answer::text));
    parts.extend(answer.call_parts());
    answer.response(parts, true)
}

/// The events of a streamed answer, in order.
fn events(answer: &Answer<'_>, reply: &Reply) -> Vec<Vec<u8>> {
    let mut pieces: Vec<Vec<wire::Part<'_>>> = Vec::new();
    if let Some(reasoning) = answer.reasoning {
        for piece in split(reasoning, reply.pieces, Split::Words) {
            pieces.push(vec![Answer::thought(piece)]);
        }
    }
    if let Some(content) = answer.content.as_deref() {
        for piece in split(content, reply.pieces, Split::Words) {
            pieces.push(vec![Answer::text(piece)]);
        }
    }
    // Gemini sends function calls whole, together, in one event.
    let calls = answer.call_parts();
    if !calls.is_empty() {
        pieces.push(calls);
    }
    if pieces.is_empty() {
        pieces.push(Vec::new());
    }
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, parts)| answer.response(parts, i == last))
        .collect()
}

/// A streamed answer: `data: JSON\r\n\r\n` events (Gemini ends its lines with CRLF), with
/// the reply's delay between them and its fault; no `[DONE]`, the body just ends.
pub(super) fn stream(
    answer: &Answer<'_>,
    reply: &Reply,
    sse: bool,
    signal: watch::Receiver<bool>,
) -> Response {
    let events = events(answer, reply);
    if !sse {
        let mut array = Vec::new();
        array.push(b'[');
        for (i, event) in events.iter().enumerate() {
            if i > 0 {
                array.extend_from_slice(b",\r\n");
            }
            array.extend_from_slice(event);
        }
        array.push(b']');
        return json_response(StatusCode::OK, array);
    }
    let events: Vec<Bytes> = events.iter().map(|e| sse_event(e)).collect();
    let fault = reply.stream_fault.as_ref().map(|f| {
        let fault = match &f.kind {
            StreamFaultKind::Close => Fault::Close,
            StreamFaultKind::Stall => Fault::Stall,
            StreamFaultKind::Error(error) => {
                Fault::LastEvent(sse_event(&error_json(error, answer.model)))
            }
        };
        (f.after.min(events.len().saturating_sub(1)), fault)
    });
    let playback = Playback {
        events,
        delay: reply.stream_delay,
        fault,
    };
    event_stream(playback.into_body(signal))
}

fn sse_event(json: &[u8]) -> Bytes {
    let mut bytes = Vec::with_capacity(json.len() + 10);
    bytes.extend_from_slice(b"data: ");
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b"\r\n\r\n");
    Bytes::from(bytes)
}

/// A prompt Gemini refuses: status 200, no candidate, `promptFeedback.blockReason`.
pub(super) fn blocked(answer: &Answer<'_>, stream: bool) -> Response {
    let body = to_json(&wire::GenerateContentResponse {
        candidates: None,
        prompt_feedback: Some(wire::PromptFeedback {
            block_reason: "SAFETY",
            safety_ratings: vec![wire::SafetyRating {
                category: "HARM_CATEGORY_HARASSMENT",
                probability: "HIGH",
                blocked: true,
            }],
        }),
        usage_metadata: wire::UsageMetadata {
            candidates_token_count: None,
            thoughts_token_count: None,
            total_token_count: answer.usage.prompt_tokens,
            ..answer.usage_metadata(true)
        },
        model_version: answer.model,
        response_id: &answer.response_id,
    });
    if stream {
        event_stream(Body::from(sse_event(&body)))
    } else {
        json_response(StatusCode::OK, body)
    }
}

/// Status 200 whose body is cut in the middle of the JSON.
pub(super) fn malformed(stream: bool) -> Response {
    let cut = r#"{"candidates": [{"content": {"parts": [{"text": "Hel"#;
    if stream {
        return event_stream(Body::from(format!("data: {cut}\r\n\r\n")));
    }
    json_response(StatusCode::OK, cut.as_bytes().to_vec())
}

/// Whether a scripted error is the prompt block Gemini reports inside a 200 answer.
pub(super) fn is_prompt_block(error: &ApiError) -> bool {
    error.code.as_deref() == Some("content_filter")
}

/// The text of the last `user` turn's text parts, joined by newlines.
fn last_user_text(request: &Value) -> String {
    request["contents"]
        .as_array()
        .and_then(|contents| {
            contents.iter().rev().find(|c| {
                c["role"] == "user"
                    && c["parts"]
                        .as_array()
                        .is_some_and(|p| p.iter().any(|p| p["text"].is_string()))
            })
        })
        .map(|c| texts(&c["parts"]))
        .unwrap_or_default()
}

fn texts(parts: &Value) -> String {
    parts
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Four tokens per turn plus its text, the system instruction, and three to prime.
fn estimate_prompt_tokens(request: &Value) -> u64 {
    let turns = request["contents"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let system = estimate_tokens(&texts(&request["systemInstruction"]["parts"]));
    3 + system
        + turns
            .iter()
            .map(|c| 4 + estimate_tokens(&texts(&c["parts"])))
            .sum::<u64>()
}
