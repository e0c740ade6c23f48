"""``Cache``: LiteLLM's response cache over the native ``ResponseCache``.

The key rules, the per-call controls and the stores are Rust
(crates/cache, shared with the gateway): this class keeps LiteLLM's
constructor, attributes and methods and hands each over.

Key rules (LiteLLM 1.110.2): an explicit ``cache_key`` wins; otherwise the
SHA-256 of ``"name: value"`` for each request parameter in the call (only
LiteLLM's request parameters, in the call's order, each as Python's
``str()`` prints it; ``model`` is the model group from ``metadata`` when a
router set one), prefixed by ``namespace:`` (per call ``cache={"namespace":
...}``, ``metadata["redis_namespace"]`` or the cache's own). A request with
more than ``max_messages`` messages is not cached.

Per call: ``caching=False`` turns the cache off, ``cache={"no-cache":
True}`` skips the read, ``{"no-store": True}`` the write, ``{"ttl": s}``
sets the entry's lifetime, ``{"s-maxage": s}`` refuses older entries; with
``mode="default_off"`` only ``cache={"use-cache": True}`` calls use it.
"""

from llmrelay import _llmrelay

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

#: The store failed (Redis unreachable or slow, a disk entry unusable).
CacheBackendError = _llmrelay.CacheBackendError
#: Redis answered a command with an error.
RedisReplyError = _llmrelay.RedisReplyError

SUPPORTED_CALL_TYPES = ["completion", "acompletion", "embedding", "aembedding"]


class LiteLLMCacheType:
    """The cache types this package provides (LiteLLM's names)."""

    LOCAL = "local"
    REDIS = "redis"
    DISK = "disk"


class CacheMode:
    """When the cache applies: to every call, or only to opted-in calls."""

    default_on = "default_on"
    default_off = "default_off"


def _params(**params):
    """LiteLLM's keyword arguments without the unset ones."""
    return {k: v for k, v in params.items() if v is not None}


def InMemoryCache(default_ttl=None, max_size_in_memory=None, **kwargs):
    """LiteLLM's in-process back end (``get_cache``, ``set_cache``...)."""
    return _llmrelay.ResponseCache(
        _params(type="local", default_in_memory_ttl=default_ttl, max_size_in_memory=max_size_in_memory)
    )


def RedisCache(host=None, port=None, password=None, url=None, db=None, namespace=None, default_ttl=None, **kwargs):
    """LiteLLM's Redis back end; unset settings come from ``REDIS_*``."""
    return _llmrelay.ResponseCache(
        _params(
            type="redis",
            host=host,
            port=port,
            password=password,
            url=url,
            db=db,
            namespace=namespace,
            default_in_redis_ttl=default_ttl,
        )
    )


def DiskCache(disk_cache_dir=None, **kwargs):
    """LiteLLM's disk back end (a directory of entries)."""
    return _llmrelay.ResponseCache(_params(type="disk", disk_cache_dir=disk_cache_dir))


class Cache:
    """A response cache for ``completion``/``embedding`` and their async forms.

    ``type`` is ``"local"`` (in-process), ``"redis"`` (``host``, ``port``,
    ``password``; the ``REDIS_HOST``/``REDIS_PORT``/``REDIS_PASSWORD``
    variables otherwise) or ``"disk"`` (``disk_cache_dir``). LiteLLM's other
    types (s3, gcs, qdrant, semantic caches) raise ``ValueError``."""

    def __init__(
        self,
        type=LiteLLMCacheType.LOCAL,
        mode=CacheMode.default_on,
        host=None,
        port=None,
        password=None,
        namespace=None,
        ttl=None,
        default_in_memory_ttl=None,
        default_in_redis_ttl=None,
        supported_call_types=None,
        disk_cache_dir=None,
        max_messages=4,
        **kwargs,
    ):
        type = getattr(type, "value", type) or LiteLLMCacheType.LOCAL
        self.type = type
        self.mode = getattr(mode, "value", mode) or CacheMode.default_on
        self.namespace = namespace
        self.ttl = ttl
        self.max_messages = max_messages
        self.supported_call_types = list(supported_call_types or SUPPORTED_CALL_TYPES)
        params = _params(
            type=type,
            mode=self.mode,
            host=host,
            port=port,
            password=password,
            namespace=namespace,
            ttl=ttl,
            default_in_memory_ttl=default_in_memory_ttl,
            default_in_redis_ttl=default_in_redis_ttl,
            disk_cache_dir=disk_cache_dir,
            supported_call_types=self.supported_call_types,
        )
        params["max_messages"] = max_messages
        for name in ("url", "redis_url", "db", "username", "max_size_in_memory", "socket_timeout"):
            if kwargs.get(name) is not None:
                params[name] = kwargs[name]
        #: The native store (LiteLLM's back-end methods: get_cache, set_cache...).
        self.cache = _llmrelay.ResponseCache(params)

    def __repr__(self):
        return "Cache(%r)" % (self.cache,)

    # --- keys and policy ---------------------------------------------------

    def get_cache_key(self, **kwargs):
        """The entry key for a call's keyword arguments (LiteLLM's rules)."""
        return self.cache.key(kwargs)

    def should_use_cache(self, **kwargs):
        """Whether the cache applies to this call at all (mode, message count)."""
        return self.cache.admits(_message_count(kwargs), _control(kwargs))

    # --- entries -----------------------------------------------------------

    def get_cache(self, **kwargs):
        """The cached response dict for these call arguments, or None."""
        if not self.should_use_cache(**kwargs):
            return None
        key = kwargs["cache_key"] if "cache_key" in kwargs else self.get_cache_key(**kwargs)
        return self.cache.lookup(key, _control(kwargs))

    async def async_get_cache(self, **kwargs):
        return self.get_cache(**kwargs)

    def add_cache(self, result, **kwargs):
        """Stores ``result`` (a response object or dict) under the call's key."""
        if not self.should_use_cache(**kwargs):
            return
        key = kwargs["cache_key"] if "cache_key" in kwargs else self.get_cache_key(**kwargs)
        self.cache.insert(key, result, _control(kwargs))

    async def async_add_cache(self, result, **kwargs):
        self.add_cache(result, **kwargs)

    def flush(self):
        """Drops every entry of this cache's store."""
        self.cache.flush_cache()


def _control(kwargs):
    """The call's ``cache={...}`` controls, or None."""
    control = kwargs.get("cache")
    return control if isinstance(control, dict) else None


def _message_count(kwargs):
    """LiteLLM's count for ``max_messages``: ``messages``, else the
    Responses API ``input`` items (strings and file blocks are not messages)."""
    messages = kwargs.get("messages")
    if isinstance(messages, list):
        return len(messages)
    items = kwargs.get("input")
    if not isinstance(items, list):
        return 0
    return sum(
        1
        for item in items
        if hasattr(item, "model_dump") or (isinstance(item, dict) and item.get("type") != "file")
    )
