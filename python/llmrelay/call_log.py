"""One call's logging: which callbacks run, what they are given, and
LiteLLM's standard logging payload (``kwargs["standard_logging_object"]``).

Callbacks come from ``llmrelay.callbacks`` (every event),
``success_callback``/``_async_success_callback`` (successes),
``failure_callback``/``_async_failure_callback`` (failures) and
``input_callback`` (pre-call). Each is a ``CustomLogger`` instance (its
hooks run), or a function called as LiteLLM calls one:
``fn(kwargs, response_obj, start_time, end_time)`` (a coroutine function is
awaited on asyncio calls). A string names one of LiteLLM's integrations;
each of those sends data to a network service llmrelay does not ship a
client for, so a string raises :class:`UnsupportedCallbackError` at the
call instead of being silently ignored.

A callback that raises is reported through the ``llmrelay`` logger and
does not fail the call (LiteLLM's rule)."""

import datetime
import time
import uuid

import llmrelay

__all__ = ["CallLog", "UnsupportedCallbackError"]


class UnsupportedCallbackError(ValueError):
    """A string callback (``"langfuse"``, ``"logfire"``...) names a LiteLLM
    integration that needs a network service llmrelay has no client for."""


def _check(entry):
    if isinstance(entry, str):
        raise UnsupportedCallbackError(
            "callback %r is one of LiteLLM's integrations with a network service, which llmrelay does not "
            "ship; pass a llmrelay.integrations.custom_logger.CustomLogger subclass (or a function) that "
            "sends to it instead" % entry
        )
    return entry


def _gather(*lists):
    seen, out = set(), []
    for entries in lists:
        for entry in entries or ():
            if id(entry) not in seen:
                seen.add(id(entry))
                out.append(_check(entry))
    return out


def _warn(message):
    import logging

    logging.getLogger("llmrelay").warning(message)


class CallLog:
    """The callbacks of one call and the details they are given."""

    def __init__(self, call_type, model, messages, kwargs, is_async):
        self.call_type = call_type
        self.is_async = is_async
        self.model = model
        self.messages = messages
        self.start = datetime.datetime.now()
        self._start_perf = time.perf_counter()
        self.first_chunk = None
        every = llmrelay.callbacks
        self.input = _gather(llmrelay.input_callback, every)
        self.on_success = _gather(every, llmrelay.success_callback, llmrelay._async_success_callback)
        self.on_failure = _gather(every, llmrelay.failure_callback, llmrelay._async_failure_callback)
        params = {k: v for k, v in kwargs.items() if not _private(k)}
        call_id = kwargs.get("litellm_call_id") or str(uuid.uuid4())
        self.details = {
            "model": model,
            "messages": messages if "embedding" not in call_type else None,
            "input": messages,
            "optional_params": params,
            "litellm_params": {
                "metadata": kwargs.get("metadata") or {},
                "api_base": kwargs.get("api_base") or kwargs.get("base_url"),
                "custom_llm_provider": kwargs.get("custom_llm_provider"),
                "litellm_call_id": call_id,
            },
            "litellm_call_id": call_id,
            "call_type": call_type,
            "stream": bool(kwargs.get("stream")),
            "user": kwargs.get("user"),
            "start_time": self.start,
            "acompletion": is_async,
            "cache_hit": None,
            "response_cost": None,
        }

    def warn(self, message):
        _warn(message)

    # --- what the hooks are given ----------------------------------------

    def _finished(self, response, error, cache_hit, streamed):
        end = datetime.datetime.now()
        hidden = dict(getattr(response, "_hidden_params", None) or {})
        cost = 0.0 if cache_hit else hidden.get("response_cost")
        usage = getattr(response, "usage", None)
        details = self.details
        details.update(
            end_time=end,
            cache_hit=bool(cache_hit),
            response_cost=cost,
            original_response=None if response is None else str(response),
        )
        if streamed:
            details["complete_streaming_response"] = response
            details["async_complete_streaming_response"] = response
        if error is not None:
            import traceback

            details["exception"] = error
            details["traceback_exception"] = "".join(traceback.format_exception_only(type(error), error))
        details["standard_logging_object"] = self._payload(response, error, end, cost, usage, hidden, cache_hit)
        return end

    def _payload(self, response, error, end, cost, usage, hidden, cache_hit):
        """LiteLLM's ``StandardLoggingPayload`` (the keys its loggers read)."""
        start_ts = self.start.timestamp()
        end_ts = end.timestamp()
        first = self.first_chunk if self.first_chunk is not None else end_ts
        params = self.details["litellm_params"]
        status = "failure" if error is not None else "success"
        return {
            "id": getattr(response, "id", None) or self.details["litellm_call_id"],
            "trace_id": self.details["litellm_call_id"],
            "litellm_call_id": self.details["litellm_call_id"],
            "call_type": self.call_type,
            "stream": self.details["stream"],
            "status": status,
            "response_cost": cost or 0.0,
            "custom_llm_provider": hidden.get("custom_llm_provider") or params["custom_llm_provider"],
            "prompt_tokens": getattr(usage, "prompt_tokens", 0) or 0,
            "completion_tokens": getattr(usage, "completion_tokens", 0) or 0,
            "total_tokens": getattr(usage, "total_tokens", 0) or 0,
            "startTime": start_ts,
            "endTime": end_ts,
            "completionStartTime": first,
            "response_time": end_ts - start_ts,
            "model": self.model,
            "model_id": hidden.get("model_id"),
            "model_group": params["metadata"].get("model_group"),
            "api_base": hidden.get("api_base") or params["api_base"] or "",
            "metadata": params["metadata"],
            "cache_hit": bool(cache_hit),
            "cache_key": None,
            "saved_cache_cost": 0.0,
            "request_tags": list(params["metadata"].get("tags") or []),
            "end_user": self.details["user"],
            "messages": self.messages,
            "response": response.model_dump() if hasattr(response, "model_dump") else response,
            "error_str": None if error is None else str(error),
            "error_information": None if error is None else {
                "error_code": str(getattr(error, "status_code", "")),
                "error_class": type(error).__name__,
                "llm_provider": getattr(error, "llm_provider", None) or "",
                "error_message": str(error),
            },
            "model_parameters": self.details["optional_params"],
            "hidden_params": {
                "model_id": hidden.get("model_id"),
                "cache_key": None,
                "api_base": hidden.get("api_base"),
                "response_cost": cost,
                "additional_headers": hidden.get("additional_headers"),
                "litellm_model_name": hidden.get("litellm_model_name"),
            },
        }

    # --- blocking calls -------------------------------------------------

    def _run(self, entries, method, *args):
        for entry in entries:
            hook = getattr(entry, method, None) if not _is_function(entry) else entry
            if hook is None:
                continue
            try:
                hook(*args)
            except Exception as err:  # a callback never fails the call (LiteLLM's rule)
                _warn("callback %r raised in %s: %r" % (entry, method, err))

    def pre_call(self):
        for entry in self.input:
            if _is_function(entry):
                self._run([entry], None, self.details)
            else:
                self._run([entry], "log_pre_api_call", self.model, self.messages, self.details)

    def stream_event(self, chunk):
        if self.first_chunk is None:
            self.first_chunk = time.time()
        loggers = [e for e in llmrelay.callbacks if not _is_function(e)]
        self._run(loggers, "log_stream_event", self.details, chunk, self.start, datetime.datetime.now())

    def success(self, response, cache_hit=False, streamed=False):
        end = self._finished(response, None, cache_hit, streamed)
        self._run(self.on_success, "log_success_event", self.details, response, self.start, end)

    def failure(self, error):
        end = self._finished(None, error, False, False)
        self._run(self.on_failure, "log_failure_event", self.details, None, self.start, end)

    # --- asyncio calls --------------------------------------------------

    async def _arun(self, entries, method, *args):
        import inspect

        for entry in entries:
            hook = entry if _is_function(entry) else getattr(entry, "async_" + method, None)
            if hook is None:
                continue
            try:
                result = hook(*args)
                if inspect.isawaitable(result):
                    await result
            except Exception as err:  # a callback never fails the call (LiteLLM's rule)
                _warn("callback %r raised in async_%s: %r" % (entry, method, err))

    async def apre_call(self):
        for entry in self.input:
            if _is_function(entry):
                await self._arun([entry], "", self.details)
            else:
                self._run([entry], "log_pre_api_call", self.model, self.messages, self.details)
                await self._arun([entry], "log_pre_api_call", self.model, self.messages, self.details)

    async def astream_event(self, chunk):
        if self.first_chunk is None:
            self.first_chunk = time.time()
        loggers = [e for e in llmrelay.callbacks if not _is_function(e)]
        await self._arun(loggers, "log_stream_event", self.details, chunk, self.start, datetime.datetime.now())

    async def asuccess(self, response, cache_hit=False, streamed=False):
        end = self._finished(response, None, cache_hit, streamed)
        await self._arun(self.on_success, "log_success_event", self.details, response, self.start, end)

    async def afailure(self, error):
        end = self._finished(None, error, False, False)
        await self._arun(self.on_failure, "log_failure_event", self.details, None, self.start, end)


#: Argument names that are not model parameters: credentials (never handed
#: to a callback, which may ship them to a logging service) and routing.
_NOT_PARAMETERS = ("metadata", "extra_headers", "headers", "api_base", "base_url", "mock_response")
_SECRET_PARTS = ("key", "secret", "token", "password", "credential")


def _private(name):
    lowered = name.lower()
    return name in _NOT_PARAMETERS or any(part in lowered for part in _SECRET_PARTS)


def _is_function(entry):
    from llmrelay.integrations.custom_logger import CustomLogger

    return callable(entry) and not isinstance(entry, CustomLogger)
