"""LiteLLM's ``litellm.types.llms`` package path."""
