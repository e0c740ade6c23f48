"""A process that used llmrelay exits cleanly, whatever it left running.

Once in about thirty runs, a process that abandoned a stream aborted at
interpreter exit (exit code 134, or a segfault): a runtime thread touched
Python after finalization began. The runtime is now shut down from an
atexit hook while Python is whole. This runs a few hundred short processes
that exit during and after streams, threads and async calls, and requires
every one to exit 0.
"""

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

CHILD = textwrap.dedent(
    """
    import asyncio, sys, threading, llmrelay
    url, mode = sys.argv[1], sys.argv[2]
    kw = dict(model="openai/gpt-4o", messages=[{"role": "user", "content": "hi"}],
              api_base=url, api_key="k")
    if mode == "stream_left_open":
        next(iter(llmrelay.completion(stream=True, **kw)))
    elif mode == "stream_finished":
        for _ in llmrelay.completion(stream=True, **kw):
            pass
    elif mode == "thread_mid_stream":
        threading.Thread(target=lambda: list(llmrelay.completion(stream=True, **kw)),
                         daemon=True).start()
    elif mode == "async_stream_left_open":
        async def main():
            stream = await llmrelay.acompletion(stream=True, **kw)
            async for _ in stream:
                break
        asyncio.run(main())
    elif mode == "async_call_pending":
        async def main():
            asyncio.ensure_future(llmrelay.acompletion(**kw))
            await asyncio.sleep(0.001)
        asyncio.run(main())
    """
)

MODES = [
    "stream_left_open",
    "stream_finished",
    "thread_mid_stream",
    "async_stream_left_open",
    "async_call_pending",
]

RUNS_PER_MODE = 40


@pytest.fixture(scope="module")
def streaming_server():
    from conftest import start_mock

    proc, url = start_mock("--stream-delay-ms", "5")
    yield url
    proc.kill()
    proc.wait()


def run_child(url, mode):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, mode],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return mode, done.returncode, done.stderr[-2000:]


def test_hundreds_of_processes_exit_cleanly(streaming_server):
    jobs = [(streaming_server, mode) for mode in MODES for _ in range(RUNS_PER_MODE)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: run_child(*job), jobs))
    failures = [(mode, code, err) for mode, code, err in results if code != 0]
    assert len(results) == len(MODES) * RUNS_PER_MODE
    assert not failures, "%d of %d processes failed; first: %r" % (
        len(failures),
        len(results),
        failures[0],
    )


def test_a_call_after_the_exit_hook_raises_instead_of_crashing(mock_server):
    code = textwrap.dedent(
        """
        import atexit, llmrelay, sys
        kw = dict(model="openai/gpt-4o", messages=[{"role": "user", "content": "hi"}],
                  api_base=sys.argv[1], api_key="k")
        def late_call():
            try:
                llmrelay.completion(**kw)
            except Exception as e:
                print("raised:", type(e).__name__, e)
        atexit.register(late_call)  # runs after llmrelay's hook (atexit is LIFO)
        llmrelay.completion(**kw)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, mock_server], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "raised:" in done.stdout and "exiting" in done.stdout, done.stdout
