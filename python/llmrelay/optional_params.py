"""LiteLLM's ``get_optional_params``: the OpenAI parameters of a call,
checked against what the provider takes and renamed into the provider's own
request fields, as LiteLLM builds them for its provider transformations.

The check reuses ``get_supported_openai_params`` (the adapters' lists and
the catalog's provider rows) and the ``drop_params`` rule the SDK applies:
a parameter the provider does not take is dropped under ``drop_params``,
otherwise ``UnsupportedParamsError`` names it. The mapping into each main
provider's field names (Anthropic, Gemini / Vertex AI, Bedrock Converse,
Cohere; OpenAI, Azure and the OpenAI-compatible providers keep OpenAI's
names, with the catalog's renames) lives in ``llmrelay.provider_params``.
"""

import llmrelay
from llmrelay import _llmrelay
from llmrelay.exceptions import UnsupportedParamsError
from llmrelay.openai_params import get_supported_openai_params

__all__ = ["get_optional_params"]

#: The OpenAI parameters of ``get_optional_params``' signature, in its order
#: (what LiteLLM compares with its defaults to find the caller's values).
_OPENAI_PARAMS = (
    "functions", "function_call", "temperature", "top_p", "n", "stream", "stream_options", "stop",
    "max_tokens", "max_completion_tokens", "modalities", "prediction", "audio", "presence_penalty",
    "frequency_penalty", "logit_bias", "user", "response_format", "seed", "tools", "tool_choice",
    "max_retries", "logprobs", "top_logprobs", "extra_headers", "parallel_tool_calls", "reasoning_effort",
    "verbosity", "thinking", "web_search_options", "safety_identifier", "store", "prompt_cache_key",
)  # fmt: skip

#: Parameters LiteLLM never rejects: a provider without them drops them.
_UNVALIDATED = frozenset(("user", "stream_options", "stream", "max_retries"))

#: What never travels in ``extra_body`` (the model is routed, not sent there).
_NOT_FORWARDED = frozenset(("model",))


def get_optional_params(
    model,
    functions=None,
    function_call=None,
    temperature=None,
    top_p=None,
    n=None,
    stream=False,
    stream_options=None,
    stop=None,
    max_tokens=None,
    max_completion_tokens=None,
    modalities=None,
    prediction=None,
    audio=None,
    presence_penalty=None,
    frequency_penalty=None,
    logit_bias=None,
    user=None,
    custom_llm_provider="",
    response_format=None,
    seed=None,
    tools=None,
    tool_choice=None,
    max_retries=None,
    logprobs=None,
    top_logprobs=None,
    extra_headers=None,
    api_version=None,
    parallel_tool_calls=None,
    drop_params=None,
    allowed_openai_params=None,
    reasoning_effort=None,
    verbosity=None,
    additional_drop_params=None,
    messages=None,
    thinking=None,
    web_search_options=None,
    safety_identifier=None,
    store=None,
    prompt_cache_key=None,
    base_model=None,
    model_info=None,
    **kwargs,
):
    """The provider's request fields for these OpenAI parameters (a dict),
    as LiteLLM's ``get_optional_params`` returns them; a parameter the
    provider does not take raises ``UnsupportedParamsError`` unless
    ``drop_params`` (the argument or ``llmrelay.drop_params``) is true, or
    the caller lists it in ``allowed_openai_params``."""
    passed = dict(locals())
    extras = passed.pop("kwargs")
    provider = custom_llm_provider or _provider_of(model)
    dropping = _truthy(drop_params) or llmrelay.drop_params is True
    removed = set(p for p in additional_drop_params or () if isinstance(p, str))

    given = {
        name: passed[name]
        for name in _OPENAI_PARAMS
        if passed[name] is not None and not (name == "stream" and passed[name] is False) and name not in removed
    }
    allowed = list(allowed_openai_params or ())
    supported = set(
        get_supported_openai_params(model, provider, base_model=base_model)
        or get_supported_openai_params(model, "openai")
        or ()
    )
    supported.update(allowed)
    rejected = [
        name
        for name in given
        if name not in supported and name not in _UNVALIDATED and not (name == "n" and n == 1)
    ]
    if rejected and not dropping:
        raise UnsupportedParamsError(
            "%s does not support parameters: %r, for model=%s. To drop these, set `llmrelay.drop_params=True`"
            " or pass drop_params=True; to send them anyway, pass allowed_openai_params=%r."
            % (provider, rejected, model, rejected),
            llm_provider=provider,
            model=model,
        )
    # A parameter the provider does not take is sent only when allowed.
    kept = {name: value for name, value in given.items() if name in supported}

    from llmrelay.provider_params import map_params, takes_only_default_temperature

    if kept.get("temperature", 1) != 1 and takes_only_default_temperature(provider, base_model or model):
        if not dropping:
            raise UnsupportedParamsError(
                "%s doesn't support temperature=%s: only temperature=1 is supported. To drop it, set"
                " `llmrelay.drop_params=True`." % (model, kept["temperature"]),
                llm_provider=provider,
                model=model,
            )
        del kept["temperature"]
    optional = map_params(provider, base_model or model, kept, dropping)

    extra_body = dict(extras.pop("extra_body", None) or {})
    extras = {k: v for k, v in extras.items() if v is not None and k not in removed}
    if _through_openai_sdk(provider):
        # OpenAI's SDK takes unknown fields only inside extra_body.
        body = dict(extra_body)
        body.update(extras)
        optional["extra_body"] = {k: v for k, v in body.items() if k not in _NOT_FORWARDED and k not in removed}
    else:
        if extra_body:
            optional["extra_body"] = extra_body
        optional.update(extras)
    for name in allowed:
        if name not in optional and name in given:
            optional[name] = given[name]
    return optional


def _truthy(flag):
    """``drop_params`` as deployments write it (a bool, or "true" from YAML)."""
    if isinstance(flag, str):
        return flag.strip().lower() == "true"
    return flag is True


def _provider_of(model):
    try:
        return _llmrelay.get_llm_provider(model)[1]
    except Exception:  # an unknown model: mapped as an OpenAI-compatible one, as LiteLLM does
        return "openai"


def _through_openai_sdk(provider):
    """Providers LiteLLM calls through OpenAI's SDK: OpenAI, Azure and the
    OpenAI-compatible rows (their unknown fields travel in ``extra_body``)."""
    if provider in ("openai", "azure", "text-completion-openai"):
        return True
    row = _llmrelay._provider_info(provider)
    return row is None or bool(row["openai_compatible"])
