//! llmrelay-gateway: the server behind `llmrelay serve`.
//!
//! An OpenAI- and Anthropic-compatible HTTP gateway over the llmrelay SDK
//! that reads LiteLLM's `config.yaml` unchanged. Requests in OpenAI chat,
//! text completion, Responses or Anthropic Messages form are translated to
//! llmrelay's `ChatRequest` (by llmrelay-ingress), routed to a deployment (`routing`),
//! and answered in the client's own format with LiteLLM's `x-litellm-*`
//! headers, errors in the route's dialect (`api_error`), a JSON log line
//! (`request_log`) and Prometheus metrics (`metrics`).
//!
//! Virtual keys, budgets, rate limits and spend (`control_plane`, over
//! llmrelay-control) are on when the config has a master key: `auth` tells
//! the caller, `server::metering` admits and settles each keyed call, and
//! `server::admin` serves LiteLLM's `/key`, `/user`, `/team` and
//! `/spend/logs` endpoints.
//!
//! What it is not: a provider (providers live in the SDK, which this crate
//! reaches only through its public API), nor a store (llmrelay-control owns
//! every SQL statement and Redis script).
#![warn(missing_docs)]

pub mod api_error;
pub mod auth;
pub mod config;
pub mod control_plane;
pub mod metrics;
pub mod request_log;
pub mod routing;
mod server;
pub mod shared_state;

pub use config::{ConfigError, GatewayConfig};
pub use control_plane::{ControlPlane, ControlSettings};
pub use request_log::RequestLog;
pub use server::{serve, shutdown_signal, Gateway, Settings, StartError};
