# Sourced by the bench scripts: a Python with LiteLLM 1.110.2 (the peer) in
# bench/out/venv, created on first use. LITELLM_PYTHON overrides it.
# LiteLLM is told not to fetch its price map over the network at import.
set -euo pipefail
export LITELLM_LOCAL_MODEL_COST_MAP=True
if [ -z "${LITELLM_PYTHON:-}" ]; then
  venv="$(dirname "${BASH_SOURCE[0]}")/out/venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet litellm==1.110.2 tiktoken
  fi
  LITELLM_PYTHON="$venv/bin/python"
fi
export LITELLM_PYTHON
