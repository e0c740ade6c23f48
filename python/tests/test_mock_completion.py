"""mock_completion: LiteLLM's test helper, answered through
completion(mock_response=...), with its defaults, streams, tool calls,
typed errors and timeouts."""

import time

import pytest

import llmrelay

MESSAGES = [{"role": "user", "content": "hi"}]


def test_default_answer_and_usage():
    r = llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES)
    assert isinstance(r, llmrelay.ModelResponse)
    assert r.choices[0].message.content == "This is a mock request" and r.model == "gpt-4o"
    assert (r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens) == (10, 20, 30)
    assert llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_response=None).choices[0].message.content == (
        "This is a mock request"
    )


def test_n_prompt_tokens_and_unknown_models():
    r = llmrelay.mock_completion(model="my-own-model", messages=MESSAGES, mock_response="x", n=3, prompt_tokens=7)
    assert [c.message.content for c in r.choices] == ["x", "x", "x"] and [c.index for c in r.choices] == [0, 1, 2]
    assert (r.usage.prompt_tokens, r.usage.total_tokens) == (7, 27)


def test_stream():
    stream = llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_response="one two", stream=True)
    assert isinstance(stream, llmrelay.CustomStreamWrapper)
    assert "".join(c.choices[0].delta.content or "" for c in stream) == "one two"


def test_dict_and_response_objects_are_returned():
    r = llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_response={"model": "m", "choices": []})
    assert isinstance(r, llmrelay.ModelResponse) and r.model == "m"
    prebuilt = llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="prebuilt")
    assert llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_response=prebuilt) is prebuilt


def test_tool_calls():
    calls = [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    r = llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_tool_calls=calls)
    assert r.choices[0].message.tool_calls[0].function.name == "f"


def test_errors_and_timeouts_are_typed():
    with pytest.raises(llmrelay.RateLimitError):
        llmrelay.mock_completion(
            model="gpt-4o", messages=MESSAGES, mock_response=llmrelay.RateLimitError("slow", "openai", "gpt-4o")
        )
    with pytest.raises(llmrelay.ContentPolicyViolationError):
        llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_response="Exception: content_filter_policy")
    started = time.monotonic()
    with pytest.raises(llmrelay.Timeout):
        llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_timeout=True, timeout=0.05)
    assert time.monotonic() - started >= 0.05


def test_mock_delay_waits():
    started = time.monotonic()
    llmrelay.mock_completion(model="gpt-4o", messages=MESSAGES, mock_delay=0.05)
    assert time.monotonic() - started >= 0.05
