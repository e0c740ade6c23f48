//! [`Client`]: `completion`, streamed completion, `embedding`, `moderation`,
//! `image_generation`, `rerank`, `speech` and `transcription` over every callable provider. `Client::new()` allocates nothing but two pointers;
//! the HTTP client is built by the first call that needs the network.
//!
//! A call flows through the layers one way: `route` resolves the target
//! (options, environment, catalog, credentials), a Vertex target gets its
//! OAuth token, the provider builds the request, the transport sends it,
//! the provider parses the answer, and the client attaches the cost.

use std::sync::Arc;
use std::time::SystemTime;

use crate::credentials::google::GoogleAuth;
use crate::error::{Error, ErrorKind};
use crate::mock;
use crate::options::{CallOptions, ClientConfig};
use crate::providers::{EventParser, HttpRequest, RawEvent, StreamEvent};
use crate::route::{self, Auth, Target};
use crate::stream::{self, ChatStream, EventSource};
use crate::transport::{read_capped, ErrorMapper, SendPolicy, Transport};
use crate::types::{ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, ModelList};
use crate::types::{ImageGenerationRequest, ImageResponse, ModerationRequest, ModerationResponse};
use crate::types::{RerankRequest, RerankResponse, SpeechRequest, SpeechResponse};
use crate::types::{TranscriptionRequest, TranscriptionResponse};

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

    /// The client's defaults.
    pub fn config(&self) -> &ClientConfig {
        &self.config
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
        let now = SystemTime::now();
        let http = target.adapter.chat_request(&target, &request, now)?;
        let body = self.send_and_read(&target, &http, options).await?;
        let mut response = target.adapter.parse_chat(&target, &body, now)?;
        response.cost = crate::cost::chat_cost(target.info, &response);
        Ok(response)
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
        let now = SystemTime::now();
        let http = target.adapter.chat_request(&target, &request, now)?;
        let response = self
            .transport
            .send(&http, &self.policy(options), true, &Upstream(&target))
            .await?;
        let idle = options
            .stream_idle_timeout
            .unwrap_or(self.config.stream_idle_timeout);
        let framing = target.adapter.framing();
        Ok(stream::decode(
            response,
            framing,
            target_events(target, now),
            idle,
        ))
    }

    /// LiteLLM's `completion(..., fallbacks=[...])`: `request.model`, then
    /// each fallback model in order, until one answers. Returns the answer
    /// and the model that gave it; when every model fails, the last
    /// model's error, as LiteLLM raises it.
    pub async fn completion_with_fallbacks(
        &self,
        request: ChatRequest,
        options: &CallOptions,
        fallbacks: &[String],
    ) -> Result<(ChatResponse, String), Error> {
        self.with_fallbacks(request, fallbacks, |request| {
            self.completion(request, options)
        })
        .await
    }

    /// [`Client::completion_stream`] with fallbacks: a model that fails
    /// before its stream opens gives way to the next.
    pub async fn completion_stream_with_fallbacks(
        &self,
        request: ChatRequest,
        options: &CallOptions,
        fallbacks: &[String],
    ) -> Result<(ChatStream, String), Error> {
        self.with_fallbacks(request, fallbacks, |request| {
            self.completion_stream(request, options)
        })
        .await
    }

    /// Runs `call` on `request.model`, then on each fallback model.
    async fn with_fallbacks<T, F, Fut>(
        &self,
        request: ChatRequest,
        fallbacks: &[String],
        call: F,
    ) -> Result<(T, String), Error>
    where
        F: Fn(ChatRequest) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let first_model = request.model.clone();
        let mut last_error = match call(request.clone()).await {
            Ok(answer) => return Ok((answer, first_model)),
            Err(err) => err,
        };
        for model in fallbacks {
            let attempt = ChatRequest {
                model: model.clone(),
                ..request.clone()
            };
            match call(attempt).await {
                Ok(answer) => return Ok((answer, model.clone())),
                Err(err) => last_error = err,
            }
        }
        Err(last_error)
    }

    /// LiteLLM's `embedding`.
    pub async fn embedding(
        &self,
        request: EmbeddingRequest,
        options: &CallOptions,
    ) -> Result<EmbeddingResponse, Error> {
        if let Some(text) = &options.mock_response {
            return mock::mock_embedding(&request.model, Some(text), None);
        }
        let target = self.target(&request.model, options).await?;
        let now = SystemTime::now();
        let http = target.adapter.embedding_request(&target, &request, now)?;
        let body = self.send_and_read(&target, &http, options).await?;
        let mut response = target.adapter.parse_embedding(&target, &body)?;
        response.cost = crate::cost::embedding_cost(target.info, &response);
        Ok(response)
    }

    /// LiteLLM's `moderation`: OpenAI's `POST /moderations`.
    pub async fn moderation(
        &self,
        request: ModerationRequest,
        options: &CallOptions,
    ) -> Result<ModerationResponse, Error> {
        require_model(&request.model)?;
        if request.input.is_null() {
            return Err(bad_request(&request.model, "`input` is required"));
        }
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.moderation_request(&target, &request)?;
        let body = self.send_and_read(&target, &http, options).await?;
        target.adapter.parse_moderation(&target, &body)
    }

    /// LiteLLM's `image_generation`: OpenAI's `POST /images/generations`.
    pub async fn image_generation(
        &self,
        request: ImageGenerationRequest,
        options: &CallOptions,
    ) -> Result<ImageResponse, Error> {
        require_model(&request.model)?;
        let size = request
            .dimensions()
            .map_err(|message| bad_request(&request.model, message))?;
        // As LiteLLM does, an image model named without a provider that the
        // catalog does not know (`dall-e-3`) is OpenAI's.
        let model =
            if request.model.contains('/') || llmrelay_catalog::get(&request.model).is_some() {
                request.model.clone()
            } else {
                format!("openai/{}", request.model)
            };
        let target = self.target(&model, options).await?;
        let http = target.adapter.image_request(&target, &request)?;
        let body = self.send_and_read(&target, &http, options).await?;
        let mut response = target.adapter.parse_image(&target, &body)?;
        response.cost = crate::cost::image_cost(&target, &request, size, response.data.len());
        Ok(response)
    }

    /// LiteLLM's `rerank`: Cohere's `POST /v2/rerank`. Results carry their
    /// documents when `return_documents` asks, whether or not the provider
    /// sends them back.
    pub async fn rerank(
        &self,
        request: RerankRequest,
        options: &CallOptions,
    ) -> Result<RerankResponse, Error> {
        require_model(&request.model)?;
        if request.documents.is_empty() {
            return Err(bad_request(&request.model, "`documents` must not be empty"));
        }
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.rerank_request(&target, &request)?;
        let body = self.send_and_read(&target, &http, options).await?;
        let mut response = target.adapter.parse_rerank(&target, &body)?;
        if request.return_documents == Some(true) {
            for result in &mut response.results {
                if result.document.is_none() {
                    result.document = request
                        .document_text(result.index as usize)
                        .map(|text| serde_json::json!({ "text": text }));
                }
            }
        }
        response.cost = crate::cost::rerank_cost(target.info, &response);
        Ok(response)
    }

    /// LiteLLM's `speech`: OpenAI's `POST /audio/speech` (OpenAI, the
    /// OpenAI-compatible family, Azure). The answer is the audio file.
    pub async fn speech(
        &self,
        request: SpeechRequest,
        options: &CallOptions,
    ) -> Result<SpeechResponse, Error> {
        require_model(&request.model)?;
        if request.input.is_empty() {
            return Err(bad_request(&request.model, "`input` is required"));
        }
        if let Some(problem) = request.voice_problem() {
            return Err(bad_request(&request.model, problem));
        }
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.speech_request(&target, &request)?;
        let audio = self.send_and_read(&target, &http, options).await?;
        Ok(SpeechResponse {
            audio: audio.into(),
            content_type: request.content_type().to_owned(),
            cost: crate::cost::speech_cost(target.info, &request),
        })
    }

    /// LiteLLM's `transcription`: OpenAI's `POST /audio/transcriptions`, the
    /// file sent as `multipart/form-data`. The cost is per second of audio:
    /// the answer's `duration` (`verbose_json`), else the file's own length
    /// when its header tells it (WAV), else the provider's usage seconds.
    pub async fn transcription(
        &self,
        request: TranscriptionRequest,
        options: &CallOptions,
    ) -> Result<TranscriptionResponse, Error> {
        require_model(&request.model)?;
        if request.file.data.is_empty() {
            return Err(bad_request(&request.model, "`file` is empty"));
        }
        let target = self.target(&request.model, options).await?;
        let http = target.adapter.transcription_request(&target, &request)?;
        let body = self.send_and_read(&target, &http, options).await?;
        let mut response = target
            .adapter
            .parse_transcription(&target, &request, &body)?;
        response.billed_seconds = response
            .duration()
            .or_else(|| request.file.wav_seconds())
            .or_else(|| response.usage_seconds());
        response.cost = crate::cost::transcription_cost(target.info, &response);
        Ok(response)
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
        let mut target = route::resolve(model, options, self.config.drop_params)?;
        if let Auth::OAuthToken {
            credentials,
            token: None,
        } = &target.auth
        {
            let want_project = target.vertex.as_ref().is_some_and(|v| v.project.is_none());
            let timeout = options.timeout.unwrap_or(self.config.timeout);
            let fetched = self
                .google
                .token(credentials.as_ref(), want_project, timeout)
                .await
                .map_err(|e| {
                    e.with_provider(target.provider.name)
                        .with_model(target.requested_model.clone())
                })?;
            if let (Some(project), Some(vertex)) = (fetched.project, target.vertex.as_mut()) {
                vertex.project.get_or_insert(project);
            }
            if let Auth::OAuthToken { token, .. } = &mut target.auth {
                *token = Some(fetched.token);
            }
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
        let upstream = Upstream(target);
        let response = self
            .transport
            .send(http, &self.policy(options), false, &upstream)
            .await?;
        let body = read_capped(response, MAX_RESPONSE_BODY)
            .await
            .map_err(|e| {
                upstream
                    .error(
                        ErrorKind::ApiConnection,
                        format!("the connection broke while reading the answer: {e}"),
                    )
                    .with_source(e)
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

/// A target as the transport sees it: the provider's error reading, and
/// errors named and redacted as the target's.
struct Upstream<'a>(&'a Target);

impl ErrorMapper for Upstream<'_> {
    fn map_status(&self, status: u16, body: &[u8]) -> Error {
        self.0.adapter.map_error(self.0, status, body)
    }

    fn error(&self, kind: ErrorKind, message: String) -> Error {
        self.0.error(kind, message).redact(self.0.secrets())
    }

    fn endpoint(&self) -> (&str, &str) {
        (self.0.provider.name, &self.0.api_base)
    }
}

/// A target's stream translation as the stream decoder sees it.
struct TargetEvents {
    target: Target,
    parser: Box<dyn EventParser>,
}

impl EventSource for TargetEvents {
    fn parse(&mut self, event: RawEvent<'_>) -> Result<StreamEvent, Error> {
        let mut parsed = self
            .parser
            .parse(&self.target, event)
            .map_err(|e| e.redact(self.target.secrets()))?;
        // The chunk with the usage carries the call's cost, priced here as
        // an unstreamed answer is.
        if let StreamEvent::Chunk(chunk) = &mut parsed {
            if let Some(usage) = &chunk.usage {
                let tier = chunk.extra.get("service_tier").and_then(|t| t.as_str());
                chunk.cost = crate::cost::usage_cost(self.target.info, usage, tier);
            }
        }
        Ok(parsed)
    }

    fn error(&self, kind: ErrorKind, message: String) -> Error {
        self.target.error(kind, message)
    }
}

/// The stream translation of `target` for a stream that starts at `now`.
pub(crate) fn target_events(target: Target, now: SystemTime) -> Box<dyn EventSource> {
    let parser = target.adapter.stream_parser(now);
    Box::new(TargetEvents { target, parser })
}

/// A `BadRequest` about the call to `model`.
fn bad_request(model: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::BadRequest, message).with_model(model)
}

/// Non-chat calls name their model; an empty one is the caller's error.
fn require_model(model: &str) -> Result<(), Error> {
    if model.trim().is_empty() {
        return Err(bad_request(model, "`model` is required"));
    }
    Ok(())
}

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
