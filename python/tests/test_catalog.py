"""Catalog, cost and token helpers (values checked against LiteLLM in
test_litellm_parity.py)."""

import json

import pytest

import llmrelay


def test_get_model_info_and_max_tokens():
    info = llmrelay.get_model_info("gpt-4o")
    assert info["litellm_provider"] == "openai" and info["mode"] == "chat"
    assert info["max_input_tokens"] == 128000 and info["input_cost_per_token"] == 2.5e-6
    assert info["supports_vision"] is True
    assert llmrelay.get_model_info("gpt-4o", custom_llm_provider="openai")["key"]
    assert llmrelay.get_max_tokens("gpt-4o") == 16384


def test_supports_functions():
    assert llmrelay.supports_function_calling("gpt-4o")
    assert llmrelay.supports_vision("gpt-4o")
    assert llmrelay.supports_response_schema("gpt-4o")
    assert llmrelay.supports_prompt_caching("gpt-4o")
    assert not llmrelay.supports_reasoning("gpt-4o")


def test_get_llm_provider_is_litellms_four_tuple(monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gk")
    assert llmrelay.get_llm_provider("gpt-4o") == ("gpt-4o", "openai", None, None)
    model, provider, key, base = llmrelay.get_llm_provider("groq/llama-3.3-70b-versatile")
    assert (model, provider, key) == ("llama-3.3-70b-versatile", "groq", "gk")
    assert base.startswith("https://api.groq.com")
    assert llmrelay.get_llm_provider("foo", custom_llm_provider="openai")[:2] == ("foo", "openai")
    assert llmrelay.get_llm_provider("gpt-4o", api_base="http://x", api_key="k") == ("gpt-4o", "openai", "k", "http://x")
    with pytest.raises(llmrelay.BadRequestError):
        llmrelay.get_llm_provider("claud-3-5-sonet")


def test_model_cost_mapping():
    cost = llmrelay.model_cost
    assert len(cost) > 4000
    assert "gpt-4o" in cost and "nope" not in cost
    assert cost["gpt-4o"]["input_cost_per_token"] == 2.5e-6
    assert cost.get("nope") is None
    keys = list(cost)
    assert len(keys) == len(cost) and "gpt-4o" in keys
    with pytest.raises(KeyError):
        cost["nope"]


def test_register_model(tmp_path):
    llmrelay.register_model(
        {"my-test-model": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6,
                           "output_cost_per_token": 2e-6, "max_input_tokens": 1000, "max_tokens": 10}}
    )
    assert llmrelay.cost_per_token(model="my-test-model", prompt_tokens=10, completion_tokens=10) == pytest.approx((1e-5, 2e-5))
    assert "my-test-model" in llmrelay.model_cost
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"my-file-model": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 3e-6}}))
    llmrelay.register_model(str(path))
    assert llmrelay.get_model_info("my-file-model")["input_cost_per_token"] == 3e-6
    with pytest.raises(ValueError):
        llmrelay.register_model("https://example.invalid/map.json")


def test_cost_per_token():
    prompt, completion = llmrelay.cost_per_token(model="gpt-4o", prompt_tokens=1000, completion_tokens=500)
    assert prompt == pytest.approx(0.0025) and completion == pytest.approx(0.005)
    cached, _ = llmrelay.cost_per_token(model="gpt-4o", prompt_tokens=1000, completion_tokens=0, cache_read_input_tokens=1000)
    assert cached == pytest.approx(1000 * 1.25e-6)
    assert llmrelay.cost_per_token(
        model="x", prompt_tokens=10, completion_tokens=10,
        custom_cost_per_token={"input_cost_per_token": 1.0, "output_cost_per_token": 2.0},
    ) == (10.0, 20.0)
    assert llmrelay.cost_per_token(model="gpt-4o", prompt_tokens=1000, completion_tokens=0, service_tier="priority")[0] == pytest.approx(1000 * 4.25e-6)


def test_completion_cost():
    r = llmrelay.completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], mock_response="x")
    assert llmrelay.completion_cost(r) == pytest.approx(r._hidden_params["response_cost"])
    assert llmrelay.completion_cost(completion_response=r.model_dump()) == pytest.approx(r._hidden_params["response_cost"])
    assert llmrelay.completion_cost(r, model="gpt-4o-mini") < llmrelay.completion_cost(r)
    by_text = llmrelay.completion_cost(model="gpt-4o", prompt="hello world", completion="hi")
    assert by_text == pytest.approx(2 * 2.5e-6 + 1 * 1e-5)


def test_tokens():
    assert llmrelay.token_counter(model="gpt-4o", text="hello world") == 2
    assert llmrelay.token_counter(model="gpt-4o", messages=[{"role": "user", "content": "hi"}]) == 8
    ids = llmrelay.encode(model="gpt-4o", text="hello world")
    assert ids == [24912, 2375]
    assert llmrelay.decode(model="gpt-4o", tokens=ids) == "hello world"
    assert llmrelay.token_counter(model="gpt-4o", text="x" * 200_000) > 0
    with pytest.raises(ValueError):
        llmrelay.token_counter(model="gpt-4o")
