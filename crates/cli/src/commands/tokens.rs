//! `llmrelay tokens`: count tokens as the model's tokenizer does.

use std::path::PathBuf;

use clap::Args;
use llmrelay::TokenInput;
use serde_json::{json, Value};

use super::{message, to_json};

/// `llmrelay tokens`
#[derive(Args)]
pub struct TokensArgs {
    /// Model name (`gpt-4o`, `claude-sonnet-4-5`).
    model: String,
    /// The text to count (or use --file).
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    text: Option<String>,
    /// Read the text from this file (`-` for standard input).
    #[arg(long, short)]
    file: Option<PathBuf>,
    /// The input is a JSON array of OpenAI chat messages; count it as a prompt.
    #[arg(long)]
    messages: bool,
    /// Tool definitions sent with the messages: a JSON array (OpenAI format).
    #[arg(long, requires = "messages")]
    tools: Option<String>,
    /// The request's `tool_choice`: `none`, `auto`, `required`, or a JSON object
    /// (`{"type": "function", "function": {"name": "f"}}`).
    #[arg(long, requires = "messages")]
    tool_choice: Option<String>,
    /// Print JSON instead of a number.
    #[arg(long)]
    json: bool,
}

pub fn tokens(args: &TokensArgs) -> Result<String, String> {
    let text = match (&args.text, &args.file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => {
            std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"))?
        }
        (None, Some(path)) => {
            std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?
        }
        (None, None) => return Err(String::from("give a TEXT or --file")),
    };
    let count = if args.messages {
        let messages: Vec<Value> = serde_json::from_str(&text)
            .map_err(|e| format!("--messages expects a JSON array of chat messages: {e}"))?;
        let tools: Option<Vec<Value>> = match &args.tools {
            Some(tools) => Some(
                serde_json::from_str(tools)
                    .map_err(|e| format!("--tools expects a JSON array of tools: {e}"))?,
            ),
            None => None,
        };
        // A bare word is the string form (`none`, `auto`); anything else is JSON.
        let tool_choice = args.tool_choice.as_deref().map(|choice| {
            serde_json::from_str(choice).unwrap_or_else(|_| Value::String(choice.to_owned()))
        });
        llmrelay::token_counter(
            &args.model,
            TokenInput::Messages {
                messages: &messages,
                tools: tools.as_deref(),
            },
        )
        .map(|n| {
            n + tool_choice
                .as_ref()
                .map_or(0, |c| llmrelay::tool_choice_tokens(&args.model, c))
        })
    } else {
        llmrelay::token_counter(&args.model, TokenInput::Text(&text))
    }
    .map_err(message)?;
    if args.json {
        return to_json(&json!({ "model": args.model, "tokens": count }));
    }
    Ok(format!("{count}\n"))
}
