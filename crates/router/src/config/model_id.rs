//! `model_info.id` when the config gives none: a SHA-256 of the model name and
//! the params, as LiteLLM derives it, over a canonical (key-sorted) JSON text so
//! the same entry gets the same id in every process and on every instance.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hex SHA-256 of `model_name` and the canonical form of `params`.
pub(crate) fn derive(model_name: &str, params: &Value) -> String {
    let mut text = String::with_capacity(256);
    text.push_str(model_name);
    text.push('\n');
    canonical(params, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON with object keys sorted, so key order in the file does not change the id.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_change_the_id_but_values_do() {
        let a = derive("gpt", &json!({"model": "openai/gpt-4o", "rpm": 10}));
        let b = derive("gpt", &json!({"rpm": 10, "model": "openai/gpt-4o"}));
        let c = derive("gpt", &json!({"rpm": 11, "model": "openai/gpt-4o"}));
        let d = derive("other", &json!({"rpm": 10, "model": "openai/gpt-4o"}));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_eq!(a.len(), 64);
    }
}
