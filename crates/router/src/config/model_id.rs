//! `model_info.id` when the config gives none, derived exactly as LiteLLM
//! derives it (`litellm.router_api.deployment_id`), so a `model_list` gets
//! the same ids here as under LiteLLM (ids show in `_hidden_params`, in the
//! `x-litellm-model-id` header and in cooldown state shared by instances):
//! the hex SHA-256 of the model name followed by every `litellm_params` key
//! and value in the order given, each value written as Python's `str()`
//! writes it (a mapping as `json.dumps` writes it).

use llmrelay::pyfmt;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// LiteLLM's id of a deployment of `model_name` with `params`.
pub(crate) fn derive(model_name: &str, params: &Value) -> String {
    let mut text = String::with_capacity(256);
    text.push_str(model_name);
    if let Value::Object(map) = params {
        for (key, value) in map {
            text.push_str(key);
            match value {
                Value::Object(_) => text.push_str(&pyfmt::json_dumps_ascii(value)),
                other => text.push_str(&pyfmt::str(other)),
            }
        }
    }
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repr(value: Value) -> String {
        pyfmt::repr(&value)
    }

    #[test]
    fn ids_are_litellms() {
        // LiteLLM 1.110.2: Router(model_list=[...]).get_model_list()[i]["model_info"]["id"].
        assert_eq!(
            derive("gpt", &json!({"model": "openai/gpt-4o", "api_key": "sk-x"})),
            "394b6f42ab46e13839b5924d4527f4d5437cf9e7ff33fb5ad26c3743cc1fcac6"
        );
    }

    #[test]
    fn values_are_written_as_python_writes_them() {
        assert_eq!(repr(json!(100)), "100");
        assert_eq!(repr(json!(1.0)), "1.0");
        assert_eq!(repr(json!(0.5)), "0.5");
        assert_eq!(repr(json!(1e-6)), "1e-06");
        assert_eq!(repr(json!(2.5e-7)), "2.5e-07");
        assert_eq!(repr(json!(0.0001)), "0.0001");
        assert_eq!(repr(json!(1e16)), "1e+16");
        assert_eq!(repr(json!(123456.789)), "123456.789");
        assert_eq!(repr(json!(-3.0)), "-3.0");
        assert_eq!(repr(json!(true)), "True");
        assert_eq!(repr(json!(null)), "None");
        assert_eq!(repr(json!(["a", "it's", 1])), "['a', \"it's\", 1]");
        assert_eq!(
            pyfmt::json_dumps_ascii(&json!({"x-key": "é", "n": [1, 0.5, null]})),
            "{\"x-key\": \"\\u00e9\", \"n\": [1, 0.5, null]}"
        );
    }

    #[test]
    fn key_order_and_values_change_the_id() {
        let a = derive("gpt", &json!({"model": "openai/gpt-4o", "rpm": 10}));
        let b = derive("gpt", &json!({"rpm": 10, "model": "openai/gpt-4o"}));
        let c = derive("gpt", &json!({"model": "openai/gpt-4o", "rpm": 11}));
        let d = derive("other", &json!({"model": "openai/gpt-4o", "rpm": 10}));
        assert_ne!(a, b, "LiteLLM hashes the keys in the order given");
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_eq!(a.len(), 64);
    }
}
