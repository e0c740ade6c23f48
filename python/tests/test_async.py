"""acompletion / aembedding on asyncio."""

import asyncio
import inspect
import time

import pytest

import llmrelay

MESSAGES = [{"role": "user", "content": "hi"}]


def test_acompletion_is_a_coroutine_function():
    assert inspect.iscoroutinefunction(llmrelay.acompletion)
    assert inspect.iscoroutinefunction(llmrelay.aembedding)


def test_acompletion(mock_server):
    async def main():
        return await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, api_base=mock_server)

    r = asyncio.run(main())
    assert r.choices[0].message.content and r._hidden_params["response_cost"] > 0


def test_async_stream(mock_server):
    async def main():
        stream = await llmrelay.acompletion(
            model="gpt-4o", messages=MESSAGES, api_base=mock_server, stream=True, stream_options={"include_usage": True}
        )
        return [chunk async for chunk in stream]

    chunks = asyncio.run(main())
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].usage.total_tokens > 0


def test_async_mock_and_mock_stream():
    async def main():
        r = await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, mock_response="m")
        stream = await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, mock_response="a b", stream=True)
        chunks = [c async for c in stream]
        task = asyncio.create_task(llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, mock_response="t"))
        return r, chunks, await task

    r, chunks, t = asyncio.run(main())
    assert r.choices[0].message.content == "m" and t.choices[0].message.content == "t"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "a b"


def test_aembedding(mock_server):
    async def main():
        return await llmrelay.aembedding(model="text-embedding-3-small", input="x", api_base=mock_server)

    assert len(asyncio.run(main()).data[0].embedding) > 0


def test_async_errors(fake):
    async def main():
        await llmrelay.acompletion(model="openai/status-429", messages=MESSAGES, api_base=fake.base_url, num_retries=0)

    with pytest.raises(llmrelay.RateLimitError):
        asyncio.run(main())

    async def mocked():
        await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, mock_response="litellm.RateLimitError")

    with pytest.raises(llmrelay.RateLimitError):
        asyncio.run(mocked())


def test_gathered_calls_run_concurrently(slow_mock_server):
    async def main():
        calls = [
            llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, api_base=slow_mock_server) for _ in range(10)
        ]
        return await asyncio.gather(*calls)

    start = time.perf_counter()
    results = asyncio.run(main())
    assert len(results) == 10
    assert time.perf_counter() - start < 0.9  # 10 x 100 ms, overlapped


def test_cancelled_call_does_not_break_the_loop(fake):
    async def main():
        task = asyncio.create_task(
            llmrelay.acompletion(model="openai/slow", messages=MESSAGES, api_base=fake.base_url, num_retries=0)
        )
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await llmrelay.acompletion(model="gpt-4o", messages=MESSAGES, mock_response="after")

    assert asyncio.run(main()).choices[0].message.content == "after"
