"""LiteLLM's exception classes, with LiteLLM's names, HTTP status codes and
attributes (``status_code``, ``message``, ``llm_provider``, ``model``).

Every class derives from :class:`OpenAIError`, so ``except
llmrelay.exceptions.OpenAIError`` catches any error llmrelay raises. The
400 family keeps LiteLLM's hierarchy: :class:`ContextWindowExceededError`,
:class:`ContentPolicyViolationError` and :class:`UnsupportedParamsError` are
:class:`BadRequestError`\\ s. :class:`Timeout` mirrors OpenAI's
``APITimeoutError``.

This module is plain Python with no imports, so loading it costs a few
hundred microseconds.
"""

__all__ = [
    "OpenAIError",
    "APIError",
    "BadRequestError",
    "ContextWindowExceededError",
    "ContentPolicyViolationError",
    "UnsupportedParamsError",
    "RejectedRequestError",
    "RouterConfigError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ModelNotMappedError",
    "Timeout",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "BadGatewayError",
    "ServiceUnavailableError",
    "APIConnectionError",
    "APIResponseValidationError",
    "LITELLM_EXCEPTION_TYPES",
]


class OpenAIError(Exception):
    """Base of every llmrelay error.

    Attributes: ``status_code`` (LiteLLM's HTTP status for the class),
    ``message`` (``"llmrelay.<Class>: <provider's message>"``),
    ``llm_provider``, ``model``, ``retry_after`` (seconds the provider asked
    to wait, or None), ``suggestions`` (close model names for an unknown
    model), ``max_retries`` and ``num_retries``.
    """

    status_code = 500

    def __init__(
        self,
        message="",
        model=None,
        llm_provider=None,
        response=None,
        litellm_debug_info=None,
        max_retries=None,
        num_retries=None,
        body=None,
        retry_after=None,
        suggestions=None,
        status_code=None,
        **kwargs,
    ):
        if status_code is not None:
            self.status_code = status_code
        self.message = "llmrelay.%s: %s" % (type(self).__name__, message)
        self.model = model
        self.llm_provider = llm_provider
        self.response = response
        self.body = body
        self.litellm_debug_info = litellm_debug_info
        self.max_retries = max_retries
        self.num_retries = num_retries
        self.retry_after = retry_after
        self.suggestions = list(suggestions or ())
        # OpenAI's error fields (LiteLLM's exceptions are OpenAI's): from the
        # provider's error body when there is one.
        fields = body if isinstance(body, dict) else {}
        self.code = fields.get("code")
        self.type = fields.get("type")
        self.param = fields.get("param")
        for name, value in kwargs.items():
            setattr(self, name, value)
        super().__init__(self.message)

    def __str__(self):
        text = self.message
        if self.num_retries:
            text += " LiteLLM Retried: %s times" % self.num_retries
        if self.max_retries:
            text += ", LiteLLM Max Retries: %s" % self.max_retries
        return text

    __repr__ = __str__


class _ProviderFirst(OpenAIError):
    """LiteLLM takes ``(message, llm_provider, model)`` positionally for these."""

    def __init__(self, message="", llm_provider=None, model=None, *args, **kwargs):
        super().__init__(message, model, llm_provider, *args, **kwargs)


class APIError(OpenAIError):
    """An error with a status LiteLLM has no class for (``APIError(status_code, message, ...)``)."""

    def __init__(self, status_code=500, message="", llm_provider=None, model=None, *args, **kwargs):
        super().__init__(message, model, llm_provider, *args, status_code=status_code, **kwargs)


class BadRequestError(OpenAIError):
    """400: a malformed request, or a model nobody serves."""

    status_code = 400


class ContextWindowExceededError(BadRequestError):
    """400: the prompt does not fit the model's context window."""


class ContentPolicyViolationError(BadRequestError):
    """400: the provider's content filter refused the request or the answer."""


class UnsupportedParamsError(BadRequestError):
    """400: a parameter the provider does not support (pass ``drop_params=True`` to drop it)."""

    def __init__(self, message="", llm_provider=None, model=None, *args, **kwargs):
        super().__init__(message, model, llm_provider, *args, **kwargs)


class RejectedRequestError(BadRequestError):
    """400: the request was rejected before reaching the model."""


class RouterConfigError(BadRequestError, ValueError):
    """A ``Router`` configuration that cannot run (an unknown strategy, a
    fallback to a group no deployment serves, a negative weight, a model
    nobody can route); the message names the entry. LiteLLM raises a
    ``ValueError`` for some of these and a ``BadRequestError`` for others,
    so this is both."""


class AuthenticationError(_ProviderFirst):
    """401: missing or invalid API key."""

    status_code = 401


class PermissionDeniedError(_ProviderFirst):
    """403: the key may not use this model or resource."""

    status_code = 403


class NotFoundError(OpenAIError):
    """404: the provider does not know the model or endpoint."""

    status_code = 404


class ModelNotMappedError(NotFoundError):
    """The catalog has no entry for the model (``get_model_info`` and friends)."""


class Timeout(OpenAIError):
    """408: the call (or a stream's idle wait) exceeded its timeout."""

    status_code = 408


class UnprocessableEntityError(OpenAIError):
    """422: the provider could not process a well-formed request."""

    status_code = 422


class RateLimitError(_ProviderFirst):
    """429: rate limited or out of quota; ``retry_after`` says how long to wait."""

    status_code = 429


class InternalServerError(_ProviderFirst):
    """500: the provider failed."""

    status_code = 500


class BadGatewayError(_ProviderFirst):
    """502: a gateway in front of the provider failed."""

    status_code = 502


class ServiceUnavailableError(_ProviderFirst):
    """503: the provider is overloaded or down."""

    status_code = 503


class APIConnectionError(_ProviderFirst):
    """No HTTP answer at all: DNS, connect, TLS, a connection reset or a broken stream."""

    status_code = 500


class APIResponseValidationError(_ProviderFirst):
    """The provider answered with something that is not a valid response."""

    status_code = 500


LITELLM_EXCEPTION_TYPES = [
    AuthenticationError,
    NotFoundError,
    BadRequestError,
    UnprocessableEntityError,
    UnsupportedParamsError,
    Timeout,
    PermissionDeniedError,
    RateLimitError,
    ContextWindowExceededError,
    RejectedRequestError,
    ContentPolicyViolationError,
    InternalServerError,
    ServiceUnavailableError,
    BadGatewayError,
    APIError,
    APIConnectionError,
    APIResponseValidationError,
    OpenAIError,
]
