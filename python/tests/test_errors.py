"""Every exception class, raised by the matching upstream fault, with
LiteLLM's hierarchy and attributes."""

import pytest

import llmrelay
from llmrelay import exceptions

MESSAGES = [{"role": "user", "content": "hi"}]

CASES = [
    ("status-400", exceptions.BadRequestError, 400),
    ("context-window", exceptions.ContextWindowExceededError, 400),
    ("content-filter", exceptions.ContentPolicyViolationError, 400),
    ("status-401", exceptions.AuthenticationError, 401),
    ("status-403", exceptions.PermissionDeniedError, 403),
    ("status-404", exceptions.NotFoundError, 404),
    ("status-408", exceptions.Timeout, 408),
    ("status-422", exceptions.UnprocessableEntityError, 422),
    ("status-429", exceptions.RateLimitError, 429),
    ("status-500", exceptions.InternalServerError, 500),
    ("status-503", exceptions.ServiceUnavailableError, 503),
    ("drop", exceptions.APIConnectionError, 500),
]


@pytest.mark.parametrize("model,cls,status", CASES)
def test_upstream_fault_raises_litellms_class(fake, model, cls, status):
    with pytest.raises(cls) as info:
        llmrelay.completion(model="openai/" + model, messages=MESSAGES, api_base=fake.base_url, num_retries=0)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.llm_provider == "openai"
    assert err.model == "openai/" + model
    assert err.message.startswith("llmrelay.%s: " % cls.__name__)
    assert str(err) == err.message
    assert isinstance(err, exceptions.OpenAIError)
    assert "sk-test" not in str(err)


def test_rate_limit_carries_retry_after(fake):
    with pytest.raises(llmrelay.RateLimitError) as info:
        llmrelay.completion(model="openai/status-429", messages=MESSAGES, api_base=fake.base_url, num_retries=0)
    assert info.value.retry_after == 0
    assert "Rate limit reached" in info.value.message


def test_hierarchy():
    bad = exceptions.BadRequestError
    for sub in (
        exceptions.ContextWindowExceededError,
        exceptions.ContentPolicyViolationError,
        exceptions.UnsupportedParamsError,
    ):
        assert issubclass(sub, bad)
    assert not issubclass(exceptions.RateLimitError, bad)
    assert issubclass(exceptions.ModelNotMappedError, exceptions.NotFoundError)
    assert llmrelay.RateLimitError is exceptions.RateLimitError


def test_constructors_take_litellms_arguments():
    e = exceptions.RateLimitError("slow", "openai", "gpt-4o")
    assert (e.llm_provider, e.model, e.status_code) == ("openai", "gpt-4o", 429)
    e = exceptions.BadRequestError(message="bad", model="m", llm_provider="p")
    assert e.message == "llmrelay.BadRequestError: bad"
    e = exceptions.APIError(status_code=418, message="teapot", llm_provider="p", model="m")
    assert e.status_code == 418
    e = exceptions.UnsupportedParamsError(message="x", llm_provider="groq", model="m")
    assert e.llm_provider == "groq"


def test_timeout(fake):
    with pytest.raises(llmrelay.Timeout) as info:
        llmrelay.completion(model="openai/slow", messages=MESSAGES, api_base=fake.base_url, num_retries=0, timeout=0.3)
    assert info.value.status_code == 408


def test_error_in_the_middle_of_a_stream(fake):
    stream = llmrelay.completion(model="openai/stream-error", messages=MESSAGES, api_base=fake.base_url, stream=True)
    first = next(stream)
    assert first.choices[0].delta.content == "par"
    with pytest.raises(llmrelay.InternalServerError):
        next(stream)
    with pytest.raises(StopIteration):
        next(stream)


@pytest.mark.parametrize(
    "name,cls",
    [
        ("RateLimitError", exceptions.RateLimitError),
        ("litellm.ContextWindowExceededError", exceptions.ContextWindowExceededError),
        ("litellm.InternalServerError", exceptions.InternalServerError),
        ("Timeout", exceptions.Timeout),
    ],
)
def test_mock_response_names_an_exception(name, cls):
    with pytest.raises(cls):
        llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response=name)


def test_missing_key_is_an_authentication_error(monkeypatch):
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    with pytest.raises(llmrelay.AuthenticationError):
        llmrelay.completion(model="groq/llama-3.3-70b-versatile", messages=MESSAGES)


def test_unknown_model_helpers():
    with pytest.raises(llmrelay.ModelNotMappedError):
        llmrelay.get_model_info("nope-model")
    with pytest.raises(Exception):
        llmrelay.get_max_tokens("nope-model")
    assert llmrelay.supports_vision("nope-model") is False
