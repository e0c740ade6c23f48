"""LiteLLM's ``litellm.utils`` path: the names code imports from it, each
defined elsewhere in llmrelay (this module only points at them; llmrelay has
no god-module). Names load on first use, so ``from llmrelay.utils import
trim_messages`` loads the one module that defines it."""

from llmrelay import (  # noqa: F401  (the native names cost nothing more to name here)
    CustomStreamWrapper,
    ModelResponse,
    ModelResponseStream,
    TextChoices,
    TextCompletionResponse,
    completion_cost,
    cost_per_token,
    decode,
    encode,
    get_llm_provider,
    get_max_tokens,
    get_model_info,
    register_model,
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
from llmrelay.exceptions import (  # noqa: F401  (LiteLLM code imports them from utils)
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnsupportedParamsError,
)

#: name -> the llmrelay module that defines it.
_HOMES = {
    "check_valid_key": "llmrelay.environment",
    "get_secret": "llmrelay.environment",
    "get_secret_bool": "llmrelay.environment",
    "validate_environment": "llmrelay.environment",
    "function_to_dict": "llmrelay.messages",
    "trim_messages": "llmrelay.messages",
    "get_model_cost_map": "llmrelay.model_lists",
    "get_valid_models": "llmrelay.model_lists",
    "get_supported_openai_params": "llmrelay.openai_params",
    "convert_to_model_response_object": "llmrelay.response_objects",
    "get_optional_params": "llmrelay.optional_params",
    "get_modified_max_tokens": "llmrelay.output_limits",
    "create_pretrained_tokenizer": "llmrelay.custom_tokenizers",
    "create_tokenizer": "llmrelay.custom_tokenizers",
}
_HOMES.update(
    dict.fromkeys(
        "ChatCompletionDeltaToolCall ChatCompletionMessageToolCall Choices Delta Embedding EmbeddingResponse "
        "Function Message StreamingChoices Usage".split(),
        "llmrelay.types.utils",
    )
)


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))
