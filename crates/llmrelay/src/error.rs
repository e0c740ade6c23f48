//! One error type for the whole SDK, with LiteLLM's exception taxonomy.
//!
//! Every layer (catalog, tokens, providers, transport) maps into [`Error`],
//! whose [`ErrorKind`] carries LiteLLM's name and HTTP status, so the
//! gateway can answer in OpenAI's error JSON and the Python package can raise
//! the matching `llmrelay.exceptions` class without another translation table.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// LiteLLM's exception names, each with the HTTP status it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 400: the request is malformed or names an unknown model.
    BadRequest,
    /// 400: the prompt does not fit the model's context window.
    ContextWindowExceeded,
    /// 400: the provider refused the content.
    ContentPolicyViolation,
    /// 400: a parameter the provider does not support (and `drop_params` is off).
    UnsupportedParams,
    /// 401: missing or invalid API key.
    Authentication,
    /// 403: the key may not use this resource.
    PermissionDenied,
    /// 404: unknown model or endpoint at the provider.
    NotFound,
    /// 408: the call took longer than its timeout.
    Timeout,
    /// 422: the provider could not process a well-formed request.
    UnprocessableEntity,
    /// 429: rate limited; retry after the delay the provider gave.
    RateLimit,
    /// 500: the provider failed.
    InternalServer,
    /// 503: the provider is overloaded or down.
    ServiceUnavailable,
    /// No HTTP answer at all (DNS, connect, TLS, reset).
    ApiConnection,
}

impl ErrorKind {
    /// LiteLLM's exception class name (`RateLimitError`, `Timeout`...).
    pub fn litellm_name(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::ContextWindowExceeded => "ContextWindowExceededError",
            ErrorKind::ContentPolicyViolation => "ContentPolicyViolationError",
            ErrorKind::UnsupportedParams => "UnsupportedParamsError",
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::PermissionDenied => "PermissionDeniedError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::UnprocessableEntity => "UnprocessableEntityError",
            ErrorKind::RateLimit => "RateLimitError",
            ErrorKind::InternalServer => "InternalServerError",
            ErrorKind::ServiceUnavailable => "ServiceUnavailableError",
            ErrorKind::ApiConnection => "APIConnectionError",
        }
    }

    /// The kind an HTTP error status stands for, before any provider reads the
    /// message (which can refine a 400 into a context-window or content-policy
    /// error). Every provider shares this table.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            408 | 504 => ErrorKind::Timeout,
            422 => ErrorKind::UnprocessableEntity,
            429 => ErrorKind::RateLimit,
            503 | 529 => ErrorKind::ServiceUnavailable,
            409 => ErrorKind::InternalServer,
            s if s >= 500 => ErrorKind::InternalServer,
            _ => ErrorKind::BadRequest,
        }
    }

    /// The HTTP status LiteLLM attaches to this kind.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest
            | ErrorKind::ContextWindowExceeded
            | ErrorKind::ContentPolicyViolation
            | ErrorKind::UnsupportedParams => 400,
            ErrorKind::Authentication => 401,
            ErrorKind::PermissionDenied => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Timeout => 408,
            ErrorKind::UnprocessableEntity => 422,
            ErrorKind::RateLimit => 429,
            ErrorKind::InternalServer | ErrorKind::ApiConnection => 500,
            ErrorKind::ServiceUnavailable => 503,
        }
    }
}

/// An SDK error: what kind, about which provider and model, and the message
/// (the provider's own, when it sent one). Never carries an API key: the
/// message and the upstream body are redacted of the call's secrets.
#[derive(Debug, Clone)]
pub struct Error {
    /// The taxonomy entry.
    pub kind: ErrorKind,
    /// What went wrong, for a person.
    pub message: String,
    /// The provider involved, when known.
    pub provider: Option<String>,
    /// The model asked for, when known.
    pub model: Option<String>,
    /// The status the provider answered with, when it answered.
    pub upstream_status: Option<u16>,
    /// How long the provider asked us to wait (`Retry-After`, `retry-after-ms`).
    pub retry_after: Option<Duration>,
    /// What the provider said and what caused the error, boxed so that
    /// `Result<_, Error>` stays small on the happy path.
    detail: Option<Box<Detail>>,
}

/// The rarely read parts of an [`Error`].
#[derive(Debug, Clone, Default)]
struct Detail {
    /// Close model names, for "did you mean" errors.
    suggestions: Vec<String>,
    /// The start of the provider's answer, redacted.
    upstream_body: Option<String>,
    /// The lower-level error this one comes from.
    cause: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// How much of an upstream error body an [`Error`] keeps.
pub const MAX_UPSTREAM_BODY: usize = 2048;

impl PartialEq for Error {
    // The cause is an opaque error object: two errors are equal when
    // everything a caller reads off them is.
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.message == other.message
            && self.provider == other.provider
            && self.model == other.model
            && self.suggestions() == other.suggestions()
            && self.upstream_status == other.upstream_status
            && self.retry_after == other.retry_after
            && self.upstream_body() == other.upstream_body()
    }
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            provider: None,
            model: None,
            upstream_status: None,
            retry_after: None,
            detail: None,
        }
    }

    /// The start of what the provider answered (at most
    /// [`MAX_UPSTREAM_BODY`] bytes, redacted of the call's secrets), so a
    /// caller can see what it actually said.
    pub fn upstream_body(&self) -> Option<&str> {
        self.detail.as_ref()?.upstream_body.as_deref()
    }

    /// Close model names, for "did you mean" errors.
    pub fn suggestions(&self) -> &[String] {
        self.detail
            .as_ref()
            .map_or(&[], |d| d.suggestions.as_slice())
    }

    /// Names close model names, for "did you mean" errors.
    pub fn with_suggestions(mut self, suggestions: Vec<String>) -> Self {
        if !suggestions.is_empty() {
            self.detail_mut().suggestions = suggestions;
        }
        self
    }

    fn detail_mut(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(Box::default)
    }

    /// Keeps `cause` as this error's [`source`](std::error::Error::source).
    pub fn with_source(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.detail_mut().cause = Some(Arc::new(cause));
        self
    }

    /// Keeps the start of the provider's answer (lossy UTF-8, cut at
    /// [`MAX_UPSTREAM_BODY`] bytes on a character boundary).
    pub fn with_upstream_body(mut self, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(&body[..body.len().min(MAX_UPSTREAM_BODY)]);
        let text = text.trim();
        if !text.is_empty() {
            self.detail_mut().upstream_body = Some(text.to_string());
        }
        self
    }

    /// Names the model the error is about.
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Names the provider the error is about.
    pub fn with_provider(mut self, provider: impl Into<String>) -> Self {
        self.provider = Some(provider.into());
        self
    }

    /// The HTTP status of the error's kind.
    pub fn status(&self) -> u16 {
        self.kind.status()
    }

    /// Whether the transport may try the call again: connection failures,
    /// timeouts, rate limits and server errors, never a client error.
    pub fn is_retryable(&self) -> bool {
        match self.upstream_status {
            Some(status) => matches!(status, 408 | 409 | 429) || status >= 500,
            None => matches!(
                self.kind,
                ErrorKind::ApiConnection
                    | ErrorKind::Timeout
                    | ErrorKind::RateLimit
                    | ErrorKind::ServiceUnavailable
            ),
        }
    }

    /// Replaces every occurrence of each of `secrets` in the message and
    /// the upstream body by `***`, so a provider that echoes the key it was
    /// sent cannot leak it through us. Secrets shorter than four characters
    /// are left alone (they would mangle ordinary words).
    pub(crate) fn redact<'a>(mut self, secrets: impl IntoIterator<Item = &'a str>) -> Self {
        for secret in secrets.into_iter().filter(|s| s.len() >= 4) {
            if self.message.contains(secret) {
                self.message = self.message.replace(secret, "***");
            }
            let body = self.detail.as_mut().and_then(|d| d.upstream_body.as_mut());
            if let Some(body) = body.filter(|b| b.contains(secret)) {
                *body = body.replace(secret, "***");
            }
        }
        self
    }

    /// The error LiteLLM's `mock_response` raises for an exception name
    /// (`"RateLimitError"`, `"litellm.ContextWindowExceededError"`...), if
    /// `name` is one.
    pub fn from_litellm_name(name: &str) -> Option<Error> {
        let bare = name.strip_prefix("litellm.").unwrap_or(name);
        ALL_KINDS
            .iter()
            .find(|k| k.litellm_name() == bare)
            .map(|k| Error::new(*k, format!("this is a mock {bare}")))
    }
}

/// Every kind, for lookups by name.
const ALL_KINDS: [ErrorKind; 13] = [
    ErrorKind::BadRequest,
    ErrorKind::ContextWindowExceeded,
    ErrorKind::ContentPolicyViolation,
    ErrorKind::UnsupportedParams,
    ErrorKind::Authentication,
    ErrorKind::PermissionDenied,
    ErrorKind::NotFound,
    ErrorKind::Timeout,
    ErrorKind::UnprocessableEntity,
    ErrorKind::RateLimit,
    ErrorKind::InternalServer,
    ErrorKind::ServiceUnavailable,
    ErrorKind::ApiConnection,
];

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.litellm_name(), self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.detail
            .as_ref()?
            .cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

impl From<llmrelay_catalog::ResolveError> for Error {
    fn from(err: llmrelay_catalog::ResolveError) -> Self {
        // LiteLLM answers an unresolvable model with a BadRequestError (400)
        // before any provider is called; the suggestions ride along.
        let suggestions = err.suggestions();
        Error::new(ErrorKind::BadRequest, err.to_string())
            .with_suggestions(suggestions)
            .with_source(err)
    }
}

impl From<llmrelay_catalog::CostError> for Error {
    fn from(err: llmrelay_catalog::CostError) -> Self {
        Error::new(ErrorKind::BadRequest, err.to_string()).with_source(err)
    }
}
