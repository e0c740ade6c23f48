//! Tokens of tool definitions and `tool_choice`, the way LiteLLM counts them.
//!
//! By default LiteLLM renders the tools as the TypeScript-like namespace
//! OpenAI is understood to show the model (`namespace functions { type f =
//! (_: { x: string, }) => any; }`) and adds 9 tokens, less 4 when the
//! conversation has a system message. Models whose chat template it knows
//! are counted by [`crate::chat_template`] instead.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::chat_template::{template_tools_tokens, tool_section};
use crate::{count_text, pyfmt, Encoding};

/// Tokens LiteLLM adds after the messages: 3 for priming the reply, plus
/// the tool definitions.
pub(crate) fn reply_and_tools_tokens(
    enc: Encoding,
    model: &str,
    tools: Option<&[Value]>,
    has_system_message: bool,
) -> usize {
    const REPLY_PRIMER: usize = 3;
    let tools = match tools {
        Some(tools) if !tools.is_empty() => tools,
        _ => return REPLY_PRIMER,
    };
    let definitions = match tool_section(model) {
        Some(section) => template_tools_tokens(enc, tools, has_system_message, section),
        None => {
            let discount = if has_system_message { 4 } else { 0 };
            count_text(enc, &typescript_namespace(tools)) + 9 - discount
        }
    };
    REPLY_PRIMER + definitions
}

/// Tokens of a `tool_choice` value, as LiteLLM's `token_counter` adds them:
/// `"none"` is 1, a named function 7 plus its name, anything else 0. Models
/// with a known chat template count none, except Grok 4.1 and 4.3.
pub fn count_tool_choice(enc: Encoding, model: &str, tool_choice: &Value) -> usize {
    if tool_section(model).is_some_and(|section| !section.counts_tool_choice) {
        return 0;
    }
    let named = |name: &str| 7 + count_text(enc, name);
    match tool_choice {
        Value::String(choice) if choice == "none" => 1,
        Value::Object(choice) => {
            if let Some(Value::String(name)) = choice
                .get("function")
                .and_then(Value::as_object)
                .and_then(|function| function.get("name"))
            {
                named(name)
            } else if choice.get("type").and_then(Value::as_str) == Some("none") {
                1
            } else if let Some(Value::String(name)) = choice.get("name") {
                named(name)
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// One function definition out of a tool: OpenAI's `{"type": "function",
/// "function": {...}}`, Gemini's `function_declarations`, or a flat
/// (Anthropic-style) tool rewritten to `{name, parameters, description?,
/// strict?}`, which is then also the key order it renders in.
pub(crate) struct Function<'a> {
    pub(crate) fields: Cow<'a, Map<String, Value>>,
    pub(crate) rewritten: bool,
}

/// Anthropic tool keys LiteLLM maps itself; any other key of a tool with an
/// `input_schema` is merged into the parameters.
const ANTHROPIC_MAPPED_KEYS: &[&str] = &[
    "name",
    "input_schema",
    "description",
    "cache_control",
    "strict",
    "type",
    "eager_input_streaming",
    "custom",
];

pub(crate) fn functions(tools: &[Value]) -> Vec<Function<'_>> {
    let mut out = Vec::new();
    for tool in tools.iter().filter_map(Value::as_object) {
        if let Some(function) = tool.get("function").and_then(Value::as_object) {
            out.push(Function {
                fields: Cow::Borrowed(function),
                rewritten: false,
            });
            continue;
        }
        // Python's `a or b`: the first when truthy, else the second as it is.
        let declarations = match tool.get("function_declarations") {
            Some(first) if truthy(first) => Some(first),
            _ => tool.get("functionDeclarations"),
        };
        if let Some(Value::Array(declarations)) = declarations {
            out.extend(
                declarations
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|function| Function {
                        fields: Cow::Borrowed(function),
                        rewritten: false,
                    }),
            );
            continue;
        }
        out.push(Function {
            fields: Cow::Owned(rewrite_flat_tool(tool)),
            rewritten: true,
        });
    }
    out
}

fn rewrite_flat_tool(tool: &Map<String, Value>) -> Map<String, Value> {
    let input_schema = tool.get("input_schema").filter(|value| !value.is_null());
    let parameters = [input_schema, tool.get("parameters")]
        .into_iter()
        .flatten()
        .find(|value| truthy(value));
    let mut merged = parameters
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if input_schema.is_some() {
        for (key, value) in tool {
            if !ANTHROPIC_MAPPED_KEYS.contains(&key.as_str()) {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    let mut fields = Map::new();
    fields.insert(
        "name".to_owned(),
        tool.get("name").cloned().unwrap_or(Value::Null),
    );
    fields.insert("parameters".to_owned(), Value::Object(merged));
    if let Some(description) = tool.get("description").filter(|value| !value.is_null()) {
        fields.insert("description".to_owned(), description.clone());
    }
    if let Some(strict) = tool.get("strict").filter(|value| !value.is_null()) {
        fields.insert("strict".to_owned(), Value::Bool(truthy(strict)));
    }
    fields
}

/// Python truthiness of a JSON value.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// LiteLLM's TypeScript-like rendering of the function definitions: the
/// text whose tokens (plus 9, less 4 with a system message) a tool list
/// costs. Public so a caller counting with its own tokenizer (Python's
/// `custom_tokenizer`) counts the same text.
pub fn typescript_namespace(tools: &[Value]) -> String {
    let mut lines: Vec<String> = vec!["namespace functions {".to_owned(), String::new()];
    for function in functions(tools) {
        let fields = &function.fields;
        let name = match fields.get("name") {
            Some(name) if truthy(name) => pyfmt::str(name),
            _ => continue,
        };
        if let Some(description) = fields.get("description").filter(|value| truthy(value)) {
            lines.push(format!("// {}", pyfmt::str(description)));
        }
        let parameters = fields.get("parameters").and_then(Value::as_object);
        let has_properties = parameters
            .and_then(|parameters| parameters.get("properties"))
            .and_then(Value::as_object)
            .is_some_and(|properties| !properties.is_empty());
        match parameters {
            Some(parameters) if has_properties => {
                lines.push(format!("type {name} = (_: {{"));
                lines.push(object_members(parameters, 0));
                lines.push("}) => any;".to_owned());
            }
            _ => lines.push(format!("type {name} = () => any;")),
        }
        lines.push(String::new());
    }
    lines.push("} // namespace functions".to_owned());
    lines.join("\n")
}

/// The members of an object schema, one `name?: type,` line each.
fn object_members(schema: &Map<String, Value>, indent: usize) -> String {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return String::new();
    };
    let required = schema.get("required").and_then(Value::as_array);
    let mut lines = Vec::new();
    for (key, property) in properties {
        if let Some(description) = property.get("description").filter(|value| truthy(value)) {
            lines.push(format!("// {}", pyfmt::str(description)));
        }
        let is_required = required.is_some_and(|required| {
            required
                .iter()
                .any(|item| item.as_str() == Some(key.as_str()))
        });
        let question = if is_required { "" } else { "?" };
        lines.push(format!("{key}{question}: {},", type_of(property, indent)));
    }
    let pad = " ".repeat(indent);
    lines
        .iter()
        .map(|line| format!("{pad}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The TypeScript type LiteLLM writes for one property schema.
fn type_of(property: &Value, indent: usize) -> String {
    let Some(schema) = property.as_object() else {
        return "any".to_owned();
    };
    let enumeration = || {
        schema.get("enum").and_then(Value::as_array).map(|items| {
            items
                .iter()
                .map(|item| format!("\"{}\"", pyfmt::str(item)))
                .collect::<Vec<_>>()
                .join(" | ")
        })
    };
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => enumeration().unwrap_or_else(|| "string".to_owned()),
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            format!("{}[]", type_of(items, indent))
        }
        Some("object") => format!("{{\n{}\n}}", object_members(schema, indent + 2)),
        Some("integer" | "number") => enumeration().unwrap_or_else(|| "number".to_owned()),
        Some("boolean") => "boolean".to_owned(),
        Some("null") => "null".to_owned(),
        _ => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    #[test]
    fn typescript_rendering() {
        let tools = [json!({"type": "function", "function": {
            "name": "get_weather",
            "description": "Weather now",
            "parameters": {"type": "object", "properties": {
                "city": {"type": "string", "description": "City"},
                "days": {"type": "integer", "enum": [1, 2]}
            }, "required": ["city"]}
        }})];
        assert_eq!(
            typescript_namespace(&tools),
            "namespace functions {\n\n// Weather now\ntype get_weather = (_: {\n// City\ncity: string,\ndays?: \"1\" | \"2\",\n}) => any;\n\n} // namespace functions"
        );
    }

    #[test]
    fn tool_choice_tokens() {
        let enc = Encoding::Cl100kBase;
        assert_eq!(count_tool_choice(enc, "gpt-4o", &json!("none")), 1);
        assert_eq!(count_tool_choice(enc, "gpt-4o", &json!("auto")), 0);
        assert_eq!(
            count_tool_choice(
                enc,
                "gpt-4o",
                &json!({"type": "function", "function": {"name": "f"}})
            ),
            8
        );
        assert_eq!(count_tool_choice(enc, "deepseek-chat", &json!("none")), 0);
    }
}
