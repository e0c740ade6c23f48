"""Whole-process figures of the llmrelay Python package against LiteLLM, in one run.

    python3 bench/python_bench.py --ours PY --peer PY --mock-bin PATH [--runs N] [--peer-runs N]

PY are interpreters with `llmrelay` (ours) and `litellm` (peer) installed;
PATH is the `llmrelay-mock` binary (the testkit's fake OpenAI upstream). Run
by bench/python_import.sh, which prepares all three. Standard library only.

Measured for each package:
- import: wall time, peak RSS and modules added by `import X`, over a bare
  `python -c pass` (medians of N fresh processes; RSS from wait4);
- mock: a fresh process doing `import X; X.completion(model="gpt-4o",
  messages=[...], mock_response="hi")`, over bare Python;
- first token count: a fresh process doing `import X;
  X.token_counter(model="gpt-4o", text="hi")`, over bare Python: wall time
  and peak RSS (the tokenizer's first use included);
- first call: in one process after import, the first completion against
  llmrelay-mock on loopback (connection, client and runtime set-up included);
- 100th call: the median of calls 91-110 in that process, and its overhead
  over a raw keep-alive HTTP round trip to the same server (http.client);
- each LiteLLM module path (llmrelay.utils, llmrelay.types.utils...): what
  importing it adds after `import llmrelay`, timed in process (median of N
  fresh processes; target <= 2 ms each).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PASS = "pass"
MODULES = "import sys; b = set(sys.modules); import {m}; print(len(set(sys.modules) - b))"
TOKENS = "import {m}; {m}.token_counter(model='gpt-4o', text='hi')"
MOCK = "import {m}; {m}.completion(model='gpt-4o', messages=[{{'role': 'user', 'content': 'hi'}}], mock_response='hi')"

CALLS = r"""
import http.client, json, sys, time, urllib.parse
base = sys.argv[1]
t0 = time.perf_counter()
import {m} as lib
t1 = time.perf_counter()
kwargs = dict(model="openai/gpt-4o", messages=[{{"role": "user", "content": "hi"}}], api_base=base, api_key="sk-bench")
times = []
for _ in range(110):
    s = time.perf_counter()
    r = lib.completion(**kwargs)
    times.append(time.perf_counter() - s)
    assert r.choices[0].message.content
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
body = json.dumps({{"model": "gpt-4o", "messages": kwargs["messages"]}})
raw = []
for _ in range(110):
    s = time.perf_counter()
    conn.request("POST", url.path + "/chat/completions", body, {{"content-type": "application/json", "authorization": "Bearer sk-bench"}})
    conn.getresponse().read()
    raw.append(time.perf_counter() - s)
steady = sorted(times[90:110])
print(json.dumps({{"import": t1 - t0, "first": times[0], "hundredth": steady[len(steady) // 2],
                  "raw": sorted(raw[10:])[len(raw[10:]) // 2]}}))
"""


def run(python, code, *args):
    """Wall seconds and peak RSS (KiB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen([python, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit("%s -c %r failed (exit %d)" % (python, code, proc.returncode))
    return wall, usage.ru_maxrss


def paired(python, code, runs):
    """Median extra wall time and peak RSS of `code` over `pass`, from
    interleaved runs (so load on the machine hits both alike)."""
    walls, rss, bare = [], [], []
    for _ in range(runs):
        base_wall, base_rss = run(python, PASS)
        wall, peak = run(python, code)
        walls.append(wall - base_wall)
        rss.append(peak - base_rss)
        bare.append(base_wall)
    return statistics.median(walls), statistics.median(rss), statistics.median(bare)


def output(python, code, *args):
    return subprocess.run([python, "-c", code, *args], capture_output=True, text=True, check=True).stdout


IN_PROCESS = (
    "import time\n"
    "def rss():\n"
    "    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1])\n"
    "r = rss(); t = time.perf_counter(); import {m}; d = time.perf_counter() - t; print(d, rss() - r)"
)


def measure(python, module, runs, mock_url):
    imp_wall, imp_rss, bare = paired(python, "import " + module, runs)
    mock_wall, _, _ = paired(python, MOCK.format(m=module), runs)
    tokens_wall, tokens_rss, _ = paired(python, TOKENS.format(m=module), runs)
    samples = [output(python, IN_PROCESS.format(m=module)).split() for _ in range(max(3, runs // 3))]
    in_process = statistics.median(float(t) for t, _ in samples)
    rss_added_kib = statistics.median(int(r) for _, r in samples)
    modules = int(output(python, MODULES.format(m=module)).strip())
    calls = json.loads(output(python, CALLS.format(m=module), mock_url).strip().splitlines()[-1])
    return {
        "import_ms": imp_wall * 1e3,
        "import_in_process_ms": in_process * 1e3,
        "import_rss_mb": imp_rss / 1024,
        "import_resident_mb": rss_added_kib / 1024,
        "modules": modules,
        "mock_ms": mock_wall * 1e3,
        "tokens_ms": tokens_wall * 1e3,
        "tokens_rss_mb": tokens_rss / 1024,
        "first_ms": calls["first"] * 1e3,
        "hundredth_ms": calls["hundredth"] * 1e3,
        "overhead_ms": (calls["hundredth"] - calls["raw"]) * 1e3,
        "raw_ms": calls["raw"] * 1e3,
        "bare_ms": bare * 1e3,
    }


SHIMS = [
    "llmrelay.utils",
    "llmrelay.types.utils",
    "llmrelay.types.llms.openai",
    "llmrelay.exceptions",
    "llmrelay.caching",
    "llmrelay.integrations.custom_logger",
    "llmrelay.cost_calculator",
    "llmrelay.router",
]
SHIM = (
    "import time, llmrelay\n"
    "t = time.perf_counter()\n"
    "try:\n    import {m}\nexcept ImportError:\n    pass\n"
    "print(time.perf_counter() - t)"
)


def shim_costs(python, runs):
    """Milliseconds each shim adds after `import llmrelay` (in process)."""
    return {
        shim: statistics.median(float(output(python, SHIM.format(m=shim))) for _ in range(runs)) * 1e3
        for shim in SHIMS
    }


def start_mock(binary):
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise SystemExit("llmrelay-mock did not start")
    return proc, url


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--mock-bin", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--peer-runs", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    mock, url = start_mock(args.mock_bin)
    try:
        ours = measure(args.ours, "llmrelay", args.runs, url)
        peer = measure(args.peer, "litellm", args.peer_runs, url)
    finally:
        mock.kill()
    rows = [
        ("import llmrelay|litellm, over bare python (wall)", "import_ms", "ms", "<= 5 ms"),
        ("  the import statement alone, timed in process", "import_in_process_ms", "ms", ""),
        ("  peak RSS added (ru_maxrss over bare python)", "import_rss_mb", "MB", "<= 10 MB"),
        ("  resident memory added (VmRSS after - before import)", "import_resident_mb", "MB", ""),
        ("  modules added to sys.modules", "modules", "", "<= 10"),
        ("fresh process: import + mock completion, over bare", "mock_ms", "ms", "<= 15 ms"),
        ("fresh process: import + token_counter('gpt-4o', 'hi')", "tokens_ms", "ms", "<= 20 ms"),
        ("  peak RSS added (ru_maxrss over bare python)", "tokens_rss_mb", "MB", "<= 15 MB"),
        ("first completion vs llmrelay-mock after import", "first_ms", "ms", "<= 30 ms"),
        ("100th completion (median of calls 91-110)", "hundredth_ms", "ms", ""),
        ("  client overhead over a raw HTTP round trip", "overhead_ms", "ms", "<= 1 ms"),
        ("  raw keep-alive HTTP round trip (http.client)", "raw_ms", "ms", ""),
        ("bare `python -c pass`", "bare_ms", "ms", ""),
    ]
    print("%-52s %12s %12s %10s" % ("", "llmrelay", "LiteLLM", "target"))
    for label, key, unit, target in rows:
        fmt = "%12d" if key == "modules" else "%9.2f " + (unit or "  ").rjust(2)
        print("%-52s %s %s %10s" % (label, fmt % ours[key], fmt % peer[key], target))
    print("(llmrelay: medians of %d processes; LiteLLM: %d; python %s)" % (args.runs, args.peer_runs, sys.version.split()[0]))
    shims = shim_costs(args.ours, max(5, args.runs // 3))
    print("\n%-52s %12s %10s" % ("import after `import llmrelay` (in process)", "llmrelay", "target"))
    for shim, ms in shims.items():
        print("%-52s %9.2f ms %10s" % ("  import " + shim, ms, "<= 2 ms"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"llmrelay": ours, "litellm": peer, "shims_ms": shims}, f, indent=2)


if __name__ == "__main__":
    main()
