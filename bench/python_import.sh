#!/usr/bin/env bash
# The Python package against LiteLLM 1.110.2 in the same run: import cost
# (wall time and resident memory), a fresh process doing a mock completion, a
# fresh process doing its first token count (token_counter('gpt-4o', 'hi'):
# wall time and peak RSS), and the first and 100th completion against the
# testkit's fake upstream (llmrelay-mock) on loopback; and how many relocations
# the loader applies to the extension.
#   bash bench/python_import.sh [--runs N]
# Builds the release wheel into bench/out/pyvenv (pip install ./python, as a
# user would) and LiteLLM into bench/out/venv (bench/litellm_env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/litellm_env.sh

venv=bench/out/pyvenv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
echo "== building and installing llmrelay (release wheel)"
"$venv/bin/pip" install --quiet --force-reinstall --no-deps ./python
cargo build --release --quiet -p llmrelay-testkit --bin llmrelay-mock

# Pointers in the extension's static data are relocations the loader writes
# at import (issue 13: the catalog tables are pointer-free).
so=$(ls "$venv"/lib/python3*/site-packages/llmrelay/_llmrelay*.so)
if command -v readelf >/dev/null; then
  echo "== $(basename "$so"): $(readelf -r "$so" | grep -c R_X86_64_RELATIVE) relative relocations, $(stat -c %s "$so") bytes"
fi

echo "== figures (lower is better)"
python3 bench/python_bench.py --ours "$venv/bin/python" --peer "$LITELLM_PYTHON" \
  --mock-bin "${CARGO_TARGET_DIR:-target}/release/llmrelay-mock" --json bench/out/python.json "$@"
