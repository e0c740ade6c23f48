"""LiteLLM's ``litellm.caching``: ``Cache`` and its back ends.

    llmrelay.cache = llmrelay.Cache(type="local")   # or "redis", "disk"
    llmrelay.completion(..., caching=True)            # read and write
    llmrelay.completion(..., cache={"no-cache": True})  # skip the read

This cache is Python (see ``llmrelay/caching/cache.py`` for why); the key
rules are LiteLLM's, so a key computed here equals LiteLLM's for the same
arguments."""

from llmrelay.caching.cache import Cache, CacheMode, LiteLLMCacheType

__all__ = ["Cache", "CacheMode", "DiskCache", "InMemoryCache", "LiteLLMCacheType", "RedisCache"]


def __getattr__(name):
    # The back ends (sockets, threads, SQLite) load with the first Cache.
    if name in ("DiskCache", "InMemoryCache", "RedisCache"):
        from llmrelay.caching import backends

        return getattr(backends, name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
