"""Per-call time of `Router.completion(mock_response=...)`: llmrelay's Router
against LiteLLM's, in one run.

    python bench/python_router.py [--calls N] [--peer-calls N] [--rounds R]

Run with an interpreter that has both `llmrelay` (a release build:
`maturin develop --release`, or `pip install ./python`) and `litellm`
1.110.2 installed. Each package gets one Router over the same model_list
(two deployments of one group, one of another) and answers
`router.completion(model="gpt", messages=[...], mock_response="hi")`:
the whole Python call, routing included (group lookup, the pick, the
in-flight and usage counters, the response object with its hidden params),
no network. Figures are medians over N calls after a warm-up, per round;
rounds alternate between the packages so a burst of load on the shared
machine hits both. Standard library only (LiteLLM runs offline with
LITELLM_LOCAL_MODEL_COST_MAP=True).
"""

import argparse
import importlib.metadata
import asyncio
import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

MODEL_LIST = [
    {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "api_key": "sk-a", "rpm": 100}},
    {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o-mini", "api_key": "sk-b", "rpm": 300}},
    {"model_name": "claude", "litellm_params": {"model": "anthropic/claude-3-5-sonnet-20240620", "api_key": "sk-c"}},
]
MESSAGES = [{"role": "user", "content": "hi"}]


def per_call(call, n):
    """Median and p99 of `n` timed calls, in microseconds."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1e6, times[int(len(times) * 0.99) - 1] * 1e6


def per_async_call(router, n):
    """Median of `n` awaited acompletion calls, in microseconds."""

    async def run():
        times = []
        for _ in range(n):
            start = time.perf_counter()
            await router.acompletion(model="gpt", messages=MESSAGES, mock_response="hi")
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e6

    return asyncio.run(run())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--peer-calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import llmrelay
    import litellm

    warnings.simplefilter("ignore")  # LiteLLM's deprecation warnings
    litellm.suppress_debug_info = True
    import logging

    logging.disable(logging.CRITICAL)

    ours = llmrelay.Router(model_list=MODEL_LIST)
    peer = litellm.Router(model_list=MODEL_LIST)
    routers = {"llmrelay": (ours, args.calls), "litellm": (peer, args.peer_calls)}
    for router, _ in routers.values():  # warm-up: first-use set-up is not a per-call cost
        for _ in range(50):
            r = router.completion(model="gpt", messages=MESSAGES, mock_response="hi")
        assert r.choices[0].message.content == "hi" and r._hidden_params["model_id"]

    results = {name: {"sync": [], "p99": [], "async": []} for name in routers}
    for _ in range(args.rounds):
        for name, (router, n) in routers.items():
            median, p99 = per_call(
                lambda: router.completion(model="gpt", messages=MESSAGES, mock_response="hi"), n
            )
            results[name]["sync"].append(median)
            results[name]["p99"].append(p99)
            results[name]["async"].append(per_async_call(router, max(n // 4, 200)))

    print("python %s, llmrelay %s, litellm %s, load average %.2f %.2f %.2f"
          % (sys.version.split()[0], llmrelay.__version__, importlib.metadata.version("litellm"), *os.getloadavg()))
    print("%-10s %-28s %12s %12s" % ("package", "call", "median µs", "p99 µs"))
    best = {}
    for name, r in results.items():
        sync, p99, acall = min(r["sync"]), min(r["p99"]), min(r["async"])
        best[name] = (sync, acall)
        print("%-10s %-28s %12.1f %12.1f" % (name, "Router.completion(mock)", sync, p99))
        print("%-10s %-28s %12.1f %12s" % (name, "await Router.acompletion(mock)", acall, ""))
    print("ratio (litellm / llmrelay): completion %.0fx, acompletion %.0fx"
          % (best["litellm"][0] / best["llmrelay"][0], best["litellm"][1] / best["llmrelay"][1]))


if __name__ == "__main__":
    main()
