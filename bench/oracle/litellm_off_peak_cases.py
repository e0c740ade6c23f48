"""LiteLLM cost oracle for time-dependent prices (`off_peak_pricing`).

Run (from the repository root, with LiteLLM 1.110.2 installed):

    LITELLM_LOCAL_MODEL_COST_MAP=True python bench/oracle/litellm_off_peak_cases.py

It writes `crates/catalog/tests/data/litellm_off_peak_cases.jsonl`, COMMITTED TEST
DATA replayed by `crates/catalog/tests/cost_parity.rs` through
`llmrelay_catalog::cost_per_token_at`. Every manifest entry with an
`off_peak_pricing` block is priced by LiteLLM's own `cost_per_token`, with its
billing moment pinned (`pinned_billing_time`) to each of a fixed set of instants:
every hour (at :30) of one whole week, and the minutes on either side of every
window edge on a weekday, a Saturday and a Sunday, plus the UTC evenings whose
weekday differs in Asia/Shanghai. The usages are the standard scenarios of
`litellm_cost_cases.py` (plain, cache read and write, reasoning). One JSON line per
case, as in `litellm_cost_cases.jsonl`, with `"at"` (Unix seconds, UTC) added.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import litellm_cost_cases as base  # noqa: E402  (imports LiteLLM, quietly)
from litellm._internal_context import pinned_billing_time  # noqa: E402

OUT = base.ROOT / "crates/catalog/tests/data/litellm_off_peak_cases.jsonl"

# Monday 2025-01-13 00:00 UTC.
MONDAY = datetime(2025, 1, 13, tzinfo=timezone.utc)
EDGES = ("00:00", "01:00", "04:00", "06:00", "10:00", "16:00")


def instants() -> list[datetime]:
    out = [MONDAY + timedelta(hours=h, minutes=30) for h in range(7 * 24)]
    for day in (2, 5, 6):  # Wednesday, Saturday, Sunday
        for edge in EDGES:
            hh, mm = map(int, edge.split(":"))
            at = MONDAY + timedelta(days=day, hours=hh, minutes=mm)
            out += [at - timedelta(seconds=1), at]
    # Friday 16:00-24:00 UTC is Saturday in Shanghai; Sunday 16:00-24:00 UTC is Monday there.
    out += [MONDAY + timedelta(days=4, hours=17), MONDAY + timedelta(days=6, hours=17, minutes=5)]
    return sorted(set(out))


USAGES = [
    base.U(prompt_tokens=1000, completion_tokens=500),
    base.U(prompt_tokens=5000, completion_tokens=300, cached_tokens=1500, cache_creation_tokens=1200),
    base.U(prompt_tokens=1200, completion_tokens=2000, reasoning_tokens=1500),
]


def main() -> int:
    manifest = json.loads(base.MANIFEST.read_text())
    rows: list[str] = []
    skipped = 0
    models = [k for k, v in sorted(manifest.items()) if isinstance(v, dict) and v.get("off_peak_pricing")]
    for key in models:
        provider = base.runtime_provider(manifest[key]["litellm_provider"])
        for at in instants():
            with pinned_billing_time(at):
                for usage in USAGES:
                    try:
                        prompt, completion = base.litellm_cost(key, provider, usage, "standard")
                    except Exception:  # noqa: BLE001  # LiteLLM raises bare Exception; counted
                        skipped += 1
                        continue
                    if not (math.isfinite(prompt) and math.isfinite(completion)):
                        skipped += 1
                        continue
                    row = {
                        "model": key,
                        "usage": usage,
                        "service_tier": "standard",
                        "at": int(at.timestamp()),
                        "prompt_cost": float(prompt),
                        "completion_cost": float(completion),
                    }
                    rows.append(json.dumps(row, sort_keys=True, separators=(",", ":")))
    rows = sorted(set(rows))
    OUT.write_text("\n".join(rows) + "\n")
    print(f"models with off_peak_pricing: {len(models)}, cases: {len(rows)}, skipped: {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
