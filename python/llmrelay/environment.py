"""LiteLLM's environment helpers: ``get_secret``, ``get_secret_bool``,
``validate_environment`` and ``check_valid_key``.

Secrets come from the process environment only (LiteLLM's key-management
back ends -- AWS Secrets Manager, Vault, OIDC -- are not covered; a name
such as ``oidc/...`` raises a ValueError saying so)."""

import os

from llmrelay import _llmrelay

__all__ = ["get_secret", "get_secret_bool", "get_secret_str", "validate_environment", "check_valid_key"]

#: Providers whose variables are not one API key (LiteLLM's order).
_VARIABLES = {
    "azure": ("AZURE_API_BASE", "AZURE_API_VERSION", "AZURE_API_KEY"),
    "bedrock": ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
    "sagemaker": ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
    "vertex_ai": ("VERTEXAI_PROJECT", "VERTEXAI_LOCATION"),
}


def get_secret(secret_name, default_value=None):
    """The environment variable ``secret_name`` (an ``os.environ/`` prefix
    is dropped; ``"true"``/``"false"`` come back as booleans, as in
    LiteLLM), or ``default_value`` when it is unset."""
    if secret_name.startswith("os.environ/"):
        secret_name = secret_name[len("os.environ/") :]
    if secret_name.startswith("oidc/"):
        raise ValueError(
            "llmrelay.get_secret reads the environment only; OIDC secrets (%r) are not supported" % secret_name
        )
    value = os.environ.get(secret_name)
    if value is None:
        return default_value
    # LiteLLM answers "true"/"false" (any case) as booleans.
    lowered = value.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else value


get_secret_str = get_secret


def get_secret_bool(secret_name, default_value=None):
    """``get_secret`` as a bool: ``"true"``/``"false"`` (any case) map to
    True/False, another text to None, an unset variable to ``default_value``."""
    value = get_secret(secret_name, default_value)
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text == "true" else False if text == "false" else None


def _provider(model):
    try:
        return _llmrelay.get_llm_provider(model)[1]
    except Exception:  # an unknown model: no provider, so no known keys
        return None


def validate_environment(model=None, api_key=None, api_base=None, api_version=None):
    """LiteLLM's ``validate_environment``: ``{"keys_in_environment": bool,
    "missing_keys": [...]}`` for the variables the model's provider needs
    (the key variable from the catalog). An explicit ``api_key``,
    ``api_base`` or ``api_version`` stands in for its variable. Like
    LiteLLM, a model no provider serves needs nothing."""
    provider = _provider(model) if model else None
    if provider is None:
        return {"keys_in_environment": model is not None, "missing_keys": []}
    needed = _VARIABLES.get(provider)
    if needed is None:
        key = (_llmrelay._provider_info(provider) or {}).get("api_key_env")
        needed = (key,) if key else ()
    given = {"API_KEY": api_key, "API_BASE": api_base, "API_VERSION": api_version}
    missing = [
        name
        for name in needed
        if not os.environ.get(name) and not any(name.endswith(s) and v is not None for s, v in given.items())
    ]
    return {"keys_in_environment": not missing, "missing_keys": missing}


def check_valid_key(model, api_key):
    """True when a one-token completion with ``api_key`` succeeds (this
    makes a real call), False when the provider refuses it."""
    import llmrelay
    from llmrelay.exceptions import OpenAIError

    try:
        llmrelay.completion(
            model=model, messages=[{"role": "user", "content": "Hey, how's it going?"}], max_tokens=10, api_key=api_key
        )
    except OpenAIError:
        return False
    return True
