"""responses / aresponses (OpenAI's Responses API over any provider's chat):
the ResponsesAPIResponse LiteLLM returns, the response.* stream events sync
and async, the cost, and typed errors for bad input."""

import asyncio

import pytest

import llmrelay

KEY = "sk-responses-test"
FAKE_TEXT = "Hello! How can I help you today?"


def test_mock_response_is_a_responses_api_response():
    r = llmrelay.responses(input="Tell me a story", model="gpt-4o", mock_response="Once upon a time")
    assert isinstance(r, llmrelay.ResponsesAPIResponse)
    assert r.object == "response" and r.status == "completed" and r.model == "gpt-4o"
    assert r.id.startswith("resp_") and r.created_at > 0
    assert r.output_text == "Once upon a time"
    item = r.output[0]
    assert item.type == "message" and item.role == "assistant" and item.status == "completed"
    assert item.content[0].type == "output_text" and item.content[0].text == "Once upon a time"
    assert r.usage.input_tokens == 10 and r.usage.output_tokens == 20 and r.usage.total_tokens == 30
    assert r.usage.input_tokens_details.cached_tokens == 0
    assert r.usage.output_tokens_details.reasoning_tokens == 0
    assert r._hidden_params["response_cost"] == pytest.approx(10 * 2.5e-6 + 20 * 1e-5)
    dumped = r.model_dump()
    assert dumped["output"][0]["content"][0]["text"] == "Once upon a time"
    assert "_hidden_params" not in dumped and "output_text" not in dumped
    assert r["usage"]["total_tokens"] == 30


def test_against_the_fake_upstream_with_instructions_and_items(mock_server):
    r = llmrelay.responses(
        model="openai/gpt-4o",
        input=[
            {"role": "user", "content": "hi"},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "hello"}]},
            {"role": "user", "content": [{"type": "input_text", "text": "how are you?"}]},
        ],
        instructions="Be brief.",
        max_output_tokens=50,
        temperature=0.2,
        api_base=mock_server,
        api_key=KEY,
    )
    assert r.output_text == FAKE_TEXT
    assert r.model == "openai/gpt-4o"
    assert r.usage.total_tokens == r.usage.input_tokens + r.usage.output_tokens
    assert r._hidden_params["api_base"] == mock_server
    assert r._hidden_params["response_cost"] > 0


def test_stream_gives_response_events_ending_with_the_cost(mock_server):
    events = list(llmrelay.responses(input="hi", model="gpt-4o", stream=True, api_base=mock_server, api_key=KEY))
    types = [e.type for e in events]
    assert types[:2] == ["response.created", "response.in_progress"]
    assert types[-1] == "response.completed"
    assert "response.output_item.added" in types and "response.output_text.done" in types
    from llmrelay.types.llms.openai import BaseResponsesStreamEvent

    assert all(isinstance(e, BaseResponsesStreamEvent) for e in events)
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert deltas == FAKE_TEXT
    assert [e.sequence_number for e in events] == list(range(len(events)))
    done = events[-1]
    assert isinstance(done.response, llmrelay.ResponsesAPIResponse)
    assert done.response.output_text == FAKE_TEXT and done.response.status == "completed"
    assert done.response.usage.total_tokens > 0
    assert done._hidden_params["response_cost"] > 0


def test_mock_stream_and_async_forms():
    events = list(llmrelay.responses(input="x", model="gpt-4o", mock_response="a b c", stream=True))
    assert events[-1].response.output_text == "a b c"

    async def run():
        r = await llmrelay.aresponses(input="x", model="gpt-4o", mock_response="async answer")
        stream = await llmrelay.aresponses(input="x", model="gpt-4o", mock_response="one two", stream=True)
        return r, [e async for e in stream]

    r, streamed = asyncio.run(run())
    assert r.output_text == "async answer"
    assert streamed[0].type == "response.created" and streamed[-1].response.output_text == "one two"


def test_async_against_the_fake_upstream(mock_server):
    async def run():
        r = await llmrelay.aresponses(input="hi", model="gpt-4o", api_base=mock_server, api_key=KEY)
        stream = await llmrelay.aresponses(input="hi", model="gpt-4o", stream=True, api_base=mock_server, api_key=KEY)
        return r, [e async for e in stream]

    r, events = asyncio.run(run())
    assert r.output_text == FAKE_TEXT
    assert events[-1].type == "response.completed" and events[-1].response.output_text == FAKE_TEXT


def test_a_stream_failing_midway_raises_the_typed_error(fake):
    stream = llmrelay.responses(input="hi", model="openai/stream-error", stream=True, api_base=fake.base_url, api_key=KEY)
    seen = []
    with pytest.raises(llmrelay.InternalServerError):
        for event in stream:
            seen.append(event.type)
    assert seen[0] == "response.created" and "response.completed" not in seen
    assert list(stream) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input": None},
        {"input": 3},
        {"input": "hi", "previous_response_id": "resp_123"},
        {"input": "hi", "tools": [{"type": "web_search_preview"}]},
        {"input": [{"type": "file_search_call", "id": "x"}]},
    ],
    ids=["no-input", "number-input", "previous-response", "hosted-tool", "unknown-item"],
)
def test_bad_input_is_a_bad_request_before_any_io(kwargs):
    with pytest.raises(llmrelay.BadRequestError):
        llmrelay.responses(model="gpt-4o", api_base="http://127.0.0.1:9", **kwargs)


def test_upstream_errors_are_typed_and_keyless(fake):
    secret = "sk-never-shown-98765"
    with pytest.raises(llmrelay.RateLimitError) as caught:
        llmrelay.responses(input="hi", model="openai/status-429", api_base=fake.base_url, api_key=secret, num_retries=0)
    assert secret not in str(caught.value)


def test_mock_exception_raises_it():
    with pytest.raises(llmrelay.RateLimitError):
        llmrelay.responses(input="x", model="gpt-4o", mock_response=llmrelay.RateLimitError("slow", "openai", "gpt-4o"))


def test_type_paths():
    from llmrelay.types.llms.openai import ResponseAPIUsage, ResponsesAPIResponse
    from llmrelay.types.utils import ResponsesAPIResponse as FromUtils

    assert ResponsesAPIResponse is llmrelay.ResponsesAPIResponse is FromUtils
    usage = ResponseAPIUsage(input_tokens=1, output_tokens=2, total_tokens=3)
    assert usage.total_tokens == 3
    built = ResponsesAPIResponse(
        id="resp_1", created_at=1, output=[{"type": "message", "content": [{"type": "output_text", "text": "hi"}]}]
    )
    assert built.output_text == "hi" and built.object == "response"


def test_text_format_asks_the_chat_model_for_structured_output(fake):
    pydantic = pytest.importorskip("pydantic")

    class Weather(pydantic.BaseModel):
        city: str
        celsius: float

    # The `echo` model answers with the chat request it received.
    r = llmrelay.responses(input="weather?", model="openai/echo", text_format=Weather, api_base=fake.base_url, api_key=KEY)
    import json

    sent = json.loads(r.output_text)
    assert sent["response_format"]["type"] == "json_schema"
    schema = sent["response_format"]["json_schema"]
    assert schema["name"] == "Weather" and schema["strict"] is True
    assert schema["schema"]["required"] == ["city", "celsius"]
    assert sent["messages"] == [{"role": "user", "content": "weather?"}]
