"""LiteLLM cost oracle: writes the parity cases `llmrelay-catalog` is tested against.

Run (from the repository root, with LiteLLM 1.110.2 installed in /opt/oracle):

    LITELLM_LOCAL_MODEL_COST_MAP=True /opt/oracle/bin/python bench/oracle/litellm_cost_cases.py

It writes `crates/catalog/tests/data/litellm_cost_cases.jsonl`, which is COMMITTED
TEST DATA: `crates/catalog/tests/cost_parity.rs` replays every line through
`llmrelay_catalog::cost_per_token` and requires LiteLLM's figures. Re-run it only
when the manifest or the reference LiteLLM version changes, and commit the result
together with the manifest.

For every chat, embedding, completion and responses entry of the manifest, a set of
usage scenarios (plain; cache read; cache write with a 1-hour share; reasoning;
audio and image tokens where priced; prompts at and just above every
`_above_Nk_tokens` threshold and every `tiered_pricing` boundary; counts past
2**53; the service tiers the entry prices, and batch) goes through LiteLLM's own `cost_per_token`
with the usage as a `litellm.Usage`. One JSON line per case:

    {"model": key, "usage": {...non-zero llmrelay Usage fields...},
     "service_tier": "standard"|"priority"|"flex"|"balanced"|"ultrafast"|"batch",
     "prompt_cost": x, "completion_cost": y}

Batch is LiteLLM's `call_type="retrieve_batch"` path (its batch cost calculator);
the other tiers are `cost_per_token(service_tier=...)`.

Three things are pinned so the output is deterministic:
- the billing moment (a weekday peak hour), so `off_peak_pricing` never applies;
- the provider passed to LiteLLM: the manifest's `litellm_provider`, mapped to the
  runtime provider LiteLLM dispatches on (`vertex_ai-*` -> `vertex_ai`, ...);
- the manifest entry LiteLLM prices from: LiteLLM re-resolves the name on the way
  (`openai/<key>`, Databricks legacy names...). Every lookup is recorded and a model
  whose price came from an entry with different prices is skipped and counted.

Cases where LiteLLM raises are skipped and counted too; the counts are printed.
"""

from __future__ import annotations

import collections
import json
import logging
import math
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm  # noqa: E402
import litellm.utils as lutils  # noqa: E402
from litellm._internal_context import pinned_billing_time  # noqa: E402
from litellm.types.utils import (  # noqa: E402
    CacheCreationTokenDetails,
    CompletionTokensDetailsWrapper,
    PromptTokensDetailsWrapper,
    Usage,
)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = Path(os.environ.get("LITELLM_MANIFEST", "/work/shared/data/litellm_model_prices_and_context_window.json"))
OUT = ROOT / "crates/catalog/tests/data/litellm_cost_cases.jsonl"

MODES = {"chat", "embedding", "completion", "responses"}
TIERS = ("priority", "flex", "balanced", "ultrafast")
# A Wednesday, 07:00 UTC (15:00 in Shanghai): outside every off-peak window of the manifest.
PEAK = datetime(2025, 1, 15, 7, 0, tzinfo=timezone.utc)
THRESHOLD = re.compile(r"_above_(\d+)(k?)_tokens")

logging.getLogger("LiteLLM").setLevel(logging.CRITICAL)
logging.getLogger("LiteLLM Router").setLevel(logging.CRITICAL)
logging.getLogger("LiteLLM Proxy").setLevel(logging.CRITICAL)
litellm.suppress_debug_info = True


def runtime_provider(provider: str) -> str:
    """The provider LiteLLM's cost_per_token dispatches on for a manifest provider."""
    if provider.startswith("vertex_ai"):
        return "vertex_ai"
    return {
        "bedrock_converse": "bedrock",
        "fireworks_ai-embedding-models": "fireworks_ai",
        "azure_text": "azure",
    }.get(provider, provider)


def numeric(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def pricing_signature(entry: dict) -> str:
    """Everything that can move a token cost, to compare two manifest entries."""
    sig = {k: v for k, v in entry.items() if numeric(v) and ("cost" in k or "multiplier" in k)}
    sig["tiered_pricing"] = entry.get("tiered_pricing")
    sig["off_peak_pricing"] = entry.get("off_peak_pricing")
    return json.dumps(sig, sort_keys=True)


# --- recording which manifest entry LiteLLM actually priced from -------------------
_looked_up: list[str] = []
_original_helper = lutils.get_model_info_helper


def _recording_helper(*args, **kwargs):
    info = _original_helper(*args, **kwargs)
    _looked_up.append(info.get("key"))
    return info


lutils.get_model_info_helper = _recording_helper


def clear_caches() -> None:
    for module in (lutils, sys.modules["litellm.cost_calculator"]):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


# --- usage ---------------------------------------------------------------------------
FIELDS = (
    "prompt_tokens",
    "completion_tokens",
    "cached_tokens",
    "cache_creation_tokens",
    "cache_creation_1h_tokens",
    "reasoning_tokens",
    "audio_input_tokens",
    "audio_output_tokens",
    "image_input_tokens",
    "image_output_tokens",
)


def to_litellm_usage(u: dict) -> Usage:
    g = lambda k: u.get(k, 0)  # noqa: E731
    ptd = {}
    if g("cached_tokens"):
        ptd["cached_tokens"] = g("cached_tokens")
    if g("cache_creation_tokens"):
        ptd["cache_creation_tokens"] = g("cache_creation_tokens")
    if g("cache_creation_1h_tokens"):
        ptd["cache_creation_token_details"] = CacheCreationTokenDetails(
            ephemeral_1h_input_tokens=g("cache_creation_1h_tokens")
        )
    if g("audio_input_tokens"):
        ptd["audio_tokens"] = g("audio_input_tokens")
    if g("image_input_tokens"):
        ptd["image_tokens"] = g("image_input_tokens")
    ctd = {}
    if g("reasoning_tokens"):
        ctd["reasoning_tokens"] = g("reasoning_tokens")
    if g("audio_output_tokens"):
        ctd["audio_tokens"] = g("audio_output_tokens")
    if g("image_output_tokens"):
        ctd["image_tokens"] = g("image_output_tokens")
    return Usage(
        prompt_tokens=g("prompt_tokens"),
        completion_tokens=g("completion_tokens"),
        total_tokens=g("prompt_tokens") + g("completion_tokens"),
        prompt_tokens_details=PromptTokensDetailsWrapper(**ptd) if ptd else None,
        completion_tokens_details=CompletionTokensDetailsWrapper(**ctd) if ctd else None,
    )


def U(**kw) -> dict:
    assert set(kw) <= set(FIELDS), kw
    return {k: v for k, v in kw.items() if v}


# --- scenarios -----------------------------------------------------------------------
def thresholds(entry: dict) -> list[int]:
    found = set()
    for k, v in entry.items():
        if not numeric(v):
            continue
        for n, kilo in THRESHOLD.findall(k):
            found.add(int(n) * (1000 if kilo else 1))
    for band in entry.get("tiered_pricing") or []:
        r = band.get("range") if isinstance(band, dict) else None
        if isinstance(r, list) and len(r) == 2:
            found.update(int(x) for x in r if numeric(x) and x > 0)
    return sorted(found)


def scenarios(entry: dict) -> list[tuple[str, dict]]:
    keys = [k for k, v in entry.items() if numeric(v)]
    has = lambda word: any(word in k for k in keys)  # noqa: E731
    audio, image, one_hour = has("audio_token"), has("image_token"), has("_1hr")
    cache = has("cache_read") or has("cache_creation")
    out: list[tuple[str, dict]] = []

    std = [
        U(prompt_tokens=1000, completion_tokens=500),
        U(prompt_tokens=5000, completion_tokens=300, cached_tokens=1500, cache_creation_tokens=1200),
        U(prompt_tokens=1200, completion_tokens=2000, reasoning_tokens=1500),
    ]
    if cache:
        # More cached + written than the prompt: LiteLLM's clamping rules.
        std.append(U(prompt_tokens=1000, completion_tokens=10, cached_tokens=800, cache_creation_tokens=400,
                     audio_input_tokens=300 if audio else 0))
    if one_hour:
        std.append(U(prompt_tokens=6000, completion_tokens=300, cached_tokens=1000, cache_creation_tokens=2000,
                     cache_creation_1h_tokens=1500))
    if audio:
        std.append(U(prompt_tokens=3000, completion_tokens=800, cached_tokens=200, audio_input_tokens=1000,
                     audio_output_tokens=300, reasoning_tokens=100))
    if image:
        std.append(U(prompt_tokens=2000, completion_tokens=1000, image_input_tokens=800, image_output_tokens=600))
    around = []
    for t in thresholds(entry)[:5]:
        around.append(U(prompt_tokens=t, completion_tokens=1000, cached_tokens=t // 10, reasoning_tokens=200))
        around.append(U(prompt_tokens=t + 1, completion_tokens=1000, cached_tokens=t // 10,
                        cache_creation_tokens=t // 20, cache_creation_1h_tokens=t // 40 if one_hour else 0,
                        reasoning_tokens=200, audio_input_tokens=500 if audio else 0))
    for band in (entry.get("tiered_pricing") or [])[:3]:
        # Cache counts beyond the prompt: Dashscope picks the band by the sum of the parts.
        end = int(band["range"][1]) if isinstance(band, dict) and len(band.get("range") or []) == 2 else 0
        if end > 0:
            around.append(U(prompt_tokens=end, completion_tokens=100, cached_tokens=end // 2,
                            cache_creation_tokens=end - end // 2 + 100, reasoning_tokens=50))
    out += [("standard", u) for u in std + around]
    # Counts beyond 2**53, where converting to a float rounds.
    out.append(("standard", U(prompt_tokens=2**61 + 12345, completion_tokens=2**55 + 3, cached_tokens=2**59 + 7,
                              cache_creation_tokens=2**57 + 1, reasoning_tokens=2**54 + 1)))

    for tier in TIERS:
        if any(k.endswith("_" + tier) for k in keys):
            out += [(tier, u) for u in std[1:] + around[1::2]]
    # A tier the entry does not price falls back to the standard rates (or is ignored).
    out.append(("priority", std[1]))

    batch_keys = any(k.endswith("_batches") for k in keys)
    out.append(("batch", std[1]))
    if batch_keys:
        out += [("batch", u) for u in std[2:] + around[1::2]]
    return out


# --- LiteLLM -------------------------------------------------------------------------
class BatchLookupFailed(Exception):
    """LiteLLM's batch calculator could not find the entry (it would report 0)."""


def litellm_cost(key: str, provider: str, usage: dict, tier: str) -> tuple[float, float]:
    kwargs = dict(model=key, custom_llm_provider=provider, usage_object=to_litellm_usage(usage))
    if tier == "batch":
        kwargs["call_type"] = "retrieve_batch"
        # The batch calculator swallows a failed lookup and reports 0: surface it instead.
        _, batch_provider, _, _ = litellm.get_llm_provider(model=key, custom_llm_provider=provider)
        try:
            litellm.get_model_info(model=key, custom_llm_provider=batch_provider)
        except Exception as e:  # noqa: BLE001  # get_model_info raises bare Exception
            raise BatchLookupFailed(key) from e
    elif tier != "standard":
        kwargs["service_tier"] = tier
    return litellm.cost_per_token(**kwargs)


def signature_of(key: str, signatures: dict[str, str]) -> str | None:
    """The pricing of the manifest entry behind a key LiteLLM reports (it may prefix the provider)."""
    while key not in signatures and "/" in key:
        key = key.split("/", 1)[1]
    return signatures.get(key)


def price_model(key: str, entry: dict, signatures: dict[str, str]):
    """All scenarios of one entry: (rows, foreign entries LiteLLM priced from, failures)."""
    provider = runtime_provider(entry["litellm_provider"])
    clear_caches()
    rows = []
    used: set[str] = set()
    failures = collections.Counter()
    for tier, usage in scenarios(entry):
        _looked_up.clear()
        try:
            prompt, completion = litellm_cost(key, provider, usage, tier)
        except Exception as e:  # noqa: BLE001  # LiteLLM raises bare Exception; counted
            failures[type(e).__name__] += 1
            continue
        used.update(k for k in _looked_up if k)
        if not (math.isfinite(prompt) and math.isfinite(completion)):
            failures["non-finite"] += 1
            continue
        rows.append(
            {
                "model": key,
                "usage": usage,
                "service_tier": tier,
                "prompt_cost": float(prompt),
                "completion_cost": float(completion),
            }
        )
    foreign = sorted(k for k in used if signature_of(k, signatures) != signatures[key])
    return rows, foreign, failures


def main() -> int:
    manifest = json.loads(MANIFEST.read_text())
    backup = Path(litellm.__file__).parent / "model_prices_and_context_window_backup.json"
    same = json.loads(backup.read_text()) == manifest
    print(f"manifest == litellm backup JSON: {same}")

    signatures = {k: pricing_signature(v) for k, v in manifest.items() if isinstance(v, dict)}
    lines: list[str] = []
    raised = collections.Counter()
    raised_models: dict[str, int] = {}
    diverted: dict[str, str] = {}
    models = recovered = 0
    with pinned_billing_time(PEAK):
        for key in sorted(manifest):
            entry = manifest[key]
            if not isinstance(entry, dict) or entry.get("mode") not in MODES or "litellm_provider" not in entry:
                continue
            models += 1
            # LiteLLM may price a name from another entry (`deepseek-chat` from
            # `deepseek/deepseek-chat`, a Bedrock region key from the region-free one).
            # Hide such an entry and ask again, so the figures are LiteLLM's rules applied
            # to this entry's own prices; give up after a few rounds.
            hidden: dict[str, object] = {}
            try:
                for _ in range(4):
                    rows, foreign, failures = price_model(key, entry, signatures)
                    if not foreign or not all(k in litellm.model_cost for k in foreign):
                        break
                    for k in foreign:
                        hidden[k] = litellm.model_cost.pop(k)
                    lutils._invalidate_model_cost_lowercase_map()
            finally:
                litellm.model_cost.update(hidden)
                lutils._invalidate_model_cost_lowercase_map()
            raised.update(failures)
            if failures:
                raised_models[key] = sum(failures.values())
            if foreign:
                diverted[key] = foreign[0]
                continue
            recovered += bool(hidden)
            lines += [json.dumps(r, sort_keys=True, separators=(",", ":")) for r in rows]

    lines = sorted(set(lines))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"models: {models}, cases written: {len(lines)} to {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")
    print(f"cases skipped because LiteLLM raised: {sum(raised.values())} {dict(raised)}")
    for k, n in sorted(raised_models.items()):
        print(f"  {k}: {n} case(s)")
    print(f"models LiteLLM prices from another entry, recovered by hiding it: {recovered}")
    print(f"models skipped because LiteLLM still priced another entry: {len(diverted)}")
    for k, v in sorted(diverted.items()):
        print(f"  {k} -> {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
