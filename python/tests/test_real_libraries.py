"""Two libraries from PyPI that depend on LiteLLM (DSPy, smolagents) run
their LiteLLM code path on llmrelay through install_as_litellm(), against
the testkit's fake upstream (llmrelay-mock) on loopback.

Each runs in a fresh process, because install_as_litellm() must come
before anything imports litellm (and this test process has imported the
real LiteLLM as the oracle). The script checks that the call went through
llmrelay (an llmrelay callback saw it) and that the real LiteLLM was never
loaded. Skipped when a library is not installed, unless
LLMRELAY_REQUIRE_LIBRARIES is set (CI installs both: .ci/run)."""

import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import start_mock

PRELUDE = r"""
import sys
import llmrelay
llmrelay.install_as_litellm()
seen = []
llmrelay.success_callback = [lambda kwargs, response, start, end: seen.append(kwargs["model"])]
"""

CHECK = r"""
real = [n for n, m in sys.modules.items() if "site-packages/litellm/" in (getattr(m, "__file__", None) or "")]
assert not real, real
import litellm
assert litellm is llmrelay
print("calls", len(seen))
"""

DSPY = r"""
import dspy
lm = dspy.LM("openai/gpt-4o", api_base=sys.argv[1], api_key="sk-test", cache=False, engine="litellm")
dspy.configure(lm=lm)
pred = dspy.Predict("question -> answer")(question="What is the capital of France?")
assert pred.answer == "Paris", pred
# DSPy reads LiteLLM's cost and usage off the response.
assert lm.history[-1]["cost"] > 0 and lm.history[-1]["usage"]["total_tokens"] > 0
"""

SMOLAGENTS = r"""
from smolagents import CodeAgent, LiteLLMModel
model = LiteLLMModel(model_id="openai/gpt-4o", api_base=sys.argv[1], api_key="sk-test")
message = model.generate([{"role": "user", "content": [{"type": "text", "text": "hi"}]}])
assert "final_answer" in message.content and message.token_usage.total_tokens > 0
agent = CodeAgent(tools=[], model=model, max_steps=2, verbosity_level=0)
assert agent.run("What is the capital of France?") == "Paris"
"""

LIBRARIES = {
    # name: (script, what the fake upstream answers)
    "dspy": (DSPY, "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]"),
    "smolagents": (SMOLAGENTS, 'Thought: I know it.\n<code>\nfinal_answer("Paris")\n</code>'),
}


@pytest.mark.parametrize("library", sorted(LIBRARIES))
def test_library_runs_on_llmrelay(library):
    if importlib.util.find_spec(library) is None:
        if os.environ.get("LLMRELAY_REQUIRE_LIBRARIES"):
            raise AssertionError("%s is not installed (CI installs it: .ci/run)" % library)
        pytest.skip("%s is not installed" % library)
    script, content = LIBRARIES[library]
    proc, url = start_mock("--content", content)
    try:
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "HF_HUB_OFFLINE": "1"}
        out = subprocess.run(
            [sys.executable, "-c", PRELUDE + script + CHECK, url],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
    finally:
        proc.kill()
        proc.wait()
    assert out.returncode == 0, out.stderr[-4000:]
    calls = int(out.stdout.split("calls")[-1])
    assert calls >= 1, "the library did not call litellm.completion"
