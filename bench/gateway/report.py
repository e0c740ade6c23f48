"""Turns the oha JSON results of bench/gateway/run.sh into a markdown table.

usage: report.py OUT_DIR
Each run is OUT_DIR/<target>-<mode>-<rate>.json (oha's output) with a
matching .cpu file ("cpu_seconds peak_rss_kib duration_s") for server targets.
"""

import json
import sys
from pathlib import Path


def load(path):
    data = json.loads(path.read_text())
    summary = data["summary"]
    pct = data.get("latencyPercentiles", {})
    codes = data.get("statusCodeDistribution", {})
    total = sum(int(v) for v in codes.values()) + sum(int(v) for v in data.get("errorDistribution", {}).values())
    ok = int(codes.get("200", 0))
    return {
        "success": ok / total if total else 0.0,
        "requests": total,
        "rps": summary.get("requestsPerSec") or 0.0,
        "p50": (pct.get("p50") or 0.0) * 1000,
        "p99": (pct.get("p99") or 0.0) * 1000,
    }


def main():
    out = Path(sys.argv[1])
    runs = {}
    for path in sorted(out.glob("*.json")):
        target, mode, rate = path.stem.split("-")
        try:
            runs[(target, mode, int(rate))] = load(path)
        except (KeyError, ValueError, json.JSONDecodeError) as e:
            print(f"skipping {path.name}: {e}", file=sys.stderr)
            continue
        cpu = path.with_suffix(".cpu")
        if cpu.exists():
            secs, rss, duration = cpu.read_text().split()
            runs[(target, mode, int(rate))]["cpu"] = float(secs) / float(duration)
            runs[(target, mode, int(rate))]["rss"] = int(rss) / 1024
    print("| mode | rate (req/s) | target | success | achieved req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU (cores) | peak RSS MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (target, mode, rate), r in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
        direct = runs.get(("direct", mode, rate))
        added = ("", "")
        if direct and target != "direct":
            added = (f"{r['p50'] - direct['p50']:.3f}", f"{r['p99'] - direct['p99']:.3f}")
        print(f"| {mode} | {rate} | {target} | {r['success'] * 100:.2f} % | {r['rps']:.0f} | {r['p50']:.3f} | {r['p99']:.3f} "
              f"| {added[0]} | {added[1]} | {r.get('cpu', 0):.2f} | {r.get('rss', 0):.1f} |")


main()
