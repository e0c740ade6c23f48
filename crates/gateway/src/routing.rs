//! The gateway's view of `llmrelay-router`: builds the router from the
//! config's `model_list` + `router_settings`, answers the questions the
//! routes ask (which names are served, what `/v1/models` lists, cooldowns),
//! and sends a call with client-supplied credentials (when the config allows
//! them) straight to the chosen deployment's model.

use std::time::Duration;

use llmrelay::{
    CallOptions, ChatRequest, ChatResponse, ChatStream, Client, EmbeddingRequest,
    EmbeddingResponse, Error,
};
use llmrelay_router::{RouteOptions, Router, RouterConfig};
use serde_json::{json, Map, Value};

pub use llmrelay_router::Routed;

/// Every deployment the gateway serves, by model group.
#[derive(Debug)]
pub struct ModelRouter {
    router: Router,
    client: Client,
    /// Group names and `*` patterns, sorted.
    names: Vec<String>,
    /// Serve any catalog model by its own name (no config: `llmrelay serve`).
    passthrough: bool,
}

/// The per-call settings a request body carries.
#[derive(Debug, Clone, Default)]
pub struct CallSettings {
    /// Routing: fallbacks, tags, retries, `mock_response`.
    pub route: RouteOptions,
    /// Client-supplied `api_base` / `api_key` / `api_version` (only when the
    /// config allows them): the call skips routing and uses these.
    pub credentials: Option<CallOptions>,
    /// The whole-call timeout the request asked for.
    pub timeout: Option<Duration>,
}

impl ModelRouter {
    /// Builds the router for `model_list` and `router_settings` (LiteLLM's
    /// shapes as JSON). `passthrough` adds a `*` group: any model the catalog
    /// resolves, by its own name. Returns the router's warnings (unknown keys)
    /// as dotted names.
    pub fn new(
        client: Client,
        model_list: &[Value],
        router_settings: &Map<String, Value>,
        passthrough: bool,
        state: Option<std::sync::Arc<dyn llmrelay_router::RouterState>>,
    ) -> Result<(ModelRouter, Vec<String>), String> {
        let mut list = model_list.to_vec();
        if passthrough && list.is_empty() {
            list.push(json!({"model_name": "*", "litellm_params": {"model": "*"}}));
        }
        let (config, warnings) = RouterConfig::from_value(&json!({
            "model_list": list,
            "router_settings": router_settings,
        }))
        .map_err(|e| e.to_string())?;
        let mut builder = Router::builder(config).client(client.clone());
        if let Some(state) = state {
            builder = builder.state(state);
        }
        let router = builder.build().map_err(|e| e.to_string())?;
        let names = router.model_names();
        let warnings = warnings
            .into_iter()
            .map(|w| format!("{}.{}", w.place, w.key))
            .collect();
        Ok((
            ModelRouter {
                router,
                client,
                names,
                passthrough,
            },
            warnings,
        ))
    }

    /// The model groups and patterns served.
    pub fn model_names(&self) -> &[String] {
        &self.names
    }

    /// Whether `model` names a group (or matches a pattern) this gateway serves.
    pub fn serves(&self, model: &str) -> bool {
        self.names.iter().any(|name| match name.split_once('*') {
            None => name == model,
            Some((head, tail)) => model
                .strip_prefix(head)
                .and_then(|rest| rest.strip_suffix(tail))
                .is_some_and(|m| !m.is_empty()),
        })
    }

    /// The upstream model the next call to `group` would use.
    pub fn model_of(&self, group: &str) -> Option<String> {
        self.router
            .get_available_deployment(group, &RouteOptions::default())
            .ok()
            .map(|d| model_for(d.model(), d.model_name(), group))
    }

    /// What `/v1/models` lists: the groups, or with no config every catalog
    /// chat or embedding model whose provider's key is in the environment.
    pub fn listed_models(&self) -> Vec<String> {
        if !self.passthrough {
            return self.names.clone();
        }
        llmrelay::catalog::models()
            .into_iter()
            .filter(|m| {
                matches!(
                    m.mode.map(|mode| mode.as_str()),
                    Some("chat") | Some("embedding")
                ) && m.alias_of.is_none()
                    && llmrelay::catalog::provider(m.provider)
                        .and_then(|p| p.api_key_env)
                        .is_some_and(|var| std::env::var_os(var).is_some())
            })
            .map(|m| m.key.to_string())
            .collect()
    }

    /// Each deployment as `/model/info` shows it: no keys.
    pub fn deployments(&self) -> Vec<Value> {
        self.router
            .deployments()
            .into_iter()
            .map(|d| {
                json!({
                    "model_name": d.model_name,
                    "litellm_params": {"model": d.model, "api_base": d.api_base},
                    "model_info": {"id": d.id, "healthy": d.healthy,
                                   "cooldown_until_ms": d.cooldown_until_ms, "in_flight": d.in_flight},
                })
            })
            .collect()
    }

    /// Deployments cooling down now, by model group.
    pub fn cooldowns(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for d in self.router.deployments() {
            *counts.entry(d.model_name).or_default() += usize::from(!d.healthy);
        }
        counts.into_iter().collect()
    }

    /// LiteLLM's `/health`: every deployment called once, directly (no
    /// routing, retries or fallbacks), with its own credentials: a one-token
    /// completion, or a one-word embedding for embedding models. Wildcard
    /// deployments stand for many models and are skipped. Returns
    /// (healthy, unhealthy) entries; failures carry the SDK's redacted message.
    pub async fn probe(&self) -> (Vec<Value>, Vec<Value>) {
        let checks = self
            .router
            .model_list()
            .iter()
            .filter(|d| !d.model_name().contains('*') && !d.model().contains('*'))
            .map(|d| async move {
                let mut options = d.config().litellm_params.call.clone();
                options.num_retries = Some(0);
                let model = d.model().to_string();
                let embedding = llmrelay::get_model_info(&model)
                    .ok()
                    .and_then(|info| {
                        info.get("mode")
                            .and_then(Value::as_str)
                            .map(|m| m == "embedding")
                    })
                    .unwrap_or(false);
                let call = async {
                    if embedding {
                        let request = EmbeddingRequest::new(model.clone(), vec!["ping".into()]);
                        self.client.embedding(request, &options).await.map(|_| ())
                    } else {
                        let mut request =
                            ChatRequest::new(model.clone(), vec![llmrelay::Message::user("ping")]);
                        request.max_tokens = Some(1);
                        self.client.completion(request, &options).await.map(|_| ())
                    }
                };
                let result = match tokio::time::timeout(Duration::from_secs(10), call).await {
                    Ok(result) => result.map_err(|e| e.to_string()),
                    Err(_) => Err("no answer within 10 s".to_string()),
                };
                let entry = json!({"model_name": d.model_name(), "model": model,
                                   "model_id": d.id(), "api_base": d.api_base()});
                (entry, result.err())
            });
        let mut healthy = Vec::new();
        let mut unhealthy = Vec::new();
        for (mut entry, error) in futures_util::future::join_all(checks).await {
            match error {
                None => healthy.push(entry),
                Some(message) => {
                    entry["error"] = Value::String(message);
                    unhealthy.push(entry);
                }
            }
        }
        (healthy, unhealthy)
    }

    /// A non-streamed completion for the group `request.model`.
    pub async fn completion(
        &self,
        request: ChatRequest,
        settings: &CallSettings,
    ) -> Result<Routed<ChatResponse>, Error> {
        match &settings.credentials {
            None => self.router.completion(request, &settings.route).await,
            Some(credentials) => {
                let (request, routed) = self.direct(request, credentials)?;
                let options = self.direct_options(credentials, &settings.route);
                let response = self.client.completion(request, &options).await?;
                Ok(routed.map(|()| response))
            }
        }
    }

    /// A streamed completion for the group `request.model`.
    pub async fn completion_stream(
        &self,
        request: ChatRequest,
        settings: &CallSettings,
    ) -> Result<Routed<ChatStream>, Error> {
        match &settings.credentials {
            None => {
                self.router
                    .completion_stream(request, &settings.route)
                    .await
            }
            Some(credentials) => {
                let (request, routed) = self.direct(request, credentials)?;
                let options = self.direct_options(credentials, &settings.route);
                let stream = self.client.completion_stream(request, &options).await?;
                Ok(routed.map(|()| stream))
            }
        }
    }

    /// Embeddings for the group `request.model`.
    pub async fn embedding(
        &self,
        mut request: EmbeddingRequest,
        settings: &CallSettings,
    ) -> Result<Routed<EmbeddingResponse>, Error> {
        match &settings.credentials {
            None => self.router.embedding(request, &settings.route).await,
            Some(credentials) => {
                let group = std::mem::take(&mut request.model);
                let routed = self.direct_route(&group, credentials)?;
                request.model.clone_from(&routed.model);
                let options = self.direct_options(credentials, &settings.route);
                let response = self.client.embedding(request, &options).await?;
                Ok(routed.map(|()| response))
            }
        }
    }

    /// A call with the client's own credentials: the group's model, sent
    /// once, to the client's `api_base` (no retries across deployments,
    /// whose keys the client did not give).
    fn direct(
        &self,
        mut request: ChatRequest,
        credentials: &CallOptions,
    ) -> Result<(ChatRequest, Routed<()>), Error> {
        let group = std::mem::take(&mut request.model);
        let routed = self.direct_route(&group, credentials)?;
        request.model.clone_from(&routed.model);
        Ok((request, routed))
    }

    fn direct_route(&self, group: &str, credentials: &CallOptions) -> Result<Routed<()>, Error> {
        let deployment = self
            .router
            .get_available_deployment(group, &RouteOptions::default())?;
        Ok(Routed {
            value: (),
            deployment_id: deployment.id().to_string(),
            model_group: group.to_string(),
            model: model_for(deployment.model(), deployment.model_name(), group),
            api_base: credentials
                .api_base
                .clone()
                .or_else(|| deployment.api_base().map(str::to_string)),
            attempted_retries: 0,
            attempted_fallbacks: 0,
        })
    }

    fn direct_options(&self, credentials: &CallOptions, route: &RouteOptions) -> CallOptions {
        CallOptions {
            mock_response: route.mock_response.clone(),
            num_retries: route.num_retries,
            ..credentials.clone()
        }
    }
}

/// The model a deployment sends for `requested`: its own, or for a
/// wildcard deployment the `*` filled with what the group pattern matched
/// (the router does the same when it routes).
fn model_for(model: &str, group: &str, requested: &str) -> String {
    let Some((head, tail)) = model.split_once('*') else {
        return model.to_string();
    };
    let matched = group
        .split_once('*')
        .and_then(|(g_head, g_tail)| requested.strip_prefix(g_head)?.strip_suffix(g_tail))
        .filter(|m| !m.is_empty())
        .unwrap_or(requested);
    format!("{head}{matched}{tail}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn router(list: Value, passthrough: bool) -> ModelRouter {
        ModelRouter::new(
            Client::new(),
            list.as_array().unwrap(),
            &Map::new(),
            passthrough,
            None,
        )
        .unwrap()
        .0
    }

    #[test]
    fn groups_and_patterns_are_served() {
        let r = router(
            json!([
                {"model_name": "g", "litellm_params": {"model": "openai/gpt-4o", "api_key": "k"}},
                {"model_name": "openai/*", "litellm_params": {"model": "openai/*", "api_key": "k"}},
            ]),
            false,
        );
        assert!(r.serves("g"));
        assert!(r.serves("openai/gpt-4o-mini"));
        assert!(!r.serves("anthropic/claude"));
        assert_eq!(
            r.model_of("openai/gpt-4o-mini").as_deref(),
            Some("openai/gpt-4o-mini")
        );
        assert_eq!(r.listed_models(), ["g", "openai/*"]);
    }

    #[test]
    fn passthrough_serves_any_name() {
        let r = router(json!([]), true);
        assert!(r.serves("gpt-4o"));
        assert_eq!(r.model_of("gpt-4o").as_deref(), Some("gpt-4o"));
    }

    #[test]
    fn deployment_listing_has_no_keys() {
        let r = router(
            json!([{"model_name": "g", "litellm_params": {"model": "openai/gpt-4o", "api_key": "sk-secret-1"}}]),
            false,
        );
        let text = serde_json::to_string(&r.deployments()).unwrap();
        assert!(text.contains("openai/gpt-4o"));
        assert!(!text.contains("sk-secret-1"));
        assert_eq!(r.cooldowns(), [("g".to_string(), 0)]);
    }
}
