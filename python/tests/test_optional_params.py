"""get_optional_params: OpenAI parameters checked against the provider's
supported list (UnsupportedParamsError, or dropped with drop_params) and
renamed into each main provider's request fields, with the keys LiteLLM
1.110.2 gives (the compat suite runs the same cases against LiteLLM)."""

import pytest

import llmrelay
from llmrelay import get_optional_params

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "f",
            "description": "d",
            "parameters": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        },
    }
]
EMPTY_TOOL = [{"type": "function", "function": {"name": "g", "parameters": {"type": "object", "properties": {}}}}]
SCHEMA = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
JSON_SCHEMA = {"type": "json_schema", "json_schema": {"name": "out", "schema": SCHEMA}}


def test_openai_keeps_openai_names_and_puts_unknown_fields_in_extra_body():
    got = get_optional_params(model="gpt-4o", custom_llm_provider="openai", temperature=0.2, max_tokens=10, foo="bar")
    assert got == {"temperature": 0.2, "max_tokens": 10, "stream": False, "extra_body": {"foo": "bar"}}
    assert get_optional_params(model="gpt-4o", custom_llm_provider="openai") == {"stream": False, "extra_body": {}}
    merged = get_optional_params(model="gpt-4o", custom_llm_provider="openai", extra_body={"x": 1}, foo=2)
    assert merged["extra_body"] == {"x": 1, "foo": 2}


def test_openai_reasoning_models():
    got = get_optional_params(model="o3-mini", custom_llm_provider="openai", max_tokens=10, reasoning_effort="low")
    assert got == {"max_completion_tokens": 10, "reasoning_effort": "low", "stream": False, "extra_body": {}}
    with pytest.raises(llmrelay.UnsupportedParamsError):
        get_optional_params(model="o3-mini", custom_llm_provider="openai", top_p=0.5)
    with pytest.raises(llmrelay.UnsupportedParamsError, match="temperature"):
        get_optional_params(model="gpt-5", custom_llm_provider="openai", temperature=0.5)
    assert get_optional_params(model="gpt-5", custom_llm_provider="openai", temperature=1)["temperature"] == 1
    assert "temperature" not in get_optional_params(
        model="gpt-5", custom_llm_provider="openai", temperature=0.5, drop_params=True
    )
    with pytest.raises(llmrelay.UnsupportedParamsError, match="reasoning_effort"):
        get_optional_params(model="gpt-4o", custom_llm_provider="openai", reasoning_effort="low")


def test_anthropic_fields():
    got = get_optional_params(
        model="claude-sonnet-4-5", custom_llm_provider="anthropic", temperature=0.2, max_completion_tokens=7,
        stop="x", user="u", tools=TOOLS, tool_choice="required", stream=True, top_k=3,
    )  # fmt: skip
    assert got == {
        "temperature": 0.2,
        "max_tokens": 7,
        "stop_sequences": ["x"],
        "metadata": {"user_id": "u"},
        "tools": [{"name": "f", "input_schema": TOOLS[0]["function"]["parameters"], "type": "custom", "description": "d"}],
        "tool_choice": {"type": "any"},
        "stream": True,
        "top_k": 3,
    }
    named = {"type": "function", "function": {"name": "f"}}
    assert get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", tool_choice=named) == {
        "tool_choice": {"type": "tool", "name": "f"}
    }
    assert get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", parallel_tool_calls=False) == {
        "tool_choice": {"type": "auto", "disable_parallel_tool_use": True}
    }


def test_anthropic_thinking_and_structured_output():
    assert get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", reasoning_effort="high") == {
        "thinking": {"type": "enabled", "budget_tokens": 4096},
        "max_tokens": 8192,
    }
    got = get_optional_params(
        model="claude-sonnet-4-5", custom_llm_provider="anthropic", reasoning_effort="medium", max_tokens=100
    )
    assert got == {"max_tokens": 100, "thinking": {"type": "enabled", "budget_tokens": 2048}}
    got = get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", response_format=JSON_SCHEMA)
    assert got == {"output_format": {"type": "json_schema", "schema": SCHEMA}, "json_mode": True}


def test_unsupported_parameters_raise_or_drop():
    with pytest.raises(llmrelay.UnsupportedParamsError) as err:
        get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", seed=1)
    assert err.value.status_code == 400 and "seed" in str(err.value)
    assert err.value.llm_provider == "anthropic" and err.value.model == "claude-sonnet-4-5"
    dropped = get_optional_params(
        model="claude-sonnet-4-5", custom_llm_provider="anthropic", seed=1, temperature=0.5, drop_params=True
    )
    assert dropped == {"temperature": 0.5}
    # n=1 is OpenAI's default, never an error.
    assert get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", n=1) == {}
    allowed = get_optional_params(
        model="claude-sonnet-4-5", custom_llm_provider="anthropic", seed=1, allowed_openai_params=["seed"]
    )
    assert allowed == {"seed": 1}
    removed = get_optional_params(
        model="gpt-4o", custom_llm_provider="openai", temperature=1, additional_drop_params=["temperature"]
    )
    assert removed == {"stream": False, "extra_body": {}}


def test_the_module_setting_drops_too(monkeypatch):
    monkeypatch.setattr(llmrelay, "drop_params", True)
    assert get_optional_params(model="claude-sonnet-4-5", custom_llm_provider="anthropic", seed=1) == {}


def test_gemini_and_vertex_fields():
    got = get_optional_params(
        model="gemini-2.0-flash", custom_llm_provider="gemini", n=2, stop="x", max_tokens=10, tools=TOOLS,
        tool_choice="auto", response_format={"type": "json_object"}, logprobs=True, user="u",
    )  # fmt: skip
    assert got == {
        "candidate_count": 2,
        "stop_sequences": ["x"],
        "max_output_tokens": 10,
        "tools": [{"function_declarations": [{"name": "f", "description": "d", "parameters": SCHEMA}]}],
        "tool_choice": {"functionCallingConfig": {"mode": "AUTO"}},
        "response_mime_type": "application/json",
        "responseLogprobs": True,
    }
    empty = get_optional_params(model="gemini-2.0-flash", custom_llm_provider="gemini", tools=EMPTY_TOOL)
    assert empty == {"tools": [{"function_declarations": [{"name": "g", "parameters": {"type": "object"}}]}]}
    schema = get_optional_params(model="gemini-2.0-flash", custom_llm_provider="gemini", response_format=JSON_SCHEMA)
    assert schema == {"response_mime_type": "application/json", "response_json_schema": SCHEMA}
    thinking = get_optional_params(model="gemini-2.5-flash", custom_llm_provider="vertex_ai", reasoning_effort="none")
    assert thinking == {"thinkingConfig": {"thinkingBudget": 0, "includeThoughts": False}}
    with pytest.raises(llmrelay.UnsupportedParamsError):
        get_optional_params(model="gemini-2.0-flash", custom_llm_provider="gemini", logit_bias={"1": 1})


def test_bedrock_converse_fields():
    model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    got = get_optional_params(
        model=model, custom_llm_provider="bedrock", top_p=0.9, stop="x", max_tokens=10, tools=TOOLS, tool_choice="required"
    )
    assert got == {
        "stream": False,
        "topP": 0.9,
        "stopSequences": ["x"],
        "maxTokens": 10,
        "tools": TOOLS,
        "tool_choice": {"any": {}},
    }
    with pytest.raises(llmrelay.UnsupportedParamsError, match="tool_choice=none"):
        get_optional_params(model=model, custom_llm_provider="bedrock", tool_choice="none")
    assert get_optional_params(model=model, custom_llm_provider="bedrock", tool_choice="none", drop_params=True) == {
        "stream": False
    }


def test_cohere_fields():
    got = get_optional_params(model="command-r", custom_llm_provider="cohere_chat", top_p=0.9, n=2, stop="x", tool_choice="auto")
    assert got == {"stream": False, "p": 0.9, "num_generations": 2, "stop_sequences": ["x"]}


def test_azure_is_openai_shaped():
    got = get_optional_params(model="my-deployment", custom_llm_provider="azure", temperature=0.2, tools=TOOLS, foo="bar")
    assert got == {"temperature": 0.2, "tools": TOOLS, "stream": False, "extra_body": {"foo": "bar"}}


def test_the_provider_is_found_from_the_model_when_not_given():
    assert get_optional_params(model="anthropic/claude-sonnet-4-5", stop="x") == {"stop_sequences": ["x"]}
