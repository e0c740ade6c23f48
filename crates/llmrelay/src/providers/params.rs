//! Parameter support shared by the translations: what happens to an OpenAI
//! parameter a provider has no counterpart for (dropped under `drop_params`,
//! else an `UnsupportedParams` error naming it), and the one
//! `reasoning_effort` table the thinking providers read.

use super::Target;
use crate::error::{Error, ErrorKind};

/// `Ok` when `names` is empty or the call drops unsupported parameters;
/// otherwise an `UnsupportedParams` error naming each of them.
pub(crate) fn unsupported(target: &Target, names: &[&str]) -> Result<(), Error> {
    if names.is_empty() || target.drop_params {
        return Ok(());
    }
    let listed = names
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(target.error(
        ErrorKind::UnsupportedParams,
        format!(
            "provider `{}` does not support {listed}; remove {} or set drop_params=true",
            target.provider.name,
            if names.len() == 1 { "it" } else { "them" }
        ),
    ))
}

/// What a `reasoning_effort` asks of a provider that thinks on a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effort {
    /// `none`: no thinking.
    Off,
    /// A thinking budget in tokens and the effort level by name.
    Budget { tokens: u64, level: &'static str },
}

/// The smallest thinking budget Anthropic and Cohere accept.
pub(crate) const MIN_THINKING_BUDGET: u64 = 1024;

/// LiteLLM's `reasoning_effort` levels as thinking budgets; anything else is
/// a `BadRequest` naming the accepted values.
pub(crate) fn reasoning_effort(target: &Target, effort: &str) -> Result<Effort, Error> {
    let (tokens, level) = match effort {
        "none" => return Ok(Effort::Off),
        "minimal" | "low" => (MIN_THINKING_BUDGET, "low"),
        "medium" => (2048, "medium"),
        "high" => (4096, "high"),
        "xhigh" => (8192, "xhigh"),
        "max" => (16384, "max"),
        other => {
            return Err(target.error(
                ErrorKind::BadRequest,
                format!(
                    "unknown reasoning_effort `{other}`: expected none, minimal, low, medium, \
                     high, xhigh or max"
                ),
            ))
        }
    };
    Ok(Effort::Budget { tokens, level })
}
