"""LiteLLM's model lists over the built-in catalog: ``model_list``,
``provider_list``, ``models_by_provider``, ``get_valid_models`` and
``get_model_cost_map``. Each list is built on first read (through the
package's lazy ``__getattr__``) and then kept, so a caller's changes stick
as they do in LiteLLM."""

import os

import llmrelay
from llmrelay import _llmrelay

__all__ = ["get_model_cost_map", "get_valid_models", "model_list", "models_by_provider", "provider_list"]


def get_model_cost_map(url=None, timeout=5, **kwargs):
    """The model/price map as a plain dict. llmrelay never fetches it: the
    catalog is compiled in (``LLMRELAY_MODEL_COST_MAP`` or
    ``register_model`` add to it), so ``url`` is accepted and not read."""
    catalog = _llmrelay.ModelCostMap()
    return {key: catalog[key] for key in catalog}


def _models_by_provider():
    grouped = {}
    catalog = _llmrelay.ModelCostMap()
    for key in catalog:
        provider = catalog[key].get("litellm_provider")
        if provider:
            grouped.setdefault(provider, set()).add(key)
    return grouped


def get_valid_models(check_provider_endpoint=None, custom_llm_provider=None, litellm_params=None, api_key=None, api_base=None):
    """The models of every provider whose API key is in the environment (or
    of ``custom_llm_provider`` alone). ``check_provider_endpoint`` (listing
    models from the provider's API) is not supported: the catalog answers."""
    by_provider = llmrelay.models_by_provider
    providers = [custom_llm_provider] if custom_llm_provider else list(by_provider)
    valid = []
    for provider in providers:
        row = _llmrelay._provider_info(provider) or {}
        key = row.get("api_key_env")
        if custom_llm_provider or api_key or (key and os.environ.get(key)):
            valid.extend(sorted(by_provider.get(provider, ())))
    return valid


def __getattr__(name):
    builders = {
        "model_list": lambda: list(_llmrelay.ModelCostMap()),
        "provider_list": lambda: list(_llmrelay._provider_names()),
        "models_by_provider": _models_by_provider,
    }
    if name not in builders:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = builders[name]()
    globals()[name] = value
    return value
