//! `llmrelay cost`: what a number of tokens costs on a model.

use clap::{Args, ValueEnum};
use llmrelay::catalog::Usage;
use llmrelay::ServiceTier;
use serde_json::json;

use super::{message, to_json};
use crate::table::{dollars, Table};

/// `llmrelay cost`
#[derive(Args)]
pub struct CostArgs {
    /// Model name (`gpt-4o`, `anthropic/claude-sonnet-4-5`).
    model: String,
    /// Prompt tokens, all of them (cached and cache-creation tokens included, as OpenAI counts).
    #[arg(long, short)]
    input: u64,
    /// Completion tokens (reasoning tokens included).
    #[arg(long, short, default_value_t = 0)]
    output: u64,
    /// Of the prompt tokens, how many were read from the provider's prompt cache.
    #[arg(long, default_value_t = 0)]
    cached: u64,
    /// Of the prompt tokens, how many were written to the prompt cache.
    #[arg(long, default_value_t = 0)]
    cache_creation: u64,
    /// Of the completion tokens, how many were reasoning tokens.
    #[arg(long, default_value_t = 0)]
    reasoning: u64,
    /// Service tier the call ran on.
    #[arg(long, value_enum, default_value_t = Tier::Standard)]
    tier: Tier,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Tier {
    Standard,
    Batch,
    Priority,
    Flex,
}

impl From<Tier> for ServiceTier {
    fn from(t: Tier) -> Self {
        match t {
            Tier::Standard => ServiceTier::Standard,
            Tier::Batch => ServiceTier::Batch,
            Tier::Priority => ServiceTier::Priority,
            Tier::Flex => ServiceTier::Flex,
        }
    }
}

pub fn cost(args: &CostArgs) -> Result<String, String> {
    let prompt_parts = args.cached.checked_add(args.cache_creation);
    if prompt_parts.is_none_or(|parts| parts > args.input) {
        return Err(format!(
            "--cached ({}) and --cache-creation ({}) are parts of --input ({}) and cannot exceed it",
            args.cached, args.cache_creation, args.input
        ));
    }
    if args.reasoning > args.output {
        return Err(format!(
            "--reasoning ({}) is part of --output ({}) and cannot exceed it",
            args.reasoning, args.output
        ));
    }
    let usage = Usage {
        prompt_tokens: args.input,
        completion_tokens: args.output,
        cached_tokens: args.cached,
        cache_creation_tokens: args.cache_creation,
        reasoning_tokens: args.reasoning,
        ..Usage::default()
    };
    let model = llmrelay::model_info(&args.model).map_err(message)?;
    let cost = llmrelay::cost_per_token(&args.model, &usage, args.tier.into()).map_err(message)?;
    if args.json {
        return to_json(&json!({
            "model": model.key,
            "provider": model.provider,
            "usage": usage,
            "prompt_cost": cost.prompt,
            "completion_cost": cost.completion,
            "total_cost": cost.total(),
        }));
    }
    let mut t = Table::default();
    t.row(vec![
        "model".into(),
        format!("{} ({})", model.key, model.provider),
    ]);
    t.row(vec![
        "prompt".into(),
        format!("{} for {} tokens", dollars(cost.prompt), args.input),
    ]);
    t.row(vec![
        "completion".into(),
        format!("{} for {} tokens", dollars(cost.completion), args.output),
    ]);
    t.row(vec!["total".into(), dollars(cost.total())]);
    Ok(t.render())
}
