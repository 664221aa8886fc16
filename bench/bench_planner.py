"""Planner benchmark: exact least-effort plan for the 47 indicators of 59/2020 (goal < 200 ms).

Run: `python bench/bench_planner.py` (or `make bench`). Pure Python, no database.
Prints the median and worst time over several targets and effort patterns, and the ratio
to the goal.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import SHAPE

from padu.evaluation.planner import ItemInput, plan_target
from padu.evaluation.scoring import InstrumentShape

GOAL_S = 0.200
PEMDI_FILE = (
    Path(__file__).resolve().parents[1]
    / "padu/evaluation/instruments/pemdi-permenpanrb-8-2026.yaml"
)


def pemdi_shape() -> InstrumentShape:
    """The bundled 8/2026 file as the engine sees it (parsed, no database)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from padu.evaluation.instrument_format import parse_instrument

    return parse_instrument(PEMDI_FILE.read_text(encoding="utf-8")).shape()


def pemdi() -> None:
    """20 indicators (16 the agency's own, IK5/6/7/18 at their default), decimal values."""
    shape = pemdi_shape()
    external = {ind.number for ind in shape.indicators if ind.default is not None}
    rng = random.Random(8)
    timings = []
    for target in ("2.00", "2.50", "3.00", "3.20", "3.50", "4.00", "4.40"):
        for pattern in ("unit", "random"):
            items = []
            for key, _w, _a in shape.items:
                if key[0] in external:
                    continue
                current = Decimal(rng.randint(100, 260)) / 100
                efforts = (
                    ()
                    if pattern == "unit"
                    else tuple(Decimal(rng.randint(50, 500)) / 100 for _ in range(5))
                )
                items.append(ItemInput(key, current, Decimal(5), efforts))
            start = time.perf_counter()
            result = plan_target(shape, items, Decimal(target))
            timings.append(time.perf_counter() - start)
            assert result.reachable
    median, worst = statistics.median(timings), max(timings)
    print(
        f"planner, Pemdi 8/2026, 20 indicators in 0.01 steps, {len(timings)} cases "
        "(targets 2.00-4.40; the top is 4.44 with the external indices at 1.00, unit and random efforts)"
    )
    print(
        f"  median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms; goal {GOAL_S * 1000:.0f} ms"
    )
    print(f"  worst / goal = {worst / GOAL_S:.2f}")


def main() -> None:
    shape = SHAPE
    rng = random.Random(2026)
    cases = []
    for target in ("2.50", "3.00", "3.50", "4.20", "4.90"):
        for pattern in ("unit", "random"):
            items = []
            for key, _w, _a in shape.items:
                current = rng.randint(1, 3)
                efforts = (
                    ()
                    if pattern == "unit"
                    else tuple(Decimal(rng.randint(50, 500)) / 100 for _ in range(5 - current))
                )
                items.append(ItemInput(key, current, 5, efforts))
            cases.append((Decimal(target), items))
    timings = []
    for target, items in cases:
        start = time.perf_counter()
        result = plan_target(shape, items, target)
        timings.append(time.perf_counter() - start)
        assert result.reachable
    median, worst = statistics.median(timings), max(timings)
    print(
        f"planner, 47 indicators, {len(cases)} cases (targets 2.50-4.90, unit and random efforts)"
    )
    print(
        f"  median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms; goal {GOAL_S * 1000:.0f} ms"
    )
    print(f"  worst / goal = {worst / GOAL_S:.2f}")
    pemdi()


if __name__ == "__main__":
    main()
