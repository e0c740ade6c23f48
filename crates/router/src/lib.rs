//! llmrelay's router: LiteLLM's `Router` over the llmrelay SDK.
//!
//! A [`Router`] serves public model names (model groups) from a `model_list`
//! of deployments in LiteLLM's schema ([`RouterConfig::from_value`]). Each
//! call picks a deployment (tags, pre-call checks, cooldowns, `order`, then
//! the [`RoutingStrategy`] or a custom [`Strategy`]), calls it through
//! [`llmrelay::Client`], retries with backoff, cools failing deployments
//! down, and falls back to other groups by error kind. Streams fail over too:
//! nothing reaches the caller before the first content, so an error, a stall
//! or a malformed first event moves to the next deployment unseen.
//!
//! Each answer comes as a [`Routed`] naming the deployment and the retries
//! and fallbacks it took. Deployment state sits behind [`RouterState`]
//! (in-process by default) and time behind [`Clock`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use llmrelay::{ChatRequest, Message};
//! use llmrelay_router::{RouteOptions, Router, RouterConfig};
//!
//! let (config, warnings) = RouterConfig::from_value(&serde_json::json!({
//!     "model_list": [
//!         {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "rpm": 100}},
//!         {"model_name": "gpt", "litellm_params": {"model": "azure/gpt-4o", "api_base": "https://x.openai.azure.com", "rpm": 300}},
//!     ],
//!     "routing_strategy": "simple-shuffle",
//!     "num_retries": 2,
//! }))?;
//! assert!(warnings.is_empty());
//! let router = Router::new(config)?;
//! let routed = router
//!     .completion(ChatRequest::new("gpt", vec![Message::user("Hi")]), &RouteOptions::default())
//!     .await?;
//! println!("{} answered after {} retries", routed.deployment_id, routed.attempted_retries);
//! # Ok(()) }
//! ```
//!
//! This crate does not parse config files (the gateway and the CLI do, and
//! hand it JSON values; the `yaml` feature adds a small reader of
//! `model_list` + `router_settings`) and has no HTTP server.
#![warn(missing_docs)]

mod clock;
pub mod config;
mod cooldown;
mod deployment;
mod failover;
mod fallback;
mod groups;
mod plain;
mod retry;
mod routed;
mod router;
mod select;
pub mod state;
pub mod strategy;
mod stream_failover;
#[cfg(feature = "yaml")]
mod yaml;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{ConfigError, ConfigWarning, RouterConfig, RouterSettings, RoutingStrategy};
pub use deployment::Deployment;
pub use plain::{completion_stream_with_fallbacks, completion_with_fallbacks, Fallback};
pub use routed::{RouteOptions, Routed};
pub use router::{DeploymentStatus, Router, RouterBuilder};
pub use state::{InMemoryState, RouterState};
pub use strategy::{Candidates, Strategy};
