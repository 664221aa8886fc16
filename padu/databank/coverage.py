"""How complete an aggregated figure is: how many leaf values went into it (the kept rollup's
`count`) against how many the element's datasets expect, so that a kota total built from 44
of 65 kelurahan says so instead of passing for the whole.

A leaf value is one reporting region's figure for one period of the collection type; over
periods a stock (`last`) keeps one per region, sums and averages one per sub-period (see
`aggregation.over_periods`). So a kota semester of a monthly sum expects regions x 6.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from padu.organizations.choices import RegionLevel
from padu.organizations.models import Region

from . import periods
from .aggregation import LAST, NONE
from .models import DataElement, DatasetElement


@dataclass(frozen=True)
class Plan:
    """Where and how often an element is reported: its datasets' collection level and period
    type, and their reporting regions (None: every region of the agency at that level)."""

    level: int
    period_type: str
    regions: frozenset[str] | None


def plans_for(element_ids: Iterable[int]) -> dict[int, Plan]:
    """Each element's reporting plan, from one read of its datasets. Elements in no dataset,
    or in datasets of different levels or period types, have none (expected unknown)."""
    ids = list(element_ids)
    if not ids:
        return {}
    fields = ("dataset_id", "dataset__collection_level", "dataset__period_type")
    rows = DatasetElement.objects.filter(element_id__in=ids).values_list(
        "element_id", *fields, "dataset__regions"
    )
    shapes: dict[int, set[tuple[int, str]]] = defaultdict(set)
    regions: dict[tuple[int, int], set[str]] = defaultdict(set)
    for element, dataset, level, period_type, region in rows:
        shapes[element].add((level, period_type))
        codes = regions[(element, dataset)]
        if region is not None:
            codes.add(region)
    union: dict[int, set[str] | None] = {}
    for (element, _dataset), codes in regions.items():
        known: set[str] | None = union.get(element, set())
        # A dataset without a list reports from every region at its level.
        union[element] = None if known is None or not codes else known | codes
    out = {}
    for element, kinds in shapes.items():
        if len(kinds) == 1:
            ((level, period_type),) = kinds
            listed = union.get(element)
            out[element] = Plan(level, period_type, None if listed is None else frozenset(listed))
    return out


def leaves_under(codes: Iterable[str]) -> Counter[str]:
    """How many of these (leaf) region codes lie under each region code above them."""
    counter: Counter[str] = Counter()
    for code in codes:
        while "." in code:
            code = code.rsplit(".", 1)[0]
            counter[code] += 1
    return counter


def periods_in(period: str, period_type: str) -> int:
    """How many periods of the collection type make up `period` (0 when it is finer)."""
    outer = periods.parse(period)
    if outer.type == period_type:
        return 1
    inner = periods.between(outer.start, outer.end, period_type)
    if any(p.start < outer.start or p.end > outer.end for p in inner):
        return 0
    return len(inner)


def expected_values(kind: str, regions: int, n_periods: int) -> int:
    """Leaf values a complete figure stands for: `regions` reporting regions over `n_periods`
    periods of the collection type (see `periods_in`)."""
    return regions if kind == LAST else regions * n_periods


class Expected:
    """How many leaf values a complete figure above the collection level stands for, per
    element, region and period; built once per table from one read of the elements' datasets
    and the regions already read, and only when the table shows regions above the finest
    collection level (the kelurahan table, the largest, needs none of it)."""

    def __init__(self, elements: Sequence[DataElement], regions: Sequence[Region], level: int):
        self.kinds = {e.pk: e.aggregation for e in elements}
        self.plans: dict[int, Plan] = {}
        self.leaves: dict[int, Counter[str]] = {}
        self._periods: dict[tuple[str, str], int] = {}
        if level >= RegionLevel.VILLAGE or not elements:
            return
        plans = plans_for(e.pk for e in elements)
        at_level: dict[int, list[str]] = {}
        for element, plan in plans.items():
            if plan.level <= level or self.kinds.get(element, NONE) == NONE:
                continue  # shown at (or under) its collection level: nothing to add up
            if plan.regions is not None:
                self.leaves[element] = leaves_under(plan.regions)
            else:
                if plan.level not in at_level:
                    at_level[plan.level] = [r.code for r in regions if r.level == plan.level]
                self.leaves[element] = leaves_under(at_level[plan.level])
            self.plans[element] = plan

    def __bool__(self) -> bool:
        return bool(self.plans)

    def expected(self, element: int, region: str, period: str) -> int:
        plan = self.plans.get(element)
        if plan is None:
            return 0
        n = self._periods.get((period, plan.period_type))
        if n is None:
            n = self._periods[(period, plan.period_type)] = periods_in(period, plan.period_type)
        regions = self.leaves[element].get(region, 0)
        return expected_values(self.kinds[element], regions, n)

    def shortfalls(
        self,
        keys: dict[str, Any],
        columns: Sequence[tuple[Any, str]],
        col_dim: str,
        cells: Sequence[Decimal | None],
        counts: Sequence[int],
    ) -> list[tuple[int, int] | None]:
        """Per cell of a row, (reported, expected) when a figure stands for fewer."""
        out: list[tuple[int, int] | None] = []
        for (key, _label), value, count in zip(columns, cells, counts, strict=True):
            if value is None:
                out.append(None)
                continue
            where = {**keys, col_dim: key}
            element = where["element"]
            element = element[0] if isinstance(element, tuple) else element
            wanted = self.expected(element, where["region"], where["period"])
            out.append((count, wanted) if count < wanted else None)
        return out
