"""LiteLLM's module paths as lazy shims, and install_as_litellm()."""

import subprocess
import sys

import pytest

SHIMS = [
    "llmrelay.utils",
    "llmrelay.types",
    "llmrelay.types.utils",
    "llmrelay.types.llms.openai",
    "llmrelay.exceptions",
    "llmrelay.caching",
    "llmrelay.integrations.custom_logger",
    "llmrelay.cost_calculator",
]


def run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_llmrelay_loads_no_shim():
    loaded = run("import sys, llmrelay; print(' '.join(sorted(m for m in sys.modules if m.startswith('llmrelay'))))")
    assert loaded.split() == ["llmrelay", "llmrelay._llmrelay", "llmrelay.exceptions"]


@pytest.mark.parametrize("module", SHIMS)
def test_each_shim_imports_without_the_catalog_or_typing(module):
    code = (
        "import sys, llmrelay; before = set(sys.modules); import %s; added = set(sys.modules) - before; "
        "print(' '.join(sorted(added)))" % module
    )
    added = run(code).split()
    for heavy in ("typing", "asyncio", "json", "ssl", "http.client", "litellm"):
        assert heavy not in added, (module, added)


def test_names_at_litellm_paths():
    from llmrelay.caching import Cache
    from llmrelay.cost_calculator import completion_cost, response_cost_calculator
    from llmrelay.integrations.custom_logger import CustomLogger
    from llmrelay.types.llms.openai import ChatCompletionToolCallFunctionChunk, ChatCompletionUserMessage
    from llmrelay.types.utils import Choices, Delta, Message, ModelResponse, Usage
    from llmrelay.utils import get_supported_openai_params, trim_messages, validate_environment

    import llmrelay

    assert ModelResponse is llmrelay.ModelResponse and Usage is llmrelay.Usage
    assert Cache is llmrelay.Cache and CustomLogger is llmrelay.CustomLogger
    assert completion_cost is llmrelay.completion_cost
    assert callable(trim_messages) and callable(validate_environment) and callable(get_supported_openai_params)
    assert callable(response_cost_calculator)
    for cls in (Choices, Delta, Message):
        assert cls.__module__ == "llmrelay"
    # LiteLLM's typed dicts build plain dicts.
    chunk = ChatCompletionToolCallFunctionChunk(name="f", arguments="{}")
    assert type(chunk) is dict and chunk == {"name": "f", "arguments": "{}"}
    assert type(ChatCompletionUserMessage(role="user", content="hi")) is dict


def test_openai_message_content_alias_loads_typing_on_use():
    out = run(
        "import sys; import llmrelay.types.llms.openai as o; a = 'typing' in sys.modules; "
        "o.OpenAIMessageContent; print(a, 'typing' in sys.modules)"
    )
    assert out == "False True"


def test_router_shim_says_why_when_the_build_has_no_router():
    import llmrelay._llmrelay as native

    if hasattr(native, "Router"):
        from llmrelay.router import Router

        assert issubclass(Router, native.Router)
    else:
        with pytest.raises(ImportError, match="not in this build"):
            import llmrelay.router  # noqa: F401


def test_unknown_attribute_is_an_attribute_error():
    import llmrelay

    with pytest.raises(AttributeError, match="no_such_name"):
        llmrelay.no_such_name


INSTALLED = r"""
import sys
import llmrelay
llmrelay.install_as_litellm()
import litellm
import litellm.types.utils
from litellm import completion, acompletion, embedding, completion_cost, ModelResponse
from litellm.types.utils import Choices, Delta, Message, Usage
from litellm.types.llms.openai import ChatCompletionAssistantMessage
from litellm.utils import trim_messages, get_supported_openai_params
from litellm.exceptions import RateLimitError, ContextWindowExceededError
from litellm.integrations.custom_logger import CustomLogger
from litellm.caching import Cache
from litellm.cost_calculator import completion_cost as cc
from litellm.main import completion as main_completion
assert litellm is llmrelay
assert litellm.types.utils.ModelResponse is llmrelay.ModelResponse
assert RateLimitError is llmrelay.RateLimitError and main_completion is llmrelay.completion
litellm.drop_params = True
assert llmrelay.drop_params is True
r = litellm.completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], mock_response="ok")
assert isinstance(r, ModelResponse) and r.choices[0].message.content == "ok"
try:
    import litellm.proxy.proxy_server
except ModuleNotFoundError as err:
    assert "llmrelay" in str(err) and err.name == "litellm.proxy", err
else:
    raise AssertionError("litellm.proxy imported")
# The real LiteLLM (installed in this venv) was never loaded.
assert not any(getattr(m, "__file__", "") and "site-packages/litellm" in m.__file__ for m in sys.modules.values())
print("ok")
"""


def test_install_as_litellm_serves_litellm_and_its_submodules():
    assert run(INSTALLED) == "ok"


def test_install_as_litellm_after_litellm_is_imported_is_an_error(litellm):
    code = (
        "import litellm, llmrelay\n"
        "try:\n    llmrelay.install_as_litellm()\nexcept RuntimeError as e:\n    print('refused', 'before' in str(e))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
    )
    assert out.stdout.strip().endswith("refused True"), out.stderr[-2000:]
