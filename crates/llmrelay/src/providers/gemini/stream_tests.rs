//! Property tests of Gemini's stream translation through the real SSE decoder: a
//! valid stream cut anywhere into network pieces decodes to the same answer, a
//! truncated one is a typed error, and arbitrary bytes never panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::json;

use crate::error::{Error, ErrorKind};
use crate::types::ChatResponse;

fn decode(pieces: Vec<Vec<u8>>) -> Result<ChatResponse, Error> {
    let chunks = crate::stream::decode_for_test("gemini/gemini-2.5-pro", pieces)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    crate::stream::stream_chunk_builder(&chunks)
        .ok_or_else(|| Error::new(ErrorKind::InternalServer, "no chunk"))
}

/// A Gemini SSE body: one event per text piece (CRLF-framed, as Gemini sends them), a
/// function call and the finish reason and usage on the last.
fn body(texts: &[String], call: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let last = texts.len();
    for text in texts {
        let event = json!({"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}],
                           "usageMetadata": {"promptTokenCount": 7}, "modelVersion": "gemini-2.5-pro", "responseId": "r"});
        out.extend_from_slice(format!("data: {event}\r\n\r\n").as_bytes());
    }
    let parts = if call {
        json!([{"functionCall": {"name": "f", "args": {"n": last}}}])
    } else {
        json!([])
    };
    let end = json!({"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}],
                     "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 3, "totalTokenCount": 10},
                     "modelVersion": "gemini-2.5-pro", "responseId": "r"});
    out.extend_from_slice(format!("data: {end}\r\n\r\n").as_bytes());
    out
}

/// `bytes` cut at the given (sorted, deduplicated) positions.
fn cut(bytes: &[u8], mut at: Vec<usize>) -> Vec<Vec<u8>> {
    at.retain(|p| *p < bytes.len());
    at.sort_unstable();
    at.dedup();
    let mut pieces = Vec::new();
    let mut start = 0;
    for p in at {
        pieces.push(bytes[start..p].to_vec());
        start = p;
    }
    pieces.push(bytes[start..].to_vec());
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_valid_stream_cut_anywhere_decodes_to_the_same_answer(
        texts in proptest::collection::vec("[ -~é😀\n]{0,12}", 0..6),
        call in any::<bool>(),
        cuts in proptest::collection::vec(0usize..2000, 0..10),
    ) {
        let bytes = body(&texts, call);
        let response = decode(cut(&bytes, cuts)).unwrap();
        let choice = &response.choices[0];
        let text: String = texts.concat();
        prop_assert_eq!(choice.message.content.clone().unwrap_or_default(), text);
        prop_assert_eq!(choice.message.tool_calls.is_some(), call);
        let finish = if call { "tool_calls" } else { "stop" };
        prop_assert_eq!(choice.finish_reason.as_deref(), Some(finish));
        prop_assert_eq!(response.usage.unwrap().total_tokens, 10);
    }

    #[test]
    fn a_truncated_stream_is_a_typed_error_or_the_whole_answer(
        texts in proptest::collection::vec("[a-z ]{1,8}", 1..5),
        keep in 0usize..2000,
    ) {
        let bytes = body(&texts, false);
        let keep = keep % bytes.len();
        match decode(vec![bytes[..keep].to_vec()]) {
            // Only a cut inside the final blank line leaves a complete answer.
            Ok(response) => prop_assert_eq!(response.choices[0].message.content.clone(), Some(texts.concat())),
            Err(err) => prop_assert!(
                matches!(err.kind, ErrorKind::ApiConnection | ErrorKind::InternalServer),
                "{err}"
            ),
        }
    }

    #[test]
    fn arbitrary_event_data_never_panics(data in "\\PC{0,200}") {
        let bytes = format!("data: {data}\r\n\r\n").into_bytes();
        let _ = decode(vec![bytes]);
    }

    #[test]
    fn arbitrary_json_shaped_events_never_panic(
        index in any::<u32>(),
        reason in "[A-Z_]{0,12}",
        tokens in any::<u64>(),
        text in "\\PC{0,20}",
    ) {
        let event = json!({"candidates": [{"content": {"parts": [{"text": text, "thought": tokens % 2 == 0},
                              {"functionCall": {"name": text, "args": tokens}}]}, "finishReason": reason, "index": index}],
                           "usageMetadata": {"promptTokenCount": tokens, "candidatesTokenCount": tokens,
                                             "thoughtsTokenCount": tokens, "totalTokenCount": 1}});
        let _ = decode(vec![format!("data: {event}\r\n\r\n").into_bytes()]);
    }
}
