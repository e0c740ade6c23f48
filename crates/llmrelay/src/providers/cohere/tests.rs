//! Fixtures of Cohere's v2 wire format: the chat and embed bodies we must send, the
//! answers, stream events and errors we must read (shapes from Cohere's API reference).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::providers::EventParser;
use serde_json::{json, Value};

use super::stream::StreamState;
use crate::error::ErrorKind;
use crate::options::CallOptions;
use crate::providers::{resolve_target, RawEvent, StreamEvent, Target};
use crate::stream::stream_chunk_builder;
use crate::types::{ChatRequest, EmbeddingRequest};

const COMMAND: &str = "cohere_chat/command-r-08-2024";

fn target_with(model: &str, drop_params: bool) -> Target {
    let options = CallOptions {
        api_base: Some(String::from("https://api.cohere.com")),
        api_key: Some("co-test-key".into()),
        drop_params: Some(drop_params),
        ..CallOptions::default()
    };
    resolve_target(model, &options).unwrap()
}

fn target(model: &str) -> Target {
    target_with(model, false)
}

fn request(body: Value) -> ChatRequest {
    serde_json::from_value(body).unwrap()
}

fn sent(body: Value) -> Value {
    let target = target(COMMAND);
    let http = target
        .adapter
        .chat_request(&target, &request(body), crate::providers::TEST_NOW)
        .unwrap();
    serde_json::from_slice(&http.body).unwrap()
}

fn sent_error(drop_params: bool, body: Value) -> crate::Error {
    let target = target_with(COMMAND, drop_params);
    target
        .adapter
        .chat_request(&target, &request(body), crate::providers::TEST_NOW)
        .unwrap_err()
}

#[test]
fn chat_url_auth_and_exact_body() {
    let target = target("cohere/command-r-08-2024");
    assert_eq!(target.provider.name, "cohere_chat");
    let http = target
        .adapter
        .chat_request(
            &target,
            &request(json!({"model": "x", "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi"}
            ], "top_p": 0.9, "stop": ["END"], "max_completion_tokens": 50, "stream": true})),
            crate::providers::TEST_NOW,
        )
        .unwrap();
    assert_eq!(http.url, "https://api.cohere.com/v2/chat");
    assert!(http
        .headers
        .contains(&("authorization".into(), "Bearer co-test-key".into())));
    assert_eq!(
        std::str::from_utf8(&http.body).unwrap(),
        r#"{"model":"command-r-08-2024","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":50,"stop_sequences":["END"],"p":0.9,"stream":true}"#
    );
}

#[test]
fn tool_round_trip_and_images() {
    let body = sent(json!({"model": COMMAND, "messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}
        ]},
        {"role": "assistant", "content": "I will search.", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "search", "arguments": "{\"q\":\"x\"}"}}
        ]},
        {"role": "tool", "tool_call_id": "call_1", "content": "a cat"},
        {"role": "assistant", "content": "A cat."}
    ]}));
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}
            ]},
            {"role": "assistant", "tool_plan": "I will search.", "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "search", "arguments": "{\"q\":\"x\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "a cat"},
            {"role": "assistant", "content": "A cat."}
        ])
    );
    let err = sent_error(
        false,
        json!({"model": COMMAND, "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "not-a-url"}}
        ]}]}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
}

#[test]
fn tools_and_tool_choice() {
    let tools = json!([
        {"type": "function", "function": {"name": "search", "description": "Search", "parameters": {"type": "object"}, "strict": true}},
        {"type": "function", "function": {"name": "time"}}
    ]);
    let with = |choice: Value| {
        let mut body = json!({"model": COMMAND, "messages": [{"role": "user", "content": "x"}], "tools": tools});
        if !choice.is_null() {
            body["tool_choice"] = choice;
        }
        sent(body)
    };
    let plain = with(Value::Null);
    assert_eq!(
        plain["tools"],
        json!([
            {"type": "function", "function": {"name": "search", "description": "Search", "parameters": {"type": "object"}}},
            {"type": "function", "function": {"name": "time"}}
        ])
    );
    assert_eq!(plain["strict_tools"], true);
    assert!(plain.get("tool_choice").is_none());
    assert_eq!(with(json!("required"))["tool_choice"], "REQUIRED");
    assert_eq!(with(json!("none"))["tool_choice"], "NONE");
    let named = with(json!({"type": "function", "function": {"name": "time"}}));
    assert_eq!(named["tool_choice"], "REQUIRED");
    assert_eq!(named["tools"].as_array().unwrap().len(), 1);
    assert_eq!(named["tools"][0]["function"]["name"], "time");
    let err = sent_error(
        false,
        json!({"model": COMMAND, "messages": [{"role": "user", "content": "x"}], "tools": tools,
            "tool_choice": {"type": "function", "function": {"name": "nope"}}}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
}

#[test]
fn response_format_thinking_and_unsupported_parameters() {
    let messages = json!([{"role": "user", "content": "x"}]);
    let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    assert_eq!(
        sent(
            json!({"model": COMMAND, "messages": messages, "response_format": {"type": "json_object"}})
        )["response_format"],
        json!({"type": "json_object"})
    );
    assert_eq!(
        sent(
            json!({"model": COMMAND, "messages": messages, "response_format":
            {"type": "json_schema", "json_schema": {"name": "n", "schema": schema}}})
        )["response_format"],
        json!({"type": "json_object", "json_schema": schema})
    );
    let reasoning = "cohere_chat/command-a-reasoning-08-2025";
    let target = target(reasoning);
    let http = target
        .adapter
        .chat_request(
            &target,
            &request(json!({"model": reasoning, "messages": messages, "reasoning_effort": "high"})),
            crate::providers::TEST_NOW,
        )
        .unwrap();
    let body: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(
        body["thinking"],
        json!({"type": "enabled", "token_budget": 4096})
    );
    let err = sent_error(
        false,
        json!({"model": COMMAND, "messages": messages, "n": 3, "user": "u1", "logit_bias": {}}),
    );
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
    assert!(err.message.contains("user"), "{err}");
    // command-r does not reason, says the catalog.
    let err = sent_error(
        false,
        json!({"model": COMMAND, "messages": messages, "reasoning_effort": "low"}),
    );
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
    let target = target_with(COMMAND, true);
    let http = target
        .adapter
        .chat_request(
            &target,
            &request(json!({"model": COMMAND, "messages": messages, "n": 3, "user": "u1", "k": 5})),
            crate::providers::TEST_NOW,
        )
        .unwrap();
    let body: Value = serde_json::from_slice(&http.body).unwrap();
    assert!(body.get("user").is_none() && body.get("n").is_none());
    assert_eq!(body["k"], 5, "unknown fields pass through");
}

fn parse(body: Value) -> Result<crate::types::ChatResponse, crate::Error> {
    crate::providers::parse_priced(&target(COMMAND), &body)
}

#[test]
fn parses_text_tool_calls_and_bills_billed_units() {
    let response = parse(json!({
        "id": "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
        "finish_reason": "COMPLETE",
        "message": {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Hmm."},
            {"type": "text", "text": "Hello"}, {"type": "text", "text": " world"}
        ], "citations": [{"start": 0, "end": 5, "text": "Hello", "sources": []}]},
        "usage": {"billed_units": {"input_tokens": 1000, "output_tokens": 200},
            "tokens": {"input_tokens": 1216, "output_tokens": 200}}
    }))
    .unwrap();
    let choice = &response.choices[0];
    assert_eq!(choice.message.content.as_deref(), Some("Hello world"));
    assert_eq!(choice.message.reasoning_content.as_deref(), Some("Hmm."));
    assert!(choice.message.extra.contains_key("citations"));
    assert_eq!(choice.finish_reason.as_deref(), Some("stop"));
    assert_eq!(response.model, "command-r-08-2024");
    let usage = response.usage.as_ref().unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (1000, 200, 1200)
    );
    let expected = 1000.0 * 1.5e-7 + 200.0 * 6e-7;
    assert!((response.cost.unwrap() - expected).abs() < 1e-15);

    let response = parse(json!({
        "id": "r2", "finish_reason": "TOOL_CALL",
        "message": {"role": "assistant", "tool_plan": "I will look it up.", "tool_calls": [
            {"id": "search_1", "type": "function", "function": {"name": "search", "arguments": "{\"q\":\"Paris\"}"}}
        ]},
        "usage": {"tokens": {"input_tokens": 30, "output_tokens": 12.0}}
    }))
    .unwrap();
    let choice = &response.choices[0];
    assert_eq!(
        choice.message.content.as_deref(),
        Some("I will look it up.")
    );
    let call = &choice.message.tool_calls.as_ref().unwrap()[0];
    assert_eq!(
        (call.id.as_str(), call.function.name.as_str()),
        ("search_1", "search")
    );
    assert_eq!(choice.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(response.usage.as_ref().unwrap().completion_tokens, 12);
}

#[test]
fn finish_reasons_and_failed_generations() {
    for (reason, finish) in [
        ("MAX_TOKENS", "length"),
        ("STOP_SEQUENCE", "stop"),
        ("ERROR_TOXIC", "content_filter"),
    ] {
        let response =
            parse(json!({"id": "r", "finish_reason": reason, "message": {"role": "assistant"}}))
                .unwrap();
        assert_eq!(response.choices[0].finish_reason.as_deref(), Some(finish));
    }
    let err = parse(json!({"id": "r", "finish_reason": "ERROR", "message": {"role": "assistant"}}))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);
    let err = parse(json!({"id": "r", "message": 3})).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);
}

const STREAM: &str = r#"event: message-start
data: {"id":"29f14a5a-11de-4cae-9800-25e4747408ea","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

event: content-start
data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}

event: content-delta
data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hello"}}}}

event: content-delta
data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":", world"}}}}

event: content-end
data: {"type":"content-end","index":0}

event: tool-plan-delta
data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":" Checking."}}}

event: tool-call-start
data: {"type":"tool-call-start","index":1,"delta":{"message":{"tool_calls":{"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":""}}}}}

event: tool-call-delta
data: {"type":"tool-call-delta","index":1,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\"location\":"}}}}}

event: tool-call-delta
data: {"type":"tool-call-delta","index":1,"delta":{"message":{"tool_calls":{"function":{"arguments":"\"Madrid\"}"}}}}}

event: tool-call-end
data: {"type":"tool-call-end","index":1}

event: tool-call-start
data: {"type":"tool-call-start","index":2,"delta":{"message":{"tool_calls":{"id":"get_weather_2","type":"function","function":{"name":"get_weather","arguments":"{}"}}}}}

event: tool-call-end
data: {"type":"tool-call-end","index":2}

event: message-end
data: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":37,"output_tokens":21},"tokens":{"input_tokens":1240,"output_tokens":21}}}}

data: [DONE]

"#;

fn run(target: &Target, sse: &str) -> Result<Vec<crate::types::ChatChunk>, crate::Error> {
    let mut state =
        <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
    let mut chunks = Vec::new();
    for frame in sse.split("\n\n").filter(|f| !f.trim().is_empty()) {
        let data: String = frame
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .collect();
        match state.parse(
            target,
            RawEvent {
                event: "",
                data: &data,
            },
        )? {
            StreamEvent::Chunk(c) => chunks.push(*c),
            StreamEvent::Done => break,
            StreamEvent::Skip => {}
        }
    }
    Ok(chunks)
}

#[test]
fn stream_numbers_tool_calls_and_folds() {
    let target = target(COMMAND);
    let chunks = run(&target, STREAM).unwrap();
    assert!(chunks
        .iter()
        .all(|c| c.id == "29f14a5a-11de-4cae-9800-25e4747408ea"));
    let folded = stream_chunk_builder(&chunks).unwrap();
    let message = &folded.choices[0].message;
    assert_eq!(message.content.as_deref(), Some("Hello, world Checking."));
    let calls = message.tool_calls.as_ref().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].function.arguments, r#"{"location":"Madrid"}"#);
    assert_eq!(calls[1].id, "get_weather_2");
    assert_eq!(calls[1].function.arguments, "{}");
    assert_eq!(
        folded.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    let usage = folded.usage.unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (37, 21));
    assert_eq!(folded.model, "command-r-08-2024");
}

#[test]
fn stream_errors_are_typed() {
    let target = target(COMMAND);
    let failed = "data: {\"type\":\"message-end\",\"delta\":{\"error\":\"internal failure\",\"finish_reason\":\"ERROR\"}}\n\n";
    let err = run(&target, failed).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);
    assert!(err.message.contains("internal failure"));
    assert_eq!(err.upstream_status, None);
    let cut = "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hel\n\n";
    assert_eq!(
        run(&target, cut).unwrap_err().kind,
        ErrorKind::InternalServer
    );
    let stray = "data: {\"type\":\"tool-call-delta\",\"index\":7,\"delta\":{}}\n\n";
    assert_eq!(
        run(&target, stray).unwrap_err().kind,
        ErrorKind::InternalServer
    );
    let newer = "data: {\"type\":\"citation-start\",\"index\":0}\n\ndata: {\"type\":\"debug\"}\n\n";
    assert!(run(&target, newer).unwrap().is_empty());
}

#[test]
fn errors_map_to_the_taxonomy() {
    let target = target(COMMAND);
    let body = |m: &str| json!({"id": "e1", "message": m}).to_string();
    for (status, message, kind) in [
        (400, "invalid request: too many tokens: total number of tokens in the prompt cannot exceed 128000", ErrorKind::ContextWindowExceeded),
        (400, "invalid request: unknown field", ErrorKind::BadRequest),
        (401, "invalid api token", ErrorKind::Authentication),
        (498, "invalid token", ErrorKind::Authentication),
        (404, "model not found", ErrorKind::NotFound),
        (422, "unprocessable", ErrorKind::UnprocessableEntity),
        (429, "You are using a Trial key, which is limited to 10 API calls / minute.", ErrorKind::RateLimit),
        (500, "internal server error", ErrorKind::InternalServer),
        (503, "service unavailable", ErrorKind::ServiceUnavailable),
    ] {
        let err = target.adapter.map_error(&target, status, body(message).as_bytes());
        assert_eq!(err.kind, kind, "{status} {message}");
        assert_eq!(err.upstream_status, Some(status));
        assert!(err.message.contains(message));
    }
}

#[test]
fn embeddings_both_ways() {
    let target = target("cohere/embed-english-v3.0");
    let mut request =
        EmbeddingRequest::new("cohere/embed-english-v3.0", vec!["a".into(), "b".into()]);
    request.dimensions = Some(512);
    let http = target
        .adapter
        .embedding_request(&target, &request, crate::providers::TEST_NOW)
        .unwrap();
    assert_eq!(http.url, "https://api.cohere.com/v2/embed");
    assert_eq!(
        serde_json::from_slice::<Value>(&http.body).unwrap(),
        json!({"model": "embed-english-v3.0", "texts": ["a", "b"], "input_type": "search_document",
            "embedding_types": ["float"], "output_dimension": 512})
    );
    request
        .extra
        .insert("input_type".into(), json!("search_query"));
    let body: Value = serde_json::from_slice(
        &target
            .adapter
            .embedding_request(&target, &request, crate::providers::TEST_NOW)
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(body["input_type"], "search_query");
    request.encoding_format = Some("base64".into());
    let err = target
        .adapter
        .embedding_request(&target, &request, crate::providers::TEST_NOW)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
    let tokens = EmbeddingRequest {
        input: crate::types::EmbeddingInput::Tokens(vec![1, 2]),
        ..EmbeddingRequest::new("cohere/embed-english-v3.0", vec![])
    };
    assert_eq!(
        target
            .adapter
            .embedding_request(&target, &tokens, crate::providers::TEST_NOW)
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );

    let answer = json!({"id": "e", "embeddings": {"float": [[0.1, 0.2], [0.3, 0.4]]}, "texts": ["a", "b"],
        "meta": {"api_version": {"version": "2"}, "billed_units": {"input_tokens": 2}},
        "response_type": "embeddings_by_type"});
    let response = target
        .adapter
        .parse_embedding(&target, answer.to_string().as_bytes())
        .unwrap();
    let cost = crate::cost::embedding_cost(target.info, &response);
    assert_eq!(response.data.len(), 2);
    assert_eq!(response.data[1].index, 1);
    assert_eq!(response.usage.as_ref().unwrap().prompt_tokens, 2);
    assert_eq!(response.model, "embed-english-v3.0");
    assert!(cost.unwrap() > 0.0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// No event, whole or cut anywhere, makes the stream translation panic.
    #[test]
    fn arbitrary_events_never_panic(picks in proptest::collection::vec((0usize..STREAM_EVENTS.len(), 0usize..400), 0..30)) {
        let target = target(COMMAND);
        let mut state = <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
        for (pick, cut) in picks {
            let event = STREAM_EVENTS[pick];
            let end = (0..=cut.min(event.len())).rev().find(|&i| event.is_char_boundary(i)).unwrap_or(0);
            let _ = state.parse(&target, RawEvent { event: "", data: &event[..end] });
        }
    }
}

/// The data of every event kind of [`STREAM`], plus broken ones.
const STREAM_EVENTS: &[&str] = &[
    r#"{"id":"x","type":"message-start","delta":{"message":{"role":"assistant"}}}"#,
    r#"{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hi","thinking":"t"}}}}"#,
    r#"{"type":"tool-plan-delta","delta":{"message":{"tool_plan":"p"}}}"#,
    r#"{"type":"tool-call-start","index":3,"delta":{"message":{"tool_calls":{"id":"c","function":{"name":"f"}}}}}"#,
    r#"{"type":"tool-call-delta","index":3,"delta":{"message":{"tool_calls":{"function":{"arguments":"{"}}}}}"#,
    r#"{"type":"tool-call-delta","delta":{}}"#,
    r#"{"type":"message-end","delta":{"finish_reason":"MAX_TOKENS","usage":{"billed_units":{"input_tokens":1e300,"output_tokens":-5}}}}"#,
    r#"{"type":"message-end","delta":{"finish_reason":"ERROR_LIMIT","error":"rate limit"}}"#,
    r#"{"type":"message-end"}"#,
    "[DONE]",
    "{}",
    "[1,2]",
];
