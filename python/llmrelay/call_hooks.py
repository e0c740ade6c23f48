"""The Python side of a call: callbacks, the response cache, model aliases,
module-level headers and LiteLLM's Python-only test hooks
(``mock_timeout``, ``mock_tool_calls``).

``llmrelay.completion`` and friends come here only when one of those is
configured (see ``llmrelay._hooked``); otherwise they call the native
module directly. A call here goes:

    prepare (alias, headers, test hooks)  ->  pre-call callbacks
    -> cache read (a hit is returned, and logged with cache_hit=True)
    -> the native call  ->  cache write  ->  success callbacks
    (a failure goes to the failure callbacks and is re-raised)

A stream is wrapped so stream-event callbacks see each chunk, and the
complete response (``stream_chunk_builder``) is logged and cached at its end.
"""

import llmrelay
from llmrelay import _llmrelay
from llmrelay.call_log import CallLog

__all__ = ["completion", "acompletion", "embedding", "aembedding", "endpoint", "aendpoint"]

#: Keyword arguments this layer consumes (never forwarded to the native call).
_CONSUMED = ("caching", "cache", "mock_timeout", "mock_tool_calls")


def _prepare(model, kwargs):
    """(model, kwargs for the native call, the consumed controls)."""
    kwargs = dict(kwargs)
    controls = {name: kwargs.pop(name) for name in _CONSUMED if name in kwargs}
    aliases = llmrelay.model_alias_map
    if aliases and model in aliases:
        model = aliases[model]
    if llmrelay.headers:
        kwargs["extra_headers"] = {**llmrelay.headers, **(kwargs.get("extra_headers") or {})}
    return model, kwargs, controls


def _mock_timeout(model, kwargs, controls):
    """LiteLLM's ``mock_timeout=True``: a ``Timeout`` once ``timeout`` has
    passed (the caller's code sees the same delay and error as a real one)."""
    if controls.get("mock_timeout") is True and kwargs.get("timeout") is not None:
        return float(kwargs["timeout"]), llmrelay.Timeout(
            message="This is a mock timeout error", llm_provider="openai", model=model
        )
    return None, None


def _mock_error(model, kwargs):
    """LiteLLM's error-shaped mock strings: ``"Exception: content_filter_policy"``
    raises ``ContentPolicyViolationError``, any other ``"Exception..."`` text a
    ``BadRequestError`` (LiteLLM wraps it as one)."""
    text = kwargs.get("mock_response")
    if not isinstance(text, str) or not text.startswith("Exception"):
        return None
    cls = llmrelay.ContentPolicyViolationError if "content_filter_policy" in text else llmrelay.BadRequestError
    return cls(message=text, model=model, llm_provider="openai")


def _with_tool_calls(response, controls):
    tool_calls = controls.get("mock_tool_calls")
    if tool_calls and getattr(response, "choices", None):
        message = response.choices[0].message
        message.tool_calls = [llmrelay.ChatCompletionMessageToolCall(**call) for call in tool_calls]
        response.choices[0].finish_reason = "tool_calls"
    return response


def _cache_args(model, first_name, first, kwargs, controls):
    """The arguments the cache keys on: the call as the user made it."""
    return {"model": model, first_name: first, **kwargs, **controls}


def _cache_for(call_type, controls):
    """The cache to use for this call, or None (LiteLLM's rule: the module's
    cache unless ``caching=False``)."""
    cache = llmrelay.cache
    if cache is None or call_type not in cache.supported_call_types:
        return None
    caching = controls.get("caching")
    if caching is not None and caching is not True:
        return None
    return cache


def _read_cache(cache, args, log):
    control = args.get("cache") or {}
    if cache is None or control.get("no-cache") is True:
        return None
    try:
        return cache.get_cache(**args)
    except Exception as err:  # a cache failure never fails the call (LiteLLM's rule)
        log.warn("cache read failed: %s" % err)
        return None


def _write_cache(cache, response, args, log):
    control = args.get("cache") or {}
    if cache is None or control.get("no-store") is True or response is None:
        return
    try:
        cache.add_cache(response, **args)
    except Exception as err:  # a cache failure never fails the call (LiteLLM's rule)
        log.warn("cache write failed: %s" % err)


def _from_cache(kind, stored, stream):
    """A response object (or a one-chunk stream) rebuilt from a cache entry."""
    cls = llmrelay.EmbeddingResponse if kind == "embedding" else llmrelay.ModelResponse
    response = cls(**stored)
    hidden = {"cache_hit": True, "response_cost": 0.0}
    try:
        response._hidden_params = hidden
    except AttributeError:
        response._hidden_params.update(hidden)
    if stream:
        return CachedStream(response)
    return response


#: call type -> (name of the first argument, response kind for the cache).
_SHAPES = {
    "completion": ("messages", "chat"),
    "acompletion": ("messages", "chat"),
    "embedding": ("input", "embedding"),
    "aembedding": ("input", "embedding"),
}


def _run(call_type, native, model, first, kwargs):
    """A blocking call through the hooks (see the module docstring)."""
    first_name, kind = _SHAPES[call_type]
    model, kwargs, controls = _prepare(model, kwargs)
    log = CallLog(call_type, model, first, kwargs, is_async=False)
    log.pre_call()
    error = _mock_error(model, kwargs)
    delay, timeout_error = _mock_timeout(model, kwargs, controls)
    if timeout_error is not None:
        import time

        time.sleep(delay)
        error = timeout_error
    if error is not None:
        log.failure(error)
        raise error
    cache = _cache_for(call_type, controls)
    args = _cache_args(model, first_name, first, kwargs, controls)
    stream = bool(kwargs.get("stream"))
    stored = _read_cache(cache, args, log)
    if stored is not None:
        response = _from_cache(kind, stored, stream)
        log.success(response.response if stream else response, cache_hit=True)
        return response
    try:
        response = native(model, first, **kwargs)
    except Exception as err:
        log.failure(err)
        raise
    if stream:
        return LoggedStream(response, log, lambda full: _write_cache(cache, full, args, log), first)
    response = _with_tool_calls(response, controls)
    _write_cache(cache, response, args, log)
    log.success(response)
    return response


async def _arun(call_type, native, model, first, kwargs):
    """An asyncio call through the hooks: ``_run`` with the async hooks."""
    first_name, kind = _SHAPES[call_type]
    model, kwargs, controls = _prepare(model, kwargs)
    log = CallLog(call_type, model, first, kwargs, is_async=True)
    await log.apre_call()
    error = _mock_error(model, kwargs)
    delay, timeout_error = _mock_timeout(model, kwargs, controls)
    if timeout_error is not None:
        import asyncio

        await asyncio.sleep(delay)
        error = timeout_error
    if error is not None:
        await log.afailure(error)
        raise error
    cache = _cache_for(call_type, controls)
    args = _cache_args(model, first_name, first, kwargs, controls)
    stream = bool(kwargs.get("stream"))
    stored = _read_cache(cache, args, log)
    if stored is not None:
        response = _from_cache(kind, stored, stream)
        await log.asuccess(response.response if stream else response, cache_hit=True)
        return response
    try:
        response = await native(model, first, **kwargs)
    except Exception as err:
        await log.afailure(err)
        raise
    if stream:
        return LoggedStream(response, log, lambda full: _write_cache(cache, full, args, log), first)
    response = _with_tool_calls(response, controls)
    _write_cache(cache, response, args, log)
    await log.asuccess(response)
    return response


def completion(model, messages, kwargs):
    """``llmrelay.completion`` with callbacks and the cache."""
    return _run("completion", _llmrelay.completion, model, messages, kwargs)


async def acompletion(model, messages, kwargs):
    """``llmrelay.acompletion`` with callbacks and the cache."""
    return await _arun("acompletion", _llmrelay._acompletion, model, messages, kwargs)


def embedding(model, input, kwargs):
    """``llmrelay.embedding`` with callbacks and the cache."""
    return _run("embedding", _llmrelay.embedding, model, input, kwargs)


async def aembedding(model, input, kwargs):
    """``llmrelay.aembedding`` with callbacks and the cache."""
    return await _arun("aembedding", _llmrelay._aembedding, model, input, kwargs)


def endpoint(call_type, native, model, first, kwargs):
    """Another endpoint's call (``moderation``, ``image_generation``,
    ``rerank``, ``responses``, ``speech``, ``transcription``) with the
    model alias, module headers and callbacks: pre-call, then success or
    failure. ``native(model, first, kwargs)`` makes the call. The response
    cache covers chat and embeddings only; a stream (``responses`` with
    ``stream=True``) is logged at pre-call and when it fails to open."""
    model, kwargs, _ = _prepare(model, kwargs)
    log = CallLog(call_type, model, first, kwargs, is_async=False)
    log.pre_call()
    try:
        response = native(model, first, kwargs)
    except Exception as err:
        log.failure(err)
        raise
    if not kwargs.get("stream"):
        log.success(response)
    return response


async def aendpoint(call_type, native, model, first, kwargs):
    """``endpoint`` for asyncio: ``native`` returns an awaitable."""
    model, kwargs, _ = _prepare(model, kwargs)
    log = CallLog(call_type, model, first, kwargs, is_async=True)
    await log.apre_call()
    try:
        response = await native(model, first, kwargs)
    except Exception as err:
        await log.afailure(err)
        raise
    if not kwargs.get("stream"):
        await log.asuccess(response)
    return response


class LoggedStream:
    """A stream whose chunks reach the stream-event callbacks; at its end the
    complete response is cached and logged as the call's success (a broken
    stream is logged as its failure). Iterates like the stream it wraps,
    with ``for`` or ``async for``."""

    def __init__(self, inner, log, store, messages):
        self._inner = inner
        self._log = log
        self._store = store
        self._messages = messages
        self._chunks = []
        self._done = False

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            chunk = next(self._inner)
        except StopIteration:
            self._finish()
            raise
        except Exception as err:
            if not self._done:
                self._done = True
                self._log.failure(err)
            raise
        self._chunks.append(chunk)
        self._log.stream_event(chunk)
        return chunk

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            chunk = await self._inner.__anext__()
        except StopAsyncIteration:
            await self._afinish()
            raise
        except Exception as err:
            if not self._done:
                self._done = True
                await self._log.afailure(err)
            raise
        self._chunks.append(chunk)
        await self._log.astream_event(chunk)
        return chunk

    def _complete(self):
        self._done = True
        full = llmrelay.stream_chunk_builder(self._chunks, messages=self._messages)
        self._store(full)
        return full

    def _finish(self):
        if not self._done:
            self._log.success(self._complete(), streamed=True)

    async def _afinish(self):
        if not self._done:
            await self._log.asuccess(self._complete(), streamed=True)

    def close(self):
        return self._inner.close()

    async def aclose(self):
        return await self._inner.aclose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class CachedStream:
    """A cached response served as a stream (``stream=True`` on a cache hit):
    one chunk with the whole message, then a chunk with the finish reason
    and the usage."""

    def __init__(self, response):
        self.response = response
        choice = response.choices[0]
        message = choice.message
        base = {"id": response.id, "created": response.created, "model": response.model}
        delta = {"role": "assistant", "content": message.content}
        if message.tool_calls:
            delta["tool_calls"] = [dict(call.model_dump(), index=i) for i, call in enumerate(message.tool_calls)]
        self._chunks = [
            llmrelay.ModelResponseStream(**base, choices=[{"index": 0, "delta": delta}]),
            llmrelay.ModelResponseStream(
                **base,
                choices=[{"index": 0, "delta": {}, "finish_reason": choice.finish_reason}],
                usage=response.usage.model_dump() if response.usage else None,
            ),
        ]
        for chunk in self._chunks:
            chunk._hidden_params.update(response._hidden_params)

    def __iter__(self):
        return self

    def __next__(self):
        if not self._chunks:
            raise StopIteration
        return self._chunks.pop(0)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self._chunks:
            raise StopAsyncIteration
        return self._chunks.pop(0)

    def close(self):
        self._chunks = []

    async def aclose(self):
        self._chunks = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
