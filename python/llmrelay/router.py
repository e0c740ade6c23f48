"""LiteLLM's ``litellm.router``: ``Router``, over the native router.

The class is the native ``_llmrelay.Router`` (construction, routing,
retries, cooldowns, fallbacks, streams that fail over, all in Rust) with
``acompletion``/``aembedding`` as coroutine functions, as LiteLLM's are, so
``asyncio.create_task(router.acompletion(...))`` works. Loaded on first use
of ``llmrelay.Router``, never by ``import llmrelay``.
"""

from llmrelay import _llmrelay

__all__ = ["Router"]


class Router(_llmrelay.Router):
    """LiteLLM's ``Router``: deployments behind public model names.

        router = Router(model_list=[
            {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "rpm": 100}},
            {"model_name": "gpt", "litellm_params": {"model": "azure/gpt-4o", "api_base": "...", "rpm": 300}},
        ], fallbacks=[{"gpt": ["claude"]}], num_retries=2)
        r = router.completion(model="gpt", messages=[...])
        r._hidden_params["model_id"]  # the deployment that answered

    Unknown keyword arguments are reported with a ``UserWarning``; a bad
    configuration raises ``llmrelay.exceptions.RouterConfigError`` (a
    ``BadRequestError`` and a ``ValueError``) naming the entry.
    """

    __slots__ = ()

    async def acompletion(self, model, messages=None, **kwargs):
        """``completion`` for asyncio (``stream=True`` gives an async iterator)."""
        return await self._acompletion(model, messages, **kwargs)

    async def aembedding(self, model, input=None, **kwargs):
        """``embedding`` for asyncio."""
        return await self._aembedding(model, input, **kwargs)
