//! LiteLLM's cache key (1.110.2, `Cache.get_cache_key`), so the same call
//! gives the same key here, in LiteLLM and in LiteLLM's proxy, and a Redis
//! cache can be shared with them.
//!
//! The key is the SHA-256 hex of `"{param}: {str(value)}"` for each request
//! parameter of the call, in the call's order (only LiteLLM's request
//! parameters: metadata, keys and LiteLLM's own settings never enter it),
//! then a few provider parameters read from `extra_body`, the reasoning
//! summary alias and the tool-call-id shape flag; `model` is the router's
//! caching group or model group when the metadata names one. An explicit
//! `litellm_params.preset_cache_key` wins; a namespace (per call
//! `cache.namespace`, `metadata.redis_namespace`, else the cache's own)
//! becomes a `namespace:` prefix.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::pystr::py_str;

/// LiteLLM's request parameters that enter the key (the union over its call
/// types, as `ModelParamHelper.get_all_llm_api_params` gives it), sorted.
pub const KEYED_PARAMS: &[&str] = &[
    "access_programs",
    "audio",
    "background",
    "background_options",
    "best_of",
    "cache_control",
    "chunking_strategy",
    "compaction",
    "container",
    "context_management",
    "conversation",
    "dimensions",
    "documents",
    "echo",
    "encoding_format",
    "file",
    "frequency_penalty",
    "function_call",
    "functions",
    "image",
    "include",
    "inference_geo",
    "input",
    "instruction",
    "instructions",
    "keywords",
    "known_speaker_names",
    "known_speaker_references",
    "language",
    "languages",
    "logit_bias",
    "logprobs",
    "max_chunks_per_doc",
    "max_completion_tokens",
    "max_output_tokens",
    "max_tokens",
    "max_tokens_per_doc",
    "max_tokens_per_query",
    "max_tool_calls",
    "mcp_servers",
    "messages",
    "modalities",
    "model",
    "moderation",
    "n",
    "output_config",
    "output_format",
    "parallel_tool_calls",
    "prediction",
    "presence_penalty",
    "previous_response_id",
    "prompt",
    "prompt_cache_key",
    "prompt_cache_options",
    "prompt_cache_retention",
    "query",
    "rank_fields",
    "reasoning",
    "reasoning_effort",
    "response_format",
    "return_documents",
    "safeguards",
    "safety_identifier",
    "seed",
    "service_tier",
    "speed",
    "stop",
    "stop_sequences",
    "store",
    "stream",
    "stream_options",
    "suffix",
    "system",
    "temperature",
    "text",
    "thinking",
    "timestamp_granularities",
    "tool_choice",
    "tools",
    "top_k",
    "top_logprobs",
    "top_n",
    "top_p",
    "truncate_prompt_tokens",
    "truncation",
    "truncation_side",
    "user",
    "verbosity",
    "web_search_options",
];

/// Provider parameters keyed (when truthy) although LiteLLM does not own
/// them, sorted: at the top level and inside `extra_body`.
pub const ALWAYS_KEYED: &[&str] = &["continuation_token", "return_token_ids"];

/// Whether `param` enters the key when a call passes it.
pub fn is_keyed(param: &str) -> bool {
    KEYED_PARAMS.binary_search(&param).is_ok() || ALWAYS_KEYED.contains(&param)
}

/// One argument of a call, as the key rules read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A JSON value (a gateway body's fields; Python dicts the rules look
    /// into). `null` is Python's `None`.
    Json(Value),
    /// A value only its caller can render (a Python object): its `str()`,
    /// its truthiness and its `name` attribute (files).
    Rendered {
        /// Python's `str()` of the value.
        text: String,
        /// Python's `bool()` of the value.
        truthy: bool,
        /// The value's `name` attribute, if it has one.
        name: Option<String>,
    },
}

impl Arg {
    fn is_none(&self) -> bool {
        matches!(self, Arg::Json(Value::Null))
    }

    fn text(&self) -> String {
        match self {
            Arg::Json(v) => py_str(v),
            Arg::Rendered { text, .. } => text.clone(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Arg::Json(v) => truthy(v),
            Arg::Rendered { truthy, .. } => *truthy,
        }
    }

    fn json(&self) -> Option<&Value> {
        match self {
            Arg::Json(v) => Some(v),
            Arg::Rendered { .. } => None,
        }
    }
}

/// A call's keyword arguments in the order the call gave them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallArgs {
    args: Vec<(String, Arg)>,
    /// How the caller prints caching groups that JSON cannot spell (a
    /// Python tuple prints `('a', 'b')`, its JSON is a list).
    group_texts: Vec<(Value, String)>,
}

impl CallArgs {
    /// No arguments.
    pub fn new() -> Self {
        CallArgs::default()
    }

    /// The fields of a JSON request body, in the body's order.
    pub fn from_json(body: &Map<String, Value>) -> Self {
        CallArgs {
            args: body
                .iter()
                .map(|(k, v)| (k.clone(), Arg::Json(v.clone())))
                .collect(),
            group_texts: Vec::new(),
        }
    }

    /// Says that the caching group whose JSON is `group` prints as `text`.
    pub fn set_group_text(&mut self, group: Value, text: String) {
        self.group_texts.push((group, text));
    }

    /// Adds (or replaces, keeping its place) argument `name`.
    pub fn set(&mut self, name: impl Into<String>, arg: Arg) {
        let name = name.into();
        match self.args.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = arg,
            None => self.args.push((name, arg)),
        }
    }

    /// Argument `name`, if the call passed it.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }

    /// Argument `name` when it is JSON.
    fn json(&self, name: &str) -> Option<&Value> {
        self.get(name).and_then(Arg::json)
    }

    /// Field `field` of the dict argument `name`.
    fn field(&self, name: &str, field: &str) -> Option<&Value> {
        self.json(name).and_then(|v| v.get(field))
    }
}

/// The key of a call made with `args`, for a cache whose own namespace is
/// `namespace` (LiteLLM's `Cache.get_cache_key`).
pub fn cache_key(args: &CallArgs, namespace: Option<&str>) -> String {
    if let Some(Value::String(preset)) = args.field("litellm_params", "preset_cache_key") {
        return preset.clone();
    }
    let mut material = String::new();
    for (param, arg) in &args.args {
        if !is_keyed(param) {
            continue;
        }
        if ALWAYS_KEYED.contains(&param.as_str()) && !arg.truthy() {
            continue;
        }
        let value = match param.as_str() {
            "model" => Some(model_value(args)),
            "file" => file_value(args),
            _ if arg.is_none() => None,
            _ => Some(arg.text()),
        };
        if let Some(value) = value {
            material.push_str(param);
            material.push_str(": ");
            material.push_str(&value);
        }
    }
    if let Some(Value::Object(extra)) = args.json("extra_body") {
        for param in ALWAYS_KEYED {
            if let Some(v) = extra.get(*param).filter(|v| truthy(v)) {
                material.push_str(&format!("extra_body.{param}: {}", py_str(v)));
            }
        }
    }
    if let Some(summary) = reasoning_summary(args) {
        material.push_str("reasoning_summary: ");
        material.push_str(&summary);
    }
    if thought_signature_off(args) {
        material.push_str("thought_signature_in_tool_call_id: False");
    }
    let digest = hex::encode(Sha256::digest(material.as_bytes()));
    let namespace = [
        args.field("cache", "namespace"),
        args.field("metadata", "redis_namespace"),
    ]
    .into_iter()
    .flatten()
    .find(|v| truthy(v))
    .map(py_str)
    .or_else(|| namespace.filter(|n| !n.is_empty()).map(str::to_string));
    match namespace {
        Some(ns) => format!("{ns}:{digest}"),
        None => digest,
    }
}

/// The `model` part of the key: the caching group holding the router's
/// model group, else the model group, else the model (with `model_id`).
fn model_value(args: &CallArgs) -> String {
    let empty = Value::Null;
    let params = args.json("litellm_params").unwrap_or(&empty);
    let metadata = args.json("metadata").unwrap_or(&empty);
    let litellm_metadata = args.json("litellm_metadata").unwrap_or(&empty);
    let params_metadata = params.get("metadata").unwrap_or(&empty);
    let params_litellm_metadata = params.get("litellm_metadata").unwrap_or(&empty);
    let sources = [
        metadata,
        litellm_metadata,
        params_metadata,
        params_litellm_metadata,
    ];
    let call_model_info = args.get("model_info").filter(|a| a.truthy());
    // The metadata the router wrote for the deployment this call went to.
    let routed = call_model_info.and_then(|info| {
        [
            litellm_metadata,
            metadata,
            params_litellm_metadata,
            params_metadata,
        ]
        .into_iter()
        .find(|s| {
            s.get("model_group").is_some_and(truthy)
                && s.get("model_info").map(|v| Arg::Json(v.clone())).as_ref() == Some(info)
        })
    });
    let model_group = match routed {
        Some(source) => source.get("model_group").map(py_str),
        None => sources
            .iter()
            .find_map(|s| s.get("model_group").filter(|v| truthy(v)).map(py_str)),
    };
    let group_sources: Vec<&Value> = match routed {
        Some(source) => vec![source],
        None => sources.to_vec(),
    };
    let caching_group = model_group.as_deref().and_then(|group| {
        group_sources
            .iter()
            .find_map(|source| caching_group(source, group))
            .map(|found| {
                args.group_texts
                    .iter()
                    .find(|(json, _)| *json == found)
                    .map_or_else(|| py_str(&found), |(_, text)| text.clone())
            })
    });
    if let Some(group) = caching_group.filter(|g| !g.is_empty()) {
        return group;
    }
    if let Some(group) = model_group.filter(|g| !g.is_empty()) {
        return group;
    }
    let model = args.get("model").map(Arg::text).unwrap_or_default();
    match args.get("model_id").filter(|a| !a.is_none()) {
        Some(id) => format!("{model} model_id: {}", id.text()),
        None => model,
    }
}

/// The first of `metadata.caching_groups` that holds `model_group`.
fn caching_group(metadata: &Value, model_group: &str) -> Option<Value> {
    let groups = metadata.get("caching_groups")?.as_array()?;
    groups
        .iter()
        .find(|group| match group {
            Value::Array(names) => names.iter().any(|n| n.as_str() == Some(model_group)),
            Value::String(s) => s.contains(model_group),
            _ => false,
        })
        .cloned()
}

/// The `file` part of a transcription's key: a checksum or a file name.
fn file_value(args: &CallArgs) -> Option<String> {
    let named = |v: Option<&Value>| v.filter(|v| truthy(v)).map(py_str);
    named(args.field("metadata", "file_checksum"))
        .or_else(|| match args.get("file") {
            Some(Arg::Rendered { name, .. }) => name.clone().filter(|n| !n.is_empty()),
            _ => None,
        })
        .or_else(|| named(args.field("metadata", "file_name")))
        .or_else(|| named(args.field("litellm_params", "file_name")))
}

/// The AI SDK's reasoning summary alias, top level or in `extra_body`
/// (present with any value but `None`).
fn reasoning_summary(args: &CallArgs) -> Option<String> {
    for name in ["reasoningSummary", "reasoning_summary"] {
        if let Some(arg) = args.get(name) {
            return (!arg.is_none()).then(|| arg.text());
        }
    }
    let extra = args.json("extra_body")?.as_object()?;
    for name in ["reasoningSummary", "reasoning_summary"] {
        if let Some(v) = extra.get(name) {
            return (!v.is_null()).then(|| py_str(v));
        }
    }
    None
}

/// Whether `thought_signature_in_tool_call_id` is set to false (pydantic's
/// lax reading of a boolean: `False`, `0`, `"false"`, `"off"`, `"no"`...).
fn thought_signature_off(args: &CallArgs) -> bool {
    match args.get("thought_signature_in_tool_call_id") {
        Some(Arg::Json(Value::Bool(b))) => !b,
        Some(Arg::Json(Value::Number(n))) => n.as_f64() == Some(0.0),
        Some(Arg::Json(Value::String(s))) => matches!(
            s.to_ascii_lowercase().as_str(),
            "0" | "off" | "f" | "false" | "n" | "no"
        ),
        Some(Arg::Rendered { text, .. }) => text == "False",
        _ => false,
    }
}

/// Python's truthiness of the value `json.loads` gives.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// How many conversation messages a request carries, as LiteLLM counts them
/// for `max_messages`: `messages`, else the Responses API `input` items
/// (strings and file blocks are not messages).
pub fn message_count(body: &Map<String, Value>) -> usize {
    if let Some(Value::Array(messages)) = body.get("messages") {
        return messages.len();
    }
    match body.get("input") {
        Some(Value::Array(items)) => items
            .iter()
            .filter(|i| i.is_object() && i.get("type").and_then(Value::as_str) != Some("file"))
            .count(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn args(v: Value) -> CallArgs {
        CallArgs::from_json(v.as_object().unwrap())
    }

    fn sha(s: &str) -> String {
        hex::encode(Sha256::digest(s.as_bytes()))
    }

    #[test]
    fn the_keyed_list_is_sorted_for_binary_search() {
        assert!(KEYED_PARAMS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn request_parameters_in_call_order_make_the_key() {
        let a = args(
            json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}],
            "temperature": 0.2, "metadata": {"x": 1}, "api_key": "sk-secret", "stop": null}),
        );
        assert_eq!(
            cache_key(&a, None),
            sha("model: gpt-4omessages: [{'role': 'user', 'content': 'hi'}]temperature: 0.2")
        );
        assert!(cache_key(&a, Some("ns")).starts_with("ns:"));
        let mut b = a.clone();
        b.set("cache", Arg::Json(json!({"namespace": "team"})));
        assert!(cache_key(&b, Some("ns")).starts_with("team:"));
    }

    #[test]
    fn model_group_and_caching_groups_replace_the_model() {
        let a = args(
            json!({"model": "azure/gpt", "metadata": {"model_group": "gpt",
            "caching_groups": [["gpt", "gpt-b"]]}}),
        );
        assert_eq!(cache_key(&a, None), sha("model: ['gpt', 'gpt-b']"));
        let a = args(json!({"model": "azure/gpt", "metadata": {"model_group": "gpt"}}));
        assert_eq!(cache_key(&a, None), sha("model: gpt"));
        let a = args(json!({"model": "sm/x", "model_id": "ic-1"}));
        assert_eq!(cache_key(&a, None), sha("model: sm/x model_id: ic-1"));
    }

    #[test]
    fn provider_flags_and_presets() {
        let a = args(
            json!({"model": "m", "extra_body": {"return_token_ids": true, "reasoningSummary": "auto"},
            "continuation_token": "", "thought_signature_in_tool_call_id": false}),
        );
        assert_eq!(
            cache_key(&a, None),
            sha("model: mextra_body.return_token_ids: Truereasoning_summary: autothought_signature_in_tool_call_id: False")
        );
        let a = args(json!({"model": "m", "litellm_params": {"preset_cache_key": "k1"}}));
        assert_eq!(cache_key(&a, None), "k1");
    }

    #[test]
    fn messages_are_counted_as_litellm_counts_them() {
        let body = json!({"input": ["a", {"role": "user"}, {"type": "file"}]});
        assert_eq!(message_count(body.as_object().unwrap()), 1);
        let body = json!({"messages": [1, 2, 3]});
        assert_eq!(message_count(body.as_object().unwrap()), 3);
    }
}
