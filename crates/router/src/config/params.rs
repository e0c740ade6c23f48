//! One deployment's `litellm_params` and `model_info`, as LiteLLM writes them,
//! and the [`CallOptions`] a call to it uses.

use std::time::Duration;

use llmrelay::CallOptions;
use serde_json::{Map, Value};

use super::fields::{seconds, Fields};
use super::{ConfigError, ConfigWarning};

/// A deployment's `litellm_params`: where and how to call it (the SDK's
/// [`CallOptions`], built once), and how the router may use it.
#[derive(Debug, Clone, Default)]
pub struct LitellmParams {
    /// The model called (`openai/gpt-4o`, `azure/my-deployment`, `openai/*`).
    pub model: String,
    /// `custom_llm_provider`: prefixes `model` when it names no provider.
    pub custom_llm_provider: Option<String>,
    /// Requests per minute this deployment allows.
    pub rpm: Option<u64>,
    /// Tokens per minute this deployment allows.
    pub tpm: Option<u64>,
    /// Share of `simple-shuffle` traffic.
    pub weight: Option<f64>,
    /// Priority: lower orders are used first; higher ones when those fail.
    pub order: Option<u64>,
    /// Most calls in flight at once.
    pub max_parallel_requests: Option<u64>,
    /// Deadline for a stream's first content (and longest silence after it).
    pub stream_timeout: Option<Duration>,
    /// Tags for tag-based routing (`default` marks the untagged requests' deployments).
    pub tags: Vec<String>,
    /// Region for pre-call checks (`eu-west-1`, `us-east-1`...).
    pub region_name: Option<String>,
    /// Price per input token, overriding the catalog.
    pub input_cost_per_token: Option<f64>,
    /// Price per output token, overriding the catalog.
    pub output_cost_per_token: Option<f64>,
    /// The SDK options: `api_key`, `api_base`, `api_version`, `timeout`,
    /// `max_retries` (the transport's retries inside one call; default 0, as
    /// the router retries on whichever deployment is best), `headers` /
    /// `extra_headers`, `drop_params`, `mock_response`, `aws_*`, `vertex_*`.
    /// Its `Debug` hides the secrets.
    pub call: CallOptions,
}

impl LitellmParams {
    /// Reads `litellm_params`, reporting keys it does not know.
    pub(crate) fn read(
        mut f: Fields<'_>,
        warnings: &mut Vec<ConfigWarning>,
    ) -> Result<Self, ConfigError> {
        let place = f.place.clone();
        let model = f
            .string("model")?
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| ConfigError::invalid(&place, "needs a `model`"))?;
        let mut headers = f.string_map("headers")?;
        headers.extend(f.string_map("extra_headers")?);
        let call = CallOptions {
            api_key: f.string("api_key")?,
            api_base: f.string("api_base")?.or(f.string("base_url")?),
            api_version: f.string("api_version")?,
            headers,
            timeout: seconds(f.non_negative("timeout")?),
            stream_idle_timeout: None,
            num_retries: Some(f.count("max_retries")?.map_or(0, saturate)),
            retry_backoff: None,
            drop_params: f.bool("drop_params")?,
            mock_response: f.string("mock_response")?,
            aws_access_key_id: f.string("aws_access_key_id")?,
            aws_secret_access_key: f.string("aws_secret_access_key")?,
            aws_session_token: f.string("aws_session_token")?,
            aws_region_name: f.string("aws_region_name")?,
            aws_profile_name: f.string("aws_profile_name")?,
            vertex_project: f.string("vertex_project")?,
            vertex_location: f.string("vertex_location")?,
            vertex_credentials: f.string("vertex_credentials")?,
        };
        let params = LitellmParams {
            model,
            custom_llm_provider: f.string("custom_llm_provider")?,
            rpm: f.count("rpm")?,
            tpm: f.count("tpm")?,
            weight: f.non_negative("weight")?,
            order: f.count("order")?,
            max_parallel_requests: f.count("max_parallel_requests")?,
            stream_timeout: seconds(f.non_negative("stream_timeout")?),
            tags: f.strings("tags")?,
            region_name: f.string("region_name")?,
            input_cost_per_token: f.non_negative("input_cost_per_token")?,
            output_cost_per_token: f.non_negative("output_cost_per_token")?,
            call,
        };
        f.unknown_keys(warnings);
        Ok(params)
    }

    /// The model name the SDK resolves: `custom_llm_provider/model` when the
    /// model does not already start with that provider.
    pub fn provider_model(&self) -> String {
        match &self.custom_llm_provider {
            Some(p) if !self.model.starts_with(&format!("{p}/")) => {
                format!("{p}/{}", self.model)
            }
            _ => self.model.clone(),
        }
    }

    /// The region pre-call checks compare: `region_name`, else the AWS or Vertex region.
    pub fn region(&self) -> Option<&str> {
        self.region_name
            .as_deref()
            .or(self.call.aws_region_name.as_deref())
            .or(self.call.vertex_location.as_deref())
    }
}

fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A deployment's `model_info`: its id and what the router should believe
/// about it over the catalog. Other keys are free-form metadata in LiteLLM,
/// kept in `metadata` rather than reported.
#[derive(Debug, Clone, Default)]
pub struct ModelInfoConfig {
    /// The deployment id (`x-litellm-model-id`); a hash of the params when absent.
    pub id: Option<String>,
    /// The catalog model to price and size this deployment as (`base_model`).
    pub base_model: Option<String>,
    /// Context window override.
    pub max_input_tokens: Option<u64>,
    /// Output limit override.
    pub max_tokens: Option<u64>,
    /// Every other key, as given.
    pub metadata: Map<String, Value>,
}

impl ModelInfoConfig {
    /// Keys read into fields; the rest is metadata.
    const KNOWN: [&'static str; 4] = ["id", "base_model", "max_input_tokens", "max_tokens"];

    pub(crate) fn read(mut f: Fields<'_>, object: &Value) -> Result<Self, ConfigError> {
        let metadata = match object {
            Value::Object(map) => map
                .iter()
                .filter(|(k, _)| !Self::KNOWN.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => Map::new(),
        };
        Ok(ModelInfoConfig {
            id: f.string("id")?,
            base_model: f.string("base_model")?,
            max_input_tokens: f.count("max_input_tokens")?,
            max_tokens: f.count("max_tokens")?,
            metadata,
        })
    }
}
