//! Which keys of LiteLLM's config the gateway acts on; every other key is
//! named in a warning so a setting that does nothing here is not silent.

use serde_json::Value;

const TOP: &[&str] = &[
    "model_list",
    "router_settings",
    "litellm_settings",
    "general_settings",
    "environment_variables",
];
const DEPLOYMENT: &[&str] = &["model_name", "litellm_params", "model_info"];
const LITELLM_SETTINGS: &[&str] = &[
    "request_timeout",
    "num_retries",
    "drop_params",
    "fallbacks",
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "stream_timeout",
    "cache",
    "cache_params",
];
const GENERAL_SETTINGS: &[&str] = &[
    "master_key",
    "allow_client_side_credentials",
    "max_request_size_mb",
    "database_url",
    "redis_down_policy",
    "spend_journal_fsync",
];

/// Dotted names of the keys in `tree` that the gateway does not act on.
/// `router_settings` and `litellm_params` are the router's to judge.
pub fn unknown_keys(tree: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(top) = tree.as_object() else {
        return out;
    };
    collect(top, TOP, "", &mut out);
    if let Some(list) = top.get("model_list").and_then(Value::as_array) {
        for (i, entry) in list.iter().enumerate() {
            if let Some(map) = entry.as_object() {
                collect(map, DEPLOYMENT, &format!("model_list[{i}]."), &mut out);
            }
        }
    }
    for (section, known) in [
        ("litellm_settings", LITELLM_SETTINGS),
        ("general_settings", GENERAL_SETTINGS),
    ] {
        if let Some(map) = top.get(section).and_then(Value::as_object) {
            collect(map, known, &format!("{section}."), &mut out);
        }
    }
    out
}

fn collect(
    map: &serde_json::Map<String, Value>,
    known: &[&str],
    prefix: &str,
    out: &mut Vec<String>,
) {
    out.extend(
        map.keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| format!("{prefix}{k}")),
    );
}
