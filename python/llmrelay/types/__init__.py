"""LiteLLM's ``litellm.types`` package path. Its submodules
(``llmrelay.types.utils``, ``llmrelay.types.llms.openai``) load on import."""
