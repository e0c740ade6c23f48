//! `llmrelay chat`: one prompt, the answer streamed to the terminal as it
//! arrives, then usage and cost. The async runtime is created here, so the
//! other commands never pay for one. With `--config`, the call goes through
//! the router built from a LiteLLM config.yaml.

use std::io::Write;
use std::path::Path;

use clap::Args;
use futures_util::StreamExt;
use llmrelay::types::StreamOptions;
use llmrelay::{CallOptions, ChatRequest, ChatResponse, ChatStream, Client, Message};
use llmrelay_router::{RouteOptions, Routed, Router, RouterConfig};
use serde_json::json;

use super::{message, to_json};

/// `llmrelay chat`
#[derive(Args)]
pub struct ChatArgs {
    /// Model name (`gpt-4o`, `groq/llama-3.3-70b-versatile`...).
    #[arg(long, short)]
    model: String,
    /// The prompt.
    prompt: String,
    /// A system message to put first.
    #[arg(long)]
    system: Option<String>,
    /// Base URL instead of the provider's.
    #[arg(long)]
    api_base: Option<String>,
    /// API key instead of the provider's key variable (prefer the variable:
    /// arguments show up in process lists).
    #[arg(long)]
    api_key: Option<String>,
    /// Completion length limit.
    #[arg(long)]
    max_tokens: Option<u64>,
    /// Sampling temperature.
    #[arg(long)]
    temperature: Option<f64>,
    /// Wait for the whole answer and print the response as JSON.
    #[arg(long)]
    json: bool,
    /// A LiteLLM config.yaml: `-m` names one of its model groups, and the
    /// call goes through the router (its model_list and router_settings).
    #[arg(long)]
    config: Option<std::path::PathBuf>,
}

pub fn chat(args: &ChatArgs) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(run(args))
}

async fn run(args: &ChatArgs) -> Result<String, String> {
    let mut messages = Vec::new();
    if let Some(system) = &args.system {
        messages.push(Message::system(system.clone()));
    }
    messages.push(Message::user(args.prompt.clone()));
    let mut request = ChatRequest::new(args.model.clone(), messages);
    request.max_tokens = args.max_tokens;
    request.temperature = args.temperature;
    if let Some(path) = &args.config {
        return run_routed(args, path, request).await;
    }
    let options = CallOptions {
        api_base: args.api_base.clone(),
        api_key: args.api_key.clone(),
        ..CallOptions::default()
    };
    let client = Client::new();
    if args.json {
        let response = client
            .completion(request, &options)
            .await
            .map_err(message)?;
        return print_json(&response);
    }
    with_usage(&mut request);
    let stream = client
        .completion_stream(request, &options)
        .await
        .map_err(message)?;
    print_stream(stream, &args.model).await
}

/// The call through a router built from `path`'s model_list and router_settings.
async fn run_routed(
    args: &ChatArgs,
    path: &Path,
    mut request: ChatRequest,
) -> Result<String, String> {
    if args.api_base.is_some() || args.api_key.is_some() {
        return Err(
            "--api-base and --api-key do not go with --config: the config names them".into(),
        );
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (config, warnings) = RouterConfig::from_yaml_str(&text).map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let router = Router::new(config).map_err(|e| e.to_string())?;
    let options = RouteOptions::default();
    if args.json {
        let routed = router
            .completion(request, &options)
            .await
            .map_err(message)?;
        eprintln!("{}", routed_summary(&routed));
        return print_json(&routed.value);
    }
    with_usage(&mut request);
    let routed = router
        .completion_stream(request, &options)
        .await
        .map_err(message)?;
    eprintln!("{}", routed_summary(&routed));
    print_stream(routed.value, &routed.model).await
}

/// Which deployment answered, on stderr (LiteLLM's x-litellm-model-id facts).
fn routed_summary<T>(routed: &Routed<T>) -> String {
    format!(
        "[{} via deployment {} ({}), {} retries, {} fallbacks]",
        routed.model_group,
        routed.deployment_id,
        routed.model,
        routed.attempted_retries,
        routed.attempted_fallbacks
    )
}

fn with_usage(request: &mut ChatRequest) {
    request.stream_options = Some(StreamOptions {
        include_usage: Some(true),
        ..StreamOptions::default()
    });
}

fn print_json(response: &ChatResponse) -> Result<String, String> {
    let mut value = serde_json::to_value(response).map_err(|e| e.to_string())?;
    value["response_cost"] = json!(response.cost);
    to_json(&value)
}

/// Echoes the answer as it arrives, then usage and cost (priced as `model`).
async fn print_stream(mut stream: ChatStream, model: &str) -> Result<String, String> {
    let mut chunks = Vec::new();
    let mut stdout = std::io::stdout().lock();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(message)?;
        for choice in &chunk.choices {
            if let Some(text) = &choice.delta.content {
                // Printed as it arrives; a closed pipe just stops the echo.
                let _ = stdout.write_all(text.as_bytes());
                let _ = stdout.flush();
            }
        }
        chunks.push(chunk);
    }
    let _ = stdout.write_all(b"\n");
    let folded = llmrelay::stream_chunk_builder(&chunks);
    let mut summary = String::new();
    if let Some(usage) = folded.as_ref().and_then(|r| r.usage.clone()) {
        summary.push_str(&format!(
            "[{} prompt + {} completion = {} tokens",
            usage.prompt_tokens, usage.completion_tokens, usage.total_tokens
        ));
        match folded
            .as_ref()
            .map(|r| llmrelay::completion_cost(r, Some(model)))
        {
            Some(Ok(cost)) => summary.push_str(&format!(", ${cost:.6}]")),
            _ => summary.push_str(", cost unknown]"),
        }
    }
    // Usage goes to stderr so `llmrelay chat ... > answer.txt` keeps only the answer.
    if !summary.is_empty() {
        eprintln!("{summary}");
    }
    Ok(String::new())
}
