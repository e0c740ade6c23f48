//! Fixtures of Anthropic's streaming events (the sequences of Anthropic's streaming
//! reference), the fold of their chunks against the unstreamed answer, and a fuzz of the
//! stream translation: no sequence of events or bytes makes it panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::providers::EventParser;
use proptest::prelude::*;
use serde_json::json;

use super::stream::StreamState;
use super::tests::target;
use crate::error::ErrorKind;
use crate::providers::{RawEvent, StreamEvent, Target};
use crate::stream::stream_chunk_builder;
use crate::types::ChatChunk;

/// Parses an SSE body (`event:`/`data:` pairs) and returns the chunks, or the first error.
fn run(target: &Target, sse: &str) -> Result<(Vec<ChatChunk>, bool), crate::Error> {
    let mut state =
        <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
    let mut chunks = Vec::new();
    for frame in sse.split("\n\n").filter(|f| !f.trim().is_empty()) {
        let mut event = "";
        let mut data = String::new();
        for line in frame.lines() {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name;
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push_str(d);
            }
        }
        match state.parse(target, RawEvent { event, data: &data })? {
            StreamEvent::Chunk(c) => chunks.push(*c),
            StreamEvent::Done => return Ok((chunks, true)),
            StreamEvent::Skip => {}
        }
    }
    Ok((chunks, false))
}

const TEXT_STREAM: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_stop
data: {"type":"message_stop"}

"#;

#[test]
fn text_stream_folds_into_the_unstreamed_answer() {
    let target = target("anthropic/claude-sonnet-4-5");
    let (chunks, done) = run(&target, TEXT_STREAM).unwrap();
    assert!(done);
    assert_eq!(
        chunks[0].choices[0].delta.role,
        Some(crate::types::Role::Assistant)
    );
    assert!(chunks
        .iter()
        .all(|c| c.id == "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY"));
    let folded = stream_chunk_builder(&chunks).unwrap();
    let plain = target
        .adapter
        .parse_chat(
            &target,
            json!({"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "model": "claude-sonnet-4-5-20250929",
                "content": [{"type": "text", "text": "Hello!"}], "stop_reason": "end_turn",
                "usage": {"input_tokens": 25, "cache_creation_input_tokens": 100,
                    "cache_read_input_tokens": 2000, "output_tokens": 15}})
            .to_string()
            .as_bytes(), crate::providers::TEST_NOW)
        .unwrap();
    assert_eq!(
        folded.choices[0].message.content,
        plain.choices[0].message.content
    );
    assert_eq!(
        folded.choices[0].finish_reason,
        plain.choices[0].finish_reason
    );
    assert_eq!(folded.usage, plain.usage);
    assert_eq!(folded.usage.as_ref().unwrap().prompt_tokens, 2125);
    assert_eq!(folded.model, plain.model);
}

const TOOL_AND_THINKING_STREAM: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I need the weather."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Okay, let's check."}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":" \"San Francisco, CA\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":2}

event: content_block_start
data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":3}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}
"#;

#[test]
fn tool_calls_and_thinking_stream_by_index() {
    let target = target("anthropic/claude-sonnet-4-5");
    let (chunks, done) = run(&target, TOOL_AND_THINKING_STREAM).unwrap();
    assert!(done);
    let folded = stream_chunk_builder(&chunks).unwrap();
    let message = &folded.choices[0].message;
    assert_eq!(
        message.reasoning_content.as_deref(),
        Some("I need the weather.")
    );
    assert_eq!(message.content.as_deref(), Some("Okay, let's check."));
    let calls = message.tool_calls.as_ref().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].id, "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assert_eq!(calls[0].function.name, "get_weather");
    assert_eq!(
        calls[0].function.arguments,
        r#"{"location": "San Francisco, CA"}"#
    );
    assert_eq!(calls[1].function.name, "get_time");
    assert_eq!(calls[1].function.arguments, "{}");
    assert_eq!(
        folded.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    let usage = folded.usage.unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (472, 89));
}

#[test]
fn the_response_format_tool_streams_as_content() {
    let target = target("anthropic/claude-3-5-haiku-20241022");
    let sse = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_2","model":"claude-3-5-haiku-20241022","usage":{"input_tokens":9,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"json_tool_call","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}
"#;
    let (chunks, done) = run(&target, sse).unwrap();
    assert!(
        !done,
        "no message_stop: the caller still has a finished answer"
    );
    let folded = stream_chunk_builder(&chunks).unwrap();
    assert_eq!(
        folded.choices[0].message.content.as_deref(),
        Some(r#"{"city":"Paris"}"#)
    );
    assert!(folded.choices[0].message.tool_calls.is_none());
    assert_eq!(folded.choices[0].finish_reason.as_deref(), Some("stop"));
}

#[test]
fn message_delta_usage_with_input_counts_wins() {
    let target = target("anthropic/claude-sonnet-4-5");
    let sse = r#"event: message_start
data: {"type":"message_start","message":{"id":"m","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":1}}}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"cache_read_input_tokens":5,"output_tokens":3}}
"#;
    let (chunks, _) = run(&target, sse).unwrap();
    let usage = chunks.last().unwrap().usage.clone().unwrap();
    assert_eq!(usage.prompt_tokens, 17);
    assert_eq!(usage.prompt_tokens_details.unwrap().cached_tokens, 5);
}

#[test]
fn error_events_and_garbage_are_typed_errors() {
    let target = target("anthropic/claude-sonnet-4-5");
    let overloaded = "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n";
    let err = run(&target, overloaded).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ServiceUnavailable);
    assert_eq!(err.upstream_status, None);
    let limited = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}\n\n";
    assert_eq!(
        run(&target, limited).unwrap_err().kind,
        ErrorKind::RateLimit
    );
    // Cut inside an event.
    let cut = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n";
    assert_eq!(
        run(&target, cut).unwrap_err().kind,
        ErrorKind::InternalServer
    );
    // Input for a block that was never opened as a tool call.
    let stray = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":4,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n";
    assert_eq!(
        run(&target, stray).unwrap_err().kind,
        ErrorKind::InternalServer
    );
    // Events Anthropic may add later are skipped.
    let newer = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{}}}\n\nevent: future\ndata: {\"type\":\"future_event\"}\n\n";
    assert!(run(&target, newer).unwrap().0.is_empty());
}

/// Fragments of real events, to build plausible and broken sequences from.
const PIECES: &[&str] = &[
    r#"{"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1}}}"#,
    r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
    r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}}"#,
    r#"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"j","name":"json_tool_call","input":{}}}"#,
    r#"{"type":"content_block_start","index":3,"content_block":{"type":"thinking","thinking":"x"}}"#,
    r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}"#,
    r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\""}}"#,
    r#"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"1}"}}"#,
    r#"{"type":"content_block_delta","index":3,"delta":{"type":"thinking_delta","thinking":"y"}}"#,
    r#"{"type":"content_block_stop","index":1}"#,
    r#"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":4294967296}}"#,
    r#"{"type":"message_stop"}"#,
    r#"{"type":"ping"}"#,
    r#"{"type":"error","error":{"type":"overloaded_error"}}"#,
    r#"{"type":"error","error":"text"}"#,
    r#"{"type":"content_block_delta","index":-1}"#,
    r#"{"type":"message_delta","usage":{"output_tokens":-3}}"#,
    r#"[]"#,
    r#"null"#,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_event_sequences_never_panic(
        picks in proptest::collection::vec((0..PIECES.len(), any::<u8>(), any::<bool>()), 0..40)
    ) {
        let target = target("anthropic/claude-sonnet-4-5");
        let mut state = <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
        for (pick, cut, truncate) in picks {
            let piece = PIECES[pick];
            // Sometimes cut the event short, anywhere (on a char boundary).
            let end = if truncate { (cut as usize) % (piece.len() + 1) } else { piece.len() };
            let end = (0..=end).rev().find(|&i| piece.is_char_boundary(i)).unwrap_or(0);
            let _ = state.parse(&target, RawEvent { event: "", data: &piece[..end] });
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in ".{0,300}", event in "[a-z_]{0,20}") {
        let target = target("anthropic/claude-sonnet-4-5");
        let mut state = <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
        let _ = state.parse(&target, RawEvent { event: &event, data: &data });
        let _ = state.parse(&target, RawEvent { event: "message_stop", data: &data });
    }
}
