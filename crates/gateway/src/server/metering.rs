//! What a virtual key's request may do and what it cost. Before the call,
//! [`Admission::admit`] checks the model, takes a rate-limit permit and
//! reserves the worst-case cost against every budget that applies; after it,
//! [`Admission::settle`] swaps the reservation for the real cost, counts the
//! tokens against tpm and journals the spend row. An admission dropped
//! without settling (the client went away, the handler failed) settles as a
//! failure with no cost, so no permit or reservation ever leaks.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue};
use llmrelay::ChatRequest;
use llmrelay_control::{Authorized, RatePermit, Reservation, SpendRow};

use crate::api_error::ApiError;
use crate::control_plane::ControlPlane;

/// A request admitted for a virtual key; settle it exactly once.
#[derive(Debug)]
pub struct Admission {
    held: Option<Held>,
    key_usage: (i64, i64),
}

#[derive(Debug)]
struct Held {
    control: Arc<ControlPlane>,
    auth: Arc<Authorized>,
    permit: RatePermit,
    hold: Reservation,
    started_ms: i64,
    call_type: &'static str,
    end_user: Option<String>,
    tags: Vec<String>,
}

/// How the call ended, for the settlement and the spend row.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The call id (the spend row's `request_id`).
    pub request_id: String,
    /// The model that answered (or was asked for).
    pub model: String,
    /// The model group.
    pub model_group: Option<String>,
    /// The deployment id.
    pub model_id: Option<String>,
    /// The deployment's base URL.
    pub api_base: Option<String>,
    /// Prompt and completion tokens.
    pub tokens: Option<(u64, u64)>,
    /// Dollars.
    pub cost: Option<f64>,
    /// Whether the call succeeded.
    pub success: bool,
    /// When the first token arrived (streams), Unix ms.
    pub first_token_ms: Option<i64>,
}

/// Who made the request and what it carried, besides the key.
#[derive(Debug, Clone, Default)]
pub struct RequestFacts {
    /// LiteLLM's call type ("acompletion", "aembedding", ...).
    pub call_type: &'static str,
    /// The body's `user` field.
    pub end_user: Option<String>,
    /// The body's tags.
    pub tags: Vec<String>,
}

/// Admits a call by `caller` to `group` when the caller is a virtual key
/// (None otherwise: the master key and an open gateway are not metered).
/// `worst_case` prices the call on the model the group would use; it is
/// only asked when a budget applies.
pub async fn admit(
    gw: &super::Gateway,
    caller: &crate::auth::Caller,
    group: &str,
    worst_case: impl FnOnce(&str) -> f64,
    facts: RequestFacts,
) -> Result<Option<Admission>, ApiError> {
    let (Some(auth), Some(control)) = (caller.key(), gw.auth.control()) else {
        return Ok(None);
    };
    let worst = if auth.has_budget() {
        let model = gw
            .router
            .model_of(group)
            .unwrap_or_else(|| group.to_owned());
        worst_case(&model)
    } else {
        0.0
    };
    Admission::admit(control, auth, group, worst, facts)
        .await
        .map(Some)
}

impl Admission {
    /// Admits a call to `model_group` for `auth`, holding `worst_case_usd`
    /// against its budgets: 403 for a model the key may not use, 429 for a
    /// limit or budget, 503 when the limiter or database cannot decide.
    pub async fn admit(
        control: &Arc<ControlPlane>,
        auth: &Arc<Authorized>,
        model_group: &str,
        worst_case_usd: f64,
        facts: RequestFacts,
    ) -> Result<Admission, ApiError> {
        auth.check_model(model_group)?;
        let permit = control.limiter.acquire(auth).await?;
        let key = &auth.key;
        let hold = if auth.has_budget() {
            match control
                .store
                .reserve(
                    &key.token,
                    key.team_id.as_deref(),
                    key.user_id.as_deref(),
                    worst_case_usd,
                )
                .await
            {
                Ok(hold) => hold,
                Err(e) => {
                    control.limiter.release(permit, 0).await;
                    return Err(e.into());
                }
            }
        } else {
            Reservation::spend_only(&key.token, key.team_id.as_deref(), key.user_id.as_deref())
        };
        let key_usage = permit.key_usage();
        Ok(Admission {
            held: Some(Held {
                control: Arc::clone(control),
                auth: Arc::clone(auth),
                permit,
                hold,
                started_ms: unix_ms(),
                call_type: facts.call_type,
                end_user: facts.end_user,
                tags: facts.tags,
            }),
            key_usage,
        })
    }

    /// LiteLLM's `x-litellm-key-spend` and `x-ratelimit-*` headers.
    pub fn headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        let Some(held) = &self.held else {
            return h;
        };
        let key = &held.auth.key;
        let mut put = |name: &'static str, value: String| {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(name, v);
            }
        };
        put("x-litellm-key-spend", key.spend.spend.to_string());
        if let Some(limit) = key.limits.rpm_limit {
            put("x-ratelimit-limit-requests", limit.to_string());
            put(
                "x-ratelimit-remaining-requests",
                (limit - self.key_usage.0).max(0).to_string(),
            );
        }
        if let Some(limit) = key.limits.tpm_limit {
            put("x-ratelimit-limit-tokens", limit.to_string());
            put(
                "x-ratelimit-remaining-tokens",
                (limit - self.key_usage.1).max(0).to_string(),
            );
        }
        h
    }

    /// Settles the call: the spend row is journalled before this returns (so
    /// a response sent afterwards is never lost to a crash); the budget
    /// settlement and the permit's release follow off the request path.
    pub async fn settle(mut self, outcome: Outcome) {
        if let Some(held) = self.held.take() {
            held.settle(outcome).await;
        }
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let Some(held) = self.held.take() else {
            return;
        };
        // Not settled: the client left or the handler gave up. Settle as a
        // failure with no cost, on the runtime (Drop cannot wait).
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(held.settle(Outcome::default()));
        }
    }
}

impl Held {
    async fn settle(self, outcome: Outcome) {
        let Held {
            control,
            auth,
            permit,
            hold,
            started_ms,
            call_type,
            end_user,
            tags,
        } = self;
        let cost = outcome.cost.unwrap_or(0.0).max(0.0);
        let (prompt, completion) = outcome.tokens.unwrap_or((0, 0));
        let key = &auth.key;
        let row = SpendRow {
            request_id: outcome.request_id,
            call_type: call_type.to_owned(),
            api_key: key.token.clone(),
            spend: cost,
            total_tokens: to_i64(prompt + completion),
            prompt_tokens: to_i64(prompt),
            completion_tokens: to_i64(completion),
            start_time: started_ms,
            end_time: unix_ms(),
            completion_start_time: outcome.first_token_ms,
            model: outcome.model,
            model_group: outcome.model_group,
            model_id: outcome.model_id,
            api_base: outcome.api_base,
            user: end_user,
            user_id: key.user_id.clone(),
            team_id: key.team_id.clone(),
            request_tags: tags,
            status: if outcome.success {
                "success"
            } else {
                "failure"
            }
            .to_owned(),
            cache_hit: "False".to_owned(),
        };
        // A failure that never reached a provider leaves no row.
        let journal = !row.request_id.is_empty();
        let background = Arc::clone(&control);
        control.spawn_settlement(async move {
            if let Err(e) = background.store.settle(hold, cost).await {
                eprintln!("llmrelay: budget settlement failed (spend row kept): {e}");
            }
            background
                .limiter
                .release(permit, prompt + completion)
                .await;
        });
        if journal {
            if let Err(e) = control.spend.record(row).await {
                eprintln!("llmrelay: spend journal write failed: {e}");
            }
        }
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Milliseconds since the Unix epoch.
pub fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `prompt` and `completion` tokens on `model` at the catalog's standard
/// price; None for a model the catalog cannot price.
pub fn price(model: &str, prompt: u64, completion: u64) -> Option<f64> {
    let usage = llmrelay::Usage {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        ..llmrelay::Usage::default()
    };
    llmrelay::cost_per_token(model, &usage.to_billing(), llmrelay::ServiceTier::Standard)
        .ok()
        .map(|c| c.total())
}

/// The most a call can cost on `model`: every byte of the body a prompt
/// token (a byte-level tokenizer never yields more tokens than bytes) and
/// `max_output` completion tokens, else the model's output limit. An
/// unpriced model costs nothing, so it reserves nothing.
pub fn worst_case_usd(model: &str, body_bytes: usize, max_output: Option<u64>) -> f64 {
    let output = max_output
        .or_else(|| llmrelay::get_max_tokens(model).ok().flatten())
        .unwrap_or(4096);
    price(model, body_bytes as u64, output).unwrap_or(0.0)
}

/// The worst case of a chat request (see [`worst_case_usd`]); a
/// `mock_response` call costs exactly LiteLLM's fixed mock usage (10 prompt
/// and 20 completion tokens).
pub fn chat_worst_case(model: &str, request: &ChatRequest, body_bytes: usize, mock: bool) -> f64 {
    if mock {
        return price(model, 10, 20).unwrap_or(0.0);
    }
    worst_case_usd(
        model,
        body_bytes,
        request.max_completion_tokens.or(request.max_tokens),
    )
}
