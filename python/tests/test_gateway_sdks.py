"""`llmrelay serve` driven by the official `openai` and `anthropic` SDKs: the
gateway in front of the testkit's fake OpenAI upstream (`llmrelay-mock`) and
the scripted fault server, each SDK raising its own exception classes."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

openai = pytest.importorskip("openai")
anthropic = pytest.importorskip("anthropic")

ROOT = Path(__file__).resolve().parents[2]
MASTER_KEY = "sk-gateway-master-123"


def gateway_binary():
    """The llmrelay binary: $LLMRELAY_BIN, a built one, or built now."""
    explicit = os.environ.get("LLMRELAY_BIN")
    if explicit:
        return explicit
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        path = target / profile / "llmrelay"
        if path.exists():
            return str(path)
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("llmrelay is not built and cargo is not available")
    subprocess.run([cargo, "build", "--quiet", "-p", "llmrelay-cli"], cwd=ROOT, check=True)
    return str(target / "debug" / "llmrelay")


@pytest.fixture(scope="module")
def gateway(mock_server, fake):
    config = f"""
model_list:
  - model_name: gpt-4o
    litellm_params: {{model: openai/gpt-4o, api_base: "{mock_server}", api_key: sk-up}}
  - model_name: text-embedding-3-small
    litellm_params: {{model: openai/text-embedding-3-small, api_base: "{mock_server}", api_key: sk-up}}
  - model_name: "status-*"
    litellm_params: {{model: "openai/status-*", api_base: "{fake.base_url}", api_key: sk-up}}
router_settings:
  num_retries: 0
  disable_cooldowns: true
general_settings:
  master_key: {MASTER_KEY}
"""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(config)
    proc = subprocess.Popen(
        [gateway_binary(), "serve", "--config", f.name, "--port", "0", "--no-request-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stderr.readline()
    if "http://" not in line:
        proc.kill()
        raise RuntimeError("the gateway did not start: %r" % line)
    base = line.strip().rsplit(" ", 1)[-1]
    yield base
    proc.terminate()
    assert proc.wait(timeout=30) == 0
    os.unlink(f.name)


@pytest.fixture
def oa(gateway):
    return openai.OpenAI(base_url=gateway + "/v1", api_key=MASTER_KEY, max_retries=0)


@pytest.fixture
def an(gateway):
    return anthropic.Anthropic(base_url=gateway, api_key=MASTER_KEY, max_retries=0)


def test_openai_chat_and_raw_headers(oa):
    raw = oa.chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    response = raw.parse()
    assert response.choices[0].message.content
    assert response.usage.total_tokens > 0
    assert len(raw.headers["x-litellm-call-id"]) == 36
    assert float(raw.headers["x-litellm-response-cost"]) > 0


def test_openai_streaming(oa):
    stream = oa.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text
    assert chunks[-1].usage.completion_tokens > 0


def test_openai_embeddings_completions_and_responses(oa):
    emb = oa.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert len(emb.data) == 2 and len(emb.data[0].embedding) > 0
    completion = oa.completions.create(model="gpt-4o", prompt="Say hi", max_tokens=5)
    assert completion.choices[0].text
    response = oa.responses.create(model="gpt-4o", input="hi", instructions="Be brief.")
    assert response.output_text
    assert response.usage.input_tokens > 0
    events = list(oa.responses.create(model="gpt-4o", input="hi", stream=True))
    assert events[0].type == "response.created"
    assert events[-1].type == "response.completed"
    assert events[-1].response.output_text


def test_openai_models_list(oa):
    ids = [m.id for m in oa.models.list()]
    assert "gpt-4o" in ids


@pytest.mark.parametrize(
    "model, exception",
    [
        ("status-400", "BadRequestError"),
        ("status-401", "AuthenticationError"),
        ("status-404", "NotFoundError"),
        ("status-429", "RateLimitError"),
        ("status-500", "InternalServerError"),
        ("no-such-group", "BadRequestError"),
    ],
)
def test_openai_errors_raise_the_sdks_classes(oa, model, exception):
    with pytest.raises(getattr(openai, exception)) as info:
        oa.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
    assert "sk-up" not in str(info.value) and MASTER_KEY not in str(info.value)


def test_openai_bad_key_is_authentication_error(gateway):
    client = openai.OpenAI(base_url=gateway + "/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])


def test_anthropic_messages_to_an_openai_model(an):
    message = an.messages.create(
        model="gpt-4o", max_tokens=50, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.type == "message"
    assert message.content[0].type == "text" and message.content[0].text
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens > 0


def test_anthropic_streaming(an):
    with an.messages.stream(
        model="gpt-4o", max_tokens=50, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text
    assert final.content[0].text == text


def test_anthropic_count_tokens(an):
    count = an.messages.count_tokens(model="gpt-4o", messages=[{"role": "user", "content": "Hello, world"}])
    assert count.input_tokens > 0


@pytest.mark.parametrize(
    "model, exception",
    [
        ("status-400", "BadRequestError"),
        ("status-429", "RateLimitError"),
        ("status-500", "InternalServerError"),
    ],
)
def test_anthropic_errors_raise_the_sdks_classes(an, model, exception):
    with pytest.raises(getattr(anthropic, exception)):
        an.messages.create(model=model, max_tokens=5, messages=[{"role": "user", "content": "hi"}])


def test_anthropic_bad_key_is_authentication_error(gateway):
    client = anthropic.Anthropic(base_url=gateway, api_key="sk-wrong", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError):
        client.messages.create(model="gpt-4o", max_tokens=5, messages=[{"role": "user", "content": "hi"}])
