"""LiteLLM's ``mock_completion``: a completion answered without a provider,
for tests. It runs through ``completion(mock_response=...)``, so the answer,
the stream, the test hooks (``mock_tool_calls``, ``mock_timeout``, error-
shaped strings and exception objects) and the callbacks are the ones a real
mocked call gets."""

import time

import llmrelay

__all__ = ["mock_completion"]

_DEFAULT_ANSWER = "This is a mock request"

#: The completion tokens a mock answer reports (LiteLLM's default).
_MOCK_COMPLETION_TOKENS = 20


def mock_completion(
    model,
    messages,
    stream=False,
    n=None,
    mock_response=_DEFAULT_ANSWER,
    mock_tool_calls=None,
    mock_timeout=False,
    logging=None,
    custom_llm_provider=None,
    timeout=None,
    prompt_tokens=None,
    **kwargs,
):
    """A ``ModelResponse`` (or, with ``stream=True``, a
    ``CustomStreamWrapper``) whose answer is ``mock_response``, as LiteLLM's
    ``mock_completion``: a dict becomes ``ModelResponse(**dict)``, a
    ``ModelResponse`` is returned as is, an exception (or ``"Exception: ..."``)
    is raised as its LiteLLM exception, ``mock_timeout=True`` with a
    ``timeout`` raises ``Timeout``; ``prompt_tokens`` sets the reported
    prompt tokens, ``mock_delay`` (seconds) waits before answering."""
    if mock_response is None:
        mock_response = _DEFAULT_ANSWER
    if isinstance(mock_response, dict):
        return llmrelay.ModelResponse(**mock_response)
    if isinstance(mock_response, llmrelay.ModelResponse) and not stream:
        return mock_response
    delay = kwargs.pop("mock_delay", None)
    if delay is not None and not kwargs.get("acompletion"):
        time.sleep(delay)
    call = {"stream": stream, "mock_response": mock_response}
    if n is not None:
        call["n"] = n
    if mock_tool_calls:
        call["mock_tool_calls"] = mock_tool_calls
    if mock_timeout:
        call["mock_timeout"] = mock_timeout
        call["timeout"] = timeout
    if custom_llm_provider is not None:
        call["custom_llm_provider"] = custom_llm_provider
    response = llmrelay.completion(model=model, messages=messages, **call)
    if prompt_tokens is not None and not stream:
        response.usage = llmrelay.Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=_MOCK_COMPLETION_TOKENS,
            total_tokens=prompt_tokens + _MOCK_COMPLETION_TOKENS,
        )
    return response
