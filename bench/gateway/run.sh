#!/usr/bin/env bash
# The gateway under load, beside LiteLLM's proxy, in one run on one machine:
# the testkit's fake OpenAI upstream (llmrelay-mock), `llmrelay serve` and
# `litellm --config` (litellm[proxy]==1.110.2) in front of it, driven by oha
# at fixed rates, plain and streamed. Reports success rate, latency added over
# calling the upstream directly (p50, p99), server CPU and peak RSS, plus
# start-to-first-request time and idle RSS.
#
# usage: bash bench/gateway/run.sh [DURATION_S] [RATES...]
#   defaults: 30 s; 250 1000 2000 4000 requests/s
# env: OHA (default: oha on PATH), LITELLM_PROXY (default: bench/out/proxy-venv/bin/litellm,
#      created on first use), SKIP_LITELLM=1 to measure llmrelay alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/gateway/common.sh
duration="${1:-30}"
shift || true
rates=("${@:-250 1000 2000 4000}")
read -r -a rates <<< "${rates[*]}"
out=bench/out/gateway
rm -rf "$out" && mkdir -p "$out"
OHA="${OHA:-oha}"
target_dir="${CARGO_TARGET_DIR:-target}"

cargo build --release --quiet -p llmrelay-cli -p llmrelay-testkit --bin llmrelay --bin llmrelay-mock
bin="$target_dir/release"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

upstream_port=9310; gateway_port=9311; litellm_port=9312
"$bin/llmrelay-mock" --port "$upstream_port" >/dev/null &
pids+=($!)
sleep 0.3

write_config "$upstream_port" "$out/config.yaml"


# Start-up: process start to the first request served through to the upstream.
start_json=$(python3 bench/gateway/startup.py "$gateway_port" "$plain" sk-bench-master -- \
  "$bin/llmrelay" serve --config "$out/config.yaml" --port "$gateway_port")
echo "llmrelay $start_json" | tee "$out/startup.txt"
gateway_pid=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['pid'])" "$start_json")
pids+=("$gateway_pid")

litellm_pid=""
if [ "${SKIP_LITELLM:-0}" != 1 ]; then
  proxy="${LITELLM_PROXY:-bench/out/proxy-venv/bin/litellm}"
  if [ ! -x "$proxy" ]; then
    python3 -m venv bench/out/proxy-venv
    # litellm[proxy]==1.110.2 needs litellm-proxy==1.110.2, which PyPI does
    # not have; 1.108.7 is the newest proxy that installs (and PRODUCT.md's).
    bench/out/proxy-venv/bin/pip install --quiet "litellm[proxy]==1.108.7"
  fi
  export LITELLM_LOCAL_MODEL_COST_MAP=True
  start_json=$(python3 bench/gateway/startup.py "$litellm_port" "$plain" sk-bench-master -- \
    "$proxy" --config "$out/config.yaml" --port "$litellm_port" --num_workers 1)
  echo "litellm $start_json" | tee -a "$out/startup.txt"
  litellm_pid=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['pid'])" "$start_json")
  pids+=("$litellm_pid")
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

run() { # target url pid mode rate body
  local target=$1 url=$2 pid=$3 mode=$4 rate=$5 body=$6 before after
  [ -n "$pid" ] && before=$(cpu_ticks "$pid")
  "$OHA" -z "${duration}s" -q "$rate" -c 128 --no-tui --output-format json -m POST \
    -H 'content-type: application/json' -H 'authorization: Bearer sk-bench-master' \
    -d "$body" "$url" > "$out/$target-$mode-$rate.json" 2>/dev/null || true
  if [ -n "$pid" ]; then
    after=$(cpu_ticks "$pid")
    echo "$(( (after - before) / $(getconf CLK_TCK) )).$(( ((after - before) % $(getconf CLK_TCK)) * 100 / $(getconf CLK_TCK) )) $(peak_rss "$pid") $duration" \
      > "$out/$target-$mode-$rate.cpu"
  fi
  echo "done $target $mode $rate"
}

for mode in plain streamed; do
  body=$plain; [ "$mode" = streamed ] && body=$streamed
  for rate in "${rates[@]}"; do
    run direct "http://127.0.0.1:$upstream_port/v1/chat/completions" "" "$mode" "$rate" "$body"
    run llmrelay "http://127.0.0.1:$gateway_port/v1/chat/completions" "$gateway_pid" "$mode" "$rate" "$body"
    if [ -n "$litellm_pid" ]; then
      run litellm "http://127.0.0.1:$litellm_port/v1/chat/completions" "$litellm_pid" "$mode" "$rate" "$body"
    fi
  done
done

echo "idle/peak RSS after the runs: llmrelay $(peak_rss "$gateway_pid") KiB peak" | tee -a "$out/startup.txt"
python3 bench/gateway/report.py "$out" | tee "$out/report.md"
