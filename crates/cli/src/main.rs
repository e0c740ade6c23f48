//! `llmrelay`: the command-line front of the llmrelay SDK. It knows every
//! model of the compiled catalog without reading a file, so each command
//! starts in a few milliseconds.

mod commands;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc rather than glibc's malloc: the gateway allocates per request
/// from several threads, where glibc's per-thread arenas keep freed memory
/// (resident memory steps up with each burst and stays) and spend more CPU
/// per request (measured in BENCHMARKS.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One OpenAI-format API to every LLM provider.
#[derive(Parser)]
#[command(name = "llmrelay", version, about)]
struct Cli {
    /// Merge a LiteLLM-format model cost map (JSON) over the built-in catalog.
    /// Also read from LLMRELAY_MODEL_COST_MAP.
    #[arg(long, global = true, value_name = "FILE")]
    catalog_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the models of the catalog.
    Models(commands::ModelsArgs),
    /// Show everything the catalog knows about one model.
    Info(commands::InfoArgs),
    /// Price a number of tokens on a model.
    Cost(commands::CostArgs),
    /// Count the tokens of a text (or chat messages) for a model.
    Tokens(commands::TokensArgs),
    /// List the providers and how each is reached.
    Providers(commands::ProvidersArgs),
    /// Send one prompt and stream the answer to the terminal.
    Chat(commands::ChatArgs),
    /// Run the OpenAI- and Anthropic-compatible gateway (LiteLLM's config.yaml).
    Serve(commands::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    llmrelay::catalog::load_from_env().map_err(|e| e.to_string())?;
    if let Some(path) = &cli.catalog_file {
        llmrelay::catalog::load_litellm_file(path).map_err(|e| e.to_string())?;
    }
    let out = match cli.command {
        Command::Models(args) => commands::models(&args),
        Command::Info(args) => commands::info(&args),
        Command::Cost(args) => commands::cost(&args),
        Command::Tokens(args) => commands::tokens(&args),
        Command::Providers(args) => commands::providers(&args),
        Command::Chat(args) => commands::chat(&args),
        Command::Serve(args) => commands::serve(&args),
    }?;
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`llmrelay models | head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes());
    Ok(())
}
