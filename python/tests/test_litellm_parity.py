"""Parity with LiteLLM 1.110.2 (from PyPI, imported once per session) on a
broad sample of the catalog: get_model_info, cost_per_token, completion_cost,
token_counter."""

import math

import pytest

import llmrelay

#: Fields compared for every sampled model.
INFO_FIELDS = (
    "key litellm_provider mode max_tokens max_input_tokens max_output_tokens input_cost_per_token "
    "output_cost_per_token cache_read_input_token_cost cache_creation_input_token_cost "
    "output_cost_per_reasoning_token supports_function_calling supports_vision supports_response_schema "
    "supports_reasoning supports_prompt_caching supports_tool_choice supports_system_messages"
).split()

TEXTS = ["hello world", "Ünïcödé and emoji 🎉 text\n\twith tabs", "def f(x):\n    return x * 2\n" * 20]
CONVERSATION = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": [{"type": "text", "text": "and 3+3?"}]},
]


def known_divergence(model, field, ours, theirs):
    """Differences of the catalog's `get_model_info` from LiteLLM's that are
    known and reported (they belong to crates/catalog, not to this package):
    LiteLLM derives `supports_system_messages` and `supports_reasoning` for
    some provider families, reports a missing token price as 0, and answers
    `lemonade/` models from the provider's own rules."""
    if model.startswith("lemonade/"):
        return True
    if field in ("supports_system_messages", "supports_reasoning") and ours is None and theirs is True:
        return True
    return field in ("input_cost_per_token", "output_cost_per_token") and ours is None and theirs == 0


def sample(litellm, modes, step):
    keys = sorted(k for k, v in litellm.model_cost.items() if isinstance(v, dict) and v.get("mode") in modes)
    return keys[::step]


@pytest.fixture(scope="module")
def chat_models(litellm):
    return sample(litellm, {"chat", "embedding", "completion", "responses"}, 7)


def close(a, b):
    return a == b or (isinstance(a, float) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15))


def test_get_model_info(litellm, chat_models):
    assert len(chat_models) > 400
    compared, mismatches = 0, []
    for model in chat_models:
        try:
            theirs = litellm.get_model_info(model)
        except Exception:
            continue
        ours = llmrelay.get_model_info(model)
        compared += 1
        for field in INFO_FIELDS:
            if not close(ours.get(field), theirs.get(field)) and not known_divergence(
                model, field, ours.get(field), theirs.get(field)
            ):
                mismatches.append((model, field, ours.get(field), theirs.get(field)))
    assert compared > 400
    assert not mismatches, mismatches[:20]


def test_get_max_tokens(litellm, chat_models):
    for model in chat_models[::5]:
        try:
            theirs = litellm.get_max_tokens(model)
        except Exception:
            continue
        assert llmrelay.get_max_tokens(model) == theirs, model


@pytest.mark.parametrize(
    "usage",
    [
        dict(prompt_tokens=1000, completion_tokens=500),
        dict(prompt_tokens=5000, completion_tokens=300, cache_read_input_tokens=1500),
        dict(prompt_tokens=250_000, completion_tokens=1000),
    ],
    ids=["plain", "cache-read", "long-prompt"],
)
def test_cost_per_token(litellm, chat_models, usage):
    compared, mismatches = 0, []
    for model in chat_models:
        try:
            theirs = litellm.cost_per_token(model=model, **usage)
        except Exception:
            continue
        try:
            ours = llmrelay.cost_per_token(model=model, **usage)
        except llmrelay.OpenAIError as err:
            mismatches.append((model, "raised", str(err)))
            continue
        compared += 1
        if not (close(ours[0], theirs[0]) and close(ours[1], theirs[1])):
            mismatches.append((model, ours, theirs))
    assert compared > 300
    assert not mismatches, mismatches[:20]


def test_completion_cost(litellm, chat_models):
    messages = [{"role": "user", "content": "hi"}]
    compared, mismatches = 0, []
    for model in chat_models[::3]:
        info = litellm.model_cost.get(model) or {}
        if info.get("mode") != "chat" or not info.get("input_cost_per_token"):
            continue
        if any("uplift" in key or "multiplier" in key for key in info):
            # Region-dependent prices LiteLLM's completion_cost applies; the
            # catalog's cost model states it leaves them out.
            continue
        try:
            theirs_response = litellm.completion(model=model, messages=messages, mock_response="hi there")
            theirs = litellm.completion_cost(completion_response=theirs_response)
            u = theirs_response.usage
            direct = sum(litellm.cost_per_token(model=model, prompt_tokens=u.prompt_tokens, completion_tokens=u.completion_tokens))
        except Exception:
            continue
        if not close(direct, theirs):
            # LiteLLM's completion_cost re-resolved the name to another entry
            # (region-prefixed Bedrock names): it disagrees with its own
            # cost_per_token, which is what llmrelay matches.
            continue
        ours_response = llmrelay.completion(model=model, messages=messages, mock_response="hi there")
        ours = llmrelay.completion_cost(completion_response=ours_response)
        from_litellm_object = llmrelay.completion_cost(completion_response=theirs_response, model=model)
        compared += 1
        if not (close(ours, theirs) and close(from_litellm_object, theirs)):
            mismatches.append((model, ours, from_litellm_object, theirs))
    assert compared > 50
    assert not mismatches, mismatches[:20]


#: Instants inside and outside DeepSeek's and Tencent's off-peak windows:
#: Monday 00:30 (off), 01:30 (peak), 04:00 (off), 05:59:59 (off), 06:00 (peak),
#: 09:59 (peak), 10:00 (off); Friday 17:00 UTC (Saturday in Shanghai); Sunday 07:00.
OFF_PEAK_INSTANTS = [
    (2025, 1, 13, 0, 30, 0), (2025, 1, 13, 1, 30, 0), (2025, 1, 13, 4, 0, 0), (2025, 1, 13, 5, 59, 59),
    (2025, 1, 13, 6, 0, 0), (2025, 1, 13, 9, 59, 0), (2025, 1, 13, 10, 0, 0), (2025, 1, 17, 17, 0, 0),
    (2025, 1, 19, 7, 0, 0),
]


def test_off_peak_prices_follow_the_billing_moment(litellm):
    from datetime import datetime, timezone

    from litellm._internal_context import pinned_billing_time

    models = sorted({
        k if k.startswith(v["litellm_provider"] + "/") else "%s/%s" % (v["litellm_provider"], k)
        for k, v in litellm.model_cost.items()
        if isinstance(v, dict) and v.get("off_peak_pricing")
    })
    assert len(models) >= 5
    usage = dict(prompt_tokens=5000, completion_tokens=300, cache_read_input_tokens=1500)
    figures, mismatches = set(), []
    for model in models:
        for parts in OFF_PEAK_INSTANTS:
            moment = datetime(*parts, tzinfo=timezone.utc)
            with pinned_billing_time(moment):
                theirs = litellm.cost_per_token(model=model, **usage)
                response = litellm.completion(model=model, messages=[{"role": "user", "content": "hi"}],
                                              mock_response="hi there")
                theirs_total = litellm.completion_cost(completion_response=response)
            ours = llmrelay.cost_per_token(model=model, current_time=moment, **usage)
            naive = llmrelay.cost_per_token(model=model, current_time=moment.replace(tzinfo=None), **usage)
            unix = llmrelay.cost_per_token(model=model, current_time=moment.timestamp(), **usage)
            # A response is billed at its own `created` moment.
            response.created = int(moment.timestamp())
            ours_total = llmrelay.completion_cost(completion_response=response, model=model)
            figures.add((model, ours))
            if not (ours == naive == unix and all(map(close, ours, theirs)) and close(ours_total, theirs_total)):
                mismatches.append((model, moment, ours, naive, unix, theirs, ours_total, theirs_total))
    assert not mismatches, mismatches[:10]
    # Both sides of the windows were exercised: two figures per model.
    assert len(figures) == 2 * len(models), figures
    with pytest.raises(ValueError):
        llmrelay.cost_per_token(model=models[0], prompt_tokens=1, current_time="noon")


def test_token_counter(litellm):
    models = ["gpt-4o", "gpt-4", "gpt-3.5-turbo", "gpt-4o-mini", "text-embedding-3-small",
              "groq/llama-3.3-70b-versatile", "mistral/mistral-large-latest", "deepseek/deepseek-chat",
              "openrouter/openai/gpt-4o", "azure/gpt-4o", "together_ai/meta-llama/Llama-3-70b-chat-hf"]
    mismatches = []
    for model in models:
        for text in TEXTS:
            ours, theirs = llmrelay.token_counter(model=model, text=text), litellm.token_counter(model=model, text=text)
            if ours != theirs:
                mismatches.append((model, text[:20], ours, theirs))
        ours = llmrelay.token_counter(model=model, messages=CONVERSATION)
        theirs = litellm.token_counter(model=model, messages=CONVERSATION)
        if ours != theirs:
            mismatches.append((model, "messages", ours, theirs))
    assert not mismatches, mismatches


def test_encode_decode(litellm):
    # LiteLLM's `encode` uses cl100k_base for every OpenAI model (gpt-4o
    # included); llmrelay encodes with the model's own encoding, the one
    # token_counter counts with. They agree on cl100k models.
    for model in ("gpt-4", "gpt-3.5-turbo"):
        for text in TEXTS:
            ids = llmrelay.encode(model=model, text=text)
            assert ids == list(litellm.encode(model=model, text=text))
            assert llmrelay.decode(model=model, tokens=ids) == litellm.decode(model=model, tokens=ids)
    for model in ("gpt-4o", "gpt-4", "groq/llama-3.3-70b-versatile"):
        for text in TEXTS:
            ids = llmrelay.encode(model=model, text=text)
            assert len(ids) == litellm.token_counter(model=model, text=text)
            assert llmrelay.decode(model=model, tokens=ids) == text


def test_get_llm_provider(litellm):
    for model in ("gpt-4o", "groq/llama-3.3-70b-versatile", "anthropic/claude-3-5-sonnet-20241022",
                  "openrouter/openai/gpt-4o", "azure/my-deployment", "mistral/mistral-large-latest"):
        assert llmrelay.get_llm_provider(model)[:2] == litellm.get_llm_provider(model)[:2], model
