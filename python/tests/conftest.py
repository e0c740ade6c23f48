"""Shared fixtures: the testkit's fake OpenAI upstream (the `llmrelay-mock`
binary), a scripted Python fake for faults, and LiteLLM as an oracle."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_upstream import FakeUpstream  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# Faults are tested one attempt at a time; retries have their own test.
os.environ.setdefault("OPENAI_API_KEY", "sk-test")


def mock_binary():
    """The llmrelay-mock binary: $LLMRELAY_MOCK_BIN, a built one, or built now."""
    explicit = os.environ.get("LLMRELAY_MOCK_BIN")
    if explicit:
        return explicit
    for profile in ("debug", "release"):
        path = ROOT / "target" / profile / "llmrelay-mock"
        if path.exists():
            return str(path)
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("llmrelay-mock is not built and cargo is not available")
    subprocess.run(
        [cargo, "build", "--quiet", "-p", "llmrelay-testkit", "--bin", "llmrelay-mock"],
        cwd=ROOT,
        check=True,
    )
    return str(ROOT / "target" / "debug" / "llmrelay-mock")


def start_mock(*args):
    proc = subprocess.Popen(
        [mock_binary(), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    if not line.startswith("http://"):
        proc.kill()
        raise RuntimeError("llmrelay-mock did not start: %r %s" % (line, proc.stderr.read()))
    return proc, line


@pytest.fixture(scope="session")
def mock_server():
    """Base URL of the testkit's fake OpenAI upstream."""
    proc, url = start_mock()
    yield url
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def cohere_server():
    """Base URL of the testkit's fake Cohere v2 upstream (chat, embed, rerank)."""
    proc, url = start_mock("--wire", "cohere")
    yield url
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def slow_mock_server():
    """The fake upstream answering after 100 ms (for concurrency tests)."""
    proc, url = start_mock("--latency-ms", "100")
    yield url
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def fake():
    """The scripted fault server (see fake_upstream.py)."""
    server = FakeUpstream()
    yield server
    server.close()


@pytest.fixture(scope="session")
def litellm():
    """LiteLLM 1.110.2 from PyPI, imported once per session, offline.

    Skipped when not installed, unless LLMRELAY_REQUIRE_LITELLM is set (CI)."""
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import litellm as module
    except ImportError:
        if os.environ.get("LLMRELAY_REQUIRE_LITELLM"):
            raise
        pytest.skip("litellm is not installed")
    import logging

    logging.disable(logging.CRITICAL)
    module.suppress_debug_info = True
    module.disable_hf_tokenizer_download = True
    return module
