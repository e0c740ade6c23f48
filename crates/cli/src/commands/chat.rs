//! `llmrelay chat`: one prompt, the answer streamed to the terminal as it
//! arrives, then usage and cost. The async runtime is created here, so the
//! other commands never pay for one.

use std::io::Write;

use clap::Args;
use futures_util::StreamExt;
use llmrelay::types::StreamOptions;
use llmrelay::{CallOptions, ChatRequest, Client, Message};
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
    let options = CallOptions {
        api_base: args.api_base.clone(),
        api_key: args.api_key.clone().map(Into::into),
        ..CallOptions::default()
    };
    let client = Client::new();
    if args.json {
        let response = client
            .completion(request, &options)
            .await
            .map_err(message)?;
        let mut value = serde_json::to_value(&response).map_err(|e| e.to_string())?;
        value["response_cost"] = json!(response.cost);
        return to_json(&value);
    }
    request.stream_options = Some(StreamOptions {
        include_usage: Some(true),
        ..StreamOptions::default()
    });
    let mut stream = client
        .completion_stream(request, &options)
        .await
        .map_err(message)?;
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
            .map(|r| llmrelay::completion_cost(r, Some(&args.model)))
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
