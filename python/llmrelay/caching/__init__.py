"""LiteLLM's ``litellm.caching``: ``Cache`` and its back ends.

    llmrelay.cache = llmrelay.Cache(type="local")   # or "redis", "disk"
    llmrelay.completion(..., caching=True)            # read and write
    llmrelay.completion(..., cache={"no-cache": True})  # skip the read

The cache lives in Rust (the llmrelay-cache crate, which the gateway uses
too): LiteLLM's key rules, so a key computed here equals LiteLLM's for the
same arguments, and its stores (in-process, Redis, a directory)."""

from llmrelay.caching.cache import (
    Cache,
    CacheBackendError,
    CacheMode,
    DiskCache,
    InMemoryCache,
    LiteLLMCacheType,
    RedisCache,
    RedisReplyError,
)

__all__ = [
    "Cache",
    "CacheBackendError",
    "CacheMode",
    "DiskCache",
    "InMemoryCache",
    "LiteLLMCacheType",
    "RedisCache",
    "RedisReplyError",
]
