#!/usr/bin/env bash
# Gateway CPU time per request (user + system, read from /proc) and
# latency at a fixed rate, plain and streamed, through the testkit's fake
# OpenAI upstream. Given LLMRELAY_BIN_BASELINE (another `llmrelay` build:
# an earlier commit, or one without the mimalloc global allocator of
# crates/cli/src/main.rs), it measures that binary the same way, alternating
# with this build, for the comparisons in BENCHMARKS.md.
#
# usage: bash bench/gateway/cpu_per_request.sh [DURATION_S] [RATE]
#   defaults: 20 s at 2000 requests/s; env OHA, LLMRELAY_BIN_BASELINE, ROUNDS (2)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/gateway/common.sh
duration="${1:-20}"
rate="${2:-2000}"
OHA="${OHA:-oha}"
out=bench/out/cpu
rm -rf "$out" && mkdir -p "$out"
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet -p llmrelay-cli -p llmrelay-testkit --bin llmrelay --bin llmrelay-mock
bin="$target_dir/release"
upstream_port=9330; gateway_port=9331
"$bin/llmrelay-mock" --port "$upstream_port" >/dev/null &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true' EXIT
write_config "$upstream_port" "$out/config.yaml"

measure() { # label binary
  local label=$1 binary=$2 gw before after
  "$binary" serve --config "$out/config.yaml" --port "$gateway_port" >/dev/null 2>&1 &
  gw=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$gateway_port") 2>/dev/null; do sleep 0.05; done
  for mode in plain streamed; do
    body=$plain; [ "$mode" = streamed ] && body=$streamed
    before=$(awk '{print $14 + $15}' "/proc/$gw/stat")
    "$OHA" -z "${duration}s" -q "$rate" -c 128 --no-tui --output-format json -m POST \
      -H 'content-type: application/json' -H 'authorization: Bearer sk-bench-master' \
      -d "$body" "http://127.0.0.1:$gateway_port/v1/chat/completions" > "$out/$label-$mode.json" 2>/dev/null || true
    after=$(awk '{print $14 + $15}' "/proc/$gw/stat")
    python3 - "$out/$label-$mode.json" "$label" "$mode" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
path, label, mode, ticks, hz = sys.argv[1:]
oha = json.load(open(path))
ok = oha.get("statusCodeDistribution", {}).get("200", 0)
lat = oha.get("latencyPercentiles", {})
print(f"{label:8} {mode:8} {ok} requests, gateway CPU {int(ticks) / int(hz) * 1e6 / max(ok, 1):.1f} us/request, "
      f"p50 {lat.get('p50', 0) * 1e3:.2f} ms, p99 {lat.get('p99', 0) * 1e3:.2f} ms")
PY
  done
  kill "$gw"; wait "$gw" 2>/dev/null || true
}
for _ in $(seq "${ROUNDS:-2}"); do
  measure this "$bin/llmrelay"
  if [ -n "${LLMRELAY_BIN_BASELINE:-}" ]; then
    measure baseline "$LLMRELAY_BIN_BASELINE"
  fi
done
