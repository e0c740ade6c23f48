//! A deployment ready to call: its config checked against the catalog, the
//! SDK options built once, and what strategies and pre-call checks read
//! (prices, context window, tags, order, limits) looked up once.

use std::time::Duration;

use llmrelay::catalog::{self, ModelInfo};
use llmrelay::CallOptions;

use crate::config::{entry_place, ConfigError, DeploymentConfig, RouterSettings};

/// One deployment of a model group.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// What a pick reads, together in one cache line (see [`Hot`]).
    pub(crate) hot: Hot,
    /// The rest, behind a pointer so the deployments' hot parts sit next to
    /// each other in the router's list.
    pub(crate) cold: Box<Cold>,
}

/// What only a call reads.
#[derive(Debug, Clone)]
pub(crate) struct Cold {
    pub(crate) config: DeploymentConfig,
    pub(crate) options: CallOptions,
    /// The model the SDK resolves (`custom_llm_provider` applied; may hold `*`).
    pub(crate) model: String,
    pub(crate) stream_timeout: Option<Duration>,
}

/// Everything selection reads about a deployment, copied out of the config
/// into 64 bytes, so a pick over 100 deployments reads 6 KiB of adjacent
/// memory; with the config inline, deployments kilobytes apart competed for
/// the same few L1 sets and a pick took twice as long. `u64::MAX` / infinity
/// stand for "not set".
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct Hot {
    pub(crate) slot: usize,
    pub(crate) order: u64,
    pub(crate) max_parallel: u64,
    pub(crate) max_input_tokens: u64,
    pub(crate) rpm: u64,
    pub(crate) tpm: u64,
    /// Share under simple-shuffle (weight, else rpm, else tpm, as its group decides).
    pub(crate) shuffle_weight: f64,
    /// Input + output price per token.
    pub(crate) cost: f64,
}

const UNSET: u64 = u64::MAX;

fn unset(value: u64) -> Option<u64> {
    (value != UNSET).then_some(value)
}

impl Deployment {
    /// Checks `config` against the catalog and prepares its calls.
    pub(crate) fn build(
        slot: usize,
        config: DeploymentConfig,
        settings: &RouterSettings,
    ) -> Result<Self, ConfigError> {
        let params = &config.litellm_params;
        let model = params.provider_model();
        let info = catalog_entry(slot, &config, &model)?;
        let price = |key: &str, own: Option<f64>| own.or_else(|| info.and_then(|i| i.price(key)));
        let input = price("input_cost_per_token", params.input_cost_per_token);
        let output = price("output_cost_per_token", params.output_cost_per_token);
        let cost = match (input, output) {
            (None, None) => f64::INFINITY,
            (i, o) => i.unwrap_or(0.0) + o.unwrap_or(0.0),
        };
        let mut options = params.call.clone();
        options.timeout = options.timeout.or(settings.timeout);
        let stream_timeout = params.stream_timeout.or(settings.stream_timeout);
        options.stream_idle_timeout = options.stream_idle_timeout.or(stream_timeout);
        let hot = Hot {
            slot,
            order: params.order.unwrap_or(1),
            max_parallel: params.max_parallel_requests.unwrap_or(UNSET),
            max_input_tokens: config
                .model_info
                .max_input_tokens
                .or_else(|| info.and_then(|i| i.max_input_tokens))
                .unwrap_or(UNSET),
            rpm: params.rpm.unwrap_or(UNSET),
            tpm: params.tpm.unwrap_or(UNSET),
            shuffle_weight: 1.0,
            cost,
        };
        Ok(Deployment {
            hot,
            cold: Box::new(Cold {
                config,
                options,
                model,
                stream_timeout,
            }),
        })
    }

    /// `model_info.id`.
    pub fn id(&self) -> &str {
        &self.cold.config.id
    }

    /// Position in [`Router::deployments`](crate::Router::deployments) (the state's key).
    pub fn slot(&self) -> usize {
        self.hot.slot
    }

    /// The model group (`model_name`).
    pub fn model_name(&self) -> &str {
        &self.cold.config.model_name
    }

    /// The model called, as configured (`openai/gpt-4o`, `openai/*`).
    pub fn model(&self) -> &str {
        &self.cold.model
    }

    /// The whole entry.
    pub fn config(&self) -> &DeploymentConfig {
        &self.cold.config
    }

    /// `weight`.
    pub fn weight(&self) -> Option<f64> {
        self.cold.config.litellm_params.weight
    }

    /// `rpm`.
    pub fn rpm(&self) -> Option<u64> {
        unset(self.hot.rpm)
    }

    /// `tpm`.
    pub fn tpm(&self) -> Option<u64> {
        unset(self.hot.tpm)
    }

    /// `order` (1 when unset, as LiteLLM ranks unordered deployments).
    pub fn order(&self) -> u64 {
        self.hot.order
    }

    /// `max_parallel_requests`.
    pub fn max_parallel_requests(&self) -> Option<u64> {
        unset(self.hot.max_parallel)
    }

    /// Input + output price per token, from the config or the catalog.
    pub fn cost_per_token(&self) -> Option<f64> {
        self.hot.cost.is_finite().then_some(self.hot.cost)
    }

    /// Context window, from `model_info` or the catalog.
    pub fn max_input_tokens(&self) -> Option<u64> {
        unset(self.hot.max_input_tokens)
    }

    /// Its share of its group's traffic under `simple-shuffle`: `weight` when
    /// any deployment of the group has one, else `rpm`, else `tpm`, else 1.
    pub fn shuffle_weight(&self) -> f64 {
        self.hot.shuffle_weight
    }

    /// `api_base`, when configured.
    pub fn api_base(&self) -> Option<&str> {
        self.cold.config.litellm_params.call.api_base.as_deref()
    }

    /// The model to send for a request of `requested` (a wildcard's `*`
    /// replaced by what the group pattern matched).
    pub(crate) fn model_for(&self, requested: &str) -> String {
        match self.cold.model.split_once('*') {
            None => self.cold.model.clone(),
            Some((head, tail)) => {
                let matched = crate::groups::captured(&self.cold.config.model_name, requested)
                    .unwrap_or(requested);
                format!("{head}{matched}{tail}")
            }
        }
    }
}

/// The catalog entry used for prices and context window (`base_model` first),
/// failing when the model cannot be routed at all.
fn catalog_entry(
    slot: usize,
    config: &DeploymentConfig,
    model: &str,
) -> Result<Option<&'static ModelInfo>, ConfigError> {
    let place = || entry_place(slot, &config.model_name);
    if let Some(base) = &config.model_info.base_model {
        if let Ok(r) = catalog::resolve(base) {
            return Ok(r.info);
        }
    }
    if let Some((head, _)) = model.split_once('*') {
        // `openai/*` needs a provider the catalog knows; `*` passes names through.
        let provider = head.split('/').next().unwrap_or("");
        if head.is_empty() || catalog::provider(provider).is_some() {
            return Ok(None);
        }
        return Err(ConfigError::UnknownModel {
            place: place(),
            model: model.to_owned(),
            reason: format!("unknown provider `{provider}`"),
        });
    }
    match catalog::resolve(model) {
        Ok(r) => Ok(r.info),
        Err(_) if config.litellm_params.call.api_base.is_some() => Ok(None),
        Err(e) => Err(ConfigError::UnknownModel {
            place: place(),
            model: model.to_owned(),
            reason: e.to_string(),
        }),
    }
}

/// Sets each deployment's `simple-shuffle` share: the group weighs by
/// `weight` if any of its deployments has one, else by `rpm`, else `tpm`
/// (a deployment without the chosen figure gets 0), else evenly.
pub(crate) fn set_shuffle_weights(deployments: &mut [Deployment], group: &[usize]) {
    let figures: [fn(&Deployment) -> Option<f64>; 3] = [
        Deployment::weight,
        |d| d.rpm().map(|n| n as f64),
        |d| d.tpm().map(|n| n as f64),
    ];
    let figure = figures.into_iter().find(|f| {
        group
            .iter()
            .any(|&s| deployments.get(s).and_then(f).is_some())
    });
    for &slot in group {
        if let Some(d) = deployments.get_mut(slot) {
            d.hot.shuffle_weight = figure.map_or(1.0, |f| f(d).unwrap_or(0.0));
        }
    }
}
