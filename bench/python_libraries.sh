#!/usr/bin/env bash
# Import time of DSPy and smolagents with LiteLLM and with llmrelay behind
# `import litellm` (install_as_litellm()), in the same run.
#   bash bench/python_libraries.sh [--runs N]
# Builds the release wheel into bench/out/libvenv next to litellm==1.110.2,
# dspy==3.4.1 and smolagents==1.26.0 (the versions CI tests).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/out/libvenv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet litellm==1.110.2 dspy==3.4.1 smolagents==1.26.0
fi
"$venv/bin/pip" install --quiet --force-reinstall --no-deps ./python
python3 bench/python_libraries.py --python "$venv/bin/python" "$@"
