//! Fixtures of Anthropic's Messages API: the bodies we must send, the answers and errors
//! we must read (shapes from Anthropic's API reference).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};

use crate::error::ErrorKind;
use crate::options::CallOptions;
use crate::providers::{resolve_target, HttpRequest, Target};
use crate::types::ChatRequest;

pub(super) fn target(model: &str) -> Target {
    target_with(model, false)
}

pub(super) fn target_with(model: &str, drop_params: bool) -> Target {
    let options = CallOptions {
        api_base: Some(String::from("https://api.anthropic.com")),
        api_key: Some("sk-ant-test-key".into()),
        drop_params: Some(drop_params),
        ..CallOptions::default()
    };
    resolve_target(model, &options).unwrap()
}

fn request(body: Value) -> ChatRequest {
    serde_json::from_value(body).unwrap()
}

fn http(model: &str, body: Value) -> HttpRequest {
    let target = target(model);
    target
        .adapter
        .chat_request(&target, &request(body), crate::providers::TEST_NOW)
        .unwrap()
}

fn sent(model: &str, body: Value) -> Value {
    serde_json::from_slice(&http(model, body).body).unwrap()
}

fn sent_error(model: &str, drop_params: bool, body: Value) -> crate::Error {
    let target = target_with(model, drop_params);
    target
        .adapter
        .chat_request(&target, &request(body), crate::providers::TEST_NOW)
        .unwrap_err()
}

pub(super) const SONNET: &str = "anthropic/claude-sonnet-4-5";
/// Not in the catalog: no native structured output, no known output limit.
pub(super) const UNKNOWN: &str = "anthropic/claude-3-5-haiku-20241022";

#[test]
fn hoists_the_system_prompt_and_sends_the_exact_body() {
    let http = http(
        SONNET,
        json!({"model": SONNET, "temperature": 0.2, "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What is the capital of France?"}
        ]}),
    );
    assert_eq!(http.url, "https://api.anthropic.com/v1/messages");
    assert!(http
        .headers
        .contains(&("x-api-key".into(), "sk-ant-test-key".into())));
    assert!(http
        .headers
        .contains(&("anthropic-version".into(), "2023-06-01".into())));
    assert!(!http.headers.iter().any(|(n, _)| n == "authorization"));
    assert_eq!(
        std::str::from_utf8(&http.body).unwrap(),
        r#"{"model":"claude-sonnet-4-5","max_tokens":64000,"messages":[{"role":"user","content":[{"type":"text","text":"What is the capital of France?"}]}],"system":"Be brief.","temperature":0.2}"#
    );
}

#[test]
fn several_system_messages_and_cache_control_become_blocks() {
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [
            {"role": "system", "content": [{"type": "text", "text": "Long context", "cache_control": {"type": "ephemeral"}}]},
            {"role": "developer", "content": "Rules"},
            {"role": "user", "content": "Hi", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
        ]}),
    );
    assert_eq!(
        body["system"],
        json!([
            {"type": "text", "text": "Long context", "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": "Rules"}
        ])
    );
    assert_eq!(
        body["messages"][0]["content"][0],
        json!({"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral", "ttl": "1h"}})
    );
}

#[test]
fn max_tokens_comes_from_the_call_then_the_catalog_then_4096() {
    let messages = json!([{"role": "user", "content": "hi"}]);
    assert_eq!(
        sent(SONNET, json!({"model": SONNET, "messages": messages}))["max_tokens"],
        64000
    );
    assert_eq!(
        sent(UNKNOWN, json!({"model": UNKNOWN, "messages": messages}))["max_tokens"],
        4096
    );
    let explicit = json!({"model": SONNET, "messages": messages, "max_tokens": 100, "max_completion_tokens": 200});
    assert_eq!(sent(SONNET, explicit)["max_tokens"], 200);
}

#[test]
fn base_urls_with_or_without_v1() {
    for base in [
        "https://x.test",
        "https://x.test/v1",
        "https://x.test/v1/messages",
    ] {
        let target = resolve_target(
            SONNET,
            &CallOptions {
                api_base: Some(base.into()),
                api_key: Some("k".into()),
                ..CallOptions::default()
            },
        )
        .unwrap();
        let http = target
            .adapter
            .chat_request(
                &target,
                &request(json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}]})),
                crate::providers::TEST_NOW,
            )
            .unwrap();
        assert_eq!(http.url, "https://x.test/v1/messages");
    }
}

#[test]
fn images_documents_and_files() {
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [{"role": "user", "content": [
            {"type": "text", "text": "Compare"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
            {"type": "image_url", "image_url": {"url": "data:application/pdf;base64,JVBERi0x"}},
            {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0y", "filename": "a.pdf"}},
            {"type": "image_url", "image_url": {"url": "https://example.com/doc.pdf?x=1"}}
        ]}]}),
    );
    assert_eq!(
        body["messages"][0]["content"],
        json!([
            {"type": "text", "text": "Compare"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
            {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
            {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0x"}},
            {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0y"}},
            {"type": "document", "source": {"type": "url", "url": "https://example.com/doc.pdf?x=1"}}
        ])
    );
    let http = http(
        SONNET,
        json!({"model": SONNET, "messages": [{"role": "user", "content": [
            {"type": "file", "file": {"file_id": "file_011CNha8iCJcU1wXNR6q4V8w"}}
        ]}]}),
    );
    let body: Value = serde_json::from_slice(&http.body).unwrap();
    assert_eq!(
        body["messages"][0]["content"][0],
        json!({"type": "document", "source": {"type": "file", "file_id": "file_011CNha8iCJcU1wXNR6q4V8w"}})
    );
    assert!(http
        .headers
        .contains(&("anthropic-beta".into(), "files-api-2025-04-14".into())));
}

#[test]
fn bad_images_audio_and_tool_arguments_are_typed_errors() {
    for url in [
        "cat.png",
        "data:image/png,rawbytes",
        "data:image/png;base64,not base64!",
        "",
    ] {
        let err = sent_error(
            SONNET,
            false,
            json!({"model": SONNET, "messages": [{"role": "user", "content": [
                {"type": "image_url", "image_url": {"url": url}}
            ]}]}),
        );
        assert_eq!(err.kind, ErrorKind::BadRequest, "{url}: {err}");
        assert!(err.message.contains("image_url.url"), "{err}");
    }
    let err = sent_error(
        SONNET,
        false,
        json!({"model": SONNET, "messages": [{"role": "user", "content": [
            {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}
        ]}]}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
    for arguments in ["{\"city\": \"Par", "[1, 2]", "\"text\""] {
        let err = sent_error(
            SONNET,
            false,
            json!({"model": SONNET, "messages": [
                {"role": "user", "content": "weather?"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "toolu_1", "type": "function", "function": {"name": "get_weather", "arguments": arguments}}
                ]},
                {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"}
            ]}),
        );
        assert_eq!(err.kind, ErrorKind::BadRequest, "{arguments}");
        assert!(err.message.contains("toolu_1"), "{err}");
    }
    let err = sent_error(
        SONNET,
        false,
        json!({"model": SONNET, "messages": [{"role": "tool", "content": "x"}]}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
}

#[test]
fn tools_tool_choice_and_parallel_calls() {
    let tools = json!([{"type": "function", "function": {
        "name": "get_weather", "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    }, "cache_control": {"type": "ephemeral"}}]);
    let with = |choice: Value, parallel: Value| {
        let mut body = json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}], "tools": tools});
        if !choice.is_null() {
            body["tool_choice"] = choice;
        }
        if !parallel.is_null() {
            body["parallel_tool_calls"] = parallel;
        }
        sent(SONNET, body)
    };
    let plain = with(Value::Null, Value::Null);
    assert_eq!(
        plain["tools"],
        json!([{"name": "get_weather", "description": "Weather for a city",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
            "cache_control": {"type": "ephemeral"}}])
    );
    assert!(plain.get("tool_choice").is_none());
    assert_eq!(
        with(json!("auto"), Value::Null)["tool_choice"],
        json!({"type": "auto"})
    );
    assert_eq!(
        with(json!("required"), Value::Null)["tool_choice"],
        json!({"type": "any"})
    );
    assert_eq!(
        with(json!("none"), Value::Null)["tool_choice"],
        json!({"type": "none"})
    );
    assert_eq!(
        with(
            json!({"type": "function", "function": {"name": "get_weather"}}),
            json!(false)
        )["tool_choice"],
        json!({"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true})
    );
    assert_eq!(
        with(Value::Null, json!(false))["tool_choice"],
        json!({"type": "auto", "disable_parallel_tool_use": true})
    );
    let err = sent_error(
        SONNET,
        false,
        json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}], "tools": [
            {"type": "function", "function": {"name": "json_tool_call"}}
        ]}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
}

#[test]
fn tool_round_trip_merges_results_into_one_user_turn() {
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [
            {"role": "user", "content": "Weather in Paris and Rome?"},
            {"role": "assistant", "content": "", "tool_calls": [
                {"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "toolu_02", "type": "function", "function": {"name": "get_weather", "arguments": ""}}
            ]},
            {"role": "tool", "tool_call_id": "toolu_01", "content": "14C, rain"},
            {"role": "tool", "tool_call_id": "toolu_02", "content": [{"type": "text", "text": "20C"}]},
            {"role": "user", "content": "And tomorrow?"}
        ]}),
    );
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [{"type": "text", "text": "Weather in Paris and Rome?"}]},
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}},
                {"type": "tool_use", "id": "toolu_02", "name": "get_weather", "input": {}}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01", "content": "14C, rain"},
                {"type": "tool_result", "tool_use_id": "toolu_02", "content": [{"type": "text", "text": "20C"}]},
                {"type": "text", "text": "And tomorrow?"}
            ]}
        ])
    );
}

#[test]
fn thinking_blocks_go_back_first_with_their_signature() {
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [
            {"role": "user", "content": "x"},
            {"role": "assistant", "content": "Let me check.", "thinking_blocks": [
                {"type": "thinking", "thinking": "The user wants...", "signature": "EqQBCgIYAh"}
            ], "tool_calls": [
                {"id": "toolu_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ]},
            {"role": "tool", "tool_call_id": "toolu_1", "content": "ok"}
        ]}),
    );
    assert_eq!(
        body["messages"][1]["content"],
        json!([
            {"type": "thinking", "thinking": "The user wants...", "signature": "EqQBCgIYAh"},
            {"type": "text", "text": "Let me check."},
            {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}
        ])
    );
}

#[test]
fn reasoning_effort_is_a_thinking_budget_or_adaptive_thinking() {
    let messages = json!([{"role": "user", "content": "x"}]);
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": messages, "reasoning_effort": "medium"}),
    );
    assert_eq!(
        body["thinking"],
        json!({"type": "enabled", "budget_tokens": 2048})
    );
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": messages, "reasoning_effort": "high", "max_tokens": 3000}),
    );
    assert_eq!(
        body["thinking"],
        json!({"type": "enabled", "budget_tokens": 2999})
    );
    assert!(sent(
        SONNET,
        json!({"model": SONNET, "messages": messages, "reasoning_effort": "none"})
    )
    .get("thinking")
    .is_none());
    let own = json!({"type": "enabled", "budget_tokens": 5000});
    assert_eq!(
        sent(
            SONNET,
            json!({"model": SONNET, "messages": messages, "thinking": own})
        )["thinking"],
        own
    );
    let opus = "anthropic/claude-opus-4-6";
    let body = sent(
        opus,
        json!({"model": opus, "messages": messages, "reasoning_effort": "minimal"}),
    );
    assert_eq!(
        body["thinking"],
        json!({"type": "adaptive", "display": "summarized"})
    );
    assert_eq!(body["output_config"], json!({"effort": "low"}));
    let err = sent_error(
        SONNET,
        false,
        json!({"model": SONNET, "messages": messages, "reasoning_effort": "extreme"}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
    let err = sent_error(
        SONNET,
        false,
        json!({"model": SONNET, "messages": messages, "reasoning_effort": "low", "max_tokens": 500}),
    );
    assert_eq!(err.kind, ErrorKind::BadRequest);
}

#[test]
fn unsupported_parameters_fail_unless_dropped() {
    let body = json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}],
        "seed": 1, "presence_penalty": 0.5, "n": 2});
    let err = sent_error(SONNET, false, body.clone());
    assert_eq!(err.kind, ErrorKind::UnsupportedParams);
    assert!(
        err.message.contains("`seed`") && err.message.contains("`n`"),
        "{err}"
    );
    let target = target_with(SONNET, true);
    let http = target
        .adapter
        .chat_request(&target, &request(body), crate::providers::TEST_NOW)
        .unwrap();
    let sent: Value = serde_json::from_slice(&http.body).unwrap();
    assert!(sent.get("seed").is_none() && sent.get("n").is_none());
}

#[test]
fn user_stop_and_unknown_fields() {
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}],
            "user": "user-123", "stop": "END", "top_k": 5, "stream": true, "metadata": {"trace": "t"}}),
    );
    assert_eq!(body["metadata"], json!({"user_id": "user-123"}));
    assert_eq!(body["stop_sequences"], json!(["END"]));
    assert_eq!(body["top_k"], 5);
    assert_eq!(body["stream"], true);
}

#[test]
fn response_format_uses_structured_outputs_where_the_catalog_says_so() {
    let schema = json!({"type": "object", "properties": {"city": {"type": "string"}},
        "required": ["city"], "additionalProperties": false});
    let format = json!({"type": "json_schema", "json_schema": {"name": "place", "schema": schema}});
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}], "response_format": format}),
    );
    assert_eq!(
        body["output_config"],
        json!({"format": {"type": "json_schema", "schema": schema}})
    );
    assert!(body.get("tools").is_none());
}

#[test]
fn response_format_elsewhere_is_a_forced_tool() {
    let schema = json!({"type": "object", "properties": {"city": {"type": "string"}}});
    let format = json!({"type": "json_schema", "json_schema": {"name": "place", "schema": schema}});
    let body = sent(
        UNKNOWN,
        json!({"model": UNKNOWN, "messages": [{"role": "user", "content": "x"}], "response_format": format}),
    );
    assert_eq!(
        body["tools"],
        json!([{"name": "json_tool_call", "description": "Respond with a JSON object.", "input_schema": schema}])
    );
    assert_eq!(
        body["tool_choice"],
        json!({"type": "tool", "name": "json_tool_call", "disable_parallel_tool_use": true})
    );
    // json_object: an open object, even where structured outputs exist.
    let body = sent(
        SONNET,
        json!({"model": SONNET, "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_object"}}),
    );
    assert_eq!(
        body["tools"][0]["input_schema"],
        json!({"type": "object", "additionalProperties": true})
    );
    // With the caller's own tools, the answer must be a call of one of them or the JSON.
    let body = sent(
        UNKNOWN,
        json!({"model": UNKNOWN, "messages": [{"role": "user", "content": "x"}], "response_format": format,
            "tools": [{"type": "function", "function": {"name": "search"}}]}),
    );
    assert_eq!(body["tools"][1]["name"], "json_tool_call");
    assert_eq!(body["tool_choice"], json!({"type": "any"}));
}

#[test]
fn response_format_that_cannot_be_honoured_is_unsupported() {
    let messages = json!([{"role": "user", "content": "x"}]);
    let format =
        json!({"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "object"}}});
    for body in [
        json!({"model": UNKNOWN, "messages": messages, "response_format": format, "reasoning_effort": "low"}),
        json!({"model": UNKNOWN, "messages": messages, "response_format": format,
            "thinking": {"type": "enabled", "budget_tokens": 2000}}),
        json!({"model": UNKNOWN, "messages": messages, "response_format":
            {"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "array"}}}}),
        json!({"model": UNKNOWN, "messages": messages, "response_format": format, "tool_choice": "none",
            "tools": [{"type": "function", "function": {"name": "search"}}]}),
    ] {
        let err = sent_error(UNKNOWN, false, body.clone());
        assert_eq!(err.kind, ErrorKind::UnsupportedParams, "{body}: {err}");
    }
    // A model that rejects forced tool use cannot carry json_object.
    let fable = "anthropic/claude-fable-5-1";
    let target = target(fable);
    if target.info.and_then(|i| i.capability("forced_tool_use")) == Some(false) {
        let err = sent_error(
            fable,
            false,
            json!({"model": fable, "messages": messages, "response_format": {"type": "json_object"}}),
        );
        assert_eq!(err.kind, ErrorKind::UnsupportedParams);
    }
}
