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
    let routed = router.completion(request, &route_options(options)).await?;
    Ok(named_by_model(routed))
}

/// The streamed variant: fails over until the first content, as the router does.
pub async fn completion_stream_with_fallbacks(
    client: &Client,
    request: ChatRequest,
    options: &CallOptions,
    fallbacks: &[Fallback],
) -> Result<Routed<ChatStream>, Error> {
    let router = plain_router(client, &request.model, options, fallbacks)?;
    let routed = router
        .completion_stream(request, &route_options(options))
        .await?;
    Ok(named_by_model(routed))
}

/// What a fallback's group is called inside the throwaway router.
fn fallback_group(model: &str, index: usize) -> String {
    format!("{model}{FALLBACK_MARK}{})", index + 1)
}

const FALLBACK_MARK: &str = " (fallback ";

/// The answer with `model_group` naming the model that answered, as the
/// caller gave it (not the throwaway router's group name).
fn named_by_model<T>(mut routed: Routed<T>) -> Routed<T> {
    if let Some((model, _)) = routed.model_group.rsplit_once(FALLBACK_MARK) {
        routed.model_group = model.to_owned();
    }
    routed
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
        aws: llmrelay::AwsOptions {
            access_key_id: None,
            secret_access_key: None,
            session_token: None,
            profile_name: None,
            ..options.aws.clone()
        },
        vertex: llmrelay::VertexOptions {
            credentials: None,
            ..options.vertex.clone()
        },
        ..options.clone()
    }
}

fn plain_router(
    client: &Client,
    primary: &str,
    options: &CallOptions,
    fallbacks: &[Fallback],
) -> Result<Router, Error> {
    // Each fallback is a group of its own, named apart from its model, so a
    // fallback to the primary's model (with another key, say) is still
    // tried and no two entries share an id.
    let mut entries = vec![(primary.to_owned(), primary.to_owned(), options.clone())];
    for (i, f) in fallbacks.iter().enumerate() {
        let opts = f
            .options
            .clone()
            .unwrap_or_else(|| without_credentials(options));
        let group = fallback_group(&f.model, i);
        entries.push((group, f.model.clone(), opts));
    }
    let names: Vec<String> = entries[1..].iter().map(|(g, _, _)| g.clone()).collect();
    let settings = RouterSettings {
        num_retries: 0,
        disable_cooldowns: true,
        max_fallbacks: names.len(),
        fallbacks: vec![(primary.to_owned(), names)],
        ..RouterSettings::default()
    };
    let mut model_list = Vec::with_capacity(entries.len());
    let mut call_options = Vec::with_capacity(entries.len());
    for (group, model, opts) in entries {
        let params = json!({ "model": model, "api_base": opts.api_base });
        let (mut config, _) = RouterConfig::from_model_list(&json!([{
            "model_name": group, "litellm_params": params
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
