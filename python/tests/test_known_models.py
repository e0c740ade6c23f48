"""LiteLLM's per-provider model sets and add_known_models: built from the
catalog on first read (never by `import llmrelay`), mutable, and filled by
add_known_models with the entries of a cost map."""

import subprocess
import sys

import pytest

import llmrelay


def test_sets_are_not_built_by_import():
    code = "import sys, llmrelay; print('llmrelay.known_models' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_each_provider_files_its_catalog_models():
    assert "gpt-4o" in llmrelay.open_ai_chat_completion_models
    assert not any(m.startswith("ft:") for m in llmrelay.open_ai_chat_completion_models)
    assert "claude-sonnet-4-5" in llmrelay.anthropic_models
    assert "command-r-08-2024" in llmrelay.cohere_chat_models
    assert all(not m.startswith("vertex_ai/") for m in llmrelay.vertex_anthropic_models)
    assert llmrelay.bedrock_models and llmrelay.gemini_models and llmrelay.groq_models
    assert isinstance(llmrelay.anthropic_models, set)
    from llmrelay.utils import trim_messages  # noqa: F401  (unrelated names still resolve)


def test_unknown_list_names_are_attribute_errors():
    assert not hasattr(llmrelay, "no_such_provider_models")
    with pytest.raises(AttributeError):
        llmrelay.no_such_provider_models


def test_add_known_models_files_new_entries(monkeypatch):
    entry = {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 1e-7, "output_cost_per_token": 2e-7}
    llmrelay.add_known_models({"gemini/known-test-model": entry, "not-a-dict": 3})
    assert "gemini/known-test-model" in llmrelay.gemini_models
    assert "gemini/known-test-model" in llmrelay.models_by_provider["gemini"]
    vertex = {"litellm_provider": "vertex_ai-anthropic_models", "mode": "chat"}
    llmrelay.add_known_models({"vertex_ai/claude-known-test": vertex})
    assert "claude-known-test" in llmrelay.vertex_anthropic_models


def test_add_known_models_defaults_to_model_cost():
    llmrelay.model_cost["known-default-model"] = {
        "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6,
    }  # fmt: skip
    llmrelay.add_known_models()
    assert "known-default-model" in llmrelay.open_ai_chat_completion_models
