"""How values add up: over periods (month -> quarter -> semester -> year) and over regions
(kelurahan -> kecamatan -> kota -> provinsi -> nation), each element by its own type.

Pure: plain values in, plain values out. `rollups.py` applies these rules to the database.

- sum: add over periods and over regions (counts of events: births, visits);
- average: average over periods and over regions (rates), weighted by how many leaves report;
- last: a stock (population, schools): over periods the latest value reported in the span,
  over regions the sum;
- none: no aggregate is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

SUM, AVERAGE, LAST, NONE = "sum", "average", "last", "none"


@dataclass(frozen=True)
class Cell:
    """An aggregate: the value and how many leaf values it stands for."""

    value: Decimal
    count: int


def over_periods(kind: str, values: Iterable[tuple[str, Decimal]]) -> Cell | None:
    """One region's values in the sub-periods of a span, as (period code, value); codes of one
    type sort in time order."""
    items = sorted(values)
    if not items or kind == NONE:
        return None
    if kind == LAST:
        return Cell(items[-1][1], 1)
    total = sum((v for _p, v in items), Decimal(0))
    if kind == AVERAGE:
        return Cell(total / len(items), len(items))
    return Cell(total, len(items))


def over_regions(kind: str, cells: Iterable[Cell]) -> Cell | None:
    """The children's aggregates of one period, combined for their parent region."""
    items = list(cells)
    if not items or kind == NONE:
        return None
    count = sum(c.count for c in items)
    if kind == AVERAGE:
        weighted = sum((c.value * c.count for c in items), Decimal(0))
        return Cell(weighted / count if count else Decimal(0), count)
    return Cell(sum((c.value for c in items), Decimal(0)), count)
