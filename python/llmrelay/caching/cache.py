"""``Cache``: LiteLLM's response cache, with LiteLLM's key rules.

Why Python: the native module's calls are what the cache wraps, and
callbacks, ``cache={...}`` controls and the response objects are Python
here; the gateway's own cache is a separate piece of work (issue 12 asks
for it in Rust: this module's key rules are the specification it must
keep, and the compatibility suite checks them against LiteLLM's).

Key rules (LiteLLM 1.110.2): an explicit ``cache_key`` wins; otherwise the
SHA-256 of ``"name: value"`` for each request parameter in the call (only
LiteLLM's request parameters, in the call's order; ``model`` is the model
group from ``metadata`` when a router set one), prefixed by
``namespace:`` (per call ``cache={"namespace": ...}``, ``metadata
["redis_namespace"]`` or the cache's own). A request with more than
``max_messages`` messages is not cached.

Per call: ``caching=False`` turns the cache off, ``cache={"no-cache":
True}`` skips the read, ``{"no-store": True}`` the write, ``{"ttl": s}``
sets the entry's lifetime, ``{"s-maxage": s}`` refuses older entries; with
``mode="default_off"`` only ``cache={"use-cache": True}`` calls use it.
"""

__all__ = ["Cache", "CacheMode", "LiteLLMCacheType"]


class LiteLLMCacheType:
    """The cache types this package provides (LiteLLM's names)."""

    LOCAL = "local"
    REDIS = "redis"
    DISK = "disk"


class CacheMode:
    """When the cache applies: to every call, or only to opted-in calls."""

    default_on = "default_on"
    default_off = "default_off"


#: LiteLLM's request parameters that enter the key (the union over its
#: call types, as ``ModelParamHelper.get_all_llm_api_params`` gives it).
KEYED_PARAMS = frozenset(
    """access_programs audio background background_options best_of cache_control chunking_strategy compaction
    container context_management conversation dimensions documents echo encoding_format file frequency_penalty
    function_call functions image include inference_geo input instruction instructions keywords
    known_speaker_names known_speaker_references language languages logit_bias logprobs max_chunks_per_doc
    max_completion_tokens max_output_tokens max_tokens max_tokens_per_doc max_tokens_per_query max_tool_calls
    mcp_servers messages modalities model moderation n output_config output_format parallel_tool_calls
    prediction presence_penalty previous_response_id prompt prompt_cache_key prompt_cache_options
    prompt_cache_retention query rank_fields reasoning reasoning_effort response_format return_documents
    safeguards safety_identifier seed service_tier speed stop stop_sequences store stream stream_options suffix
    system temperature text thinking timestamp_granularities tool_choice tools top_k top_logprobs top_n top_p
    truncate_prompt_tokens truncation truncation_side user verbosity web_search_options""".split()
)
#: Provider parameters keyed even though LiteLLM does not own them.
ALWAYS_KEYED = ("continuation_token", "return_token_ids")

SUPPORTED_CALL_TYPES = ["completion", "acompletion", "embedding", "aembedding"]


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
        from llmrelay.caching import backends

        type = getattr(type, "value", type) or LiteLLMCacheType.LOCAL
        self.type = type
        self.mode = getattr(mode, "value", mode) or CacheMode.default_on
        self.namespace = namespace
        self.ttl = ttl
        self.max_messages = max_messages
        self.supported_call_types = list(supported_call_types or SUPPORTED_CALL_TYPES)
        if type == LiteLLMCacheType.LOCAL:
            self.cache = backends.InMemoryCache(default_ttl=default_in_memory_ttl or ttl)
        elif type == LiteLLMCacheType.REDIS:
            self.cache = backends.RedisCache(
                host=host, port=port, password=password, default_ttl=default_in_redis_ttl or ttl, **kwargs
            )
        elif type == LiteLLMCacheType.DISK:
            self.cache = backends.DiskCache(disk_cache_dir=disk_cache_dir, default_ttl=ttl)
        else:
            raise ValueError(
                "llmrelay.Cache supports type='local', 'redis' and 'disk'; %r (a LiteLLM back end that needs "
                "its own service client) is not supported" % (type,)
            )

    # --- keys -------------------------------------------------------------

    def get_cache_key(self, **kwargs):
        """The entry key for a call's keyword arguments (LiteLLM's rules)."""
        import hashlib

        preset = (kwargs.get("litellm_params") or {}).get("preset_cache_key")
        if preset is not None:
            return preset
        material = []
        for param, value in kwargs.items():
            if param in KEYED_PARAMS:
                if param == "model":
                    value = self._model_value(kwargs)
                elif param == "file":
                    value = getattr(value, "name", value)
                if value is not None:
                    material.append("%s: %s" % (param, value))
            elif param in ALWAYS_KEYED and kwargs[param]:
                material.append("%s: %s" % (param, kwargs[param]))
        extra_body = kwargs.get("extra_body")
        if isinstance(extra_body, dict):
            material.extend("extra_body.%s: %s" % (p, extra_body[p]) for p in sorted(ALWAYS_KEYED) if extra_body.get(p))
        digest = hashlib.sha256("".join(material).encode()).hexdigest()
        control = kwargs.get("cache") or {}
        metadata = kwargs.get("metadata") or {}
        namespace = control.get("namespace") or metadata.get("redis_namespace") or self.namespace
        return "%s:%s" % (namespace, digest) if namespace else digest

    @staticmethod
    def _model_value(kwargs):
        """The model part of a key: the router's model group when set."""
        for source in (kwargs.get("metadata"), kwargs.get("litellm_metadata")):
            if isinstance(source, dict) and source.get("model_group"):
                group = str(source["model_group"])
                for caching_group in source.get("caching_groups") or ():
                    if group in caching_group:
                        return str(caching_group)
                return group
        model_id = kwargs.get("model_id")
        return "%s model_id: %s" % (kwargs["model"], model_id) if model_id is not None else kwargs["model"]

    # --- policy -----------------------------------------------------------

    def should_use_cache(self, **kwargs):
        """Whether the cache applies to this call at all (mode, message count)."""
        messages = kwargs.get("messages")
        if self.max_messages is not None and isinstance(messages, list) and len(messages) > self.max_messages:
            return False
        if self.mode == CacheMode.default_on:
            return True
        control = kwargs.get("cache")
        return isinstance(control, dict) and control.get("use-cache") is True

    # --- entries ----------------------------------------------------------

    def get_cache(self, **kwargs):
        """The cached response dict for these call arguments, or None."""
        if not self.should_use_cache(**kwargs):
            return None
        key = kwargs["cache_key"] if "cache_key" in kwargs else self.get_cache_key(**kwargs)
        return self._fresh(self.cache.get_cache(key), kwargs)

    async def async_get_cache(self, **kwargs):
        return self.get_cache(**kwargs)

    def add_cache(self, result, **kwargs):
        """Stores ``result`` (a response object or dict) under the call's key."""
        import json
        import time

        if not self.should_use_cache(**kwargs):
            return
        control = kwargs.get("cache") or {}
        key = kwargs["cache_key"] if "cache_key" in kwargs else self.get_cache_key(**kwargs)
        if hasattr(result, "model_dump"):
            result = result.model_dump()
        entry = json.dumps({"timestamp": time.time(), "response": result}, default=str)
        self.cache.set_cache(key, entry, ttl=control.get("ttl", self.ttl))

    async def async_add_cache(self, result, **kwargs):
        self.add_cache(result, **kwargs)

    def flush(self):
        """Drops every entry of this cache's back end."""
        self.cache.flush_cache()

    @staticmethod
    def _fresh(entry, kwargs):
        """The entry's response, unless older than the call's ``s-maxage``."""
        import json
        import time

        if entry is None:
            return None
        try:
            stored = json.loads(entry)
        except ValueError:
            return None  # an entry another program wrote: a miss, not a crash
        control = kwargs.get("cache") or {}
        max_age = control.get("s-maxage") or control.get("s-max-age")
        if max_age is not None and time.time() - stored.get("timestamp", 0) > float(max_age):
            return None
        return stored.get("response")
