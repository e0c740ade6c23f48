//! Fixtures of Gemini's wire format: the bodies we must send and the
//! answers and events we must read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::providers::EventParser;
use serde_json::{json, Value};

use super::stream::StreamState;
use crate::error::ErrorKind;
use crate::options::CallOptions;
use crate::providers::{resolve_target, StreamEvent, Target};
use crate::types::ChatRequest;

fn target(model: &str) -> Target {
    let options = CallOptions {
        api_base: Some(String::from("http://127.0.0.1:9")),
        api_key: Some("AIza-test-key".into()),
        ..CallOptions::default()
    };
    resolve_target(model, &options).unwrap()
}

fn request(body: Value) -> ChatRequest {
    serde_json::from_value(body).unwrap()
}

fn sent(model: &str, body: Value) -> Value {
    let target = target(model);
    let http = target
        .adapter
        .chat_request(&target, &request(body), crate::providers::TEST_NOW)
        .unwrap();
    serde_json::from_slice(&http.body).unwrap()
}

#[test]
fn url_and_key_header() {
    let target = target("gemini/gemini-2.5-pro");
    let http = target
        .adapter
        .chat_request(
            &target,
            &request(json!({"model": "x", "messages": [{"role": "user", "content": "hi"}]})),
            crate::providers::TEST_NOW,
        )
        .unwrap();
    assert_eq!(
        http.url,
        "http://127.0.0.1:9/v1beta/models/gemini-2.5-pro:generateContent"
    );
    assert!(http.headers.contains(&(
        String::from("x-goog-api-key"),
        String::from("AIza-test-key")
    )));
    assert!(
        !http.url.contains("AIza"),
        "the key never travels in the URL"
    );
    let streamed = target
        .adapter
        .chat_request(
            &target,
            &request(json!({"model": "x", "stream": true, "messages": [{"role": "user", "content": "hi"}]})), crate::providers::TEST_NOW)
        .unwrap();
    assert_eq!(
        streamed.url,
        "http://127.0.0.1:9/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
    );
}

#[test]
fn messages_system_tools_and_round_trip() {
    let body = sent(
        "gemini/gemini-2.5-pro",
        json!({
            "model": "gemini/gemini-2.5-pro",
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": [
                    {"type": "text", "text": "What is in this image, and the weather?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                    {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}
                ]},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1__thought__c2lnbmF0dXJl", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1__thought__c2lnbmF0dXJl", "content": "{\"temp\": 14}"},
                {"role": "tool", "tool_call_id": "call_1__thought__c2lnbmF0dXJl", "content": "sunny"},
                {"role": "user", "content": "Thanks"}
            ],
            "tools": [{"type": "function", "function": {
                "name": "get_weather", "description": "Weather for a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                               "required": ["city"], "additionalProperties": false}
            }}, {"type": "function", "function": {
                "name": "now", "parameters": {"type": "object", "properties": {}}
            }}],
            "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
            "temperature": 0.2, "top_p": 0.9, "max_tokens": 256, "stop": ["END"], "n": 2, "seed": 7
        }),
    );
    assert_eq!(
        body,
        json!({
            "contents": [
                {"role": "user", "parts": [
                    {"text": "What is in this image, and the weather?"},
                    {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
                    {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/cat.jpg"}}
                ]},
                {"role": "model", "parts": [
                    {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                     "thoughtSignature": "c2lnbmF0dXJl"}
                ]},
                {"role": "user", "parts": [
                    {"functionResponse": {"name": "get_weather", "response": {"temp": 14}}},
                    {"functionResponse": {"name": "get_weather", "response": {"content": "sunny"}}}
                ]},
                {"role": "user", "parts": [{"text": "Thanks"}]}
            ],
            "systemInstruction": {"parts": [{"text": "Be brief."}]},
            "tools": [{"functionDeclarations": [
                {"name": "get_weather", "description": "Weather for a city",
                 "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING"}}, "required": ["city"]}},
                {"name": "now"}
            ]}],
            "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
            "generationConfig": {
                "temperature": 0.2, "topP": 0.9, "maxOutputTokens": 256, "stopSequences": ["END"],
                "candidateCount": 2, "seed": 7
            }
        })
    );
}

#[test]
fn response_format_is_never_dropped() {
    let schema = json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
                        "additionalProperties": false});
    let with_format = |model: &str, format: Value| {
        sent(
            model,
            json!({"model": model, "messages": [{"role": "user", "content": "x"}], "response_format": format}),
        )["generationConfig"]
            .clone()
    };
    let format = json!({"type": "json_schema", "json_schema": {"name": "person", "schema": schema, "strict": true}});
    assert_eq!(
        with_format("gemini/gemini-2.5-pro", format.clone()),
        json!({"responseMimeType": "application/json", "responseJsonSchema": schema})
    );
    assert_eq!(
        with_format("gemini/gemini-1.5-pro", format),
        json!({"responseMimeType": "application/json", "responseSchema": {
            "type": "OBJECT", "propertyOrdering": ["name"],
            "properties": {"name": {"type": "STRING"}}, "required": ["name"]}})
    );
    assert_eq!(
        with_format("gemini/gemini-2.5-pro", json!({"type": "json_object"})),
        json!({"responseMimeType": "application/json"})
    );
    // A schema Gemini 1.x cannot express is refused, even with drop_params.
    let recursive = json!({"type": "json_schema", "json_schema": {"name": "tree", "schema": {
        "$defs": {"N": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/N"}}}}},
        "$ref": "#/$defs/N"}}});
    let mut t = target("gemini/gemini-1.5-pro");
    t.drop_params = true;
    let err = t
        .adapter
        .chat_request(
            &t,
            &request(json!({"model": "m", "messages": [{"role": "user", "content": "x"}], "response_format": recursive})), crate::providers::TEST_NOW)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
}

#[test]
fn reasoning_effort_becomes_thinking_config() {
    let thinking = |model: &str, effort: &str| {
        sent(
            model,
            json!({"model": model, "messages": [{"role": "user", "content": "x"}], "reasoning_effort": effort}),
        )["generationConfig"]["thinkingConfig"]
            .clone()
    };
    assert_eq!(
        thinking("gemini/gemini-2.5-pro", "low"),
        json!({"thinkingBudget": 1024, "includeThoughts": true})
    );
    assert_eq!(
        thinking("gemini/gemini-2.5-flash", "none"),
        json!({"thinkingBudget": 0, "includeThoughts": false})
    );
    assert_eq!(
        thinking("gemini/gemini-3-pro-preview", "high"),
        json!({"thinkingLevel": "high", "includeThoughts": true})
    );
    let t = target("gemini/gemini-2.5-pro");
    let err = t
        .adapter
        .chat_request(
            &t,
            &request(json!({"model": "m", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "max"})), crate::providers::TEST_NOW)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
}

#[test]
fn bad_input_is_a_typed_error() {
    let t = target("gemini/gemini-2.5-pro");
    let fails = |body: Value| {
        t.adapter
            .chat_request(&t, &request(body), crate::providers::TEST_NOW)
            .unwrap_err()
    };
    for url in [
        "ftp://x/cat.png",
        "cat.png",
        "data:image/png,rawbytes",
        "data:image/png;base64,not base64!",
    ] {
        let err = fails(
            json!({"model": "m", "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": url}}]}]}),
        );
        assert_eq!(err.kind, ErrorKind::BadRequest, "{url}");
    }
    let err = fails(json!({"model": "m", "messages": [
        {"role": "user", "content": "x"},
        {"role": "assistant", "tool_calls": [{"id": "c", "type": "function",
            "function": {"name": "f", "arguments": "{not json"}}]}]}));
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("not a JSON object"), "{}", err.message);
    let err = fails(
        json!({"model": "m", "messages": [{"role": "tool", "tool_call_id": "nowhere", "content": "x"}]}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
    let err = fails(
        json!({"model": "m", "messages": [{"role": "user", "content": "x"}], "logit_bias": {"1": 2}}),
    );
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
}

#[test]
fn parses_text_thoughts_tool_calls_usage_and_cost() {
    let t = target("gemini/gemini-2.5-pro");
    let body = json!({
        "candidates": [{
            "content": {"role": "model", "parts": [
                {"text": "Let me think.", "thought": true},
                {"text": "It is "}, {"text": "sunny."},
                {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "sig"}
            ]},
            "finishReason": "STOP", "index": 0
        }],
        "usageMetadata": {"promptTokenCount": 1000, "candidatesTokenCount": 300, "totalTokenCount": 1500,
                          "cachedContentTokenCount": 400, "thoughtsTokenCount": 200},
        "modelVersion": "gemini-2.5-pro", "responseId": "abc123"
    });
    let r = t
        .adapter
        .parse_chat(&t, body.to_string().as_bytes(), crate::providers::TEST_NOW)
        .map(|r| crate::providers::priced(&t, r))
        .unwrap();
    assert_eq!(r.id, "chatcmpl-abc123");
    let m = &r.choices[0].message;
    assert_eq!(m.content.as_deref(), Some("It is sunny."));
    assert_eq!(m.reasoning_content.as_deref(), Some("Let me think."));
    let call = &m.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.function.name, "get_weather");
    assert_eq!(call.function.arguments, r#"{"city":"Paris"}"#);
    assert!(
        call.id.starts_with("call_") && call.id.ends_with("__thought__sig"),
        "{}",
        call.id
    );
    assert_eq!(r.choices[0].finish_reason.as_deref(), Some("tool_calls"));
    let u = r.usage.as_ref().unwrap();
    assert_eq!(
        (u.prompt_tokens, u.completion_tokens, u.total_tokens),
        (1000, 500, 1500)
    );
    assert_eq!(u.prompt_tokens_details.as_ref().unwrap().cached_tokens, 400);
    assert_eq!(
        u.completion_tokens_details
            .as_ref()
            .unwrap()
            .reasoning_tokens,
        200
    );
    // 600 fresh input at 1.25e-6, 400 cached at 1.25e-7, 500 output at 1e-5.
    let expected = 600.0 * 1.25e-6 + 400.0 * 1.25e-7 + 500.0 * 1e-5;
    assert!((r.cost.unwrap() - expected).abs() < 1e-12, "{:?}", r.cost);
}

#[test]
fn safety_stops_and_blocked_prompts() {
    let t = target("gemini/gemini-2.5-pro");
    let stopped = json!({"candidates": [{"finishReason": "SAFETY", "index": 0}],
                         "usageMetadata": {"promptTokenCount": 5, "totalTokenCount": 5}});
    let r = t
        .adapter
        .parse_chat(
            &t,
            stopped.to_string().as_bytes(),
            crate::providers::TEST_NOW,
        )
        .unwrap();
    assert_eq!(
        r.choices[0].finish_reason.as_deref(),
        Some("content_filter")
    );
    assert_eq!(r.choices[0].message.content, None);
    let blocked = json!({"promptFeedback": {"blockReason": "SAFETY"},
                         "usageMetadata": {"promptTokenCount": 5, "totalTokenCount": 5}});
    let err = t
        .adapter
        .parse_chat(
            &t,
            blocked.to_string().as_bytes(),
            crate::providers::TEST_NOW,
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContentPolicyViolation);
    assert!(err.message.contains("SAFETY"));
}

#[test]
fn errors_map_to_their_kind() {
    let t = target("gemini/gemini-2.5-pro");
    let body = |code: u16, status: &str, message: &str| {
        json!({"error": {"code": code, "message": message, "status": status}}).to_string()
    };
    let kind = |status: u16, b: String| t.adapter.map_error(&t, status, b.as_bytes()).kind;
    assert_eq!(
        kind(400, body(400, "INVALID_ARGUMENT", "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).")),
        ErrorKind::ContextWindowExceeded
    );
    assert_eq!(
        kind(
            400,
            body(
                400,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key."
            )
        ),
        ErrorKind::Authentication
    );
    assert_eq!(
        kind(400, body(400, "INVALID_ARGUMENT", "bad")),
        ErrorKind::BadRequest
    );
    assert_eq!(
        kind(403, body(403, "PERMISSION_DENIED", "no")),
        ErrorKind::PermissionDenied
    );
    assert_eq!(
        kind(404, body(404, "NOT_FOUND", "models/x is not found")),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(503, body(503, "UNAVAILABLE", "The model is overloaded.")),
        ErrorKind::ServiceUnavailable
    );
    let limited = json!({"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}]}});
    let err = t.adapter.map_error(&t, 429, limited.to_string().as_bytes());
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert_eq!(err.retry_after, Some(std::time::Duration::from_secs(7)));
    // An array-wrapped envelope and a body that is not JSON.
    let wrapped = format!("[{}]", body(500, "INTERNAL", "oops"));
    let err = t.adapter.map_error(&t, 500, wrapped.as_bytes());
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::InternalServer, "oops (status 500)")
    );
    assert_eq!(
        kind(502, String::from("<html>bad gateway</html>")),
        ErrorKind::InternalServer
    );
    // The key is redacted even when echoed.
    let echoed = t.adapter.map_error(
        &t,
        400,
        body(400, "INVALID_ARGUMENT", "key AIza-test-key is wrong").as_bytes(),
    );
    assert!(!echoed.message.contains("AIza-test-key"));
}

fn parse_all(t: &Target, events: &[Value]) -> Vec<crate::types::ChatChunk> {
    let mut state =
        <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
    let mut chunks = Vec::new();
    for event in events {
        match state
            .parse(
                t,
                crate::providers::RawEvent {
                    event: "",
                    data: &event.to_string(),
                },
            )
            .unwrap()
        {
            StreamEvent::Chunk(c) => chunks.push(*c),
            StreamEvent::Done | StreamEvent::Skip => {}
        }
    }
    chunks
}

#[test]
fn stream_events_become_chunks_that_fold_like_the_plain_answer() {
    let t = target("gemini/gemini-2.5-pro");
    let events = [
        json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "Hmm", "thought": true}]}, "index": 0}],
               "usageMetadata": {"promptTokenCount": 10}, "modelVersion": "gemini-2.5-pro", "responseId": "r1"}),
        json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "It is "}]}, "index": 0}],
               "modelVersion": "gemini-2.5-pro", "responseId": "r1"}),
        json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "sunny."},
                {"functionCall": {"name": "f", "args": {"a": 1}}}, {"functionCall": {"name": "g"}}]},
               "finishReason": "STOP", "index": 0}],
               "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "thoughtsTokenCount": 3,
                                 "totalTokenCount": 18},
               "modelVersion": "gemini-2.5-pro", "responseId": "r1"}),
    ];
    let chunks = parse_all(&t, &events);
    assert_eq!(chunks.len(), 3);
    assert!(chunks.iter().all(|c| c.id == "chatcmpl-r1"));
    assert_eq!(
        chunks[0].choices[0].delta.role,
        Some(crate::types::Role::Assistant)
    );
    assert_eq!(chunks[1].choices[0].delta.role, None);
    assert!(chunks[..2].iter().all(|c| c.usage.is_none()));
    let folded = crate::stream::stream_chunk_builder(&chunks).unwrap();
    let m = &folded.choices[0].message;
    assert_eq!(m.content.as_deref(), Some("It is sunny."));
    assert_eq!(m.reasoning_content.as_deref(), Some("Hmm"));
    let calls = m.tool_calls.as_ref().unwrap();
    assert_eq!(
        (
            calls[0].function.name.as_str(),
            calls[0].function.arguments.as_str()
        ),
        ("f", r#"{"a":1}"#)
    );
    assert_eq!(
        (
            calls[1].function.name.as_str(),
            calls[1].function.arguments.as_str()
        ),
        ("g", "{}")
    );
    assert_eq!(
        folded.choices[0].finish_reason.as_deref(),
        Some("tool_calls")
    );
    let u = folded.usage.unwrap();
    assert_eq!(
        (u.prompt_tokens, u.completion_tokens, u.total_tokens),
        (10, 8, 18)
    );
}

#[test]
fn stream_errors_and_blocks_are_typed() {
    let t = target("gemini/gemini-2.5-pro");
    let mut state =
        <StreamState as crate::providers::EventParser>::start(crate::providers::TEST_NOW);
    let err = state
        .parse(
            &t,
            crate::providers::RawEvent { event: "", data: r#"{"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}"# },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert_eq!(
        err.upstream_status, None,
        "a mid-stream error is never retried"
    );
    let err = state
        .parse(
            &t,
            crate::providers::RawEvent {
                event: "",
                data: r#"{"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}"#,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ContentPolicyViolation);
    let err = state
        .parse(
            &t,
            crate::providers::RawEvent {
                event: "",
                data: r#"{"candidates": [{"content": {"parts": [{"text": "cut"#,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InternalServer);
}

#[test]
fn embeddings_one_and_many() {
    let t = target("gemini/gemini-embedding-001");
    let one: crate::types::EmbeddingRequest =
        serde_json::from_value(json!({"model": "m", "input": "hello", "dimensions": 8})).unwrap();
    let http = t
        .adapter
        .embedding_request(&t, &one, crate::providers::TEST_NOW)
        .unwrap();
    assert!(
        http.url
            .ends_with("/v1beta/models/gemini-embedding-001:embedContent"),
        "{}",
        http.url
    );
    let body: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(
        body,
        json!({"model": "models/gemini-embedding-001",
        "content": {"parts": [{"text": "hello"}]}, "outputDimensionality": 8})
    );
    let many: crate::types::EmbeddingRequest =
        serde_json::from_value(json!({"model": "m", "input": ["a", "b"]})).unwrap();
    let http = t
        .adapter
        .embedding_request(&t, &many, crate::providers::TEST_NOW)
        .unwrap();
    assert!(http.url.ends_with(":batchEmbedContents"));
    let body: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(body["requests"][1]["content"]["parts"][0]["text"], "b");
    let answer = json!({"embeddings": [{"values": [0.1, 0.2]}, {"values": [0.3, 0.4]}]});
    let r = t
        .adapter
        .parse_embedding(&t, answer.to_string().as_bytes())
        .unwrap();
    assert_eq!(r.data.len(), 2);
    assert_eq!(r.data[1].index, 1);
    let tokens: crate::types::EmbeddingRequest =
        serde_json::from_value(json!({"model": "m", "input": [1, 2, 3]})).unwrap();
    assert_eq!(
        t.adapter
            .embedding_request(&t, &tokens, crate::providers::TEST_NOW)
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
}
