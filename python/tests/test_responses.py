"""Response objects: attribute and item access, dumps, repr, hidden params."""

import copy
import json
import pickle

import llmrelay

MESSAGES = [{"role": "user", "content": "hi"}]


def mock(text="hello there", **kwargs):
    return llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response=text, **kwargs)


def test_attribute_and_item_access():
    r = mock()
    assert isinstance(r, llmrelay.ModelResponse)
    assert r.choices[0].message.content == "hello there"
    assert r["choices"][0]["message"]["content"] == "hello there"
    assert r.choices[0].message.role == "assistant"
    assert r.choices[0].message.tool_calls is None
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.prompt_tokens == 10 and r.usage.completion_tokens == 20
    assert r.usage.total_tokens == 30
    assert r.object == "chat.completion" and r.model == "gpt-4o"
    assert r.get("missing", 5) == 5 and "usage" in r
    assert isinstance(r.choices[0], llmrelay.Choices)
    assert isinstance(r.choices[0].message, llmrelay.Message)
    assert isinstance(r.usage, llmrelay.Usage)


def test_hidden_params_carry_cost_and_provider():
    r = mock()
    assert abs(r._hidden_params["response_cost"] - (10 * 2.5e-6 + 20 * 1e-5)) < 1e-15
    assert r._hidden_params["custom_llm_provider"] == "openai"
    assert "_hidden_params" not in r.model_dump()


def test_dumps():
    r = mock()
    d = r.model_dump()
    assert d["choices"][0]["message"] == {"content": "hello there", "role": "assistant", "tool_calls": None, "function_call": None}
    assert list(d) == ["id", "created", "model", "object", "system_fingerprint", "choices", "usage"]
    assert r.json() == d  # LiteLLM's json() is a dict
    assert r.dict() == d
    assert json.loads(r.model_dump_json()) == d
    assert "\n  " in r.model_dump_json(indent=2)
    assert "system_fingerprint" not in r.model_dump(exclude_none=True)
    assert dict(r)["model"] == "gpt-4o"
    assert r == d and r != {}


def test_repr_is_pydantic_like():
    text = repr(mock("x"))
    assert text.startswith("ModelResponse(id='chatcmpl-")
    assert "Message(content='x', role='assistant', tool_calls=None, function_call=None)" in text


def test_mutation_and_copies():
    r = mock()
    r.choices[0].message.content = "changed"
    r["model"] = "other"
    assert r.model_dump()["choices"][0]["message"]["content"] == "changed"
    assert r.model == "other"
    clone = copy.deepcopy(r)
    assert clone == r and clone is not r
    assert clone._hidden_params == r._hidden_params
    again = pickle.loads(pickle.dumps(r))
    assert again.choices[0].message.content == "changed"
    try:
        r.nope
    except AttributeError:
        pass
    else:
        raise AssertionError("missing attribute did not raise")
    assert not hasattr(r, "nope")


def test_constructors():
    m = llmrelay.Message(content="hi")
    assert m.role == "assistant" and m.tool_calls is None
    u = llmrelay.Usage(prompt_tokens=3, completion_tokens=4, total_tokens=7)
    assert u.total_tokens == 7
    r = llmrelay.ModelResponse(id="x", model="gpt-4o", choices=[{"index": 0, "message": {"role": "assistant", "content": "a"}}])
    assert r.choices[0].message.content == "a"


def test_message_objects_can_be_sent_back():
    r = mock("first")
    messages = MESSAGES + [r.choices[0].message, {"role": "user", "content": "more"}]
    again = llmrelay.completion(model="gpt-4o", messages=messages, mock_response="second")
    assert again.choices[0].message.content == "second"


def test_mock_stream_folds_back():
    chunks = list(mock("one two three", stream=True, stream_options={"include_usage": True}))
    assert isinstance(chunks[0], llmrelay.ModelResponseStream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "one two three"
    assert chunks[-1].usage.total_tokens == 30
    built = llmrelay.stream_chunk_builder(chunks, messages=MESSAGES)
    assert built.choices[0].message.content == "one two three"
    assert built.choices[0].message.role == "assistant"
    assert built.usage.total_tokens == 30
    assert built._hidden_params["response_cost"] > 0


def test_stream_chunk_builder_counts_when_no_usage():
    chunks = list(mock("hello there", stream=True))
    built = llmrelay.stream_chunk_builder(chunks, messages=MESSAGES)
    assert built.usage.prompt_tokens == 8  # LiteLLM's count for these messages
    assert built.usage.completion_tokens == 2
    assert llmrelay.stream_chunk_builder([]) is None


def test_mock_response_object_and_exception():
    canned = llmrelay.ModelResponse(id="x", model="m", choices=[])
    assert llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response=canned) is canned
    err = llmrelay.RateLimitError("slow down", llm_provider="openai", model="gpt-4o")
    try:
        llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response=err)
    except llmrelay.RateLimitError as raised:
        assert raised is err
    else:
        raise AssertionError("mock exception not raised")


def test_mock_embedding():
    e = llmrelay.embedding(model="text-embedding-3-small", input=["a"], mock_response=[0.1, 0.2])
    assert isinstance(e, llmrelay.EmbeddingResponse)
    assert e.data[0].embedding == [0.1, 0.2] and e.data[0]["index"] == 0
    assert e.usage.prompt_tokens == 10
    assert abs(e._hidden_params["response_cost"] - 10 * 2e-8) < 1e-18
