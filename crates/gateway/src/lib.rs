//! llmrelay-gateway: `llmrelay serve`.
#![warn(missing_docs)]

pub mod config;
