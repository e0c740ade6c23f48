"""batch_completion*, completion_with_retries and
convert_to_model_response_object against the fake upstreams."""

import asyncio

import pytest

import llmrelay

MESSAGES = [{"role": "user", "content": "hi"}]


def test_batch_completion_keeps_order_and_failures_in_place(fake):
    conversations = [[{"role": "user", "content": "q%d" % i}] for i in range(5)]
    results = llmrelay.batch_completion(
        model="openai/echo", messages=conversations, api_base=fake.base_url, num_retries=0, max_workers=3
    )
    assert [r.choices[0].message.content.count("q%d" % i) for i, r in enumerate(results)] == [1] * 5
    mixed = llmrelay.batch_completion(
        model="openai/status-401", messages=[MESSAGES], api_base=fake.base_url, num_retries=0
    )
    assert isinstance(mixed[0], llmrelay.AuthenticationError)


def test_batch_completion_models(fake):
    first = llmrelay.batch_completion_models(
        messages=MESSAGES, models=["openai/status-500", "openai/echo"], api_base=fake.base_url, num_retries=0
    )
    assert first.model.endswith("echo")
    every = llmrelay.batch_completion_models_all_responses(
        messages=MESSAGES, models=["openai/echo", "openai/status-500", "openai/plain"], api_base=fake.base_url,
        num_retries=0,
    )
    assert [r.model.split("/")[-1] for r in every] == ["echo", "plain"]
    with pytest.raises(llmrelay.InternalServerError):
        llmrelay.batch_completion_models(
            messages=MESSAGES, models=["openai/status-500"], api_base=fake.base_url, num_retries=0
        )


def test_completion_with_retries_retries_any_error(fake):
    # flaky-* answers 503 the first time, then 200: one retry is enough.
    r = llmrelay.completion_with_retries(
        model="openai/flaky-retries-sync", messages=MESSAGES, api_base=fake.base_url, num_retries=2
    )
    assert r.choices[0].message.content == "recovered"
    with pytest.raises(llmrelay.AuthenticationError):
        llmrelay.completion_with_retries(
            model="openai/status-401", messages=MESSAGES, api_base=fake.base_url, num_retries=2
        )


def test_acompletion_with_retries(fake):
    async def main():
        return await llmrelay.acompletion_with_retries(
            model="openai/flaky-retries-async", messages=MESSAGES, api_base=fake.base_url, num_retries=2
        )

    assert asyncio.run(main()).choices[0].message.content == "recovered"


def test_convert_to_model_response_object():
    from llmrelay.utils import convert_to_model_response_object

    r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, mock_response="stored")
    again = convert_to_model_response_object(r.model_dump(), hidden_params={"cache_hit": True})
    assert isinstance(again, llmrelay.ModelResponse) and again.choices[0].message.content == "stored"
    assert again._hidden_params["cache_hit"] is True
    with pytest.raises(ValueError, match="image_generation"):
        convert_to_model_response_object({}, response_type="image_generation")
