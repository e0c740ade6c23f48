"""Latency a virtual key adds over the master key, through HTTP.

usage: python3 bench/gateway/keys.py [REQUESTS]   (default 3000 per key kind)

Starts the testkit's fake OpenAI upstream (llmrelay-mock) and `llmrelay
serve` (release builds under $CARGO_TARGET_DIR or target/) with a master key,
so virtual keys are on (SQLite in a temp folder). Generates two keys: one
with no budget or limits, one with a budget and rpm/tpm limits (so every
call reserves and settles against SQLite and is counted by the limiter).
Then sends REQUESTS chat completions per kind, interleaved master / plain
key / budgeted key on one keep-alive connection each, and prints each kind's
p50 and p90 and the p50 added over the master key. The client's own cost is
the same for every kind, so it cancels in the differences.
"""

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

MASTER = "sk-bench-master"
BODY = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "Say hi"}]})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, deadline=30.0):
    end = time.time() + deadline
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.01)
    sys.exit(f"nothing listens on {port}")


def post(conn, path, body, key):
    conn.request("POST", path, body, {"content-type": "application/json",
                                      "authorization": "Bearer " + key})
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    bin_dir = os.path.join(target, "release")
    work = tempfile.mkdtemp(prefix="llmrelay-keys-bench-")
    upstream_port, gateway_port = free_port(), free_port()
    procs = [subprocess.Popen([os.path.join(bin_dir, "llmrelay-mock"), "--port", str(upstream_port)],
                              stdout=subprocess.DEVNULL)]
    try:
        wait_for(upstream_port)
        with open(os.path.join(work, "config.yaml"), "w") as f:
            f.write(f"""model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: http://127.0.0.1:{upstream_port}/v1
      api_key: sk-bench-upstream
general_settings:
  master_key: {MASTER}
""")
        procs.append(subprocess.Popen(
            [os.path.join(bin_dir, "llmrelay"), "serve", "--no-request-log", "--port", str(gateway_port),
             "--config", os.path.join(work, "config.yaml")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for(gateway_port)
        admin = http.client.HTTPConnection("127.0.0.1", gateway_port)
        keys = {"master key": MASTER}
        for kind, body in [("virtual key", {}),
                           ("virtual key + budget + rpm/tpm", {"max_budget": 1000.0, "rpm_limit": 10**9,
                                                               "tpm_limit": 10**12})]:
            status, data = post(admin, "/key/generate", json.dumps(body), MASTER)
            assert status == 200, data
            keys[kind] = json.loads(data)["key"]
        conns = {kind: http.client.HTTPConnection("127.0.0.1", gateway_port) for kind in keys}
        samples = {kind: [] for kind in keys}
        for kind, key in keys.items():  # warm-up: connections, key cache, first call
            for _ in range(50):
                assert post(conns[kind], "/v1/chat/completions", BODY, key)[0] == 200
        for _ in range(n):
            for kind, key in keys.items():
                t = time.perf_counter()
                status, data = post(conns[kind], "/v1/chat/completions", BODY, key)
                samples[kind].append((time.perf_counter() - t) * 1e6)
                assert status == 200, data
        base = statistics.median(samples["master key"])
        print(f"{n} requests per kind, interleaved, one keep-alive connection each")
        print(f"{'caller':34} {'p50 µs':>8} {'p90 µs':>8} {'p50 added':>10}")
        for kind, xs in samples.items():
            xs.sort()
            p50, p90 = statistics.median(xs), xs[int(len(xs) * 0.9)]
            print(f"{kind:34} {p50:8.0f} {p90:8.0f} {p50 - base:+10.0f}")
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)


main()
