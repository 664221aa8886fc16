"""Reads for analysis: pivot tables, trends, comparisons, maps and dashboards, all from the
kept rollups (`AggregateValue`), never by rescanning `DataValue`.

Totals across the cells of a disaggregation follow the element's aggregation: the sum for
sum and last elements, the average weighted by how many leaf values each cell stands for
for averages (the same rule as combining regions, `aggregation.over_regions`).

Who sees what: everyone who may read the data bank sees open (terbuka) and restricted
(terbatas) elements of their agency; closed (tertutup) elements only the custodians and the
producing OPD. API tokens never see closed elements (see `api/permissions.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from padu.organizations.models import Agency, Region

from . import periods
from .aggregation import AVERAGE, NONE, Cell, over_regions
from .charts_analysis import BarChart, Sparkline, bar_chart, sparkline
from .choices import AccessClass
from .models import AggregateValue, DataElement, DatasetElement, OptionCombo
from .permissions import can_view_databank, is_custodian, producer_unit_ids

DIMENSIONS = ("element", "region", "period")
PERIOD_TYPES = (periods.MONTHLY, periods.QUARTERLY, periods.SIXMONTHLY, periods.YEARLY)
MAX_PERIODS = 120


def readable_elements(user: Any, agency: Agency | None) -> QuerySet[DataElement]:
    """The elements this user may analyse (closed ones only for custodians and producers)."""
    if agency is None or not can_view_databank(user, agency):
        return DataElement.objects.none()
    elements = DataElement.objects.filter(agency=agency)
    if is_custodian(user, agency):
        return elements
    units = producer_unit_ids(user, agency)
    return elements.filter(~Q(access_class=AccessClass.CLOSED) | Q(producer_id__in=units))


def agency_regions(agency: Agency, level: int, under: str = "") -> list[Region]:
    """The agency's regions at a level, optionally only those under a region code (a range
    on the code, which the primary key index answers)."""
    if agency.region_id is None:
        return []
    top = agency.region_id
    if under and (under == top or under.startswith(top + ".")):
        top = under
    regions = Region.objects.filter(Q(code=top) | Q(code__gt=top + ".", code__lt=top + "/"))
    return [r for r in regions.order_by("code") if r.level == level]


def period_codes(period_type: str, start: str, end: str) -> list[str]:
    """Codes of one type from the period containing `start` to the one containing `end`."""
    first, last = periods.parse(start), periods.parse(end)
    if last.end < first.start:
        first, last = last, first
    return [p.code for p in periods.between(first.start, last.end, period_type)][:MAX_PERIODS]


def type_of(code: str) -> str:
    return periods.parse(code).type


# --- reading cells --------------------------------------------------------------------------

CellKey = tuple[int, int, str, str]  # element, option combo, region, period


def read_cells(
    element_ids: Iterable[int], region_codes: Sequence[str], codes: Sequence[str]
) -> dict[CellKey, Cell]:
    """The kept aggregates of these elements, regions and periods, per disaggregation cell."""
    rows = AggregateValue.objects.filter(
        element_id__in=list(element_ids), period__in=list(codes), region_id__in=list(region_codes)
    ).values_list("element_id", "option_combo_id", "region_id", "period", "value", "count")
    return {(e, c, r, p): Cell(v, n) for e, c, r, p, v, n in rows}


def totals(kinds: dict[int, str], cells: dict[CellKey, Cell]) -> dict[tuple[int, str, str], Cell]:
    """Cells combined across the disaggregation: (element, region, period) -> total."""
    grouped: dict[tuple[int, str, str], list[Cell]] = defaultdict(list)
    for (e, _c, r, p), cell in cells.items():
        grouped[(e, r, p)].append(cell)
    out: dict[tuple[int, str, str], Cell] = {}
    for key, items in grouped.items():
        total = over_regions(kinds.get(key[0], NONE), items)
        if total is not None:
            out[key] = total
    return out


_SIX = Decimal("0.000001")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    # SQLite hands back floats; the ORM would round them to the column's 6 places too.
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(_SIX)


_RANGE_ABOVE = 50


def read_totals(
    kinds: dict[int, str], region_codes: Sequence[str], codes: Sequence[str]
) -> dict[tuple[int, str, str], Decimal]:
    """The same totals as `totals(read_cells(...))` (sum for sum/last elements, count-weighted
    average for averages) from one raw read, without the ORM's per-row overhead (see
    bench/bench_analysis.py). Many regions are read as one code range (one index scan per
    element and period) instead of one probe each."""
    element_ids = [e for e, kind in kinds.items() if kind != NONE]
    if not element_ids or not region_codes or not codes:
        return {}
    table = connection.ops.quote_name(AggregateValue._meta.db_table)
    params: list[Any] = [*element_ids, *codes]
    if len(region_codes) > _RANGE_ABOVE:
        where_region = "region_id >= %s AND region_id <= %s"
        params += [min(region_codes), max(region_codes)]
    else:
        where_region = f"region_id IN ({', '.join(['%s'] * len(region_codes))})"
        params += list(region_codes)
    sql = (
        "SELECT element_id, region_id, period, value, count"
        f" FROM {table} WHERE element_id IN ({', '.join(['%s'] * len(element_ids))})"
        f" AND period IN ({', '.join(['%s'] * len(codes))}) AND {where_region}"
    )
    # No GROUP BY: most elements have one cell, and sorting for a grouped read costs more
    # than combining the few disaggregated ones here (same rule as `aggregation`).
    wanted = set(region_codes)
    first: dict[tuple[int, str, str], tuple[Any, int]] = {}
    more: dict[tuple[int, str, str], list[tuple[Any, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for e, r, p, value, count in cursor.fetchall():
            if r not in wanted:
                continue
            key = (e, r, p)
            if key in first:
                more.setdefault(key, [first[key]]).append((value, count))
            else:
                first[key] = (value, count)
    sample = next(iter(first.values()), (Decimal(0), 0))[0]
    if isinstance(sample, Decimal):  # PostgreSQL hands back Decimals already
        out = {key: value for key, (value, _count) in first.items()}
    else:
        out = {key: _decimal(value) for key, (value, _count) in first.items()}
    for key, cells in more.items():
        values = [(_decimal(v), n) for v, n in cells]
        if kinds[key[0]] != AVERAGE:
            out[key] = sum((v for v, _n in values), Decimal(0))
        else:
            weight = sum(n for _v, n in values)
            weighted = sum((v * n for v, n in values), Decimal(0))
            out[key] = (weighted / weight if weight else Decimal(0)).quantize(_SIX)
    return out


# --- pivot ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PivotSpec:
    element_ids: tuple[int, ...]
    level: int
    period_type: str
    start: str
    end: str
    under: str = ""
    columns: str = "period"
    disaggregated: bool = False


@dataclass
class PivotRow:
    labels: list[str]
    cells: list[Decimal | None]


@dataclass
class Pivot:
    row_headers: list[str]
    columns: list[str]
    rows: list[PivotRow] = field(default_factory=list)
    filled: int = 0

    def csv_rows(self) -> list[list[Any]]:
        return [[*row.labels, *row.cells] for row in self.rows]


def _element_members(
    elements: Sequence[DataElement], disaggregated: bool
) -> list[tuple[tuple[int, int | None], str]]:
    """(element id, option combo id or None for the total) with labels, in order."""
    if not disaggregated:
        return [((e.pk, None), e.name) for e in elements]
    combos: dict[int, list[OptionCombo]] = defaultdict(list)
    for oc in OptionCombo.objects.filter(
        combo_id__in={e.category_combo_id for e in elements}
    ).order_by("position", "pk"):
        combos[oc.combo_id].append(oc)
    out: list[tuple[tuple[int, int | None], str]] = []
    for e in elements:
        cells = combos.get(e.category_combo_id, [])
        if len(cells) <= 1:
            out.extend(((e.pk, oc.pk), e.name) for oc in cells)
        else:
            out.extend(((e.pk, oc.pk), f"{e.name} — {oc.name}") for oc in cells)
    return out


def pivot(agency: Agency, elements: Sequence[DataElement], spec: PivotSpec) -> Pivot:
    """Elements x regions x periods; `columns` is one dimension, rows nest the other two."""
    regions = agency_regions(agency, spec.level, spec.under)
    codes = period_codes(spec.period_type, spec.start, spec.end)
    chosen = [e for e in elements if e.pk in set(spec.element_ids)] or list(elements)
    kinds = {e.pk: e.aggregation for e in chosen}
    region_codes = [r.code for r in regions]
    lookup: dict[tuple[int, int | None, str, str], Decimal]
    if spec.disaggregated:
        cells = read_cells(kinds, region_codes, codes)
        lookup = {(e, c, r, p): cell.value for (e, c, r, p), cell in cells.items()}
    else:
        lookup = {
            (e, None, r, p): v for (e, r, p), v in read_totals(kinds, region_codes, codes).items()
        }
    members: dict[str, list[tuple[Any, str]]] = {
        "element": list(_element_members(chosen, spec.disaggregated)),
        "region": [(r.code, f"{r.name} ({r.code})") for r in regions],
        "period": [(c, c) for c in codes],
    }
    col_dim = spec.columns if spec.columns in DIMENSIONS else "period"
    outer, inner = (d for d in DIMENSIONS if d != col_dim)
    labels = {"element": "Element", "region": "Region", "period": "Period"}
    result = Pivot(
        row_headers=[labels[outer], labels[inner]],
        columns=[label for _k, label in members[col_dim]],
    )
    # Re-key the figures in display order (outer, inner, column) once, then read rows.
    order = {outer: 0, inner: 1, col_dim: 2}
    shown: dict[tuple[Any, Any, Any], Decimal] = {}
    for (e, c, r, p), value in lookup.items():
        parts: list[Any] = [None, None, None]
        parts[order["element"]], parts[order["region"]], parts[order["period"]] = (e, c), r, p
        shown[(parts[0], parts[1], parts[2])] = value
    col_keys = [k for k, _label in members[col_dim]]
    get = shown.get
    for okey, olabel in members[outer]:
        for ikey, ilabel in members[inner]:
            row = [get((okey, ikey, ck)) for ck in col_keys]
            result.filled += len(row) - row.count(None)
            result.rows.append(PivotRow([olabel, ilabel], row))
    return result


# --- series for charts, maps and dashboards -------------------------------------------------


def series(
    element: DataElement, region_codes: Sequence[str], codes: Sequence[str]
) -> dict[str, dict[str, Decimal | None]]:
    """Totals of one element: region code -> period code -> value."""
    out: dict[str, dict[str, Decimal | None]] = {r: {} for r in region_codes}
    for (_e, r, p), value in read_totals(
        {element.pk: element.aggregation}, region_codes, codes
    ).items():
        out[r][p] = value
    return out


def element_period_type(element: DataElement) -> str:
    """The finest period type the element is collected in (its datasets), monthly otherwise."""
    kinds = set(
        DatasetElement.objects.filter(element=element).values_list(
            "dataset__period_type", flat=True
        )
    )
    return next((k for k in PERIOD_TYPES if k in kinds), periods.MONTHLY)


def latest_periods(element: DataElement, region_code: str, period_type: str, n: int) -> list[str]:
    """The last `n` periods of a type up to the latest one with an aggregate for the region."""
    stored = [
        code
        for code in AggregateValue.objects.filter(element=element, region_id=region_code)
        .values_list("period", flat=True)
        .distinct()
        if type_of(code) == period_type
    ]
    if not stored:
        return []
    last = periods.parse(max(stored, key=lambda c: periods.parse(c).start))
    out = [last]
    while len(out) < n:
        out.append(out[-1].previous())
    return [p.code for p in reversed(out)]


@dataclass
class DashboardTile:
    element: DataElement
    period: str
    latest: Decimal | None
    trend: list[Decimal | None]
    trend_periods: list[str]
    by_district: list[tuple[str, Decimal | None]]

    @property
    def spark(self) -> Sparkline:
        return sparkline(self.trend)

    @property
    def bars(self) -> BarChart:
        return bar_chart(self.by_district, width=480)


def dashboard_tiles(agency: Agency, elements: Sequence[DataElement]) -> list[DashboardTile]:
    """Per element: the agency-wide latest value, a 12-period trend and the kecamatan values."""
    from padu.organizations.choices import RegionLevel

    top = agency.region.code if agency.region else ""
    districts = agency_regions(agency, RegionLevel.DISTRICT)
    tiles = []
    for element in elements:
        codes = latest_periods(element, top, element_period_type(element), 12)
        values = series(element, [top], codes).get(top, {})
        trend = [values.get(c) for c in codes]
        last = codes[-1] if codes else ""
        by_district = series(element, [d.code for d in districts], [last]) if last else {}
        tiles.append(
            DashboardTile(
                element=element,
                period=last,
                latest=trend[-1] if trend else None,
                trend=trend,
                trend_periods=codes,
                by_district=[(d.name, by_district.get(d.code, {}).get(last)) for d in districts],
            )
        )
    return tiles
