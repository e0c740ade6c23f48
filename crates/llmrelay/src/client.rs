//! [`Client`]: `completion`, streamed completion and `embedding` over every
//! callable provider. `Client::new()` allocates nothing but two pointers;
//! the HTTP client is built by the first call that needs the network.

use std::sync::Arc;
use std::time::Duration;

use crate::credentials::google::GoogleAuth;
use crate::error::{Error, ErrorKind};
use crate::mock;
use crate::providers::{resolve_target, HttpRequest, Target};
use crate::stream::{self, ChatStream};
use crate::transport::{read_capped, SendPolicy, Transport};
use crate::types::{ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, ModelList};

/// Per-call settings that are not part of the OpenAI request body (LiteLLM's
/// keyword arguments of the same names).
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Base URL instead of the provider's (or its `*_API_BASE` variable).
    pub api_base: Option<String>,
    /// API key instead of the provider's key variable.
    pub api_key: Option<String>,
    /// Azure `api-version`.
    pub api_version: Option<String>,
    /// Extra HTTP headers sent upstream.
    pub headers: Vec<(String, String)>,
    /// Whole-call timeout (to the first byte of a stream). Default 600 s, as LiteLLM.
    pub timeout: Option<Duration>,
    /// Longest silence between two events of a stream. Default 120 s.
    pub stream_idle_timeout: Option<Duration>,
    /// Retries after the first attempt. Default: the client's (2).
    pub num_retries: Option<u32>,
    /// First backoff between retries when the provider gives no `Retry-After`. Default 500 ms.
    pub retry_backoff: Option<Duration>,
    /// Drop parameters the provider does not support instead of failing.
    pub drop_params: Option<bool>,
    /// Answer with this text (or raise this LiteLLM exception name) without any network.
    pub mock_response: Option<String>,
    /// Bedrock: AWS access key id (else `AWS_ACCESS_KEY_ID`, else the shared credentials file).
    pub aws_access_key_id: Option<String>,
    /// Bedrock: AWS secret access key.
    pub aws_secret_access_key: Option<String>,
    /// Bedrock: AWS session token for temporary credentials.
    pub aws_session_token: Option<String>,
    /// Bedrock: AWS region (else from the model name, `AWS_REGION`, `AWS_DEFAULT_REGION`, `~/.aws/config`).
    pub aws_region_name: Option<String>,
    /// Bedrock: profile of the shared credentials file (else `AWS_PROFILE`, else `default`).
    pub aws_profile_name: Option<String>,
    /// Vertex AI: GCP project (else `VERTEXAI_PROJECT`, else the credentials' project).
    pub vertex_project: Option<String>,
    /// Vertex AI: region such as `us-central1`, or `global` (else `VERTEXAI_LOCATION`, else `us-central1`).
    pub vertex_location: Option<String>,
    /// Vertex AI: a service-account key, as JSON or the path of its file (else
    /// `VERTEXAI_CREDENTIALS`, else application default credentials). An
    /// `api_key` is used as a ready bearer token instead.
    pub vertex_credentials: Option<String>,
}

impl std::fmt::Debug for CallOptions {
    // Keys, secrets and service-account files are shown only as present or not,
    // so options can be logged.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("CallOptions")
            .field("api_base", &self.api_base)
            .field("api_key", &secret(&self.api_key))
            .field("api_version", &self.api_version)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("num_retries", &self.num_retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("drop_params", &self.drop_params)
            .field("mock_response", &self.mock_response)
            .field("aws_access_key_id", &self.aws_access_key_id)
            .field(
                "aws_secret_access_key",
                &secret(&self.aws_secret_access_key),
            )
            .field("aws_session_token", &secret(&self.aws_session_token))
            .field("aws_region_name", &self.aws_region_name)
            .field("aws_profile_name", &self.aws_profile_name)
            .field("vertex_project", &self.vertex_project)
            .field("vertex_location", &self.vertex_location)
            .field("vertex_credentials", &secret(&self.vertex_credentials))
            .finish()
    }
}

/// Defaults of a [`Client`], overridden per call by [`CallOptions`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Whole-call timeout.
    pub timeout: Duration,
    /// TCP connect timeout.
    pub connect_timeout: Duration,
    /// Longest silence between stream events.
    pub stream_idle_timeout: Duration,
    /// Retries after the first attempt.
    pub num_retries: u32,
    /// First retry backoff.
    pub retry_backoff: Duration,
    /// Drop unsupported parameters.
    pub drop_params: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(600),
            connect_timeout: Duration::from_secs(10),
            stream_idle_timeout: Duration::from_secs(120),
            num_retries: 2,
            retry_backoff: Duration::from_millis(500),
            drop_params: false,
        }
    }
}

/// The SDK's entry point. Cheap to create and to clone (clones share the
/// connection pool); safe to use from many tasks at once.
#[derive(Debug, Clone, Default)]
pub struct Client {
    transport: Arc<Transport>,
    config: Arc<ClientConfig>,
    /// Vertex AI token sources, found on the first Vertex call.
    google: Arc<GoogleAuth>,
}

impl Client {
    /// A client with default settings. Does no I/O.
    pub fn new() -> Self {
        Client::with_config(ClientConfig::default())
    }

    /// A client with `config`. Does no I/O.
    pub fn with_config(config: ClientConfig) -> Self {
        Client {
            transport: Arc::new(Transport::new(Some(config.connect_timeout))),
            config: Arc::new(config),
            google: Arc::default(),
        }
    }

    /// LiteLLM's `completion` (non-streamed; see [`Client::completion_stream`]).
    pub async fn completion(
        &self,
        request: ChatRequest,
        options: &CallOptions,
    ) -> Result<ChatResponse, Error> {
        if request.is_stream() {
            // The caller asked for a stream through the non-streaming call:
            // stream, then fold, so the result is the same either way.
            return self
                .completion_stream(request, options)
                .await?
                .collect_response()
                .await;
        }
        validate(&request)?;
        if let Some(text) = &options.mock_response {
            return mock::mock_completion(&request, text);
        }
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.chat_request(&target, &request)?;
        let body = self.send_and_read(&target, &http, options).await?;
        target.adapter.parse_chat(&target, &body)
    }

    /// LiteLLM's `completion(..., stream=True)`: chunks as they arrive.
    pub async fn completion_stream(
        &self,
        mut request: ChatRequest,
        options: &CallOptions,
    ) -> Result<ChatStream, Error> {
        validate(&request)?;
        request.stream = Some(true);
        if let Some(text) = &options.mock_response {
            let chunks = mock::mock_chunks(&request, text)?;
            return Ok(ChatStream::from_chunks(
                chunks.into_iter().map(Ok).collect(),
            ));
        }
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.chat_request(&target, &request)?;
        let response = self
            .transport
            .send(&target, &http, &self.policy(options), true)
            .await?;
        let idle = options
            .stream_idle_timeout
            .unwrap_or(self.config.stream_idle_timeout);
        Ok(stream::decode(response, Arc::new(target), idle))
    }

    /// LiteLLM's `embedding`.
    pub async fn embedding(
        &self,
        request: EmbeddingRequest,
        options: &CallOptions,
    ) -> Result<EmbeddingResponse, Error> {
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.embedding_request(&target, &request)?;
        let body = self.send_and_read(&target, &http, options).await?;
        target.adapter.parse_embedding(&target, &body)
    }

    /// The models `provider` serves (`GET /models`), for OpenAI-format providers.
    /// `provider` is a catalog slug (`openai`, `groq`...) or `provider/anything`.
    pub async fn list_models(
        &self,
        provider: &str,
        options: &CallOptions,
    ) -> Result<ModelList, Error> {
        let slug = provider.split('/').next().unwrap_or(provider);
        let target = self.target(&format!("{slug}/models"), options).await?;
        let http = target.adapter.models_request(&target)?;
        let body = self.send_and_read(&target, &http, options).await?;
        target.adapter.parse_models(&target, &body)
    }

    /// Resolves the call's target; a Vertex target also gets its OAuth2
    /// token here, the one I/O a call does before its request is built.
    async fn target(&self, model: &str, options: &CallOptions) -> Result<Target, Error> {
        let mut target = resolve_target(model, options)?;
        target.drop_params = options.drop_params.unwrap_or(self.config.drop_params);
        if target.vertex().is_some() {
            let timeout = options.timeout.unwrap_or(self.config.timeout);
            self.google.authorize(&mut target, timeout).await?;
        }
        Ok(target)
    }

    fn policy(&self, options: &CallOptions) -> SendPolicy {
        SendPolicy {
            timeout: options.timeout.unwrap_or(self.config.timeout),
            num_retries: options.num_retries.unwrap_or(self.config.num_retries),
            initial_backoff: options.retry_backoff.unwrap_or(self.config.retry_backoff),
        }
    }

    async fn send_and_read(
        &self,
        target: &Target,
        http: &HttpRequest,
        options: &CallOptions,
    ) -> Result<Vec<u8>, Error> {
        let response = self
            .transport
            .send(target, http, &self.policy(options), false)
            .await?;
        let body = read_capped(response, MAX_RESPONSE_BODY)
            .await
            .map_err(|e| {
                target
                    .error(
                        ErrorKind::ApiConnection,
                        format!("the connection broke while reading the answer: {e}"),
                    )
                    .redact(target.api_key.as_deref())
            })?;
        if body.len() >= MAX_RESPONSE_BODY {
            return Err(target.error(
                ErrorKind::InternalServer,
                "the provider's response exceeds 64 MiB",
            ));
        }
        Ok(body)
    }
}

/// Responses larger than this are refused rather than buffered without bound.
const MAX_RESPONSE_BODY: usize = 64 << 20;

/// Checks a request before anything is resolved or sent.
fn validate(request: &ChatRequest) -> Result<(), Error> {
    if request.messages.is_empty() {
        return Err(
            Error::new(ErrorKind::BadRequest, "`messages` must not be empty")
                .with_model(request.model.clone()),
        );
    }
    Ok(())
}
