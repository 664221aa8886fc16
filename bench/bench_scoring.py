"""Index for 600 agencies (a national deployment) on the 59/2020 shape: goal under 1 s."""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from padu.evaluation.scoring import (
    AspectShape,
    Band,
    IndicatorShape,
    InstrumentShape,
    ItemKey,
    compute,
)

AGENCIES = 600
RUNS = 5
GOAL_SECONDS = 1.0
# PermenPANRB 59/2020: aspect -> (domain, indicator numbers, weight of each indicator).
STRUCTURE = {
    "A1": ("D1", range(1, 11), D("1.3")),
    "A2": ("D2", range(11, 15), D("2.5")),
    "A3": ("D2", range(15, 19), D("2.5")),
    "A4": ("D2", range(19, 21), D("2.5")),
    "A5": ("D3", range(21, 29), D("1.5")),
    "A6": ("D3", range(29, 32), D("1.5")),
    "A7": ("D4", range(32, 42), D("2.75")),
    "A8": ("D4", range(42, 48), D("3")),
}
SHAPE = InstrumentShape(
    indicators=tuple(IndicatorShape(n, w, a) for a, (_d, ns, w) in STRUCTURE.items() for n in ns),
    aspects=tuple(AspectShape(a, d) for a, (d, _n, _w) in STRUCTURE.items()),
    divisor=D(100),
    bands=(
        Band("Kurang", D("1"), D("1.8")),
        Band("Cukup", D("1.8"), D("2.6")),
        Band("Baik", D("2.6"), D("3.5")),
        Band("Sangat Baik", D("3.5"), D("4.2")),
        Band("Memuaskan", D("4.2"), D("5"), True),
    ),
)


def random_levels(rng: random.Random) -> dict[ItemKey, int | None]:
    """One agency's self-assessment: about one indicator in ten still unfilled."""
    return {key: None if rng.random() < 0.1 else rng.randint(1, 5) for key, _w, _a in SHAPE.items}


def main() -> None:
    rng = random.Random(600)
    agencies = [random_levels(rng) for _ in range(AGENCIES)]
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        results = [compute(SHAPE, levels) for levels in agencies]
        best = min(best, time.perf_counter() - started)
    mean = sum(r.index for r in results) / len(results)
    print(
        f"scoring: {AGENCIES} agencies x {len(SHAPE.items)} indicators in {best:.3f} s "
        f"(goal {GOAL_SECONDS:g} s, ratio {best / GOAL_SECONDS:.3f}); "
        f"{best / AGENCIES * 1e6:.0f} us per agency, best of {RUNS}; mean index {mean:.2f}"
    )
    pemdi()


def pemdi() -> None:
    """600 agencies on 8/2026: decimal values, external defaults, three series each."""
    from bench_planner import pemdi_shape

    shape = pemdi_shape()
    rng = random.Random(826)

    def series() -> dict[ItemKey, D | None]:
        return {
            key: None if rng.random() < 0.15 else D(rng.randint(100, 500)) / 100
            for key, _w, _a in shape.items
        }

    agencies = [(series(), series(), series()) for _ in range(AGENCIES)]
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        results = [
            (compute(shape, a).index, compute(shape, b).index, compute(shape, c).index)
            for a, b, c in agencies
        ]
        published = [shape.round(r[0]) for r in results]
        best = min(best, time.perf_counter() - started)
    mean = sum(published) / len(published)
    print(
        f"scoring Pemdi 8/2026: {AGENCIES} agencies x {len(shape.items)} indicators x 3 series "
        f"in {best:.3f} s (goal {GOAL_SECONDS:g} s, ratio {best / GOAL_SECONDS:.3f}); "
        f"{best / AGENCIES * 1e6:.0f} us per agency, best of {RUNS}; mean index {mean:.2f}"
    )


if __name__ == "__main__":
    main()
