"""LiteLLM's ``litellm.integrations`` package path (``custom_logger``)."""
