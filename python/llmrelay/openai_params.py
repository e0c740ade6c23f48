"""Which OpenAI parameters a model takes: LiteLLM's
``OPENAI_CHAT_COMPLETION_PARAMS`` and ``get_supported_openai_params``.

For an OpenAI-compatible provider the answer is OpenAI's chat parameters
less the ones the catalog marks unsupported for it; for a provider with its
own adapter it is the set that adapter translates (the tables below)."""

from llmrelay import _llmrelay

__all__ = ["OPENAI_CHAT_COMPLETION_PARAMS", "get_supported_openai_params"]

#: LiteLLM's list, in LiteLLM's order (``temperature`` twice included, as
#: libraries compare against it verbatim).
OPENAI_CHAT_COMPLETION_PARAMS = [
    "functions", "function_call", "temperature", "temperature", "top_p", "n", "stream", "stream_options",
    "stop", "max_completion_tokens", "modalities", "prediction", "audio", "max_tokens", "presence_penalty",
    "frequency_penalty", "logit_bias", "user", "request_timeout", "api_base", "api_version", "api_key",
    "deployment_id", "organization", "base_url", "default_headers", "timeout", "response_format", "seed",
    "tools", "tool_choice", "max_retries", "parallel_tool_calls", "logprobs", "top_logprobs",
    "reasoning_effort", "extra_headers", "thinking", "web_search_options",
    "include_server_side_tool_invocations", "service_tier", "prompt_cache_key", "prompt_cache_retention",
    "safety_identifier", "verbosity", "store",
]  # fmt: skip

#: What an OpenAI chat model takes (LiteLLM's answer for ``openai``).
_OPENAI_CHAT = [
    "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "max_tokens", "max_completion_tokens",
    "modalities", "prediction", "n", "presence_penalty", "seed", "stop", "stream", "stream_options",
    "temperature", "top_p", "tools", "tool_choice", "function_call", "functions", "max_retries",
    "extra_headers", "parallel_tool_calls", "audio", "web_search_options", "service_tier",
    "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "store", "response_format", "user",
]  # fmt: skip

#: What the SDK's own adapters translate, per provider.
_ADAPTERS = {
    "anthropic": [
        "stream", "stop", "temperature", "top_p", "max_tokens", "max_completion_tokens", "tools",
        "tool_choice", "extra_headers", "parallel_tool_calls", "response_format", "user", "reasoning_effort",
        "thinking",
    ],
    "gemini": [
        "temperature", "top_p", "max_tokens", "max_completion_tokens", "stream", "tools", "tool_choice",
        "functions", "response_format", "n", "stop", "logprobs", "frequency_penalty", "presence_penalty",
        "seed", "parallel_tool_calls", "reasoning_effort",
    ],
    "bedrock": [
        "max_tokens", "max_completion_tokens", "stream", "stream_options", "stop", "temperature", "top_p",
        "extra_headers", "response_format", "tools", "tool_choice", "reasoning_effort",
    ],
    "cohere_chat": [
        "stream", "temperature", "max_tokens", "max_completion_tokens", "top_p", "frequency_penalty",
        "presence_penalty", "stop", "n", "tools", "tool_choice", "seed", "extra_headers", "response_format",
    ],
}  # fmt: skip
# Vertex AI also takes extra headers and top_logprobs (Gemini's API does not).
_ADAPTERS["vertex_ai"] = _ADAPTERS["gemini"] + ["extra_headers", "top_logprobs"]
_ADAPTERS["cohere"] = _ADAPTERS["cohere_chat"]

_EMBEDDING = ["dimensions", "encoding_format", "user", "extra_headers"]

#: Providers whose ``reasoning_effort`` (and ``thinking``) depends on the model.
_REASONING_BY_MODEL = ("openai", "azure", "anthropic", "gemini", "vertex_ai", "bedrock")

#: What OpenAI's o-series reasoning models reject.
_O_SERIES_UNSUPPORTED = frozenset(
    ("top_p", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "parallel_tool_calls")
)


def get_supported_openai_params(model, custom_llm_provider=None, request_type="chat_completion", base_model=None):
    """The OpenAI parameters ``model`` takes (a list), or None when no
    provider serves it, as in LiteLLM."""
    if custom_llm_provider is None:
        try:
            custom_llm_provider = _llmrelay.get_llm_provider(model)[1]
        except Exception:  # no provider serves the model: LiteLLM answers None
            return None
    if request_type == "embeddings":
        return list(_EMBEDDING)
    if request_type != "chat_completion":
        return None
    if custom_llm_provider in _ADAPTERS:
        params = list(_ADAPTERS[custom_llm_provider])
    else:
        row = _llmrelay._provider_info(custom_llm_provider)
        if row is None:
            return None
        unsupported = set(row["unsupported_params"])
        params = [p for p in _OPENAI_CHAT if p not in unsupported]
    if custom_llm_provider in _REASONING_BY_MODEL:
        params = _for_model(base_model or model, custom_llm_provider, params)
    return params


def _for_model(model, provider, params):
    """The provider's list narrowed (or widened) by what ``model`` is: only
    a reasoning model takes ``reasoning_effort``/``thinking``; OpenAI's
    o-series rejects the sampling penalties and logprobs, as in LiteLLM."""
    try:
        reasons = _llmrelay.supports_reasoning(model, custom_llm_provider=provider)
    except Exception:  # unknown to the catalog: no reasoning parameters
        reasons = False
    if reasons:
        extra = ["reasoning_effort"] + (["thinking"] if provider == "anthropic" else [])
        params = params + [p for p in extra if p not in params]
    else:
        params = [p for p in params if p not in ("reasoning_effort", "thinking")]
    if provider in ("openai", "azure") and is_o_series(model):
        params = [p for p in params if p not in _O_SERIES_UNSUPPORTED]
    return params


def is_o_series(model):
    """OpenAI's o1/o3/o4... reasoning models (by name, as LiteLLM tells them)."""
    name = model.rsplit("/", 1)[-1]
    return len(name) > 1 and name[0] == "o" and name[1].isdigit()
