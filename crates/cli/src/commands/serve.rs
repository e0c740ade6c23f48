//! `llmrelay serve`: the gateway (crates/gateway) on a port, from LiteLLM's
//! config.yaml, one model, or (no flags) every catalog model with keys from
//! the environment.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use llmrelay_gateway::{ControlPlane, ControlSettings, Gateway, GatewayConfig, RequestLog};

/// `llmrelay serve` options (LiteLLM's `litellm --config/--model/--port` names).
#[derive(Args)]
pub struct ServeArgs {
    /// LiteLLM's config.yaml (model_list, router_settings, litellm_settings, general_settings).
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Serve this one model (as `litellm --model`); added to the config's models.
    #[arg(long, short = 'm', value_name = "MODEL")]
    model: Option<String>,
    /// Address to listen on. Without a master key only loopback is allowed.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on.
    #[arg(long, short = 'p', default_value_t = 4000)]
    port: u16,
    /// Validate the config and exit.
    #[arg(long)]
    check: bool,
    /// Listen beyond loopback without a master key.
    #[arg(long)]
    allow_unauthenticated: bool,
    /// Do not write a JSON line per request to stdout.
    #[arg(long)]
    no_request_log: bool,
}

fn has_master_key(config: &GatewayConfig) -> bool {
    config
        .general_settings
        .master_key
        .as_deref()
        .is_some_and(|k| !k.is_empty())
}

/// Runs the gateway until SIGTERM or Ctrl-C; the text is what `--check` reports.
pub fn serve(args: &ServeArgs) -> Result<String, String> {
    let mut config = match &args.config {
        Some(path) => GatewayConfig::load(path).map_err(|e| e.to_string())?,
        None => GatewayConfig::default(),
    };
    for key in &config.warnings {
        eprintln!("warning: config key `{key}` is not used by llmrelay; ignored");
    }
    if let Some(model) = &args.model {
        config
            .model_list
            .extend(GatewayConfig::single_model(model).model_list);
    }
    // No file and no model: every catalog model, by its own name.
    let passthrough = args.config.is_none() && args.model.is_none();
    let log = if args.no_request_log {
        RequestLog::Off
    } else {
        RequestLog::Stdout
    };
    let gateway = Gateway::new(&config, passthrough, log).map_err(|e| e.to_string())?;
    for key in gateway.warnings() {
        eprintln!("warning: `{key}` is not a router setting llmrelay knows; ignored");
    }
    if args.check {
        return Ok(format!(
            "config OK: {} deployment(s), {} warning(s)\n",
            config.model_list.len(),
            config.warnings.len() + gateway.warnings().len()
        ));
    }
    let addr = SocketAddr::new(args.host, args.port);
    gateway
        .check_bind(addr, args.allow_unauthenticated)
        .map_err(|e| e.to_string())?;
    // LiteLLM sets environment_variables at start; done before any thread exists.
    config.apply_environment();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    // Virtual keys, budgets and spend come with a master key (as in
    // LiteLLM): SQLite next to the config unless a database is configured.
    let control = has_master_key(&config).then(|| {
        let dir = args
            .config
            .as_deref()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        // The spend journal is per instance: named by port, or by process
        // for an ephemeral port (two `--port 0` instances never share one).
        let instance = match args.port {
            0 => format!("pid{}", std::process::id()),
            port => port.to_string(),
        };
        ControlSettings::from_config(&config, &dir, &instance)
    });
    runtime.block_on(async move {
        let mut keys_note = None;
        let (gateway, control) = match control {
            Some(settings) => {
                keys_note = Some(format!("virtual keys: {settings:?}"));
                let control = Arc::new(ControlPlane::open(&settings).await?);
                let gateway = gateway
                    .with_control(Arc::clone(&control))
                    .map_err(|e| e.to_string())?;
                (gateway, Some(control))
            }
            None => (gateway, None),
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        // The first line stays the address (scripts and tests read it).
        eprintln!("llmrelay gateway listening on http://{local}");
        if let Some(note) = keys_note {
            eprintln!("{note}");
        }
        let served = llmrelay_gateway::serve(
            listener,
            Arc::new(gateway),
            llmrelay_gateway::shutdown_signal(),
        )
        .await
        .map_err(|e| format!("server error: {e}"));
        // SIGTERM: every answered call's spend reaches the database.
        if let Some(control) = control {
            control
                .drain(std::time::Duration::from_secs(10))
                .await
                .map_err(|e| format!("spend flush failed (rows stay in the journal): {e}"))?;
        }
        served
    })?;
    eprintln!("llmrelay gateway stopped");
    Ok(String::new())
}
