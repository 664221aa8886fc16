"""The roll-up rules, pure: each aggregation type over periods and over regions."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from padu.databank.aggregation import Cell, over_periods, over_regions

MONTHS = [("202501", D(10)), ("202503", D(30)), ("202502", D(20))]


def test_sum_adds_periods_and_regions() -> None:
    assert over_periods("sum", MONTHS) == Cell(D(60), 3)
    assert over_regions("sum", [Cell(D(60), 3), Cell(D(5), 1)]) == Cell(D(65), 4)


def test_a_stock_takes_the_latest_period_and_adds_regions() -> None:
    assert over_periods("last", MONTHS) == Cell(D(30), 1)  # March, not the last row given
    assert over_regions("last", [Cell(D(30), 1), Cell(D(12), 1)]) == Cell(D(42), 2)


def test_average_weights_regions_by_what_they_stand_for() -> None:
    assert over_periods("average", MONTHS) == Cell(D(20), 3)
    # (20 x 3 + 80 x 1) / 4 = 35, not (20 + 80) / 2.
    assert over_regions("average", [Cell(D(20), 3), Cell(D(80), 1)]) == Cell(D(35), 4)


def test_none_and_nothing_give_no_aggregate() -> None:
    assert over_periods("none", MONTHS) is None
    assert over_periods("sum", []) is None
    assert over_regions("sum", []) is None


@given(st.lists(st.lists(st.integers(0, 10_000), min_size=1, max_size=12), min_size=1, max_size=8))
def test_rolling_up_in_two_steps_equals_rolling_up_the_leaves(leaves: list[list[int]]) -> None:
    for kind in ("sum", "average"):
        per_leaf = [
            over_periods(kind, [(f"2025{m + 1:02d}", D(v)) for m, v in enumerate(vs)])
            for vs in leaves
        ]
        total = over_regions(kind, [c for c in per_leaf if c])
        flat = [D(v) for vs in leaves for v in vs]
        expected = sum(flat) if kind == "sum" else sum(flat) / len(flat)
        assert total is not None and abs(total.value - expected) < D("1e-20")
