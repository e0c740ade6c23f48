"""LiteLLM's ``litellm.router``: ``Router`` comes from the native module.

A build of the native module without the router raises ``ImportError`` here
with that reason, instead of an ``AttributeError`` deep in user code."""

from llmrelay import _llmrelay

try:
    Router = _llmrelay.Router
except AttributeError:
    raise ImportError(
        "llmrelay.Router is not in this build of the native module (llmrelay._llmrelay); "
        "call llmrelay.completion with fallbacks=[...] instead, or install a build with the router"
    ) from None

__all__ = ["Router"]
