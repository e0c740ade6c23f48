//! Replays `tests/data/litellm_token_cases.jsonl` (written by
//! `bench/oracle/litellm_token_cases.py` from LiteLLM 1.110.2 and tiktoken)
//! and requires LiteLLM's answer for every case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use llmrelay_tokens::{
    count_messages, count_text, count_tool_choice, decode, encode, encoding_for, Encoding,
};
use serde_json::Value;

const CASES: &str = include_str!("data/litellm_token_cases.jsonl");

fn cases(kind: &str) -> Vec<Value> {
    CASES
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("a JSON line"))
        .filter(|case| case["kind"] == kind)
        .collect()
}

fn string<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` in {case}"))
}

fn ids(case: &Value) -> Vec<u32> {
    serde_json::from_value(case["ids"].clone()).expect("token ids")
}

/// The text of a `text` case: given, or `unit` repeated `times`.
fn text_of(case: &Value) -> String {
    match case.get("text") {
        Some(Value::String(text)) => text.clone(),
        _ => {
            let repeat = &case["text_repeat"];
            string(repeat, "unit").repeat(repeat["times"].as_u64().expect("times") as usize)
        }
    }
}

/// Checks every case, then fails listing the mismatches, if any.
struct Checker {
    what: &'static str,
    cases: usize,
    mismatches: Vec<String>,
}

impl Checker {
    fn new(what: &'static str) -> Self {
        Checker {
            what,
            cases: 0,
            mismatches: Vec::new(),
        }
    }

    fn check(&mut self, ok: bool, describe: impl FnOnce() -> String) {
        self.cases += 1;
        if !ok {
            self.mismatches.push(describe());
        }
    }

    fn finish(self, at_least: usize) {
        println!(
            "{}: {} cases, {} mismatches",
            self.what,
            self.cases,
            self.mismatches.len()
        );
        assert!(
            self.mismatches.is_empty(),
            "{} of {} {} cases differ from LiteLLM:\n{}",
            self.mismatches.len(),
            self.cases,
            self.what,
            self.mismatches
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(
            self.cases >= at_least,
            "only {} {} cases",
            self.cases,
            self.what
        );
    }
}

#[test]
fn encoding_choice_matches_litellm() {
    let mut checker = Checker::new("encoding choice");
    for case in cases("encoding") {
        let provider = string(&case, "provider");
        let expected: Encoding = string(&case, "encoding").parse().unwrap();
        for entry in case["models"].as_array().expect("models") {
            let (model, bare) = match entry {
                Value::String(model) => (model.as_str(), None),
                pair => (pair[0].as_str().unwrap(), pair[1].as_str()),
            };
            let as_written = encoding_for(provider, model);
            checker.check(as_written == expected, || {
                format!("({provider:?}, {model:?}): {as_written}, LiteLLM {expected}")
            });
            let unresolved = encoding_for("", model);
            checker.check(unresolved == expected, || {
                format!("(\"\", {model:?}): {unresolved}, LiteLLM {expected}")
            });
            if let Some(bare) = bare {
                let stripped = encoding_for(provider, bare);
                checker.check(stripped == expected, || {
                    format!(
                        "({provider:?}, {bare:?}) for {model:?}: {stripped}, LiteLLM {expected}"
                    )
                });
            }
        }
    }
    checker.finish(5_000);
}

#[test]
fn text_counts_match_litellm() {
    let mut checker = Checker::new("text count");
    for case in cases("text") {
        let (provider, model) = (string(&case, "provider"), string(&case, "model"));
        let text = text_of(&case);
        let expected = case["count"].as_u64().unwrap() as usize;
        let counted = count_text(encoding_for(provider, model), &text);
        checker.check(counted == expected, || {
            let shown: String = text.chars().take(40).collect();
            format!(
                "{model} {shown:?} ({} chars): {counted}, LiteLLM {expected}",
                text.chars().count()
            )
        });
    }
    checker.finish(500);
}

#[test]
fn message_counts_match_litellm() {
    let conversations: HashMap<u64, Value> = cases("conversation")
        .into_iter()
        .map(|case| (case["id"].as_u64().unwrap(), case))
        .collect();
    let mut checker = Checker::new("messages count");
    let mut huggingface_fallbacks = 0;
    for case in cases("messages") {
        let (provider, model) = (string(&case, "provider"), string(&case, "model"));
        let id = case["conversation"].as_u64().unwrap();
        let conversation = &conversations[&id];
        let enc = encoding_for(provider, model);
        let messages = conversation["messages"].as_array().unwrap();
        let tools = conversation
            .get("tools")
            .and_then(Value::as_array)
            .map(Vec::as_slice);
        let counted = count_messages(enc, model, messages, tools).map(|count| {
            count
                + conversation
                    .get("tool_choice")
                    .map_or(0, |choice| count_tool_choice(enc, model, choice))
        });
        let tokenizer = case.get("tokenizer").and_then(Value::as_str);
        huggingface_fallbacks += usize::from(tokenizer.is_some_and(|name| name != "tiktoken"));
        match case.get("count") {
            Some(count) => {
                let expected = count.as_u64().unwrap() as usize;
                checker.check(counted == Ok(expected), || {
                    format!("{model} conversation {id}: {counted:?}, LiteLLM {expected}")
                });
            }
            None => checker.check(counted.is_err(), || {
                format!(
                    "{model} conversation {id}: {counted:?}, LiteLLM raises {}",
                    case["error"]
                )
            }),
        }
    }
    println!("of which {huggingface_fallbacks} are LiteLLM's tiktoken fallback for a bundled Hugging Face tokenizer");
    checker.finish(1_000);
}

#[test]
fn encode_and_decode_match_tiktoken() {
    let mut checker = Checker::new("encode/decode");
    for case in cases("encode") {
        let enc: Encoding = string(&case, "encoding").parse().unwrap();
        let (text, expected) = (string(&case, "text"), ids(&case));
        let encoded = encode(enc, text).unwrap();
        checker.check(encoded == expected, || {
            format!(
                "encode {enc} {text:?}: {} ids, tiktoken {}",
                encoded.len(),
                expected.len()
            )
        });
    }
    // LiteLLM's `encode` uses its default encoding for every tiktoken model.
    for case in cases("litellm_encode") {
        let (text, expected) = (string(&case, "text"), ids(&case));
        let encoded = encode(Encoding::DEFAULT, text).unwrap();
        checker.check(encoded == expected, || {
            format!(
                "litellm.encode({}, {text:?}): {} ids, LiteLLM {}",
                case["model"],
                encoded.len(),
                expected.len()
            )
        });
    }
    for case in cases("decode") {
        let enc: Encoding = string(&case, "encoding").parse().unwrap();
        let decoded = decode(enc, &ids(&case));
        let ok = match case.get("text") {
            Some(Value::String(text)) => decoded.as_deref() == Ok(text.as_str()),
            _ => decoded.is_err(),
        };
        checker.check(ok, || {
            format!(
                "decode {enc} {}: {decoded:?}, tiktoken {}",
                case["ids"], case["text"]
            )
        });
    }
    checker.finish(350);
}
