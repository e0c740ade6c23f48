"""The Router's endpoints besides chat and embeddings, as LiteLLM's Router
has them: ``text_completion``/``atext_completion``, ``image_generation``/
``aimage_generation``, ``moderation``/``amoderation`` and ``rerank``/
``arerank``.

Text completions go through the Router's own ``completion`` (so retries,
cooldowns and fallbacks apply as for chat). The other endpoints are routed
here: the model group's next deployment (the router's strategy picks it),
its ``litellm_params`` under the call's keyword arguments (the call's win,
as in LiteLLM), then ``llmrelay.image_generation``/``moderation``/``rerank``;
a deployment that fails with a transient error (rate limit, timeout,
connection, 5xx) hands the call to the group's next deployment. The
answer's ``_hidden_params`` name the deployment (``model_id``,
``api_base``) as a routed chat answer's do.
"""

import llmrelay
from llmrelay import exceptions

__all__ = ["RouterEndpoints"]

#: ``litellm_params`` that steer routing, never a provider call.
_ROUTING_ONLY = frozenset(
    ("rpm", "tpm", "weight", "order", "max_parallel_requests", "region_name", "tags", "model_info")
)

#: Keyword arguments read by the router itself.
_ROUTER_KWARGS = frozenset(("specific_deployment", "disable_fallbacks", "num_retries", "allowed_model_region"))

#: Failures another deployment of the group may not have.
_TRANSIENT = (
    exceptions.RateLimitError,
    exceptions.Timeout,
    exceptions.APIConnectionError,
    exceptions.InternalServerError,
    exceptions.ServiceUnavailableError,
    exceptions.BadGatewayError,
)


class RouterEndpoints:
    """Mixed into ``llmrelay.Router``."""

    __slots__ = ()

    def text_completion(self, model, prompt=None, **kwargs):
        """LiteLLM's ``Router.text_completion``: a ``TextCompletionResponse``
        (or a stream of them) from ``model``'s deployments."""
        from llmrelay.text_completions import complete_text

        return complete_text(self.completion, model, prompt, kwargs)

    async def atext_completion(self, model, prompt=None, **kwargs):
        """``text_completion`` for asyncio."""
        from llmrelay.text_completions import acomplete_text

        return await acomplete_text(self.acompletion, model, prompt, kwargs)

    def image_generation(self, prompt=None, model=None, **kwargs):
        """LiteLLM's ``Router.image_generation``: an ``ImageResponse``."""
        return self._routed(llmrelay.image_generation, model, dict(kwargs, prompt=prompt))

    async def aimage_generation(self, prompt=None, model=None, **kwargs):
        """``image_generation`` for asyncio."""
        return await self._arouted(llmrelay.aimage_generation, model, dict(kwargs, prompt=prompt))

    def moderation(self, model=None, input=None, **kwargs):
        """A ``ModerationResponse`` from ``model``'s deployments."""
        return self._routed(llmrelay.moderation, model, dict(kwargs, input=input))

    async def amoderation(self, model=None, input=None, **kwargs):
        """LiteLLM's ``Router.amoderation``."""
        return await self._arouted(llmrelay.amoderation, model, dict(kwargs, input=input))

    def rerank(self, model=None, query=None, documents=None, **kwargs):
        """A ``RerankResponse`` from ``model``'s deployments."""
        return self._routed(llmrelay.rerank, model, dict(kwargs, query=query, documents=documents))

    async def arerank(self, model=None, query=None, documents=None, **kwargs):
        """LiteLLM's ``Router.arerank``."""
        return await self._arouted(llmrelay.arerank, model, dict(kwargs, query=query, documents=documents))

    def _routed(self, call, group, kwargs):
        error = None
        for deployment in self._deployments_to_try(group, kwargs):
            try:
                return _stamped(call(**_call_args(deployment, kwargs)), deployment)
            except _TRANSIENT as err:
                error = err
        raise error

    async def _arouted(self, call, group, kwargs):
        error = None
        for deployment in self._deployments_to_try(group, kwargs):
            try:
                return _stamped(await call(**_call_args(deployment, kwargs)), deployment)
            except _TRANSIENT as err:
                error = err
        raise error

    def _deployments_to_try(self, group, kwargs):
        """The deployment the router picks first, then the group's others."""
        if group is None:
            raise exceptions.BadRequestError(message="the Router needs `model` (a model group name)")
        first = self.get_available_deployment(
            group, specific_deployment=bool(kwargs.get("specific_deployment")), request_kwargs=kwargs
        )
        others = [d for d in self.get_model_list(model_name=group) or () if _id(d) != _id(first)]
        if kwargs.get("disable_fallbacks") or kwargs.get("specific_deployment"):
            others = []
        return [first] + others


def _id(deployment):
    return (deployment.get("model_info") or {}).get("id")


def _call_args(deployment, kwargs):
    """The deployment's ``litellm_params`` with the call's arguments over them."""
    params = {k: v for k, v in (deployment.get("litellm_params") or {}).items() if k not in _ROUTING_ONLY}
    params.update({k: v for k, v in kwargs.items() if k not in _ROUTER_KWARGS and k != "model"})
    return params


def _stamped(response, deployment):
    """The answer with the deployment in ``_hidden_params``, as routed chat answers have it."""
    hidden = getattr(response, "_hidden_params", None)
    if isinstance(hidden, dict):
        hidden["model_id"] = _id(deployment)
        hidden["api_base"] = (deployment.get("litellm_params") or {}).get("api_base") or hidden.get("api_base")
        hidden["model_group"] = deployment.get("model_name")
    return response
