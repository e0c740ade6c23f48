"""completion / embedding against the testkit's fake OpenAI upstream and the
scripted fake: kwargs, streaming, fallbacks, module settings."""

import json

import pytest

import llmrelay

MESSAGES = [{"role": "user", "content": "hi"}]


def echo(fake, **kwargs):
    r = llmrelay.completion(model="openai/echo", messages=MESSAGES, api_base=fake.base_url, num_retries=0, **kwargs)
    return json.loads(r.choices[0].message.content)


def test_completion_against_the_fake_upstream(mock_server):
    r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=mock_server)
    assert r.choices[0].message.content
    assert r.usage.total_tokens > 0
    assert r._hidden_params["response_cost"] > 0
    assert r._hidden_params["api_base"] == mock_server


def test_litellm_keyword_arguments_reach_the_body(fake):
    body = echo(
        fake,
        temperature=0.2,
        max_tokens=7,
        top_p=0.9,
        stop=["x"],
        seed=3,
        user="u1",
        tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}],
        tool_choice="auto",
        response_format={"type": "json_object"},
        some_provider_param={"a": 1},
        extra_body={"top_k": 5},
        metadata={"trace": "not sent"},
        litellm_call_id="not sent",
        caching=False,
        temperature_none=None,
    )
    assert body["model"] == "echo"
    assert body["temperature"] == 0.2 and body["max_tokens"] == 7 and body["seed"] == 3
    assert body["stop"] == ["x"] and body["user"] == "u1" and body["top_p"] == 0.9
    assert body["tools"][0]["function"]["name"] == "f" and body["tool_choice"] == "auto"
    assert body["response_format"] == {"type": "json_object"}
    assert body["some_provider_param"] == {"a": 1} and body["top_k"] == 5
    for absent in ("metadata", "litellm_call_id", "caching", "temperature_none", "api_base", "num_retries"):
        assert absent not in body


def test_custom_llm_provider_and_headers(fake):
    r = llmrelay.completion(
        model="echo",
        custom_llm_provider="openai",
        messages=MESSAGES,
        api_base=fake.base_url,
        extra_headers={"x-test": "1"},
    )
    assert json.loads(r.choices[0].message.content)["model"] == "echo"


def test_stream_against_the_fake_upstream(mock_server):
    stream = llmrelay.completion(
        model="gpt-4o", messages=MESSAGES, api_base=mock_server, stream=True, stream_options={"include_usage": True}
    )
    assert isinstance(stream, llmrelay.CustomStreamWrapper)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text
    assert chunks[-1].usage.total_tokens > 0
    built = llmrelay.stream_chunk_builder(chunks)
    assert built.choices[0].message.content == text
    assert list(stream) == []  # exhausted


def test_stream_closes_early(mock_server):
    with llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=mock_server, stream=True) as stream:
        first = next(iter(stream))
        assert first.choices[0].delta.role == "assistant"
    with pytest.raises(StopIteration):
        next(stream)


def test_embedding_against_the_fake_upstream(mock_server):
    e = llmrelay.embedding(model="text-embedding-3-small", input=["a", "b"], api_base=mock_server)
    assert len(e.data) == 2 and len(e.data[1].embedding) > 0
    assert e.usage.prompt_tokens > 0
    assert e._hidden_params["response_cost"] > 0


def test_fallbacks_try_the_next_model(fake):
    r = llmrelay.completion(
        model="openai/status-500", messages=MESSAGES, api_base=fake.base_url, num_retries=0, fallbacks=["openai/echo"]
    )
    assert json.loads(r.choices[0].message.content)["model"] == "echo"


def test_retries_recover(fake):
    r = llmrelay.completion(model="openai/flaky-a", messages=MESSAGES, api_base=fake.base_url, num_retries=1)
    assert r.choices[0].message.content == "recovered"


def test_module_num_retries_applies(fake, monkeypatch):
    monkeypatch.setattr(llmrelay, "num_retries", 0)
    with pytest.raises(llmrelay.ServiceUnavailableError):
        llmrelay.completion(model="openai/flaky-b", messages=MESSAGES, api_base=fake.base_url)


def test_drop_params_module_setting(fake, monkeypatch):
    # groq rejects logit_bias: an error unless drop_params is on.
    kwargs = dict(model="groq/echo", messages=MESSAGES, api_base=fake.base_url, api_key="k", logit_bias={"1": 1})
    with pytest.raises(llmrelay.UnsupportedParamsError) as info:
        llmrelay.completion(**kwargs)
    assert isinstance(info.value, llmrelay.BadRequestError)
    assert info.value.status_code == 400
    body = json.loads(llmrelay.completion(drop_params=True, **kwargs).choices[0].message.content)
    assert "logit_bias" not in body
    monkeypatch.setattr(llmrelay, "drop_params", True)
    assert "logit_bias" not in json.loads(llmrelay.completion(**kwargs).choices[0].message.content)


def test_bad_arguments():
    with pytest.raises(llmrelay.BadRequestError):
        llmrelay.completion(model="gpt-4o", messages=[], mock_response="x")
    with pytest.raises(llmrelay.BadRequestError):
        llmrelay.completion(model="gpt-4o", messages=[{"role": "nobody", "content": "x"}], mock_response="x")
    with pytest.raises(ValueError):
        llmrelay.completion(model="gpt-4o", messages=MESSAGES, timeout=-1, mock_response="x")
    with pytest.raises(TypeError):
        llmrelay.completion(model="gpt-4o", messages=[{"role": "user", "content": object()}])
    with pytest.raises(llmrelay.BadRequestError) as info:
        llmrelay.completion(model="claud-3-5-sonet", messages=MESSAGES)
    assert "did you mean" in str(info.value)
