//! `os.environ/NAME` references, LiteLLM's way to keep secrets out of the file.

use serde_json::Value;

/// The prefix LiteLLM gives a value read from the environment.
const PREFIX: &str = "os.environ/";

/// Replaces every string `os.environ/NAME` in `value` (at any depth) by the
/// variable's value from `lookup`. Fails with the name of the first variable
/// that is not set.
pub fn resolve_environ(
    value: &mut Value,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(), String> {
    match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix(PREFIX) {
                let name = name.trim();
                *s = lookup(name).ok_or_else(|| name.to_string())?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|v| resolve_environ(v, lookup)),
        Value::Object(map) => map
            .values_mut()
            .try_for_each(|v| resolve_environ(v, lookup)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lookup(name: &str) -> Option<String> {
        (name == "KEY").then(|| "sk-secret".to_string())
    }

    #[test]
    fn references_resolve_at_any_depth() {
        let mut v = json!({"a": "os.environ/KEY", "b": ["x", {"c": "os.environ/KEY"}], "d": 3});
        assert_eq!(resolve_environ(&mut v, &lookup), Ok(()));
        assert_eq!(
            v,
            json!({"a": "sk-secret", "b": ["x", {"c": "sk-secret"}], "d": 3})
        );
    }

    #[test]
    fn an_unset_variable_is_named() {
        let mut v = json!({"a": ["os.environ/NOPE"]});
        assert_eq!(resolve_environ(&mut v, &lookup), Err("NOPE".to_string()));
    }
}
