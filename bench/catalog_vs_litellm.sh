#!/usr/bin/env bash
# Whole-process and in-process catalog figures, llmrelay against LiteLLM in
# the same run. Needs hyperfine (apt-get install hyperfine).
#   bash bench/catalog_vs_litellm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/litellm_env.sh

cargo build --release --quiet -p llmrelay-cli
bin=target/release/llmrelay
echo "== binary: $(stat -c %s "$bin") bytes ($(numfmt --to=iec "$(stat -c %s "$bin")"))"

echo "== whole process: model info for gpt-4o"
hyperfine -N --warmup 10 --runs 200 --export-json bench/out/info.json "$bin info gpt-4o --json" >/dev/null
hyperfine --warmup 1 --runs 3 --export-json bench/out/info_litellm.json \
  "$LITELLM_PYTHON -c \"import litellm; litellm.get_model_info('gpt-4o')\"" >/dev/null
python3 - <<'PY'
import json
ours = json.load(open("bench/out/info.json"))["results"][0]
peer = json.load(open("bench/out/info_litellm.json"))["results"][0]
print(f"llmrelay info gpt-4o --json : median {ours['median']*1e3:8.2f} ms")
print(f"litellm.get_model_info      : median {peer['median']*1e3:8.2f} ms")
print(f"ratio (LiteLLM / llmrelay)  : {peer['median']/ours['median']:8.0f}x")
PY

echo "== in process, per call (LiteLLM, after import; llmrelay: cargo bench -p llmrelay-catalog)"
"$LITELLM_PYTHON" - <<'PY'
import timeit, logging
logging.disable(logging.CRITICAL)
import litellm
def per_call(stmt, n):
    return min(timeit.repeat(stmt, number=n, repeat=5, globals=globals())) / n
known = per_call("litellm.get_llm_provider('anthropic/claude-sonnet-4-5')", 20000)
info = per_call("litellm.get_model_info('gpt-4o')", 2000)
cost = per_call("litellm.cost_per_token(model='gpt-4o', prompt_tokens=1000, completion_tokens=500)", 2000)
print(f"litellm get_llm_provider('anthropic/claude-sonnet-4-5'): {known*1e9:10.0f} ns")
print(f"litellm get_model_info('gpt-4o')                       : {info*1e9:10.0f} ns")
print(f"litellm cost_per_token('gpt-4o', 1000, 500)             : {cost*1e9:10.0f} ns")
PY
