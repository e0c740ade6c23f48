"""LiteLLM oracle for model names: what `get_llm_provider`, `get_model_info`,
`cost_per_token` and `token_counter` answer for the names LiteLLM resolves
specially (fine-tuned OpenAI names, Azure spellings, providers whose API base and
key LiteLLM fills in, the provider names it reports, the `*` catch-all).

Run (from the repository root, with LiteLLM 1.110.2 installed):

    LITELLM_LOCAL_MODEL_COST_MAP=True python bench/oracle/litellm_name_cases.py

It writes `crates/catalog/tests/data/litellm_name_cases.jsonl`, COMMITTED TEST DATA
replayed by `crates/catalog/tests/litellm_names.rs`, by the CLI's tests and by
`python/tests/test_litellm_parity.py`. The provider environment variables are
cleared first, so the API bases and keys are LiteLLM's defaults. One JSON line per
name; a function that raised is recorded as {"raises": "<exception class>"}.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
for var in list(os.environ):
    if var.endswith(("_API_BASE", "_API_KEY", "_TOKEN")):
        del os.environ[var]

import litellm  # noqa: E402

litellm.suppress_debug_info = True
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "crates/catalog/tests/data/litellm_name_cases.jsonl"

NAMES = [
    # Fine-tuned OpenAI models: priced and described as the base's ft: entry.
    "ft:gpt-3.5-turbo:my-org:custom_suffix:id",
    "ft:gpt-3.5-turbo-0125:my-org::abc123",
    "ft:gpt-4o-2024-08-06:org::id1",
    "openai/ft:gpt-4o-2024-08-06:org::id1",
    "ft:gpt-4o-mini-2024-07-18:org:custom:id",
    "openai/ft:gpt-4o-mini-2024-07-18:org:custom:id",
    "ft:gpt-4.1-2025-04-14:org::x",
    "ft:gpt-4.1-nano-2025-04-14:acme:nano:7",
    "ft:o4-mini-2025-04-16:org::x",
    "ft:babbage-002:my-org::id",
    "ft:davinci-002:org::x",
    # Azure spellings.
    "gpt-35-turbo",
    "gpt-35-turbo-instruct",
    "ada",
    "azure/gpt-35-turbo",
    "azure/gpt-41",
    "azure/gpt-41-mini",
    "azure/my-deployment",
    # Providers whose API base and key LiteLLM fills in.
    "hosted_vllm/my-model",
    "llamafile/my-model",
    "jina_ai/jina-embeddings-v3",
    "litellm_proxy/gpt-4o",
    # The provider names LiteLLM reports.
    "jamba-1.5-large",
    "ai21/jamba-1.5-large",
    "jamba-large-1.6",
    "bedrock/amazon.nova-pro-v1:0",
    "amazon.nova-pro-v1:0",
    "us.amazon.nova-pro-v1:0",
    "bedrock/converse/amazon.nova-lite-v1:0",
    # The catch-all.
    "*",
]


#: Counted with each name: scripts, contractions, digit runs, whitespace and
#: special-token text, so the encoding chosen for the name shows.
TOKEN_TEXT = "Ünïcödé 東京 'll  \n\n  1234567 naïve!!! <|endoftext|> " * 3


def attempt(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001  # LiteLLM raises many kinds; recorded
        return {"raises": type(e).__name__}


def info_of(name):
    info = litellm.get_model_info(name)
    return {k: info.get(k) for k in ("key", "litellm_provider", "mode", "max_input_tokens", "max_output_tokens",
                                     "input_cost_per_token", "output_cost_per_token")}


def main() -> int:
    rows = []
    for name in NAMES:
        rows.append({
            "name": name,
            "get_llm_provider": attempt(lambda: list(litellm.get_llm_provider(name))),
            "get_model_info": attempt(lambda: info_of(name)),
            "cost_per_token": attempt(lambda: list(litellm.cost_per_token(model=name, prompt_tokens=1000,
                                                                           completion_tokens=500))),
            "token_text": TOKEN_TEXT,
            "token_counter": attempt(lambda: litellm.token_counter(model=name, text=TOKEN_TEXT)),
        })
    OUT.write_text("".join(json.dumps(r, sort_keys=True, separators=(",", ":")) + "\n" for r in rows))
    print(f"{len(rows)} names written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
