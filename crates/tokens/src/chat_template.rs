//! Tools as the chat templates of some open models show them.
//!
//! For models whose chat template LiteLLM knows (DeepSeek V4 and
//! chat/reasoner, Qwen 3.5, Grok 4.1 and 4.3) it counts the tools as that
//! template writes them, JSON lines of the function definitions, plus the
//! template's fixed tokens, instead of the TypeScript-like namespace.

use serde_json::Value;

use crate::tools::{functions, truthy, Function};
use crate::{count_text, pyfmt, Encoding};

/// How a model's chat template renders the tool list.
#[derive(Debug, Clone, Copy)]
enum Render {
    /// One `json.dumps(function)` per line.
    JsonLines,
    /// The same with `","`/`":"` separators.
    CompactJsonLines,
    /// `"\n" + json.dumps({"type": "function", "function": f})` per tool.
    Qwen,
}

/// A chat template's tool section: fixed tokens around the rendered tools.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ToolSection {
    preamble: usize,
    /// Added when the conversation has no system message of its own.
    implicit_system_turn: usize,
    render: Render,
    pub(crate) counts_tool_choice: bool,
    /// The template writes `"strict"` only when it is true.
    drops_false_strict: bool,
}

/// The chat template section LiteLLM knows for `model`, if any.
pub(crate) fn tool_section(model: &str) -> Option<ToolSection> {
    let model = model.to_ascii_lowercase();
    let json = |preamble| ToolSection {
        preamble,
        implicit_system_turn: 0,
        render: Render::JsonLines,
        counts_tool_choice: false,
        drops_false_strict: false,
    };
    let grok = |render| ToolSection {
        preamble: 0,
        implicit_system_turn: 0,
        render,
        counts_tool_choice: true,
        drops_false_strict: true,
    };
    if deepseek_v4_point_one(&model) {
        Some(json(211))
    } else if deepseek_v4(&model) || deepseek_chat(&model) {
        Some(json(222))
    } else if version_after(&model, "qwen3", &["5"], &["", ".", "_"], false) {
        Some(ToolSection {
            preamble: 196,
            implicit_system_turn: 5,
            render: Render::Qwen,
            counts_tool_choice: false,
            drops_false_strict: false,
        })
    } else if version_after(&model, "grok-4", &["1"], &["-", "."], true) {
        Some(grok(Render::CompactJsonLines))
    } else if version_after(&model, "grok-4", &["3"], &["-", "."], true) {
        Some(grok(Render::JsonLines))
    } else {
        None
    }
}

/// `prefix`, one of `separators`, one of `versions`, then no digit (and no
/// `.` when `no_dot_after`), anywhere in `model`.
fn version_after(
    model: &str,
    prefix: &str,
    versions: &[&str],
    separators: &[&str],
    no_dot_after: bool,
) -> bool {
    model.match_indices(prefix).any(|(at, _)| {
        let rest = &model[at + prefix.len()..];
        separators.iter().any(|separator| {
            rest.strip_prefix(separator).is_some_and(|rest| {
                versions.iter().any(|version| {
                    rest.strip_prefix(version).is_some_and(|after| {
                        !after
                            .starts_with(|c: char| c.is_ascii_digit() || (no_dot_after && c == '.'))
                    })
                })
            })
        })
    })
}

/// `deepseek-v4` then `-1`, `.1`, `_1` or `p1`, not followed by a digit.
fn deepseek_v4_point_one(model: &str) -> bool {
    version_after(model, "deepseek-v4", &["1"], &["-", ".", "_", "p"], false)
}

/// `deepseek-v4` not followed by `.`, a digit, or `p` and a digit.
fn deepseek_v4(model: &str) -> bool {
    model.match_indices("deepseek-v4").any(|(at, _)| {
        let rest = &model[at + "deepseek-v4".len()..];
        let point_release = rest
            .strip_prefix('p')
            .is_some_and(|after| after.starts_with(|c: char| c.is_ascii_digit()));
        !rest.starts_with(|c: char| c == '.' || c.is_ascii_digit()) && !point_release
    })
}

/// Exactly `[deepseek/]deepseek-{chat,reasoner,flash}[:free]`.
fn deepseek_chat(model: &str) -> bool {
    let name = model.strip_prefix("deepseek/").unwrap_or(model);
    let name = name.strip_suffix(":free").unwrap_or(name);
    matches!(
        name,
        "deepseek-chat" | "deepseek-reasoner" | "deepseek-flash"
    )
}

/// Tokens of the tools as `section`'s template renders them.
pub(crate) fn template_tools_tokens(
    enc: Encoding,
    tools: &[Value],
    has_system_message: bool,
    section: ToolSection,
) -> usize {
    // Anthropic's server-side web search is not a function the template shows.
    let is_web_search = |tool: &&Value| {
        tool.get("name").and_then(Value::as_str) == Some("web_search")
            && tool.get("input_schema").is_none()
            && tool.get("type").and_then(Value::as_str) != Some("function")
    };
    let sent: Vec<Value> = tools
        .iter()
        .filter(|tool| !is_web_search(tool))
        .cloned()
        .collect();
    let rendered: Vec<String> = functions(&sent)
        .into_iter()
        .filter(|function| function.fields.get("name").is_some_and(truthy))
        .map(|function| render_json(&function, section))
        .collect();
    if rendered.is_empty() {
        return 0;
    }
    let schemas = match section.render {
        Render::Qwen => rendered
            .iter()
            .map(|function| format!("\n{{\"type\": \"function\", \"function\": {function}}}"))
            .collect::<String>(),
        Render::JsonLines | Render::CompactJsonLines => rendered.join("\n"),
    };
    let system_turn = if has_system_message {
        0
    } else {
        section.implicit_system_turn
    };
    section.preamble + system_turn + count_text(enc, &schemas)
}

/// `json.dumps` of one function as the template shows it.
fn render_json(function: &Function<'_>, section: ToolSection) -> String {
    let compact = matches!(section.render, Render::CompactJsonLines);
    let keep = |key: &str, value: &Value| {
        !(section.drops_false_strict && key == "strict" && !truthy(value))
    };
    let order: Vec<&str> = if function.rewritten {
        ["name", "parameters", "description", "strict"].to_vec()
    } else {
        function.fields.keys().map(String::as_str).collect()
    };
    let entries: Vec<(&str, &Value)> = order
        .into_iter()
        .filter_map(|key| function.fields.get(key).map(|value| (key, value)))
        .filter(|(key, value)| keep(key, value))
        .collect();
    pyfmt::json_dumps_entries(&entries, compact)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn chat_template_models() {
        let preamble = |model: &str| tool_section(model).map(|section| section.preamble);
        assert_eq!(preamble("deepseek/deepseek-chat"), Some(222));
        assert_eq!(preamble("openrouter/deepseek/deepseek-chat"), None);
        assert_eq!(preamble("deepseek-v4-1"), Some(211));
        assert_eq!(preamble("DeepSeek-V4p1"), Some(211));
        assert_eq!(preamble("deepseek-v4-flash"), Some(222));
        assert_eq!(preamble("deepseek-v4.5"), None);
        assert_eq!(preamble("deepseek-v4p2"), None);
        assert_eq!(preamble("qwen3.5-72b"), Some(196));
        assert_eq!(preamble("qwen35"), Some(196));
        assert_eq!(preamble("qwen3.55"), None);
        assert!(tool_section("xai/grok-4-1-fast").is_some_and(|s| s.counts_tool_choice));
        assert!(tool_section("grok-4.1.2").is_none());
        assert!(tool_section("grok-4-3").is_some());
        assert!(tool_section("gpt-4o").is_none());
    }
}
