//! `models`, `info` and `providers`: read-only views of the catalog.

use clap::Args;
use llmrelay::catalog::{self, ModelInfo, ProviderApi};
use serde_json::{json, Value};

use super::{message, to_json};
use crate::table::{count, per_million, Table};

/// `llmrelay models`
#[derive(Args)]
pub struct ModelsArgs {
    /// Only models of this provider (LiteLLM slug: openai, anthropic, groq...).
    #[arg(long, short)]
    provider: Option<String>,
    /// Only models of this mode (chat, embedding, completion, image_generation...).
    #[arg(long, short)]
    mode: Option<String>,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

/// `llmrelay info`
#[derive(Args)]
pub struct InfoArgs {
    /// Model name, as you would pass it to `completion` (`gpt-4o`, `anthropic/claude-sonnet-4-5`).
    model: String,
    /// Print LiteLLM's `get_model_info` mapping as JSON.
    #[arg(long)]
    json: bool,
}

/// `llmrelay providers`
#[derive(Args)]
pub struct ProvidersArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn models(args: &ModelsArgs) -> Result<String, String> {
    if let Some(p) = &args.provider {
        if catalog::provider(p).is_none() {
            let names = catalog::providers().iter().map(|p| p.name);
            let close = catalog::suggest::closest(p, names, 3);
            return Err(format!("unknown provider `{p}`{}", did_you_mean(&close)));
        }
    }
    let selected: Vec<&ModelInfo> = catalog::models()
        .into_iter()
        .filter(|m| args.provider.as_deref().is_none_or(|p| m.provider == p))
        .filter(|m| {
            args.mode
                .as_deref()
                .is_none_or(|mode| m.mode.is_some_and(|x| x.as_str() == mode))
        })
        .collect();
    if args.json {
        let rows: Vec<Value> = selected
            .iter()
            .map(|m| {
                json!({
                    "model": m.key,
                    "provider": m.provider,
                    "mode": m.mode.map(|x| x.as_str()),
                    "max_input_tokens": m.max_input_tokens,
                    "max_output_tokens": m.max_output_tokens,
                    "input_cost_per_token": m.price("input_cost_per_token"),
                    "output_cost_per_token": m.price("output_cost_per_token"),
                })
            })
            .collect();
        return to_json(&Value::Array(rows));
    }
    let mut table = Table::with_header(&[
        "MODEL",
        "PROVIDER",
        "MODE",
        "CONTEXT",
        "INPUT $/1M",
        "OUTPUT $/1M",
    ]);
    for m in &selected {
        table.row(vec![
            m.key.to_string(),
            m.provider.to_string(),
            m.mode.map_or("-", |x| x.as_str()).to_string(),
            count(m.max_input_tokens),
            per_million(m.price("input_cost_per_token")),
            per_million(m.price("output_cost_per_token")),
        ]);
    }
    let mut out = table.render();
    out.push_str(&format!("{} models\n", selected.len()));
    Ok(out)
}

pub fn info(args: &InfoArgs) -> Result<String, String> {
    if args.json {
        let map = llmrelay::get_model_info(&args.model).map_err(message)?;
        return to_json(&Value::Object(map));
    }
    let resolved = llmrelay::get_llm_provider(&args.model).map_err(message)?;
    let info = llmrelay::model_info(&args.model).map_err(message)?;
    let mut t = Table::default();
    let mut field = |name: &str, value: String| t.row(vec![name.to_string(), value]);
    field("model", info.key.to_string());
    if let Some(alias) = catalog::get(args.model.trim()).and_then(|m| m.alias_of) {
        field("alias of", alias.to_string());
    }
    field("provider", resolved.provider.to_string());
    field("sent as", resolved.model.to_string());
    field("mode", info.mode.map_or("-", |m| m.as_str()).to_string());
    field("max input tokens", count(info.max_input_tokens));
    field("max output tokens", count(info.max_output_tokens));
    for (name, price) in info.prices {
        let shown = match name.contains("per_token")
            || name.ends_with("token_cost")
            || name.contains("token_cost_")
        {
            true => format!("${} / 1M tokens", per_million(Some(*price))),
            false => format!("${price}"),
        };
        field(name, shown);
    }
    for tier in info.tiers {
        let prices: Vec<String> = tier
            .prices
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        field(
            "tier",
            format!(
                "[{}, {}) tokens: {}",
                tier.start,
                tier.end,
                prices.join(", ")
            ),
        );
    }
    let supported: Vec<&str> = info
        .capabilities
        .iter()
        .filter(|(_, v)| *v)
        .map(|(k, _)| *k)
        .collect();
    let unsupported: Vec<&str> = info
        .capabilities
        .iter()
        .filter(|(_, v)| !*v)
        .map(|(k, _)| *k)
        .collect();
    field(
        "supports",
        if supported.is_empty() {
            "-".into()
        } else {
            supported.join(", ")
        },
    );
    if !unsupported.is_empty() {
        field("does not support", unsupported.join(", "));
    }
    if let Some(date) = info.deprecation_date {
        field("deprecation date", date.to_string());
    }
    Ok(t.render())
}

pub fn providers(args: &ProvidersArgs) -> Result<String, String> {
    let all = catalog::providers();
    let api = |p: &catalog::ProviderInfo| match p.api {
        ProviderApi::OpenAiCompatible => "openai_compatible",
        ProviderApi::Native => "native",
    };
    if args.json {
        let rows: Vec<Value> = all
            .iter()
            .map(|p| {
                json!({
                    "provider": p.name,
                    "display_name": p.display_name,
                    "api": api(p),
                    "base_url": p.base_url,
                    "api_key_env": p.api_key_env,
                    "api_base_env": p.api_base_env,
                    "endpoints": p.endpoints,
                })
            })
            .collect();
        return to_json(&Value::Array(rows));
    }
    let mut table = Table::with_header(&["PROVIDER", "API", "BASE URL", "KEY VARIABLE"]);
    for p in all {
        table.row(vec![
            p.name.to_string(),
            api(p).to_string(),
            p.base_url.unwrap_or("-").to_string(),
            p.api_key_env.unwrap_or("-").to_string(),
        ]);
    }
    let mut out = table.render();
    out.push_str(&format!("{} providers\n", all.len()));
    Ok(out)
}

fn did_you_mean(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        names => format!(
            "; did you mean {}?",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
