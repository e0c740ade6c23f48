"""LiteLLM's ``litellm.router``: ``Router``, over the native router.

The class is the native ``_llmrelay.Router`` (construction, routing,
retries, cooldowns, fallbacks, streams that fail over, all in Rust) with
``acompletion``/``aembedding`` as coroutine functions, as LiteLLM's are, so
``asyncio.create_task(router.acompletion(...))`` works. When callbacks, a
cache or another Python-side setting is configured, calls go through
``llmrelay.call_hooks`` as ``llmrelay.completion``'s do (LiteLLM's Router
calls ``litellm.completion``, so its callbacks fire for routed calls too).
Loaded on first use of ``llmrelay.Router``, never by ``import llmrelay``.
"""

import llmrelay
from llmrelay import _llmrelay
from llmrelay.router_endpoints import RouterEndpoints

__all__ = ["Router"]

_native = _llmrelay.Router


class Router(RouterEndpoints, _native):
    """LiteLLM's ``Router``: deployments behind public model names.

        router = Router(model_list=[
            {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "rpm": 100}},
            {"model_name": "gpt", "litellm_params": {"model": "azure/gpt-4o", "api_base": "...", "rpm": 300}},
        ], fallbacks=[{"gpt": ["claude"]}], num_retries=2)
        r = router.completion(model="gpt", messages=[...])
        r._hidden_params["model_id"]  # the deployment that answered

    Also ``text_completion``, ``image_generation``, ``moderation`` and
    ``rerank`` (and their ``a``-prefixed coroutines), routed by model group
    (see ``llmrelay.router_endpoints``).

    Unknown keyword arguments are reported with a ``UserWarning``; a bad
    configuration raises ``llmrelay.exceptions.RouterConfigError`` (a
    ``BadRequestError`` and a ``ValueError``) naming the entry.
    """

    __slots__ = ()

    def completion(self, model, messages=None, **kwargs):
        """A ``ModelResponse`` (``_hidden_params["model_id"]`` names the
        deployment), or with ``stream=True`` a ``CustomStreamWrapper``."""
        if llmrelay._hooked(kwargs, error_mocks=False):
            from llmrelay.call_hooks import _run

            return _run("completion", self._completion_native, model, messages, kwargs)
        return _native.completion(self, model, messages, **kwargs)

    async def acompletion(self, model, messages=None, **kwargs):
        """``completion`` for asyncio (``stream=True`` gives an async iterator)."""
        if llmrelay._hooked(kwargs, error_mocks=False):
            from llmrelay.call_hooks import _arun

            return await _arun("acompletion", self._acompletion, model, messages, kwargs)
        return await self._acompletion(model, messages, **kwargs)

    def embedding(self, model, input=None, **kwargs):
        """An ``EmbeddingResponse`` from one of ``model``'s deployments."""
        if llmrelay._hooked(kwargs, error_mocks=False):
            from llmrelay.call_hooks import _run

            return _run("embedding", self._embedding_native, model, input, kwargs)
        return _native.embedding(self, model, input, **kwargs)

    async def aembedding(self, model, input=None, **kwargs):
        """``embedding`` for asyncio."""
        if llmrelay._hooked(kwargs, error_mocks=False):
            from llmrelay.call_hooks import _arun

            return await _arun("aembedding", self._aembedding, model, input, kwargs)
        return await self._aembedding(model, input, **kwargs)

    def _completion_native(self, model, messages=None, **kwargs):
        return _native.completion(self, model, messages, **kwargs)

    def _embedding_native(self, model, input=None, **kwargs):
        return _native.embedding(self, model, input, **kwargs)
