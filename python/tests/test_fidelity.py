"""The fidelity cases of issue 13, replayed from LiteLLM 1.110.2's recorded
answers (bench/oracle/*.py writes them; they are committed test data), and the
`llmrelay` CLI checked against the Python functions on each of them."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import llmrelay

ROOT = Path(__file__).resolve().parents[2]
NAME_CASES = ROOT / "crates/catalog/tests/data/litellm_name_cases.jsonl"
PROVIDER_ENV_SUFFIXES = ("_API_BASE", "_API_KEY", "_TOKEN")


def load(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def answered(value):
    return not (isinstance(value, dict) and "raises" in value)


def close(a, b):
    return a == b or abs(a - b) <= max(1e-15, 1e-12 * max(abs(a), abs(b)))


@pytest.fixture(scope="module")
def cli():
    """Runs the `llmrelay` binary ($LLMRELAY_CLI_BIN, a built one, or built now)
    with the provider variables cleared, and returns its JSON output."""
    binary = os.environ.get("LLMRELAY_CLI_BIN")
    if not binary:
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        found = [target / p / "llmrelay" for p in ("debug", "release") if (target / p / "llmrelay").exists()]
        if not found:
            cargo = shutil.which("cargo")
            if cargo is None:
                pytest.skip("the llmrelay CLI is not built and cargo is not available")
            subprocess.run([cargo, "build", "--quiet", "-p", "llmrelay-cli"], cwd=ROOT, check=True)
            found = [target / "debug" / "llmrelay"]
        binary = str(found[0])
    env = {k: v for k, v in os.environ.items() if not k.endswith(PROVIDER_ENV_SUFFIXES)}
    env.pop("LLMRELAY_MODEL_COST_MAP", None)

    def run(*args):
        out = subprocess.run([binary, *args, "--json"], capture_output=True, text=True, env=env)
        return json.loads(out.stdout) if out.returncode == 0 else {"raises": out.stderr.strip()}

    return run


@pytest.fixture
def no_provider_env(monkeypatch):
    for var in list(os.environ):
        if var.endswith(PROVIDER_ENV_SUFFIXES):
            monkeypatch.delenv(var)


def test_names_resolve_describe_price_and_count_as_litellm(no_provider_env):
    cases = load(NAME_CASES)
    assert len(cases) >= 30
    mismatches, compared = [], 0
    for case in cases:
        name = case["name"]
        if answered(case["get_llm_provider"]):
            compared += 1
            ours = list(llmrelay.get_llm_provider(name))
            if ours != case["get_llm_provider"]:
                mismatches.append((name, "get_llm_provider", ours, case["get_llm_provider"]))
        if answered(case["get_model_info"]):
            compared += 1
            ours = llmrelay.get_model_info(name)
            for field, theirs in case["get_model_info"].items():
                mine = ours.get(field)
                if not (mine == theirs or (isinstance(theirs, float) and close(mine or 0.0, theirs))):
                    mismatches.append((name, field, mine, theirs))
        if answered(case["cost_per_token"]):
            compared += 1
            ours = llmrelay.cost_per_token(model=name, prompt_tokens=1000, completion_tokens=500)
            if not all(map(close, ours, case["cost_per_token"])):
                mismatches.append((name, "cost_per_token", ours, case["cost_per_token"]))
        compared += 1
        ours = llmrelay.token_counter(model=name, text=case["token_text"])
        if ours != case["token_counter"]:
            mismatches.append((name, "token_counter", ours, case["token_counter"]))
    assert not mismatches, mismatches
    assert compared >= 80


def test_cli_agrees_with_python_on_the_name_cases(cli, no_provider_env):
    mismatches = []
    for case in load(NAME_CASES):
        name = case["name"]
        try:
            info = llmrelay.get_model_info(name)
        except llmrelay.OpenAIError:
            info = None
        cli_info = cli("info", name)
        if info is None:
            if answered(cli_info):
                mismatches.append((name, "info", cli_info, "raises"))
        elif cli_info.get("key") != info["key"] or cli_info.get("litellm_provider") != info["litellm_provider"]:
            mismatches.append((name, "info", cli_info.get("key"), info["key"]))
        try:
            cost = llmrelay.cost_per_token(model=name, prompt_tokens=1000, completion_tokens=500)
        except llmrelay.OpenAIError:
            cost = None
        cli_cost = cli("cost", name, "--input", "1000", "--output", "500")
        if cost is None:
            if answered(cli_cost):
                mismatches.append((name, "cost", cli_cost, "raises"))
        elif not answered(cli_cost) or not (
            close(cli_cost["prompt_cost"], cost[0]) and close(cli_cost["completion_cost"], cost[1])
        ):
            mismatches.append((name, "cost", cli_cost, cost))
        text = case["token_text"]
        cli_tokens = cli("tokens", name, text)
        if cli_tokens.get("tokens") != llmrelay.token_counter(model=name, text=text):
            mismatches.append((name, "tokens", cli_tokens, llmrelay.token_counter(model=name, text=text)))
    assert not mismatches, mismatches


TOKEN_CASES = ROOT / "crates/tokens/tests/data/litellm_token_cases.jsonl"


def tool_cases():
    """LiteLLM's counts of the recorded conversations with tools or a
    tool_choice, for the models it counts with tiktoken."""
    lines = load(TOKEN_CASES)
    conversations = {c["id"]: c for c in lines if c["kind"] == "conversation"}
    for case in lines:
        if case["kind"] != "messages" or "count" not in case or case["tokenizer"] != "tiktoken":
            continue
        conversation = conversations[case["conversation"]]
        if "tools" in conversation or "tool_choice" in conversation:
            yield case["model"], conversation, case["count"]


def test_token_counter_counts_tools_and_tool_choice_as_litellm():
    cases = list(tool_cases())
    assert len(cases) >= 150
    named = sum(isinstance(c.get("tool_choice"), dict) for _, c, _ in cases)
    assert named >= 50
    mismatches = []
    for model, conversation, count in cases:
        ours = llmrelay.token_counter(model=model, messages=conversation["messages"],
                                      tools=conversation.get("tools"), tool_choice=conversation.get("tool_choice"))
        if ours != count:
            mismatches.append((model, conversation["id"], ours, count))
    assert not mismatches, mismatches[:20]


def test_tools_with_text_are_refused_as_litellm_does():
    tools = [{"type": "function", "function": {"name": "f"}}]
    with pytest.raises(ValueError):
        llmrelay.token_counter(model="gpt-4o", text="hi", tools=tools)
    with pytest.raises(ValueError):
        llmrelay.token_counter(model="gpt-4o", text="hi", tool_choice="none")
    assert llmrelay.token_counter(model="gpt-4o", text="hi", tools=[]) == 1


def test_cli_counts_tools_and_tool_choice_as_python(cli):
    mismatches = []
    for model, conversation, count in list(tool_cases())[::7]:
        args = ["tokens", model, json.dumps(conversation["messages"]), "--messages"]
        if "tools" in conversation:
            args += ["--tools", json.dumps(conversation["tools"])]
        choice = conversation.get("tool_choice")
        if choice is not None:
            args += ["--tool-choice", choice if isinstance(choice, str) else json.dumps(choice)]
        out = cli(*args)
        if out.get("tokens") != count:
            mismatches.append((model, conversation["id"], out, count))
    assert not mismatches, mismatches[:20]


def test_usage_reads_none_counts_as_zero():
    # LiteLLM 1.110.2: Usage(prompt_tokens=None, ...) reads 0.
    usage = llmrelay.Usage(prompt_tokens=None, completion_tokens=None, total_tokens=None)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (0, 0, 0)
    usage = llmrelay.Usage(prompt_tokens=5, completion_tokens=None)
    assert (usage.prompt_tokens, usage.completion_tokens) == (5, 0)
    assert llmrelay.Usage(prompt_tokens_details=None).prompt_tokens_details is None


def test_stream_chunk_builder_of_nothing_buildable_raises_api_error():
    # LiteLLM 1.110.2: None (or a chunk of another shape) raises its APIError
    # (status 500); an empty list builds nothing.
    with pytest.raises(llmrelay.APIError) as err:
        llmrelay.stream_chunk_builder(None)
    assert err.value.status_code == 500
    assert "Error building chunks" in str(err.value)
    with pytest.raises(llmrelay.APIError):
        llmrelay.stream_chunk_builder([{"choices": "not a list"}])
    assert llmrelay.stream_chunk_builder([]) is None


def test_mock_timeout_raises_timeout_after_the_timeout():
    messages = [{"role": "user", "content": "hi"}]
    with pytest.raises(llmrelay.Timeout) as err:
        llmrelay.completion(model="gpt-4o", messages=messages, mock_timeout=True, timeout=0.05)
    assert err.value.status_code == 408
    assert "mock timeout" in str(err.value)
    assert err.value.llm_provider == "openai"
    assert err.value.model == "gpt-4o"
    # Only True itself asks for it, as in LiteLLM.
    response = llmrelay.completion(model="gpt-4o", messages=messages, mock_timeout=False, mock_response="x")
    assert response.choices[0].message.content == "x"


def test_acompletion_mock_timeout_raises_timeout():
    import asyncio

    async def call():
        return await llmrelay.acompletion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}],
                                          mock_timeout=True, timeout=0.05)

    with pytest.raises(llmrelay.Timeout):
        asyncio.run(call())


def test_cli_bills_off_peak_prices_as_python(cli):
    from datetime import datetime, timezone

    models = ["deepseek/deepseek-flash", "deepseek/deepseek-pro-latest", "tencent/deepseek-v4.1-flash"]
    instants = [datetime(2025, 1, 13, h, m, tzinfo=timezone.utc) for h, m in ((0, 30), (1, 30), (5, 59), (10, 0))]
    instants.append(datetime(2025, 1, 17, 17, 0, tzinfo=timezone.utc))
    mismatches, figures = [], set()
    for model in models:
        for moment in instants:
            ours = llmrelay.cost_per_token(model=model, prompt_tokens=5000, completion_tokens=300,
                                           cache_read_input_tokens=1500, current_time=moment)
            out = cli("cost", model, "--input", "5000", "--output", "300", "--cached", "1500",
                      "--at", moment.isoformat())
            figures.add((model, ours))
            if not answered(out) or not (close(out["prompt_cost"], ours[0]) and close(out["completion_cost"], ours[1])):
                mismatches.append((model, moment, out, ours))
    assert not mismatches, mismatches
    assert len(figures) == 2 * len(models)


COST_CASES = ROOT / "crates/catalog/tests/data/litellm_cost_cases.jsonl"
CLI_USAGE_FIELDS = {"prompt_tokens", "completion_tokens", "cached_tokens", "cache_creation_tokens"}


def test_cli_prices_the_cost_oracle_cases_as_python(cli):
    # Every 50th recorded LiteLLM cost case the CLI's flags can express (all
    # models, tiers and cache mixes of bench/oracle/litellm_cost_cases.py);
    # the CLI refuses cached + cache-creation tokens beyond --input, which
    # counts them (as OpenAI does), so those cases are left to Python.
    cases = [
        c for c in load(COST_CASES)
        if set(c["usage"]) <= CLI_USAGE_FIELDS and c["service_tier"] in ("standard", "batch", "priority", "flex")
        and c["usage"].get("cached_tokens", 0) + c["usage"].get("cache_creation_tokens", 0) <= c["usage"]["prompt_tokens"]
    ][::50]
    assert len(cases) >= 200
    mismatches, priced = [], 0
    for case in cases:
        usage, tier = case["usage"], case["service_tier"]
        cached, creation = usage.get("cached_tokens", 0), usage.get("cache_creation_tokens", 0)
        try:
            ours = llmrelay.cost_per_token(
                model=case["model"], prompt_tokens=usage["prompt_tokens"],
                completion_tokens=usage["completion_tokens"], cache_read_input_tokens=cached,
                cache_creation_input_tokens=creation, service_tier=tier)
        except llmrelay.OpenAIError:
            ours = None
        out = cli("cost", case["model"], "--input", str(usage["prompt_tokens"]),
                  "--output", str(usage["completion_tokens"]), "--cached", str(cached),
                  "--cache-creation", str(creation), "--tier", tier)
        if ours is None:
            if answered(out):
                mismatches.append((case["model"], tier, out, "raises"))
            continue
        priced += 1
        if not answered(out) or not (close(out["prompt_cost"], ours[0]) and close(out["completion_cost"], ours[1])):
            mismatches.append((case["model"], tier, out, ours))
    assert not mismatches, mismatches[:20]
    assert priced >= 150


def test_cli_counts_the_token_oracle_cases_as_python(cli):
    # Texts and tool-less conversations of bench/oracle/litellm_token_cases.py
    # (the ones with tools are above), every model family the oracle covers.
    lines = load(TOKEN_CASES)
    conversations = {c["id"]: c for c in lines if c["kind"] == "conversation"}
    texts = [c for c in lines if c["kind"] == "text" and "text" in c][::5]
    chats = [
        c for c in lines
        if c["kind"] == "messages" and "count" in c
        and not {"tools", "tool_choice"} & set(conversations[c["conversation"]])
    ][::10]
    assert len(texts) >= 100 and len(chats) >= 50
    mismatches = []
    for case in texts:
        ours = llmrelay.token_counter(model=case["model"], text=case["text"])
        out = cli("tokens", case["model"], case["text"])
        if out.get("tokens") != ours:
            mismatches.append((case["model"], case["text"][:40], out, ours))
    for case in chats:
        messages = conversations[case["conversation"]]["messages"]
        ours = llmrelay.token_counter(model=case["model"], messages=messages)
        out = cli("tokens", case["model"], json.dumps(messages), "--messages")
        if out.get("tokens") != ours:
            mismatches.append((case["model"], case["conversation"], out, ours))
    assert not mismatches, mismatches[:20]
