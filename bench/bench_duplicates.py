"""Duplicate check of one proposal against 2,000 applications (goal: under 200 ms).

Run: `python bench/bench_duplicates.py` (or `make bench`). Pure Python, no database: the
register of the labelled set in padu/catalog/tests/data/ is repeated with variations up to
2,000 applications; the index is built once (as the register page would keep it), then
every labelled proposal is checked. Prints the median and worst check and the build time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from padu.catalog.duplicates import Index, Item

GOAL_S = 0.200
DATA = Path(__file__).resolve().parents[1] / "padu/catalog/tests/data/duplicate_eval.yaml"


def item(raw: dict, suffix: str = "") -> Item:
    return Item(
        key=raw["key"] + suffix,
        name=f"{raw['name']} {suffix}".strip(),
        acronym=raw.get("acronym", ""),
        text=raw.get("text", ""),
        ral=frozenset(raw.get("ral", [])),
        rab=frozenset(raw.get("rab", [])),
        data=frozenset(raw.get("data", [])),
    )


def main() -> None:
    raw = yaml.safe_load(DATA.read_text("utf-8"))
    register = [item(r, f"-{n}") for n in range(60) for r in raw["register"]][:2000]
    start = time.perf_counter()
    index = Index(register)
    built = time.perf_counter() - start
    proposals = [item(r) for part in ("proposals", "heldout", "heldout2") for r in raw[part]]
    timings = []
    for proposal in proposals:
        start = time.perf_counter()
        index.check(proposal)
        timings.append(time.perf_counter() - start)
    median, worst = statistics.median(timings), max(timings)
    print(f"duplicate check, {len(register)} applications, {len(proposals)} proposals")
    print(f"  index built in {built * 1000:.0f} ms (once per register change)")
    print(
        f"  check: median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms; goal {GOAL_S * 1000:.0f} ms"
    )
    print(f"  worst / goal = {worst / GOAL_S:.2f}")


if __name__ == "__main__":
    main()
