//! One request's bookkeeping: its call id, what it was routed to, and the
//! log line and metrics it leaves when it ends, however it ends.

use std::time::Instant;

use axum::http::{HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use crate::api_error::ApiError;
use crate::metrics::Observation;
use crate::request_log::{unix_now, RequestRecord};
use crate::routing::{CallSettings, Routed};

use super::metering::Outcome;
use super::Gateway;

/// A request being served.
#[derive(Debug)]
pub struct Call {
    /// `x-litellm-call-id`: a UUID v4.
    pub id: String,
    /// The route's metric name.
    pub route: &'static str,
    /// When the request arrived.
    pub started: Instant,
    /// The model group, once known to be one the gateway serves.
    pub model_group: Option<String>,
    /// The deployment that answered.
    pub deployment: Option<String>,
    /// The deployment's base URL.
    pub api_base: Option<String>,
    /// The model that answered (as the provider named it).
    pub model: Option<String>,
    /// When the first token reached the gateway (streams), Unix ms.
    pub first_token_ms: Option<i64>,
    /// Prompt and completion tokens.
    pub tokens: Option<(u64, u64)>,
    /// Dollars.
    pub cost: Option<f64>,
    /// LiteLLM's exception name of the failure.
    pub error: Option<&'static str>,
}

impl Call {
    /// A call on `route`, starting now.
    pub fn new(route: &'static str) -> Self {
        Call {
            id: uuid_v4(),
            route,
            started: Instant::now(),
            model_group: None,
            deployment: None,
            api_base: None,
            model: None,
            first_token_ms: None,
            tokens: None,
            cost: None,
            error: None,
        }
    }

    /// Notes what a routed result says about this call.
    pub fn routed<T>(&mut self, routed: &Routed<T>) {
        self.model_group = Some(routed.model_group.clone());
        self.deployment = Some(routed.deployment_id.clone());
        self.api_base.clone_from(&routed.api_base);
    }

    /// What the spend log and the budget settlement need of this call.
    pub fn outcome(&self, success: bool) -> Outcome {
        Outcome {
            request_id: self.id.clone(),
            model: self
                .model
                .clone()
                .or_else(|| self.model_group.clone())
                .unwrap_or_default(),
            model_group: self.model_group.clone(),
            model_id: self.deployment.clone(),
            api_base: self.api_base.clone(),
            tokens: self.tokens,
            cost: self.cost,
            success,
            first_token_ms: self.first_token_ms,
        }
    }

    /// Notes a failure.
    pub fn failed(&mut self, error: &ApiError) {
        self.error = Some(
            error
                .kind
                .map_or("GatewayError", llmrelay::ErrorKind::litellm_name),
        );
    }

    /// Writes the log line and the metrics of this call.
    pub fn record(&self, gw: &Gateway, status: u16, outcome: &str) {
        let latency = self.started.elapsed();
        let model = self.model_group.as_deref().unwrap_or("none");
        gw.metrics.observe(&Observation {
            route: self.route,
            model,
            status,
            latency,
            tokens: self.tokens,
            spend: self.cost,
            upstream_error: self
                .error
                .filter(|_| self.model_group.is_some() && status >= 400),
        });
        gw.log.write(&RequestRecord {
            ts: unix_now(),
            call_id: &self.id,
            route: self.route,
            model_group: self.model_group.as_deref(),
            deployment: self.deployment.as_deref(),
            status,
            latency_ms: latency.as_secs_f64() * 1000.0,
            prompt_tokens: self.tokens.map(|t| t.0),
            completion_tokens: self.tokens.map(|t| t.1),
            cost: self.cost,
            error: self.error,
            outcome,
        });
    }
}

/// LiteLLM's response headers for a routed call. `upstream_ms` is the time
/// spent waiting on the provider, so the overhead is everything else.
pub fn litellm_headers<T>(
    call: &Call,
    routed: &Routed<T>,
    upstream: std::time::Duration,
) -> HeaderMap {
    let mut h = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    };
    put("x-litellm-call-id", call.id.clone());
    put("x-litellm-model-id", routed.deployment_id.clone());
    put("x-litellm-model-group", routed.model_group.clone());
    if let Some(base) = &routed.api_base {
        put("x-litellm-model-api-base", base.clone());
    }
    put(
        "x-litellm-attempted-retries",
        routed.attempted_retries.to_string(),
    );
    put(
        "x-litellm-attempted-fallbacks",
        routed.attempted_fallbacks.to_string(),
    );
    if let Some(cost) = call.cost {
        put("x-litellm-response-cost", cost.to_string());
    }
    let overhead = call.started.elapsed().saturating_sub(upstream);
    put(
        "x-litellm-overhead-duration-ms",
        format!("{:.3}", overhead.as_secs_f64() * 1000.0),
    );
    h
}

/// Client-supplied credentials: refused unless the config allows them.
const CREDENTIAL_FIELDS: &[&str] = &["api_base", "base_url", "api_key", "api_version"];
/// LiteLLM proxy fields the gateway does not act on here; never sent
/// upstream (the model routes take `cache` out first, for server/cache.rs).
const IGNORED_FIELDS: &[&str] = &[
    "context_window_fallbacks",
    "content_policy_fallbacks",
    "caching",
    "cache",
    "no-log",
    "litellm_session_id",
    "litellm_trace_id",
];

/// Takes the fields of LiteLLM's request bodies that configure the call
/// rather than the model out of `body`, before it is translated.
pub fn take_call_fields(
    body: &mut Map<String, Value>,
    allow_credentials: bool,
) -> Result<CallSettings, ApiError> {
    let mut settings = CallSettings::default();
    let mut options = llmrelay::CallOptions::default();
    let mut has_credentials = false;
    for field in CREDENTIAL_FIELDS {
        let Some(value) = body.remove(*field) else {
            continue;
        };
        if !allow_credentials {
            return Err(ApiError::bad_request(format!(
                "`{field}` is not allowed in the request body: this gateway's config does not set general_settings.allow_client_side_credentials"
            ))
            .with_param(*field));
        }
        has_credentials = true;
        let text = value.as_str().map(str::to_string);
        match *field {
            "api_base" | "base_url" => options.api_base = text,
            "api_key" => options.api_key = text.map(llmrelay::Secret::from),
            _ => options.api_version = text,
        }
    }
    if let Some(timeout) = body.remove("timeout") {
        let secs = timeout
            .as_f64()
            .or_else(|| timeout.as_str().and_then(|s| s.parse().ok()))
            .filter(|s| s.is_finite() && *s > 0.0)
            .ok_or_else(|| {
                ApiError::bad_request("`timeout` must be a positive number of seconds")
                    .with_param("timeout")
            })?;
        settings.timeout = Some(std::time::Duration::from_secs_f64(secs));
    }
    if let Some(mock) = body.remove("mock_response") {
        settings.route.mock_response = Some(match mock {
            Value::String(s) => s,
            other => other.to_string(),
        });
    }
    if let Some(n) = body.remove("num_retries") {
        settings.route.num_retries = n.as_u64().and_then(|n| u32::try_from(n).ok());
    }
    if let Some(fallbacks) = body.remove("fallbacks") {
        settings.route.fallbacks = Some(string_list(fallbacks, "fallbacks")?);
    }
    if let Some(tags) = body.remove("tags") {
        settings.route.tags = string_list(tags, "tags")?;
    }
    if let Some(disable) = body.remove("disable_fallbacks") {
        settings.route.disable_fallbacks = disable.as_bool().unwrap_or(false);
    }
    for field in IGNORED_FIELDS {
        body.remove(*field);
    }
    settings.credentials = has_credentials.then_some(options);
    Ok(settings)
}

/// A list of strings, or a 400 naming `field`.
fn string_list(value: Value, field: &str) -> Result<Vec<String>, ApiError> {
    serde_json::from_value(value).map_err(|_| {
        ApiError::bad_request(format!("`{field}` must be a list of strings")).with_param(field)
    })
}

/// A random UUID v4, as LiteLLM's call ids are.
fn uuid_v4() -> String {
    let hi = fastrand::u64(..);
    let lo = fastrand::u64(..);
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn call_ids_are_uuid_v4() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
    }

    #[test]
    fn client_credentials_are_refused_unless_allowed() {
        let mut body = json!({"model": "m", "api_base": "http://evil"})
            .as_object()
            .unwrap()
            .clone();
        let err = take_call_fields(&mut body, false).err().unwrap();
        assert_eq!((err.status, err.param.as_deref()), (400, Some("api_base")));
        let mut body = json!({"model": "m", "api_key": "sk-x", "timeout": 2.5, "mock_response": "hi", "tags": ["a"]})
            .as_object().unwrap().clone();
        let fields = take_call_fields(&mut body, true).unwrap();
        assert_eq!(
            fields
                .credentials
                .unwrap()
                .api_key
                .as_ref()
                .map(|k| k.expose()),
            Some("sk-x")
        );
        assert_eq!(fields.timeout, Some(std::time::Duration::from_millis(2500)));
        assert_eq!(fields.route.mock_response.as_deref(), Some("hi"));
        assert_eq!(fields.route.tags, ["a"]);
        assert_eq!(Value::Object(body), json!({"model": "m"}));
    }

    #[test]
    fn a_bad_timeout_is_a_400() {
        let mut body = json!({"timeout": -1}).as_object().unwrap().clone();
        assert_eq!(
            take_call_fields(&mut body, false)
                .err()
                .unwrap()
                .param
                .as_deref(),
            Some("timeout")
        );
    }
}
