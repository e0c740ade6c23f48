"""LiteLLM's ``completion_with_retries`` / ``acompletion_with_retries``:
a call retried on any llmrelay error, ``num_retries`` attempts in all
(default 3), back to back (``retry_strategy="constant_retry"``) or waiting
1, 2, 4... up to 10 seconds (``"exponential_backoff_retry"``). The native
call's own retries are turned off so attempts do not multiply."""

import llmrelay

__all__ = ["completion_with_retries", "acompletion_with_retries"]


def _plan(kwargs):
    attempts = kwargs.pop("num_retries", 3) or 1
    strategy = kwargs.pop("retry_strategy", "constant_retry")
    kwargs.pop("original_function", None)
    kwargs["num_retries"] = 0
    if strategy == "exponential_backoff_retry":
        waits = [min(10.0, 2.0**i) for i in range(attempts - 1)]
    else:
        waits = [0.0] * (attempts - 1)
    return waits


def completion_with_retries(*args, **kwargs):
    """``completion``, retried; the last error is raised."""
    import time

    from llmrelay.exceptions import OpenAIError

    waits = _plan(kwargs)
    for delay in waits:
        try:
            return llmrelay.completion(*args, **kwargs)
        except OpenAIError:
            time.sleep(delay)
    return llmrelay.completion(*args, **kwargs)


async def acompletion_with_retries(*args, **kwargs):
    """``acompletion``, retried; the last error is raised."""
    import asyncio

    from llmrelay.exceptions import OpenAIError

    waits = _plan(kwargs)
    for delay in waits:
        try:
            return await llmrelay.acompletion(*args, **kwargs)
        except OpenAIError:
            await asyncio.sleep(delay)
    return await llmrelay.acompletion(*args, **kwargs)
