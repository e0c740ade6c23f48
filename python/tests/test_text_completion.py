"""text_completion / atext_completion: LiteLLM's legacy completions API,
served through chat, against the scripted fake upstream (which echoes the
request it got) and the testkit's fake OpenAI upstream (streams)."""

import asyncio
import json

import pytest

import llmrelay


def sent(choice):
    """The chat request the fake upstream received, from its echo."""
    return json.loads(choice.text)


def test_prompt_becomes_one_user_message_and_text_only_params_are_dropped(fake):
    r = llmrelay.text_completion(
        prompt="Say hi", model="openai/echo", api_base=fake.base_url, max_tokens=5, echo=True, suffix="!", best_of=2, logprobs=3
    )
    assert isinstance(r, llmrelay.TextCompletionResponse) and r.object == "text_completion"
    body = sent(r.choices[0])
    assert body["messages"] == [{"role": "user", "content": "Say hi"}]
    assert body["max_tokens"] == 5 and body["logprobs"] is True and body["top_logprobs"] == 3
    assert not {"echo", "suffix", "best_of", "prompt"} & set(body)
    assert r.choices[0].finish_reason == "stop" and r.usage.total_tokens == 12


def test_a_list_of_prompts_gives_one_choice_each_in_order(fake):
    r = llmrelay.text_completion(prompt=["first", "second"], model="openai/echo", api_base=fake.base_url)
    assert [c.index for c in r.choices] == [0, 1]
    assert [sent(c)["messages"][0]["content"] for c in r.choices] == ["first", "second"]
    assert r.usage.prompt_tokens == 18 and r.usage.total_tokens == 24  # summed over both calls


def test_token_prompts_are_decoded(fake):
    tokens = llmrelay.encode(model="openai/echo", text="hello world")
    r = llmrelay.text_completion(prompt=tokens, model="openai/echo", api_base=fake.base_url)
    assert sent(r.choices[0])["messages"][0]["content"] == "hello world"
    r = llmrelay.text_completion(prompt=[tokens, tokens], model="openai/echo", api_base=fake.base_url)
    assert len(r.choices) == 2


def test_atext_completion_runs_the_prompts_concurrently(fake):
    r = asyncio.run(
        llmrelay.atext_completion(prompt=["p%d" % i for i in range(20)], model="openai/echo", api_base=fake.base_url)
    )
    assert [sent(c)["messages"][0]["content"] for c in r.choices] == ["p%d" % i for i in range(20)]


def test_streams_sync_and_async(mock_server):
    stream = llmrelay.text_completion(prompt="hi", model="openai/gpt-4o", api_base=mock_server, stream=True)
    chunks = list(stream)
    assert all(isinstance(c, llmrelay.TextCompletionResponse) for c in chunks)
    assert "".join(c.choices[0].text or "" for c in chunks if c.choices) == "Hello! How can I help you today?"

    async def run():
        s = await llmrelay.atext_completion(prompt="hi", model="openai/gpt-4o", api_base=mock_server, stream=True)
        return "".join([c.choices[0].text or "" async for c in s if c.choices])

    assert asyncio.run(run()) == "Hello! How can I help you today?"


def test_errors_are_typed(fake):
    with pytest.raises(llmrelay.RateLimitError):
        llmrelay.text_completion(prompt="x", model="openai/status-429", api_base=fake.base_url, num_retries=0)
    with pytest.raises(llmrelay.BadRequestError, match="prompt"):
        llmrelay.text_completion(model="openai/echo", api_base=fake.base_url)
    with pytest.raises(llmrelay.BadRequestError, match="single prompt"):
        llmrelay.text_completion(prompt=["a", "b"], model="openai/echo", api_base=fake.base_url, stream=True)
