//! An upstream's API error: status, message, type, param and code, with the canned
//! errors OpenAI sends, worded as OpenAI words them.

/// An API error as OpenAI reports it: an HTTP status and
/// `{"error": {"message", "type", "param", "code"}}`.
///
/// The other fakes render the same error in their own envelope: Anthropic's
/// `{"type": "error", "error": {"type", "message"}}` (the type derived from the status
/// unless it is already one of Anthropic's), Cohere's `{"id", "message"}`.
///
/// `{model}` in the message is replaced by the request's model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// `error.message`.
    pub message: String,
    /// `error.type`.
    pub error_type: Option<String>,
    /// `error.param`.
    pub param: Option<String>,
    /// `error.code`.
    pub code: Option<String>,
}

impl ApiError {
    /// An error with this status and message, the `type` OpenAI uses for that status
    /// (`invalid_request_error` for 4xx, `requests` for 429, `server_error` for 5xx), and
    /// no param or code.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        let error_type = match status {
            429 => "requests",
            500..=599 => "server_error",
            _ => "invalid_request_error",
        };
        Self {
            status,
            message: message.into(),
            error_type: Some(error_type.to_owned()),
            param: None,
            code: None,
        }
    }

    /// Sets `error.type` (`None` serializes as `null`).
    pub fn with_type(mut self, error_type: Option<&str>) -> Self {
        self.error_type = error_type.map(str::to_owned);
        self
    }

    /// Sets `error.param`.
    pub fn with_param(mut self, param: Option<&str>) -> Self {
        self.param = param.map(str::to_owned);
        self
    }

    /// Sets `error.code`.
    pub fn with_code(mut self, code: Option<&str>) -> Self {
        self.code = code.map(str::to_owned);
        self
    }

    /// 429, OpenAI's tokens-per-minute rate limit (`type: "tokens"`,
    /// `code: "rate_limit_exceeded"`).
    pub fn rate_limited() -> Self {
        Self::new(
            429,
            "Rate limit reached for {model} in organization org-fake on tokens per min (TPM): \
             Limit 30000, Used 29809, Requested 1257. Please try again in 2.132s. Visit \
             https://platform.openai.com/account/rate-limits to learn more.",
        )
        .with_type(Some("tokens"))
        .with_code(Some("rate_limit_exceeded"))
    }

    /// 429, out of credit (`type` and `code` `"insufficient_quota"`); not worth a retry.
    pub fn insufficient_quota() -> Self {
        Self::new(
            429,
            "You exceeded your current quota, please check your plan and billing details. For \
             more information on this error, read the docs: \
             https://platform.openai.com/docs/guides/error-codes/api-errors.",
        )
        .with_type(Some("insufficient_quota"))
        .with_code(Some("insufficient_quota"))
    }

    /// 500, OpenAI's generic server error (`type: "server_error"`, `code: null`).
    pub fn server_error() -> Self {
        Self::new(
            500,
            "The server had an error while processing your request. Sorry about that!",
        )
    }

    /// 503, the engine is overloaded (`type: "server_error"`, `code: null`).
    pub fn service_unavailable() -> Self {
        Self::new(
            503,
            "The server is overloaded or not ready yet. Please try again later.",
        )
    }

    /// 529, Anthropic's API is overloaded (`type: "overloaded_error"`, message
    /// `"Overloaded"`); worth a retry.
    pub fn overloaded() -> Self {
        Self::new(529, "Overloaded").with_type(Some("overloaded_error"))
    }

    /// 400, the prompt does not fit the model's context window, worded as Anthropic words it
    /// (`prompt is too long: 208310 tokens > 200000 maximum`).
    pub fn prompt_too_long(max_tokens: u64, requested_tokens: u64) -> Self {
        Self::new(
            400,
            format!("prompt is too long: {requested_tokens} tokens > {max_tokens} maximum"),
        )
    }

    /// 400, the prompt does not fit the model's context window, worded as OpenAI words it
    /// (`param: "messages"`, `code: "context_length_exceeded"`).
    pub fn context_length_exceeded(max_tokens: u64, requested_tokens: u64) -> Self {
        Self::new(
            400,
            format!(
                "This model's maximum context length is {max_tokens} tokens. However, your \
                 messages resulted in {requested_tokens} tokens. Please reduce the length of \
                 the messages."
            ),
        )
        .with_param(Some("messages"))
        .with_code(Some("context_length_exceeded"))
    }

    /// 400, the prompt was filtered by the content policy (`param: "prompt"`,
    /// `code: "content_filter"`).
    pub fn content_filter() -> Self {
        Self::new(
            400,
            "The response was filtered due to the prompt triggering OpenAI's content management \
             policy. Please modify your prompt and retry.",
        )
        .with_param(Some("prompt"))
        .with_code(Some("content_filter"))
    }

    /// 401, wrong API key (`code: "invalid_api_key"`).
    pub fn invalid_api_key() -> Self {
        Self::new(
            401,
            "Incorrect API key provided: sk-fake*****1234. You can find your API key at \
             https://platform.openai.com/account/api-keys.",
        )
        .with_code(Some("invalid_api_key"))
    }

    /// 404, the request's model does not exist (`code: "model_not_found"`).
    pub fn model_not_found() -> Self {
        Self::new(
            404,
            "The model `{model}` does not exist or you do not have access to it.",
        )
        .with_code(Some("model_not_found"))
    }
}
