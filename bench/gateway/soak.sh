#!/usr/bin/env bash
# Resident memory of `llmrelay serve` under a long steady load: the testkit's
# fake OpenAI upstream (llmrelay-mock) behind the gateway, oha at a fixed
# rate, RSS sampled every 10 s. The issue's target: RSS flat (within 10 %)
# over a 10-minute soak at 1,000 requests/s.
#
# usage: bash bench/gateway/soak.sh [DURATION_S] [RATE] [MODE]
#   defaults: 600 s, 1000 requests/s, plain (or: streamed)
# env: OHA (default: oha on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/gateway/common.sh
duration="${1:-600}"
rate="${2:-1000}"
mode="${3:-plain}"
OHA="${OHA:-oha}"
out=bench/out/soak
rm -rf "$out" && mkdir -p "$out"
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p llmrelay-cli -p llmrelay-testkit --bin llmrelay --bin llmrelay-mock
bin="$target_dir/release"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
upstream_port=9320; gateway_port=9321
"$bin/llmrelay-mock" --port "$upstream_port" >/dev/null &
pids+=($!)
write_config "$upstream_port" "$out/config.yaml"
"$bin/llmrelay" serve --config "$out/config.yaml" --port "$gateway_port" > /dev/null 2> "$out/serve.log" &
gateway_pid=$!
pids+=("$gateway_pid")
until (exec 3<>"/dev/tcp/127.0.0.1/$gateway_port") 2>/dev/null; do sleep 0.05; done

body=$plain
[ "$mode" = streamed ] && body=$streamed
# VmRSS and its parts: anonymous (heap, stacks), file-backed (the binary,
# SQLite's mapped files), shared memory (SQLite's WAL index).
rss() { awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ {printf "%s ", $2}' "/proc/$gateway_pid/status"; }
echo "t_s rss_kib anon_kib file_kib shmem_kib" > "$out/rss.txt"
(
  t=0
  while kill -0 "$gateway_pid" 2>/dev/null && [ "$t" -le "$duration" ]; do
    echo "$t $(rss)" >> "$out/rss.txt"
    sleep 10
    t=$((t + 10))
  done
) &
sampler=$!
"$OHA" -z "${duration}s" -q "$rate" -c 128 --no-tui --output-format json -m POST \
  -H 'content-type: application/json' -H 'authorization: Bearer sk-bench-master' \
  -d "$body" "http://127.0.0.1:$gateway_port/v1/chat/completions" > "$out/oha.json" 2>/dev/null || true
kill "$sampler" 2>/dev/null || true
echo "$(( duration )) $(rss)" >> "$out/rss.txt"
python3 - "$out" "$duration" "$rate" "$mode" <<'PY'
import json, sys
out, duration, rate, mode = sys.argv[1:]
table = [list(map(int, l.split())) for l in open(f"{out}/rss.txt").read().split("\n")[1:] if l.strip()]
rows = [(r[0], r[1]) for r in table]
oha = json.load(open(f"{out}/oha.json"))
summary = oha.get("summary", {})
codes = oha.get("statusCodeDistribution", {})
total = sum(codes.values()) or 1
# Warm-up: the first minute (connection pools, allocator arenas) is not the trend.
steady = [r for t, r in rows if t >= 60] or [r for _, r in rows]
lo, hi = min(steady), max(steady)
print(f"soak {mode} {rate} req/s for {duration} s: success {100 * codes.get('200', 0) / total:.2f} % "
      f"({summary.get('requestsPerSec', 0):.0f} req/s achieved)")
print(f"RSS at 10 s {rows[0][1] / 1024:.1f} MiB; after 60 s min {lo / 1024:.1f} MiB, max {hi / 1024:.1f} MiB, "
      f"end {rows[-1][1] / 1024:.1f} MiB; spread after warm-up {100 * (hi - lo) / lo:.1f} % (target within 10 %)")
first, last = table[0], table[-1]
if len(first) == 5 and len(last) == 5:
    print("parts at 10 s -> end (MiB): " + ", ".join(
        f"{name} {a / 1024:.1f} -> {b / 1024:.1f}"
        for name, a, b in zip(("anon", "file", "shmem"), first[2:], last[2:])))
PY
