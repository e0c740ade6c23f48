//! One module per subcommand. Each returns the text to print (human table or
//! `--json`), or the error message for stderr.

mod catalog_views;
mod chat;
mod cost;
mod serve;
mod tokens;

pub use catalog_views::{info, models, providers, InfoArgs, ModelsArgs, ProvidersArgs};
pub use chat::{chat, ChatArgs};
pub use cost::{cost, CostArgs};
pub use serve::{serve, ServeArgs};
pub use tokens::{tokens, TokensArgs};

/// The SDK error as the CLI shows it: the message, which already carries the
/// "did you mean" names.
fn message(err: llmrelay::Error) -> String {
    err.message
}

/// Pretty JSON with a trailing newline.
fn to_json(value: &serde_json::Value) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| e.to_string())
}
