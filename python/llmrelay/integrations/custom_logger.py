"""LiteLLM's ``CustomLogger``: subclass it, override the hooks you need,
and put an instance in ``llmrelay.callbacks`` (or ``success_callback`` /
``failure_callback``).

Blocking calls (``completion``, ``embedding``) run the sync hooks; asyncio
calls (``acompletion``, ``aembedding``) run the ``async_`` ones. Each hook
gets LiteLLM's arguments: ``kwargs`` is the call's details (``model``,
``messages``, ``optional_params``, ``litellm_params``, ``response_cost``,
``cache_hit``, ``standard_logging_object``...), ``response_obj`` the
response (or the chunk, for stream events; None on failure, with the
exception in ``kwargs["exception"]``), ``start_time``/``end_time``
``datetime``\\ s. A hook that raises is logged and does not fail the call,
as in LiteLLM.
"""

__all__ = ["CustomLogger"]


class CustomLogger:
    """Base class of callback handlers; every hook does nothing by default."""

    def __init__(self, message_logging=True, **kwargs):
        self.message_logging = message_logging
        for name, value in kwargs.items():
            setattr(self, name, value)

    # Blocking calls.
    def log_pre_api_call(self, model, messages, kwargs):
        pass

    def log_post_api_call(self, kwargs, response_obj, start_time, end_time):
        pass

    def log_stream_event(self, kwargs, response_obj, start_time, end_time):
        pass

    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        pass

    def log_failure_event(self, kwargs, response_obj, start_time, end_time):
        pass

    # asyncio calls.
    async def async_log_pre_api_call(self, model, messages, kwargs):
        pass

    async def async_log_stream_event(self, kwargs, response_obj, start_time, end_time):
        pass

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        pass

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        pass
