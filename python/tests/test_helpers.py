"""LiteLLM's helpers, constants and settings that need no provider call."""

import json

import pytest

import llmrelay
from llmrelay.utils import function_to_dict, trim_messages

MESSAGES = [{"role": "user", "content": "hi"}]


def test_trim_messages_keeps_system_and_newest_within_the_limit():
    long = [{"role": "system", "content": "Be terse."}] + [
        {"role": "user" if i % 2 == 0 else "assistant", "content": "message %d " % i + "word " * 50} for i in range(20)
    ]
    original = json.dumps(long)
    trimmed = trim_messages(long, model="gpt-4o", max_tokens=200)
    assert json.dumps(long) == original, "the input list was modified"
    assert trimmed[0] == {"role": "system", "content": "Be terse."}
    assert trimmed[-1]["content"] == long[-1]["content"]
    assert llmrelay.token_counter(model="gpt-4o", messages=trimmed) <= 200
    assert len(trimmed) < len(long)


def test_trim_messages_returns_response_tokens_and_keeps_tool_tail():
    msgs = [{"role": "user", "content": "word " * 400}, {"role": "tool", "tool_call_id": "1", "content": "42"}]
    trimmed, left = trim_messages(msgs, model="gpt-4o", max_tokens=100, return_response_tokens=True)
    assert trimmed[-1] == msgs[-1]
    assert ".." in trimmed[0]["content"]
    # LiteLLM counts the kept tool results against the limit too.
    assert left == 100 - llmrelay.token_counter(model="gpt-4o", messages=trimmed)


def test_trim_messages_leaves_unknown_models_alone():
    assert trim_messages(MESSAGES, model="no-such-model") == MESSAGES


def test_function_to_dict_reads_signature_and_numpy_docstring():
    def get_weather(city: str, unit: str = "c", days: int = 1):
        """Get the weather.

        Parameters
        ----------
        city : str
            The city name.
        unit : {'c', 'f'}
            Temperature unit.
        """

    spec = function_to_dict(get_weather)
    assert spec["name"] == "get_weather" and spec["description"] == "Get the weather."
    props = spec["parameters"]["properties"]
    assert props["city"] == {"type": "string", "description": "The city name."}
    assert props["unit"]["type"] == "string" and sorted(eval(props["unit"]["enum"])) == ["c", "f"]
    assert props["days"] == {"type": "integer"}
    assert spec["parameters"]["required"] == ["city"]


def test_validate_environment(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert llmrelay.validate_environment("gpt-4o") == {"keys_in_environment": False, "missing_keys": ["OPENAI_API_KEY"]}
    assert llmrelay.validate_environment("gpt-4o", api_key="sk-x")["keys_in_environment"] is True
    monkeypatch.setenv("GROQ_API_KEY", "gsk")
    assert llmrelay.validate_environment("groq/llama3-8b-8192") == {"keys_in_environment": True, "missing_keys": []}
    missing = llmrelay.validate_environment("azure/gpt-4o")["missing_keys"]
    assert missing == ["AZURE_API_BASE", "AZURE_API_VERSION", "AZURE_API_KEY"]


def test_secrets(monkeypatch):
    monkeypatch.setenv("FLAG_ON", "True")
    monkeypatch.setenv("FLAG_ODD", "maybe")
    assert llmrelay.get_secret("os.environ/FLAG_ON") is True
    assert llmrelay.get_secret("FLAG_ODD") == "maybe"
    assert llmrelay.get_secret("UNSET_VAR_X", default_value="d") == "d"
    assert llmrelay.get_secret_bool("FLAG_ON") is True
    assert llmrelay.get_secret_bool("FLAG_ODD") is None
    assert llmrelay.get_secret_bool("UNSET_VAR_X") is None
    with pytest.raises(ValueError, match="OIDC"):
        llmrelay.get_secret("oidc/google/aud")


def test_supported_params_come_from_the_catalog_and_adapters():
    openai = llmrelay.get_supported_openai_params("gpt-4o")
    assert "response_format" in openai and "tools" in openai
    anthropic = llmrelay.get_supported_openai_params("claude-3-haiku-20240307", custom_llm_provider="anthropic")
    assert "tools" in anthropic and "logit_bias" not in anthropic
    assert llmrelay.get_supported_openai_params("no-such-model-anywhere") is None
    assert llmrelay.OPENAI_CHAT_COMPLETION_PARAMS[:3] == ["functions", "function_call", "temperature"]


def test_model_lists_are_built_once_and_mutable():
    assert "gpt-4o" in llmrelay.model_list
    assert "openai" in llmrelay.provider_list and "anthropic" in llmrelay.provider_list
    assert "gpt-4o" in llmrelay.models_by_provider["openai"]
    llmrelay.model_list.append("my-own-model")
    assert "my-own-model" in llmrelay.model_list
    llmrelay.model_list.remove("my-own-model")
    cost_map = llmrelay.get_model_cost_map(url="https://example.invalid/never-fetched.json")
    assert cost_map["gpt-4o"]["litellm_provider"] == "openai"


def test_get_valid_models_follows_the_environment(monkeypatch):
    for name in list(__import__("os").environ):
        if name.endswith("_API_KEY"):
            monkeypatch.delenv(name)
    assert llmrelay.get_valid_models() == []
    monkeypatch.setenv("OPENAI_API_KEY", "sk")
    valid = llmrelay.get_valid_models()
    assert "gpt-4o" in valid and not any(m.startswith("claude") for m in valid)


def test_settings_exist_with_litellm_defaults():
    assert llmrelay.success_callback == [] and llmrelay.failure_callback == [] and llmrelay.callbacks == []
    assert llmrelay.input_callback == [] and llmrelay.model_alias_map == {}
    assert llmrelay.set_verbose is False and llmrelay.suppress_debug_info is False
    assert llmrelay.request_timeout == 6000.0 and llmrelay.cache is None and llmrelay.headers is None
    assert llmrelay.model_fallbacks is None and llmrelay.use_litellm_proxy is False


def test_model_alias_map_and_module_headers(fake, monkeypatch):
    monkeypatch.setattr(llmrelay, "model_alias_map", {"my-alias": "openai/echo", "hdr": "openai/echo-headers"})
    monkeypatch.setattr(llmrelay, "headers", {"x-team": "blue", "x-both": "module"})
    r = llmrelay.completion(model="my-alias", messages=MESSAGES, api_base=fake.base_url, num_retries=0)
    body = json.loads(r.choices[0].message.content)
    assert body["model"] == "echo"
    r = llmrelay.completion(
        model="hdr", messages=MESSAGES, api_base=fake.base_url, num_retries=0, extra_headers={"x-both": "call"}
    )
    sent = json.loads(r.choices[0].message.content)
    assert sent["x-team"] == "blue" and sent["x-both"] == "call", "the call's header wins over the module's"


def test_litellm_own_keywords_are_consumed_not_forwarded(fake):
    r = llmrelay.completion(
        model="openai/echo",
        messages=MESSAGES,
        api_base=fake.base_url,
        num_retries=0,
        retry_strategy="exponential_backoff_retry",
        ttl=60,
        langfuse_public_key="pk",
        input_cost_per_token=1e-6,
        model_alias_map={},
        prompt_id="p1",
        top_k=3,
        prompt_cache_key="k",
    )
    body = json.loads(r.choices[0].message.content)
    for own in ("retry_strategy", "ttl", "langfuse_public_key", "input_cost_per_token", "model_alias_map", "prompt_id"):
        assert own not in body, own
    assert body["top_k"] == 3 and body["prompt_cache_key"] == "k"


def test_mock_timeout_raises_timeout():
    with pytest.raises(llmrelay.Timeout, match="mock timeout"):
        llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="x", mock_timeout=True, timeout=0.01)


def test_mock_tool_calls():
    calls = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="x", mock_tool_calls=calls)
    assert r.choices[0].message.tool_calls[0].function.name == "f"
    assert r.choices[0].finish_reason == "tool_calls"


def test_response_cost_calculator():
    from llmrelay.cost_calculator import response_cost_calculator

    r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="hello")
    assert response_cost_calculator(r, model="gpt-4o") == pytest.approx(r._hidden_params["response_cost"])
    assert response_cost_calculator(r, model="gpt-4o", cache_hit=True) == 0.0
    assert response_cost_calculator(r, model="no-such-model-x") is None


def test_model_cost_is_a_mutable_dict_built_on_first_read(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import sys, llmrelay; print('llmrelay.cost_map' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "False", "import llmrelay built model_cost"
    cost = llmrelay.model_cost
    assert isinstance(cost, dict) and cost["gpt-4o"]["litellm_provider"] == "openai"
    cost["dict-assigned-model"] = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 4e-6,
                                   "output_cost_per_token": 8e-6}
    assert llmrelay.cost_per_token(model="dict-assigned-model", prompt_tokens=10, completion_tokens=10) == pytest.approx(
        (4e-5, 8e-5)
    )
    assert json.loads(json.dumps(cost))["dict-assigned-model"]["input_cost_per_token"] == 4e-6
    assert cost.pop("dict-assigned-model")["mode"] == "chat" and "dict-assigned-model" not in cost
    llmrelay.register_model({"registered-model": {"litellm_provider": "openai", "mode": "chat",
                                                  "input_cost_per_token": 1e-6}})
    assert cost["registered-model"]["input_cost_per_token"] == 1e-6
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"file-model-x": {"litellm_provider": "openai", "mode": "chat"}}))
    llmrelay.register_model(str(path))
    assert "file-model-x" in llmrelay.model_cost


def test_check_valid_key(fake, monkeypatch):
    monkeypatch.setattr(llmrelay, "api_base", fake.base_url)
    monkeypatch.setattr(llmrelay, "num_retries", 0)
    assert llmrelay.check_valid_key(model="openai/plain", api_key="sk-good") is True
    assert llmrelay.check_valid_key(model="openai/status-401", api_key="sk-bad") is False
