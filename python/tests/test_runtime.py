"""Threads, the GIL, Ctrl-C and fork."""

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import llmrelay

MESSAGES = [{"role": "user", "content": "hi"}]


def test_threads_call_concurrently(slow_mock_server):
    def call(_):
        return llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=slow_mock_server)

    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(call, range(16)))
    assert all(r.choices[0].message.content for r in results)
    assert time.perf_counter() - start < 1.2  # 16 x 100 ms on 8 threads, not serialised


def test_gil_is_released_during_a_call(fake):
    ticks = 0
    done = threading.Event()

    def call():
        try:
            llmrelay.completion(model="openai/slow", messages=MESSAGES, api_base=fake.base_url, timeout=0.5, num_retries=0)
        except llmrelay.Timeout:
            pass
        done.set()

    thread = threading.Thread(target=call)
    thread.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    assert ticks > 100  # the main thread kept running while the call waited


CTRL_C = r"""
import sys, time, llmrelay
start = time.perf_counter()
print("ready", flush=True)
try:
    llmrelay.completion(model="openai/slow", messages=[{"role": "user", "content": "hi"}], api_base=sys.argv[1], num_retries=0)
except KeyboardInterrupt:
    print("interrupted %.2f" % (time.perf_counter() - start), flush=True)
"""


def test_ctrl_c_interrupts_a_blocking_call(fake):
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C, fake.base_url], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=10)
    assert out.startswith("interrupted"), out
    assert float(out.split()[1]) < 2.0  # well before the 5 s answer


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_calls_work_in_a_forked_child(mock_server):
    # The parent starts the runtime and the connection pool first.
    assert llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=mock_server).choices
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            r = llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=mock_server, timeout=5)
            code = 0 if r.choices[0].message.content else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    # The parent's runtime still works.
    assert llmrelay.completion(model="gpt-4o", messages=MESSAGES, api_base=mock_server).choices
