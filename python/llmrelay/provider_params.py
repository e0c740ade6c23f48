"""OpenAI parameters renamed into each main provider's request fields, for
``get_optional_params`` (the names LiteLLM's provider transformations give:
Anthropic's ``stop_sequences`` and ``metadata.user_id``, Gemini's
``max_output_tokens`` and ``functionCallingConfig``, Bedrock Converse's
``maxTokens``/``topP``, Cohere's ``p``/``num_generations``...).

Each mapper takes the parameters already checked against the provider's
supported list and returns a new dict; a parameter a mapper does not know
(one the caller allowed through ``allowed_openai_params``) is kept as is.
"""

from llmrelay import _llmrelay
from llmrelay.exceptions import UnsupportedParamsError
from llmrelay.openai_params import is_o_series

__all__ = ["map_params", "takes_only_default_temperature"]

#: ``reasoning_effort`` as a thinking budget in tokens (the SDK's table).
_THINKING_BUDGET = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192, "max": 16384}

#: What Anthropic adds to ``max_tokens`` when only a thinking budget is given.
_ANSWER_TOKENS = 4096


def map_params(provider, model, params, dropping):
    """``params`` (OpenAI names) as ``provider``'s request fields for ``model``."""
    if provider == "anthropic":
        return _anthropic(model, provider, params)
    if provider in ("gemini", "vertex_ai", "vertex_ai_beta"):
        return _gemini(params)
    if provider == "bedrock":
        return _bedrock(model, provider, params, dropping)
    if provider in ("cohere", "cohere_chat"):
        return _renamed(params, _COHERE, {"stream": False})
    return _openai_like(model, provider, params)


def _renamed(params, fields, out, special=None):
    """``out`` plus each parameter under the provider's name (``fields``:
    OpenAI name -> the provider's, or None to leave it out); a name in
    ``special`` is handled by its function instead, which updates ``out``."""
    for name, value in params.items():
        if special and name in special:
            special[name](out, value)
            continue
        target = fields.get(name, name)
        if target is not None:
            out[target] = _stop_list(value) if name == "stop" else value
    return out


# Each table: OpenAI name -> the provider's field; None for a parameter the
# provider accepts (so it is not rejected) but has no field for, as LiteLLM
# drops it (Gemini and Cohere have no `user`; headers travel with the call).
_NO_FIELD = dict.fromkeys(("stream_options", "max_retries"))

_ANTHROPIC = dict(_NO_FIELD, max_completion_tokens="max_tokens", stop="stop_sequences")
_GEMINI = dict(
    _NO_FIELD, user=None, extra_headers=None, n="candidate_count", stop="stop_sequences",
    max_tokens="max_output_tokens", max_completion_tokens="max_output_tokens", logprobs="responseLogprobs",
    top_logprobs="logprobs",
)  # fmt: skip
_BEDROCK = dict(
    _NO_FIELD, user=None, extra_headers=None, top_p="topP", stop="stopSequences", max_tokens="maxTokens",
    max_completion_tokens="maxTokens",
)  # fmt: skip
_COHERE = dict(
    _NO_FIELD, user=None, extra_headers=None, tool_choice=None, top_p="p", n="num_generations",
    stop="stop_sequences", max_completion_tokens="max_tokens",
)  # fmt: skip


def _stop_list(stop):
    return [stop] if isinstance(stop, str) else list(stop)


def _function(tool):
    """The ``function`` of an OpenAI tool (or a legacy ``functions`` entry)."""
    return tool.get("function", tool) if isinstance(tool, dict) else {}


def _capability(model, provider, key):
    try:
        return _llmrelay.get_model_info(model, custom_llm_provider=provider).get(key) is True
    except Exception:  # a model the catalog does not know has no such capability
        return False


# --- OpenAI, Azure and the OpenAI-compatible rows ---------------------------


def _openai_like(model, provider, params):
    out = {"stream": False}
    out.update(params)
    if takes_only_default_temperature(provider, model) and "max_tokens" in out:
        # OpenAI's reasoning models take only max_completion_tokens.
        out.setdefault("max_completion_tokens", out.pop("max_tokens"))
    row = _llmrelay._provider_info(provider)
    for old, new in (row or {}).get("param_renames", ()):
        if old in out:
            out.setdefault(new, out.pop(old))
    return out


def takes_only_default_temperature(provider, model):
    """OpenAI's reasoning models (o-series, gpt-5 but its chat variants):
    temperature 1 only, and ``max_completion_tokens`` instead of ``max_tokens``."""
    if provider not in ("openai", "azure"):
        return False
    name = model.rsplit("/", 1)[-1]
    return is_o_series(name) or (name.startswith("gpt-5") and "chat" not in name)


# --- Anthropic ---------------------------------------------------------------


def _anthropic(model, provider, params):
    def parallel(out, value):
        if value is False:
            out.setdefault("tool_choice", {"type": "auto"})["disable_parallel_tool_use"] = True

    def thinking(out, value):
        if value in _THINKING_BUDGET:
            out["thinking"] = {"type": "enabled", "budget_tokens": _THINKING_BUDGET[value]}

    special = {
        "user": lambda out, value: out.update(metadata={"user_id": value}),
        "tools": lambda out, value: out.update(tools=[_anthropic_tool(t) for t in value]),
        "tool_choice": lambda out, value: out.update(tool_choice=_anthropic_tool_choice(value)),
        "parallel_tool_calls": parallel,
        "response_format": lambda out, value: out.update(_anthropic_response_format(model, provider, value, out)),
        "reasoning_effort": thinking,
    }
    out = _renamed(params, _ANTHROPIC, {}, special)
    if "thinking" in out and "max_tokens" not in out and out["thinking"].get("type") == "enabled":
        out["max_tokens"] = out["thinking"]["budget_tokens"] + _ANSWER_TOKENS
    return out


def _anthropic_tool(tool):
    fn = _function(tool)
    out = {"name": fn.get("name"), "input_schema": fn.get("parameters") or {"type": "object", "properties": {}}}
    out["type"] = "custom"
    if fn.get("description"):
        out["description"] = fn["description"]
    return out


def _anthropic_tool_choice(choice):
    if isinstance(choice, dict):
        return {"type": "tool", "name": _function(choice).get("name")}
    return {"type": {"required": "any"}.get(choice, choice)}


def _anthropic_response_format(model, provider, fmt, so_far):
    if not isinstance(fmt, dict) or fmt.get("type") not in ("json_object", "json_schema"):
        return {}
    native = _capability(model, provider, "supports_native_structured_output")
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt["type"] == "json_schema" else None
    if schema is None:
        return {"json_mode": True} if native else {}
    if native:
        return {"output_format": {"type": "json_schema", "schema": schema}, "json_mode": True}
    # Older models answer in a forced tool call whose input is the JSON.
    tools = list(so_far.get("tools") or ()) + [{"name": "json_tool_call", "input_schema": schema}]
    return {"tool_choice": {"name": "json_tool_call", "type": "tool"}, "tools": tools, "json_mode": True}


# --- Gemini and Vertex AI -------------------------------------------------------


def _gemini(params):
    def declarations(out, value):
        out["tools"] = [{"function_declarations": [_gemini_declaration(t) for t in value]}]

    def thinking(out, value):
        if value == "none":
            out["thinkingConfig"] = {"thinkingBudget": 0, "includeThoughts": False}
        elif value in _THINKING_BUDGET:
            out["thinkingConfig"] = {"thinkingBudget": _THINKING_BUDGET[value], "includeThoughts": True}

    special = {
        "tools": declarations,
        "functions": declarations,
        "tool_choice": lambda out, value: out.update(tool_choice={"functionCallingConfig": _gemini_calling_config(value)}),
        "response_format": lambda out, value: out.update(_gemini_response_format(value)),
        "reasoning_effort": thinking,
    }
    return _renamed(params, _GEMINI, {}, special)


def _gemini_declaration(tool):
    fn = _function(tool)
    out = {"name": fn.get("name")}
    if fn.get("description"):
        out["description"] = fn["description"]
    if "parameters" in fn:
        out["parameters"] = _gemini_schema(fn["parameters"])
    return out


def _gemini_schema(schema):
    """Gemini rejects an empty ``properties`` object: it is left out."""
    if not isinstance(schema, dict):
        return schema
    return {k: _gemini_schema(v) for k, v in schema.items() if not (k == "properties" and v == {})}


def _gemini_calling_config(choice):
    if isinstance(choice, dict):
        return {"mode": "ANY", "allowed_function_names": [_function(choice).get("name")]}
    return {"mode": {"required": "ANY"}.get(choice, str(choice).upper())}


def _gemini_response_format(fmt):
    if not isinstance(fmt, dict) or fmt.get("type") not in ("json_object", "json_schema"):
        return {}
    out = {"response_mime_type": "application/json"}
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt["type"] == "json_schema" else None
    if schema is not None:
        out["response_json_schema"] = schema
    return out


# --- Bedrock (Converse) ----------------------------------------------------------


def _bedrock(model, provider, params, dropping):
    def tool_choice(out, value):
        choice = _bedrock_tool_choice(provider, model, value, dropping)
        if choice is not None:
            out["tool_choice"] = choice

    def parallel(out, value):
        if value is False:
            out["_parallel_tool_use_config"] = {"tool_choice": {"type": "auto", "disable_parallel_tool_use": True}}

    def thinking(out, value):
        if value in _THINKING_BUDGET:
            out["thinking"] = {"type": "enabled", "budget_tokens": _THINKING_BUDGET[value]}

    special = {
        "tool_choice": tool_choice,
        "response_format": lambda out, value: out.update(_bedrock_response_format(value, out)),
        "parallel_tool_calls": parallel,
        "reasoning_effort": thinking,
    }
    return _renamed(params, _BEDROCK, {"stream": False}, special)


def _bedrock_tool_choice(provider, model, choice, dropping):
    if isinstance(choice, dict):
        return {"tool": {"name": _function(choice).get("name")}}
    if choice == "none":
        # Converse has no way to forbid tool calls.
        if dropping:
            return None
        raise UnsupportedParamsError(
            "Bedrock doesn't support tool_choice=none. To drop it from the call, set `llmrelay.drop_params = True`.",
            llm_provider=provider,
            model=model,
        )
    return {"required": {"any": {}}}.get(choice, {"auto": {}})


def _bedrock_response_format(fmt, so_far):
    if not isinstance(fmt, dict) or fmt.get("type") not in ("json_object", "json_schema"):
        return {}
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt["type"] == "json_schema" else None
    if schema is None:
        return {"json_mode": True}
    tool = {"type": "function", "function": {"name": "json_tool_call", "parameters": schema}}
    return {
        "tools": list(so_far.get("tools") or ()) + [tool],
        "tool_choice": {"tool": {"name": "json_tool_call"}},
        "json_mode": True,
    }
