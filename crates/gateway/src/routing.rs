//! Model groups -> deployments -> SDK calls.
//!
//! INTERIM: this module is the minimal `model_name -> litellm_params` lookup
//! the gateway serves through until `llmrelay-router` (issue 9) is merged;
//! it is to be replaced by that router behind the same [`ModelRouter`] and
//! [`Routed`] API. It round-robins over a group's deployments and leaves
//! retries to the SDK; it has no fallbacks, cooldowns or strategies.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use llmrelay::{
    CallOptions, ChatRequest, ChatResponse, ChatStream, Client, EmbeddingRequest,
    EmbeddingResponse, Error, ErrorKind,
};
use serde_json::{Map, Value};

/// A result with how it was obtained, for the `x-litellm-*` headers and logs.
#[derive(Debug)]
pub struct Routed<T> {
    /// The result.
    pub value: T,
    /// The model group asked for.
    pub model_group: String,
    /// The deployment that answered (`model_info.id`).
    pub deployment_id: String,
    /// Its base URL, when it sets one.
    pub api_base: Option<String>,
    /// Retries made before this result.
    pub attempted_retries: u32,
    /// Fallback groups tried before this result.
    pub attempted_fallbacks: u32,
}

/// One deployment of a model group.
#[derive(Debug, Clone)]
struct Deployment {
    id: String,
    /// `litellm_params.model`, possibly with a `*` filled from the request.
    model: String,
    options: CallOptions,
    /// Other `litellm_params` (temperature, max_tokens...): request defaults.
    defaults: Map<String, Value>,
}

/// Every deployment the gateway serves, by model group.
#[derive(Debug)]
pub struct ModelRouter {
    client: Client,
    groups: BTreeMap<String, Vec<Deployment>>,
    /// `name*` groups, longest prefix first.
    wildcards: Vec<(String, Vec<Deployment>)>,
    /// Serve any catalog model by its own name (no config: `llmrelay serve`).
    passthrough: bool,
    next: HashMap<String, AtomicUsize>,
}

/// `litellm_params` keys that configure the call rather than the request body.
const ROUTING_KEYS: &[&str] = &[
    "model",
    "rpm",
    "tpm",
    "weight",
    "order",
    "tags",
    "region_name",
    "max_parallel_requests",
    "input_cost_per_token",
    "output_cost_per_token",
    "custom_llm_provider",
];

impl ModelRouter {
    /// Builds the groups of `model_list` (LiteLLM's entries as JSON).
    /// `passthrough` also serves any model the catalog resolves.
    pub fn new(
        client: Client,
        model_list: &[Value],
        passthrough: bool,
    ) -> Result<ModelRouter, String> {
        let mut groups: BTreeMap<String, Vec<Deployment>> = BTreeMap::new();
        for (i, entry) in model_list.iter().enumerate() {
            let name = entry["model_name"]
                .as_str()
                .ok_or_else(|| format!("model_list[{i}].model_name must be a string"))?;
            let params = entry["litellm_params"]
                .as_object()
                .ok_or_else(|| format!("model_list[{i}].litellm_params must be a mapping"))?;
            let deployment = deployment(name, params, entry.get("model_info"))
                .map_err(|e| format!("model_list[{i}]: {e}"))?;
            groups.entry(name.to_string()).or_default().push(deployment);
        }
        let mut wildcards: Vec<(String, Vec<Deployment>)> = groups
            .iter()
            .filter(|(name, _)| name.ends_with('*'))
            .map(|(name, d)| (name.trim_end_matches('*').to_string(), d.clone()))
            .collect();
        wildcards.sort_by_key(|w| std::cmp::Reverse(w.0.len()));
        let next = groups
            .keys()
            .map(|k| (k.clone(), AtomicUsize::new(0)))
            .collect();
        Ok(ModelRouter {
            client,
            groups,
            wildcards,
            passthrough,
            next,
        })
    }

    /// The model groups served, for `/v1/models`.
    pub fn model_names(&self) -> Vec<String> {
        self.groups.keys().cloned().collect()
    }

    /// Whether `model` names something this gateway serves.
    pub fn serves(&self, model: &str) -> bool {
        self.groups.contains_key(model)
            || self
                .wildcards
                .iter()
                .any(|(p, _)| model.starts_with(p.as_str()))
            || (self.passthrough && llmrelay::catalog::resolve(model).is_ok())
    }

    /// Each deployment as `/model/info` shows it (no keys).
    pub fn deployments(&self) -> Vec<Value> {
        self.groups
            .iter()
            .flat_map(|(group, list)| {
                list.iter().map(move |d| {
                    serde_json::json!({
                        "model_name": group,
                        "litellm_params": {"model": d.model, "api_base": d.options.api_base},
                        "model_info": {"id": d.id},
                    })
                })
            })
            .collect()
    }

    /// The upstream model of `group`'s first deployment (token counting).
    pub fn model_of(&self, group: &str) -> Option<String> {
        self.pick(group).ok().map(|d| d.model)
    }

    /// What `/v1/models` lists: the groups, or with no config every catalog
    /// chat or embedding model whose provider's key is in the environment.
    pub fn listed_models(&self) -> Vec<String> {
        if !self.passthrough || !self.groups.is_empty() {
            return self.model_names();
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

    /// One one-token completion per deployment: (healthy, unhealthy) entries
    /// naming the group, the model and, for failures, the error (keys redacted
    /// by the SDK).
    pub async fn probe(&self) -> (Vec<Value>, Vec<Value>) {
        let checks = self.groups.iter().flat_map(|(group, list)| {
            list.iter().map(move |d| async move {
                let mut request =
                    ChatRequest::new(d.model.clone(), vec![llmrelay::Message::user("ping")]);
                request.max_tokens = Some(1);
                let mut options = d.options.clone();
                options.timeout = Some(Duration::from_secs(10));
                options.num_retries = Some(0);
                let result = self.client.completion(request, &options).await;
                let entry = serde_json::json!({
                    "model_name": group, "model": d.model, "model_id": d.id,
                    "api_base": d.options.api_base,
                });
                (entry, result.err().map(|e| e.to_string()))
            })
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

    /// Deployments cooling down, by group (the interim router has none).
    pub fn cooldowns(&self) -> Vec<(String, usize)> {
        self.groups.keys().map(|g| (g.clone(), 0)).collect()
    }

    /// The deployment for `model` (round-robin within its group).
    fn pick(&self, model: &str) -> Result<Deployment, Error> {
        if let Some(list) = self.groups.get(model) {
            let i = self
                .next
                .get(model)
                .map_or(0, |n| n.fetch_add(1, Ordering::Relaxed));
            if let Some(d) = list.get(i % list.len().max(1)) {
                return Ok(d.clone());
            }
        }
        if let Some((prefix, list)) = self
            .wildcards
            .iter()
            .find(|(p, _)| model.starts_with(p.as_str()))
        {
            if let Some(d) = list.first() {
                let suffix = &model[prefix.len()..];
                let mut d = d.clone();
                d.model = if d.model.contains('*') {
                    d.model.replace('*', suffix)
                } else {
                    model.to_string()
                };
                return Ok(d);
            }
        }
        if self.passthrough {
            return Ok(Deployment {
                id: model.to_string(),
                model: model.to_string(),
                options: CallOptions::default(),
                defaults: Map::new(),
            });
        }
        Err(Error::new(
            ErrorKind::BadRequest,
            format!(
                "Invalid model name passed in model={model}. Call `/v1/models` to view available models for your key."
            ),
        )
        .with_model(model))
    }

    fn prepare(&self, d: &Deployment, options: &CallOptions) -> CallOptions {
        let mut merged = d.options.clone();
        // Per-request settings (timeout, allowed client credentials) win.
        if options.timeout.is_some() {
            merged.timeout = options.timeout;
        }
        if options.api_base.is_some() {
            merged.api_base.clone_from(&options.api_base);
        }
        if options.api_key.is_some() {
            merged.api_key.clone_from(&options.api_key);
        }
        if options.mock_response.is_some() {
            merged.mock_response.clone_from(&options.mock_response);
        }
        if options.num_retries.is_some() {
            merged.num_retries = options.num_retries;
        }
        if merged.drop_params.is_none() {
            merged.drop_params = options.drop_params;
        }
        merged
    }

    fn routed<T>(&self, value: T, group: &str, d: &Deployment, o: &CallOptions) -> Routed<T> {
        Routed {
            value,
            model_group: group.to_string(),
            deployment_id: d.id.clone(),
            api_base: o.api_base.clone(),
            attempted_retries: 0,
            attempted_fallbacks: 0,
        }
    }

    /// A non-streamed completion for the group `request.model`.
    pub async fn completion(
        &self,
        mut request: ChatRequest,
        options: &CallOptions,
    ) -> Result<Routed<ChatResponse>, Error> {
        let group = std::mem::take(&mut request.model);
        let d = self.pick(&group)?;
        let o = self.prepare(&d, options);
        let request = with_defaults(request, &d)?;
        let response = self.client.completion(request, &o).await?;
        Ok(self.routed(response, &group, &d, &o))
    }

    /// A streamed completion for the group `request.model`.
    pub async fn completion_stream(
        &self,
        mut request: ChatRequest,
        options: &CallOptions,
    ) -> Result<Routed<ChatStream>, Error> {
        let group = std::mem::take(&mut request.model);
        let d = self.pick(&group)?;
        let o = self.prepare(&d, options);
        let request = with_defaults(request, &d)?;
        let stream = self.client.completion_stream(request, &o).await?;
        Ok(self.routed(stream, &group, &d, &o))
    }

    /// Embeddings for the group `request.model`.
    pub async fn embedding(
        &self,
        mut request: EmbeddingRequest,
        options: &CallOptions,
    ) -> Result<Routed<EmbeddingResponse>, Error> {
        let group = std::mem::take(&mut request.model);
        let d = self.pick(&group)?;
        let o = self.prepare(&d, options);
        request.model.clone_from(&d.model);
        let response = self.client.embedding(request, &o).await?;
        Ok(self.routed(response, &group, &d, &o))
    }
}

/// The request with the deployment's model and its default parameters
/// (those the client did not set).
fn with_defaults(mut request: ChatRequest, d: &Deployment) -> Result<ChatRequest, Error> {
    request.model.clone_from(&d.model);
    if d.defaults.is_empty() {
        return Ok(request);
    }
    let mut body = serde_json::to_value(&request)
        .map_err(|e| Error::new(ErrorKind::InternalServer, e.to_string()))?;
    if let Some(map) = body.as_object_mut() {
        for (k, v) in &d.defaults {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    serde_json::from_value(body).map_err(|e| {
        Error::new(
            ErrorKind::BadRequest,
            format!("the deployment's litellm_params do not fit the request: {e}"),
        )
    })
}

fn deployment(
    name: &str,
    params: &Map<String, Value>,
    info: Option<&Value>,
) -> Result<Deployment, String> {
    let model = params
        .get("model")
        .and_then(Value::as_str)
        .ok_or("litellm_params.model must be a string")?
        .to_string();
    let text = |k: &str| params.get(k).and_then(Value::as_str).map(str::to_string);
    let secs = |k: &str| {
        params
            .get(k)
            .and_then(|v| {
                v.as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64)
    };
    let options = CallOptions {
        api_base: text("api_base").or_else(|| text("base_url")),
        api_key: text("api_key"),
        api_version: text("api_version"),
        timeout: secs("timeout"),
        stream_idle_timeout: secs("stream_timeout"),
        num_retries: params
            .get("max_retries")
            .or_else(|| params.get("num_retries"))
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok()),
        drop_params: params.get("drop_params").and_then(Value::as_bool),
        mock_response: text("mock_response"),
        headers: params
            .get("extra_headers")
            .or_else(|| params.get("headers"))
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        aws_access_key_id: text("aws_access_key_id"),
        aws_secret_access_key: text("aws_secret_access_key"),
        aws_session_token: text("aws_session_token"),
        aws_region_name: text("aws_region_name"),
        aws_profile_name: text("aws_profile_name"),
        vertex_project: text("vertex_project"),
        vertex_location: text("vertex_location"),
        vertex_credentials: text("vertex_credentials"),
        ..CallOptions::default()
    };
    const OPTION_KEYS: &[&str] = &[
        "api_base",
        "base_url",
        "api_key",
        "api_version",
        "timeout",
        "stream_timeout",
        "max_retries",
        "num_retries",
        "drop_params",
        "mock_response",
        "extra_headers",
        "headers",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "aws_region_name",
        "aws_profile_name",
        "vertex_project",
        "vertex_location",
        "vertex_credentials",
    ];
    let defaults = params
        .iter()
        .filter(|(k, _)| !OPTION_KEYS.contains(&k.as_str()) && !ROUTING_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let id = info
        .and_then(|i| i.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| stable_id(name, params));
    Ok(Deployment {
        id,
        model,
        options,
        defaults,
    })
}

/// A deterministic id for a deployment without `model_info.id`: FNV-1a of
/// its group and params (the same file gives the same ids on every start).
fn stable_id(name: &str, params: &Map<String, Value>) -> String {
    let text = format!("{name}\u{0}{}", Value::Object(params.clone()));
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn router(list: Value, passthrough: bool) -> ModelRouter {
        ModelRouter::new(Client::new(), list.as_array().unwrap(), passthrough).unwrap()
    }

    #[test]
    fn groups_round_robin_over_their_deployments() {
        let r = router(
            json!([
                {"model_name": "g", "litellm_params": {"model": "openai/a"}, "model_info": {"id": "one"}},
                {"model_name": "g", "litellm_params": {"model": "openai/b"}, "model_info": {"id": "two"}},
            ]),
            false,
        );
        let ids: Vec<String> = (0..4).map(|_| r.pick("g").unwrap().id).collect();
        assert_eq!(ids, ["one", "two", "one", "two"]);
    }

    #[test]
    fn unknown_groups_are_a_bad_request_unless_passthrough() {
        let r = router(json!([]), false);
        let err = r.pick("gpt-4o").unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadRequest);
        assert!(err.message.contains("model=gpt-4o"));
        let open = router(json!([]), true);
        assert_eq!(open.pick("gpt-4o").unwrap().model, "gpt-4o");
        assert!(open.serves("gpt-4o"));
    }

    #[test]
    fn wildcards_fill_the_star() {
        let r = router(
            json!([{"model_name": "openai/*", "litellm_params": {"model": "openai/*", "api_key": "k"}}]),
            false,
        );
        let d = r.pick("openai/gpt-4o-mini").unwrap();
        assert_eq!(d.model, "openai/gpt-4o-mini");
        assert_eq!(d.options.api_key.as_deref(), Some("k"));
    }

    #[test]
    fn params_split_into_options_and_request_defaults() {
        let d = deployment(
            "g",
            json!({"model": "openai/gpt-4o", "api_base": "http://x/v1", "timeout": 5,
                   "temperature": 0.2, "rpm": 10})
            .as_object()
            .unwrap(),
            None,
        )
        .unwrap();
        assert_eq!(d.options.api_base.as_deref(), Some("http://x/v1"));
        assert_eq!(d.options.timeout, Some(Duration::from_secs(5)));
        assert_eq!(
            d.defaults,
            *json!({"temperature": 0.2}).as_object().unwrap()
        );
        let request = with_defaults(ChatRequest::new("g", vec![]), &d).unwrap();
        assert_eq!(request.temperature, Some(0.2));
        assert_eq!(request.model, "openai/gpt-4o");
        // The id is stable across starts.
        let again = deployment("g", json!({"model": "openai/gpt-4o", "api_base": "http://x/v1", "timeout": 5, "temperature": 0.2, "rpm": 10}).as_object().unwrap(), None).unwrap();
        assert_eq!(d.id, again.id);
    }
}
