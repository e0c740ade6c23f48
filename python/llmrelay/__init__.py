"""llmrelay: one OpenAI-format API to every LLM provider, with LiteLLM's names.

    import llmrelay
    r = llmrelay.completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    print(r.choices[0].message.content, r._hidden_params["response_cost"])

Importing defines functions and classes and nothing else: the async runtime,
the HTTP client and the tokenizers are created by the first call that needs
them, and nothing is ever read from the network but the calls you make.

LiteLLM's module paths (``llmrelay.utils``, ``llmrelay.types.utils``,
``llmrelay.caching``...) and its helpers (``trim_messages``,
``get_supported_openai_params``...) load on first use, through the
module-level ``__getattr__`` below. Callbacks and caching run in
``llmrelay.call_hooks``, which a call imports only when a callback, a cache
or a Python-side setting is configured; otherwise a call goes straight to
the native module. ``install_as_litellm()`` makes ``import litellm`` give
this package (see ``llmrelay.litellm_alias``).
"""

from llmrelay import _llmrelay
from llmrelay._llmrelay import (
    Choices,
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    CompletionTokensDetailsWrapper,
    CustomStreamWrapper,
    Delta,
    Embedding,
    EmbeddingResponse,
    Function,
    ImageObject,
    ImageResponse,
    Message,
    ModelCostMap,
    ModelResponse,
    ModelResponseStream,
    ModerationResponse,
    OpenAIObject,
    PromptTokensDetailsWrapper,
    RerankResponse,
    ResponsesAPIResponse,
    StreamingChoices,
    TextChoices,
    TextCompletionResponse,
    TranscriptionResponse,
    Usage,
    completion_cost,
    cost_per_token,
    decode,
    encode,
    get_llm_provider,
    get_max_tokens,
    get_model_info,
    stream_chunk_builder,
    supports_audio_input,
    supports_audio_output,
    supports_function_calling,
    supports_parallel_function_calling,
    supports_pdf_input,
    supports_prompt_caching,
    supports_reasoning,
    supports_response_schema,
    supports_system_messages,
    supports_tool_choice,
    supports_vision,
    supports_web_search,
    token_counter,
)
from llmrelay.exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    AuthenticationError,
    BadGatewayError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
    ModelNotMappedError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    RejectedRequestError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
    UnsupportedParamsError,
)

__version__ = "0.1.0"

#: LiteLLM's name for the moderation response class.
OpenAIModerationResponse = ModerationResponse

# Module-level settings, as in LiteLLM (same names and defaults); a call's own
# keyword argument wins. The native module reads drop_params, num_retries,
# api_key, api_base and request_timeout; llmrelay.call_hooks reads the rest.
drop_params = False
num_retries = None
api_key = None
api_base = None
request_timeout = 6000.0
headers = None
model_alias_map = {}
success_callback = []
failure_callback = []
callbacks = []
input_callback = []
service_callback = []
_async_success_callback = []
_async_failure_callback = []
#: A :class:`llmrelay.caching.Cache`; every completion and embedding uses it.
cache = None
set_verbose = False
suppress_debug_info = False
modify_params = False
telemetry = False
turn_off_message_logging = False
use_litellm_proxy = False
model_fallbacks = None
enable_json_schema_validation = False
disable_hf_tokenizer_download = False
#: LiteLLM's flag for providers without tool calling (a setting, not a function).
add_function_to_prompt = False

#: Names served lazily by ``__getattr__``: attribute -> module that defines it.
_LAZY = {
    "utils": None,
    "types": None,
    "caching": None,
    "integrations": None,
    "router": None,
    "cost_calculator": None,
    "call_hooks": None,
    "litellm_alias": None,
    "call_log": None,
    # LiteLLM's model_cost: a dict built from the catalog on first read.
    "model_cost": "llmrelay.cost_map",
    "Cache": "llmrelay.caching",
    "CustomLogger": "llmrelay.integrations.custom_logger",
    "Router": "llmrelay.router",
    "response_cost_calculator": "llmrelay.cost_calculator",
    "trim_messages": "llmrelay.messages",
    "function_to_dict": "llmrelay.messages",
    "get_secret": "llmrelay.environment",
    "get_secret_bool": "llmrelay.environment",
    "get_secret_str": "llmrelay.environment",
    "validate_environment": "llmrelay.environment",
    "check_valid_key": "llmrelay.environment",
    "get_valid_models": "llmrelay.model_lists",
    "get_model_cost_map": "llmrelay.model_lists",
    "model_list": "llmrelay.model_lists",
    "provider_list": "llmrelay.model_lists",
    "models_by_provider": "llmrelay.model_lists",
    "get_supported_openai_params": "llmrelay.openai_params",
    "OPENAI_CHAT_COMPLETION_PARAMS": "llmrelay.openai_params",
    "batch_completion": "llmrelay.batch",
    "batch_completion_models": "llmrelay.batch",
    "batch_completion_models_all_responses": "llmrelay.batch",
    "completion_with_retries": "llmrelay.retries",
    "acompletion_with_retries": "llmrelay.retries",
    "convert_to_model_response_object": "llmrelay.response_objects",
    "text_completion": "llmrelay.text_completions",
    "atext_completion": "llmrelay.text_completions",
    "TextCompletionStreamWrapper": "llmrelay.text_completions",
    "text_completions": None,
    "get_optional_params": "llmrelay.optional_params",
    "get_modified_max_tokens": "llmrelay.output_limits",
    "add_known_models": "llmrelay.known_models",
    "mock_completion": "llmrelay.mock_completions",
    "create_pretrained_tokenizer": "llmrelay.custom_tokenizers",
    "create_tokenizer": "llmrelay.custom_tokenizers",
    "speech": "llmrelay.audio",
    "aspeech": "llmrelay.audio",
    "transcription": "llmrelay.audio",
    "atranscription": "llmrelay.audio",
    "HttpxBinaryResponseContent": "llmrelay.audio",
    "audio": None,
}


def __getattr__(name):
    """Loads a LiteLLM module path or helper on first use (PEP 562)."""
    if name not in _LAZY and not name.endswith("_models"):
        raise AttributeError("module 'llmrelay' has no attribute %r" % name)
    import importlib

    # LiteLLM's per-provider model sets (anthropic_models...): llmrelay.known_models.
    where = _LAZY.get(name, "llmrelay.known_models")
    if where is None:
        return importlib.import_module("llmrelay." + name)
    value = getattr(importlib.import_module(where), name)
    # Cached as a plain attribute: later reads cost nothing, and mutable
    # values (model_list, models_by_provider) keep the caller's changes.
    globals()[name] = value
    return value


def _hooked(kwargs, error_mocks=True):
    """Whether a call needs the Python layer (callbacks, caching, aliases,
    LiteLLM-only test hooks); the common case answers False in a few dict
    lookups and the call goes straight to the native module. A Router
    (``error_mocks=False``) lets error-shaped mock strings reach its
    deployments, so they fail over as real errors do."""
    return bool(
        callbacks
        or success_callback
        or failure_callback
        or input_callback
        or _async_success_callback
        or _async_failure_callback
        or cache is not None
        or model_alias_map
        or headers
        or kwargs.get("caching")
        or kwargs.get("cache")
        or kwargs.get("mock_timeout")
        or kwargs.get("mock_tool_calls")
        or (error_mocks and _error_mock(kwargs.get("mock_response")))
    )


def _error_mock(mock):
    """LiteLLM's error-shaped mock strings (``"Exception: ..."``)."""
    return mock.__class__ is str and mock.startswith("Exception")


def completion(model=None, messages=None, **kwargs):
    """LiteLLM's ``completion``: a ``ModelResponse``, or a
    ``CustomStreamWrapper`` with ``stream=True``."""
    if _hooked(kwargs):
        from llmrelay.call_hooks import completion as hooked

        return hooked(model, messages, kwargs)
    return _llmrelay.completion(model, messages, **kwargs)


async def acompletion(model=None, messages=None, **kwargs):
    """LiteLLM's ``acompletion``: ``completion`` for asyncio (``stream=True``
    gives an async iterator)."""
    if _hooked(kwargs):
        from llmrelay.call_hooks import acompletion as hooked

        return await hooked(model, messages, kwargs)
    return await _llmrelay._acompletion(model, messages, **kwargs)


def embedding(model=None, input=None, **kwargs):
    """LiteLLM's ``embedding``: an ``EmbeddingResponse``."""
    if _hooked(kwargs):
        from llmrelay.call_hooks import embedding as hooked

        return hooked(model, input, kwargs)
    return _llmrelay.embedding(model, input, **kwargs)


async def aembedding(model=None, input=None, **kwargs):
    """LiteLLM's ``aembedding``."""
    if _hooked(kwargs):
        from llmrelay.call_hooks import aembedding as hooked

        return await hooked(model, input, kwargs)
    return await _llmrelay._aembedding(model, input, **kwargs)


def _endpoint(call_type, native, model, first, kwargs):
    """A call of another endpoint: straight to the native module, or through
    ``llmrelay.call_hooks`` (callbacks, aliases, headers) when one is set."""
    if _hooked(kwargs):
        from llmrelay.call_hooks import endpoint

        return endpoint(call_type, native, model, first, kwargs)
    return native(model, first, kwargs)


async def _aendpoint(call_type, native, model, first, kwargs):
    """``_endpoint`` for asyncio."""
    if _hooked(kwargs):
        from llmrelay.call_hooks import aendpoint

        return await aendpoint(call_type, native, model, first, kwargs)
    return await native(model, first, kwargs)


def moderation(input=None, model=None, **kwargs):
    """LiteLLM's ``moderation``: OpenAI's moderations endpoint (the default
    model is ``omni-moderation-latest``, as OpenAI's own)."""
    return _endpoint(
        "moderation",
        lambda m, first, kw: _llmrelay._endpoint("moderation", m, first, **kw),
        model or "omni-moderation-latest",
        input,
        kwargs,
    )


async def amoderation(input=None, model=None, **kwargs):
    """LiteLLM's ``amoderation``."""
    return await _aendpoint(
        "amoderation",
        lambda m, first, kw: _llmrelay._aendpoint("moderation", m, first, **kw),
        model or "omni-moderation-latest",
        input,
        kwargs,
    )


def image_generation(prompt=None, model=None, **kwargs):
    """LiteLLM's ``image_generation``: an ``ImageResponse`` (default model
    ``dall-e-2``, as LiteLLM's)."""
    return _endpoint(
        "image_generation",
        lambda m, first, kw: _llmrelay._endpoint("image_generation", m, first, **kw),
        model or "dall-e-2",
        prompt,
        kwargs,
    )


async def aimage_generation(prompt=None, model=None, **kwargs):
    """LiteLLM's ``aimage_generation``."""
    return await _aendpoint(
        "aimage_generation",
        lambda m, first, kw: _llmrelay._aendpoint("image_generation", m, first, **kw),
        model or "dall-e-2",
        prompt,
        kwargs,
    )


def rerank(model=None, query=None, documents=None, return_documents=None, **kwargs):
    """LiteLLM's ``rerank``: a ``RerankResponse`` whose ``results`` are dicts
    (``index``, ``relevance_score``, and ``document`` with ``return_documents=True``,
    even from providers that do not send documents back)."""
    kwargs.update(documents=documents, return_documents=return_documents)
    return _endpoint(
        "rerank", lambda m, first, kw: _llmrelay._endpoint("rerank", m, first, **kw), model or "", query, kwargs
    )


async def arerank(model=None, query=None, documents=None, return_documents=None, **kwargs):
    """LiteLLM's ``arerank``."""
    kwargs.update(documents=documents, return_documents=return_documents)
    return await _aendpoint(
        "arerank", lambda m, first, kw: _llmrelay._aendpoint("rerank", m, first, **kw), model or "", query, kwargs
    )


def responses(input=None, model=None, **kwargs):
    """LiteLLM's ``responses`` (OpenAI's Responses API) for every provider:
    the request runs as a chat call and comes back as a
    ``ResponsesAPIResponse``; ``stream=True`` gives ``response.*`` events.
    ``text_format`` (a pydantic model) asks for structured output."""
    if "text_format" in kwargs:
        kwargs["response_format"] = kwargs.pop("text_format")
    return _endpoint(
        "responses", lambda m, first, kw: _llmrelay.responses(m, first, **kw), model or "", input, kwargs
    )


async def aresponses(input=None, model=None, **kwargs):
    """LiteLLM's ``aresponses`` (``stream=True`` gives an async iterator)."""
    if "text_format" in kwargs:
        kwargs["response_format"] = kwargs.pop("text_format")
    return await _aendpoint(
        "aresponses", lambda m, first, kw: _llmrelay._aresponses(m, first, **kw), model or "", input, kwargs
    )


def register_model(model_cost):
    """LiteLLM's ``register_model``: a dict of LiteLLM-format entries (merged
    over what the catalog knows), or the path of such a JSON file; the
    entries then show in ``llmrelay.model_cost`` too."""
    result = _llmrelay.register_model(model_cost)
    if "model_cost" in globals():  # built already: keep it in step
        from llmrelay.cost_map import sync

        sync(list(model_cost) if isinstance(model_cost, dict) else None)
    return result


def install_as_litellm():
    """Makes ``import litellm`` (and ``litellm.utils``, ``litellm.types.utils``,
    ``litellm.exceptions``...) give llmrelay in this process, the way
    PyMySQL's ``install_as_MySQLdb()`` serves code written for MySQLdb.
    Call it before the code that imports ``litellm``."""
    from llmrelay.litellm_alias import install

    install()
