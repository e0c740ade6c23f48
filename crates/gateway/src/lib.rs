//! llmrelay-gateway: `llmrelay serve`.
#![warn(missing_docs)]

pub mod api_error;
pub mod auth;
pub mod config;
pub mod ingress;
pub mod metrics;
pub mod request_log;
pub mod routing;
