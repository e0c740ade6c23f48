"""CustomLogger and function callbacks, with LiteLLM's hook arguments and
standard logging payload, on real calls to the fake upstream."""

import asyncio
import datetime

import pytest

import llmrelay
from llmrelay.integrations.custom_logger import CustomLogger

MESSAGES = [{"role": "user", "content": "hi"}]


class Recorder(CustomLogger):
    def __init__(self):
        super().__init__()
        self.events = []

    def log_pre_api_call(self, model, messages, kwargs):
        self.events.append(("pre", model, messages))

    def log_stream_event(self, kwargs, response_obj, start_time, end_time):
        self.events.append(("chunk", response_obj))

    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        self.events.append(("success", kwargs, response_obj, start_time, end_time))

    def log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self.events.append(("failure", kwargs, response_obj))

    async def async_log_stream_event(self, kwargs, response_obj, start_time, end_time):
        self.events.append(("achunk", response_obj))

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        self.events.append(("asuccess", kwargs, response_obj))

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self.events.append(("afailure", kwargs))


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(llmrelay, "callbacks", [rec])
    return rec


def kinds(rec):
    return [e[0] for e in rec.events]


def test_success_hooks_get_litellm_arguments(recorder, mock_server):
    r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=mock_server, metadata={"run": "7"})
    assert kinds(recorder) == ["pre", "success"]
    _, kwargs, response, start, end = recorder.events[1]
    assert response is r
    assert isinstance(start, datetime.datetime) and start <= end
    assert kwargs["model"] == "gpt-4o" and kwargs["messages"] == MESSAGES
    assert kwargs["response_cost"] == pytest.approx(r._hidden_params["response_cost"]) and kwargs["response_cost"] > 0
    assert kwargs["litellm_params"]["metadata"] == {"run": "7"}
    payload = kwargs["standard_logging_object"]
    assert payload["status"] == "success" and payload["cache_hit"] is False
    assert payload["model"] == "gpt-4o" and payload["messages"] == MESSAGES
    assert payload["total_tokens"] == r.usage.total_tokens and payload["response_cost"] == kwargs["response_cost"]
    assert payload["startTime"] <= payload["endTime"] and payload["metadata"] == {"run": "7"}
    assert payload["response"]["choices"][0]["message"]["content"] == r.choices[0].message.content
    assert payload["custom_llm_provider"] == "openai" and payload["api_base"] == mock_server


def test_failure_hook_gets_the_exception(recorder):
    with pytest.raises(llmrelay.RateLimitError):
        llmrelay.completion(
            model="gpt-4o", messages=MESSAGES, mock_response=llmrelay.RateLimitError("slow down", "openai", "gpt-4o")
        )
    assert kinds(recorder) == ["pre", "failure"]
    kwargs = recorder.events[1][1]
    assert isinstance(kwargs["exception"], llmrelay.RateLimitError)
    payload = kwargs["standard_logging_object"]
    assert payload["status"] == "failure" and payload["error_information"]["error_class"] == "RateLimitError"


def test_stream_events_then_one_success_with_the_whole_response(recorder, mock_server):
    chunks = list(
        llmrelay.completion(
            model="gpt-4o", messages=MESSAGES, api_base=mock_server, stream=True, stream_options={"include_usage": True}
        )
    )
    assert kinds(recorder) == ["pre"] + ["chunk"] * len(chunks) + ["success"]
    kwargs, full = recorder.events[-1][1], recorder.events[-1][2]
    assert full.choices[0].message.content == "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert kwargs["complete_streaming_response"] is full
    assert kwargs["standard_logging_object"]["stream"] is True


def test_async_calls_run_async_hooks(recorder, mock_server):
    async def main():
        await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, api_base=mock_server)
        stream = await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, api_base=mock_server, stream=True)
        async for _ in stream:
            pass
        with pytest.raises(llmrelay.BadRequestError):
            await llmrelay.acompletion(
                model="gpt-4o", messages=MESSAGES, mock_response=llmrelay.BadRequestError("bad", "gpt-4o", "openai")
            )

    asyncio.run(main())
    names = kinds(recorder)
    assert names[:2] == ["pre", "asuccess"]
    assert "achunk" in names and names[-1] == "afailure"
    assert "success" not in names, "a sync hook ran for an async call"


def test_function_callbacks_and_embedding(monkeypatch, mock_server):
    seen = []

    def on_success(kwargs, response, start, end):
        seen.append(("ok", kwargs["call_type"], response))

    def on_input(kwargs):
        seen.append(("input", kwargs["model"]))

    monkeypatch.setattr(llmrelay, "success_callback", [on_success])
    monkeypatch.setattr(llmrelay, "input_callback", [on_input])
    e = llmrelay.embedding(model="text-embedding-3-small", input=["a"], api_base=mock_server)
    assert seen == [("input", "text-embedding-3-small"), ("ok", "embedding", e)]


def test_a_raising_callback_does_not_fail_the_call(monkeypatch, caplog):
    def broken(kwargs, response, start, end):
        raise RuntimeError("callback bug")

    monkeypatch.setattr(llmrelay, "success_callback", [broken])
    r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="fine")
    assert r.choices[0].message.content == "fine"
    assert "callback bug" in caplog.text


def test_service_string_callbacks_are_a_clear_error(monkeypatch):
    from llmrelay.call_log import UnsupportedCallbackError

    monkeypatch.setattr(llmrelay, "success_callback", ["logfire"])
    with pytest.raises(UnsupportedCallbackError, match="logfire"):
        llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="x")


def test_no_callbacks_means_no_python_layer():
    import sys

    assert llmrelay._hooked({}) is False
    llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="x")
    # The call went straight to the native module (call_hooks may be loaded
    # by another test; what matters is that the gate said no).
    assert "llmrelay" in sys.modules


def test_credentials_never_reach_callbacks(recorder):
    llmrelay.completion(
        model="gpt-4o",
        messages=MESSAGES,
        mock_response="x",
        api_key="sk-very-secret",
        aws_secret_access_key="aws-very-secret",
        vertex_credentials='{"private_key": "pk-very-secret"}',
        extra_headers={"Authorization": "Bearer hdr-very-secret"},
        temperature=0.3,
    )
    kwargs = recorder.events[-1][1]
    assert kwargs["optional_params"] == {"temperature": 0.3}
    assert "very-secret" not in repr(kwargs)


ENDPOINT_CALLS = {
    "moderation": lambda base: llmrelay.moderation(input="a sunny day", api_base=base, api_key="sk-t"),
    "image_generation": lambda base: llmrelay.image_generation(prompt="a fox", model="dall-e-3", api_base=base, api_key="sk-t"),
    "responses": lambda base: llmrelay.responses(input="hi", model="gpt-4o", api_base=base, api_key="sk-t"),
    "speech": lambda base: llmrelay.speech(model="tts-1", input="Hello", voice="alloy", api_base=base, api_key="sk-t"),
    "transcription": lambda base: llmrelay.transcription(
        model="whisper-1", file=("a.mp3", b"ID3fake-audio"), api_base=base, api_key="sk-t"
    ),
}


@pytest.mark.parametrize("call_type", sorted(ENDPOINT_CALLS))
def test_other_endpoints_run_the_callbacks(recorder, mock_server, call_type):
    r = ENDPOINT_CALLS[call_type](mock_server)
    assert kinds(recorder) == ["pre", "success"]
    _, kwargs, response, _, _ = recorder.events[1]
    assert response is r
    payload = kwargs["standard_logging_object"]
    assert payload["call_type"] == call_type and payload["status"] == "success"
    assert payload["response_cost"] == pytest.approx(r._hidden_params.get("response_cost") or 0.0)
    assert "sk-t" not in repr(kwargs)


def test_other_endpoints_report_failures_and_async_hooks(recorder, monkeypatch, mock_server):
    with pytest.raises(llmrelay.BadRequestError):
        llmrelay.rerank(model="cohere/rerank-v3.5", query="q", documents=[], api_key="sk-t")
    assert kinds(recorder) == ["pre", "failure"]
    recorder.events.clear()
    monkeypatch.setattr(llmrelay, "model_alias_map", {"my-mod": "omni-moderation-latest"})
    r = asyncio.run(llmrelay.amoderation(input="hi", model="my-mod", api_base=mock_server, api_key="sk-t"))
    assert kinds(recorder) == ["pre", "asuccess"] and recorder.events[1][2] is r
    assert recorder.events[1][1]["model"] == "omni-moderation-latest"
