//! JSON Schema -> the OpenAPI subset Gemini takes in `functionDeclarations[].parameters`
//! and `responseSchema`: upper-case types, `nullable` instead of a `null`
//! type, `$ref`s inlined, keys Gemini rejects (`additionalProperties`,
//! `$schema`, `strict`...) removed. A recursive schema cannot be inlined and
//! is an error rather than a silently truncated schema.

use serde_json::{Map, Value};

/// Keys Gemini's `Schema` object accepts; every other key is dropped.
const ALLOWED: &[&str] = &[
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "enum",
    "maxItems",
    "minItems",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "minLength",
    "maxLength",
    "pattern",
    "example",
    "anyOf",
    "propertyOrdering",
    "default",
    "items",
    "minimum",
    "maximum",
];

/// Deeper than this is taken for a `$ref` cycle.
const MAX_DEPTH: usize = 48;

/// Why a schema cannot be expressed in Gemini's subset.
#[derive(Debug, PartialEq)]
pub(crate) struct SchemaError(pub String);

/// Converts `schema`; `ordered` adds `propertyOrdering` (the key order of
/// `properties`), which `responseSchema` uses to order the answer's keys.
pub(crate) fn to_gemini_schema(schema: &Value, ordered: bool) -> Result<Value, SchemaError> {
    let defs = schema
        .get("$defs")
        .or_else(|| schema.get("definitions"))
        .and_then(Value::as_object);
    convert(schema, defs, ordered, 0)
}

fn convert(
    schema: &Value,
    defs: Option<&Map<String, Value>>,
    ordered: bool,
    depth: usize,
) -> Result<Value, SchemaError> {
    if depth > MAX_DEPTH {
        return Err(SchemaError(String::from(
            "the schema is recursive (or nested deeper than 48 levels); Gemini's schema cannot express it",
        )));
    }
    let Some(object) = schema.as_object() else {
        // `true` / `{}`: anything; Gemini has no such schema, an empty one is closest.
        return Ok(Value::Object(Map::new()));
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/$defs/")
            .or_else(|| reference.strip_prefix("#/definitions/"));
        let target = name
            .and_then(|n| defs.and_then(|d| d.get(n)))
            .ok_or_else(|| {
                SchemaError(format!("the schema's `$ref` `{reference}` points nowhere"))
            })?;
        let mut resolved = convert(target, defs, ordered, depth + 1)?;
        // Sibling annotations (a description next to the $ref) are kept.
        if let (Value::Object(out), Some(description)) = (&mut resolved, object.get("description"))
        {
            out.insert(String::from("description"), description.clone());
        }
        return Ok(resolved);
    }
    let mut out = Map::new();
    let mut nullable = false;
    for (key, value) in object {
        match key.as_str() {
            "type" => match value {
                Value::String(t) if t == "null" => nullable = true,
                Value::String(t) => {
                    out.insert(key.clone(), Value::String(t.to_ascii_uppercase()));
                }
                Value::Array(types) => {
                    let concrete: Vec<&str> = types
                        .iter()
                        .filter_map(Value::as_str)
                        .filter(|t| *t != "null")
                        .collect();
                    nullable |= concrete.len() < types.len();
                    match concrete.as_slice() {
                        [one] => {
                            out.insert(key.clone(), Value::String(one.to_ascii_uppercase()));
                        }
                        [] => {}
                        many => {
                            let any = many
                                .iter()
                                .map(|t| serde_json::json!({"type": t.to_ascii_uppercase()}))
                                .collect();
                            out.insert(String::from("anyOf"), Value::Array(any));
                        }
                    }
                }
                _ => {}
            },
            "anyOf" | "oneOf" => {
                let mut branches = Vec::new();
                for branch in value.as_array().into_iter().flatten() {
                    if branch.get("type").and_then(Value::as_str) == Some("null") {
                        nullable = true;
                    } else {
                        branches.push(convert(branch, defs, ordered, depth + 1)?);
                    }
                }
                if let [only] = branches.as_slice() {
                    if let Value::Object(only) = only {
                        for (k, v) in only {
                            out.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                } else if !branches.is_empty() {
                    out.insert(String::from("anyOf"), Value::Array(branches));
                }
            }
            "const" => {
                out.insert(String::from("enum"), Value::Array(vec![value.clone()]));
            }
            "properties" => {
                let mut properties = Map::new();
                let mut order = Vec::new();
                for (name, property) in value.as_object().into_iter().flatten() {
                    properties.insert(name.clone(), convert(property, defs, ordered, depth + 1)?);
                    order.push(Value::String(name.clone()));
                }
                if ordered && !order.is_empty() && !object.contains_key("propertyOrdering") {
                    out.insert(String::from("propertyOrdering"), Value::Array(order));
                }
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" => {
                out.insert(key.clone(), convert(value, defs, ordered, depth + 1)?);
            }
            k if ALLOWED.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if nullable {
        out.insert(String::from("nullable"), Value::Bool(true));
    }
    if !out.contains_key("type") && !out.contains_key("anyOf") {
        if out.contains_key("properties") {
            out.insert(String::from("type"), Value::String(String::from("OBJECT")));
        } else if out
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_string))
        {
            // Gemini's enums are string schemas.
            out.insert(String::from("type"), Value::String(String::from("STRING")));
        }
    }
    Ok(Value::Object(out))
}

/// `strict` removed at every level: JSON Schema has no such key and Gemini's
/// `responseJsonSchema` rejects unknown ones.
pub(crate) fn without_strict(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "strict")
                .map(|(k, v)| (k.clone(), without_strict(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_strict).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn types_nullable_refs_and_dropped_keys() {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "city": {"type": "string", "description": "City name"},
                "days": {"type": ["integer", "null"]},
                "unit": {"$ref": "#/$defs/Unit"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "kind": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "fixed": {"const": "x"}
            },
            "required": ["city"],
            "$defs": {"Unit": {"type": "string", "enum": ["c", "f"]}}
        });
        let out = to_gemini_schema(&schema, true).unwrap();
        assert_eq!(
            out,
            json!({
                "type": "OBJECT",
                "propertyOrdering": ["city", "days", "unit", "tags", "kind", "fixed"],
                "properties": {
                    "city": {"type": "STRING", "description": "City name"},
                    "days": {"type": "INTEGER", "nullable": true},
                    "unit": {"type": "STRING", "enum": ["c", "f"]},
                    "tags": {"type": "ARRAY", "items": {"type": "STRING"}},
                    "kind": {"type": "STRING", "nullable": true},
                    "fixed": {"enum": ["x"], "type": "STRING"}
                },
                "required": ["city"]
            })
        );
    }

    #[test]
    fn recursive_and_dangling_refs_are_errors() {
        let recursive = json!({
            "$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}},
            "$ref": "#/$defs/Node"
        });
        assert!(to_gemini_schema(&recursive, false).is_err());
        assert!(to_gemini_schema(&json!({"$ref": "#/$defs/Nope"}), false).is_err());
    }

    #[test]
    fn strict_is_removed_everywhere() {
        let v = json!({"strict": true, "properties": {"a": {"strict": 1, "type": "string"}}});
        assert_eq!(
            without_strict(&v),
            json!({"properties": {"a": {"type": "string"}}})
        );
    }
}
