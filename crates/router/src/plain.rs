//! LiteLLM's `completion(..., fallbacks=[...])` without a configured router:
//! the primary model and each fallback become a one-deployment group of a
//! throwaway router, so the call takes the same attempt loop, the same error
//! kinds decide, and streams fail over the same way.

use llmrelay::{CallOptions, ChatRequest, ChatResponse, ChatStream, Client, Error, ErrorKind};
use serde_json::json;

use crate::config::{RouterConfig, RouterSettings};
use crate::routed::{RouteOptions, Routed};
use crate::router::Router;

/// One fallback of a plain call: a model and, optionally, its own options
/// (by default the primary's options without its credentials and base URL,
/// so another provider uses its own key variable).
#[derive(Debug, Clone)]
pub struct Fallback {
    /// The model name (`anthropic/claude-sonnet-4-5`).
    pub model: String,
    /// Options for it; `None`: see the type's doc.
    pub options: Option<CallOptions>,
}

impl From<&str> for Fallback {
    fn from(model: &str) -> Self {
        Fallback {
            model: model.to_owned(),
            options: None,
        }
    }
}

/// `request` on `request.model` with `options`, then on each fallback in order.
pub async fn completion_with_fallbacks(
    client: &Client,
    request: ChatRequest,
    options: &CallOptions,
    fallbacks: &[Fallback],
) -> Result<Routed<ChatResponse>, Error> {
    let router = plain_router(client, &request.model, options, fallbacks)?;
    router.completion(request, &route_options(options)).await
}

/// The streamed variant: fails over until the first content, as the router does.
pub async fn completion_stream_with_fallbacks(
    client: &Client,
    request: ChatRequest,
    options: &CallOptions,
    fallbacks: &[Fallback],
) -> Result<Routed<ChatStream>, Error> {
    let router = plain_router(client, &request.model, options, fallbacks)?;
    router
        .completion_stream(request, &route_options(options))
        .await
}

fn route_options(options: &CallOptions) -> RouteOptions {
    RouteOptions {
        // The transport retries inside each call (`num_retries`); the
        // router only moves on.
        num_retries: Some(0),
        mock_response: options.mock_response.clone(),
        ..RouteOptions::default()
    }
}

fn without_credentials(options: &CallOptions) -> CallOptions {
    CallOptions {
        api_base: None,
        api_key: None,
        api_version: None,
        aws_access_key_id: None,
        aws_secret_access_key: None,
        aws_session_token: None,
        aws_profile_name: None,
        vertex_credentials: None,
        ..options.clone()
    }
}

fn plain_router(
    client: &Client,
    primary: &str,
    options: &CallOptions,
    fallbacks: &[Fallback],
) -> Result<Router, Error> {
    let mut entries = vec![(primary.to_owned(), options.clone())];
    for f in fallbacks {
        let opts = f
            .options
            .clone()
            .unwrap_or_else(|| without_credentials(options));
        entries.push((f.model.clone(), opts));
    }
    let names: Vec<String> = fallbacks.iter().map(|f| f.model.clone()).collect();
    let settings = RouterSettings {
        num_retries: 0,
        disable_cooldowns: true,
        max_fallbacks: names.len(),
        fallbacks: vec![(primary.to_owned(), names)],
        ..RouterSettings::default()
    };
    let mut model_list = Vec::with_capacity(entries.len());
    let mut call_options = Vec::with_capacity(entries.len());
    for (model, opts) in entries {
        let params = json!({ "model": model, "api_base": opts.api_base });
        let (mut config, _) = RouterConfig::from_model_list(&json!([{
            "model_name": model, "litellm_params": params
        }]))
        .map_err(|e| Error::new(ErrorKind::BadRequest, e.to_string()).with_model(&model))?;
        let Some(entry) = config.model_list.pop() else {
            continue;
        };
        model_list.push(entry);
        call_options.push(opts);
    }
    Router::builder(RouterConfig {
        model_list,
        settings,
    })
    .client(client.clone())
    .call_options(call_options)
    .build()
    .map_err(|e| Error::new(ErrorKind::BadRequest, e.to_string()).with_model(primary))
}
