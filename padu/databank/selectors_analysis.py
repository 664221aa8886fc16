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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from padu.organizations.models import Agency, Region

from . import coverage, periods
from .aggregation import AVERAGE, NONE, Cell, over_regions
from .charts_analysis import BarChart, Sparkline, bar_chart, sparkline
from .choices import AccessClass
from .models import AggregateValue, DataElement, DatasetElement, OptionCombo
from .permissions import can_view_databank, is_custodian, producer_unit_ids

DIMENSIONS = ("element", "region", "period")
PERIOD_TYPES = (periods.MONTHLY, periods.QUARTERLY, periods.SIXMONTHLY, periods.YEARLY)
MAX_PERIODS = 120
# Rows of one pivot page: a kota's whole table (6,500 rows, 78,000 figures) made a 2 MB
# page; 600 rows of 12 months is about 200 kB, and the read follows the page.
PAGE_ROWS = 600


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
    return [r for r in regions_under(agency, under) if r.level == level]


def regions_under(agency: Agency, under: str = "") -> list[Region]:
    """The agency's regions at every level, in code order (see `agency_regions`)."""
    if agency.region_id is None:
        return []
    top = agency.region_id
    if under and (under == top or under.startswith(top + ".")):
        top = under
    regions = Region.objects.filter(Q(code=top) | Q(code__gt=top + ".", code__lt=top + "/"))
    return list(regions.order_by("code"))


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
_BATCH = 2000


def _read_total_rows(
    element_ids: Sequence[int], region_codes: Sequence[str], codes: Sequence[str]
) -> Iterator[tuple[int, str, str, Any, int]]:
    """(element, region, period, value, count) of every cell, from one raw read without the
    ORM's per-row overhead. Many regions are read as one code range (one index scan per
    element and period) instead of one probe each; the range is narrowed to codes as long as
    the wanted ones (Kemendagri codes of one level share a length), so the levels between do
    not travel. Callers still drop codes they did not ask for."""
    table = connection.ops.quote_name(AggregateValue._meta.db_table)
    params: list[Any] = [*element_ids, *codes]
    if len(region_codes) > _RANGE_ABOVE:
        lengths = sorted({len(code) for code in region_codes})
        where_region = (
            "region_id >= %s AND region_id <= %s"
            f" AND LENGTH(region_id) IN ({', '.join(['%s'] * len(lengths))})"
        )
        params += [min(region_codes), max(region_codes), *lengths]
    else:
        where_region = f"region_id IN ({', '.join(['%s'] * len(region_codes))})"
        params += list(region_codes)
    sql = (
        "SELECT element_id, region_id, period, value, count"
        f" FROM {table} WHERE element_id IN ({', '.join(['%s'] * len(element_ids))})"
        f" AND period IN ({', '.join(['%s'] * len(codes))}) AND {where_region}"
    )
    # No GROUP BY: most elements have one cell, and sorting for a grouped read costs more
    # than combining the few disaggregated ones in Python (same rule as `aggregation`).
    # Rows come in batches: a kota pivot's 78,000 row tuples alive at once would set off
    # the garbage collector's full passes, which cost more than reading them.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(_BATCH):
            yield from batch


def _combine(kind: str, cells: Sequence[tuple[Any, int]]) -> Decimal:
    """The total of several cells of one element, region and period (see module docstring)."""
    values = [(_decimal(v), n) for v, n in cells]
    if kind != AVERAGE:
        return sum((v for v, _n in values), Decimal(0))
    weight = sum(n for _v, n in values)
    weighted = sum((v * n for v, n in values), Decimal(0))
    return (weighted / weight if weight else Decimal(0)).quantize(_SIX)


def read_totals(
    kinds: dict[int, str], region_codes: Sequence[str], codes: Sequence[str]
) -> dict[tuple[int, str, str], Decimal]:
    """The same totals as `totals(read_cells(...))` (sum for sum/last elements, count-weighted
    average for averages) from one raw read (see `_read_total_rows`)."""
    element_ids = [e for e, kind in kinds.items() if kind != NONE]
    if not element_ids or not region_codes or not codes:
        return {}
    wanted = set(region_codes)
    first: dict[tuple[int, str, str], tuple[Any, int]] = {}
    more: dict[tuple[int, str, str], list[tuple[Any, int]]] = {}
    for e, r, p, value, count in _read_total_rows(element_ids, region_codes, codes):
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
        out[key] = _combine(kinds[key[0]], cells)
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
    # Per cell, (leaf values reported, expected) where a figure above the collection level
    # stands for fewer than expected; None for the rest (and for the whole row when unknown).
    short: list[tuple[int, int] | None] | None = None


@dataclass
class Pivot:
    row_headers: list[str]
    columns: list[str]
    rows: list[PivotRow] = field(default_factory=list)
    filled: int = 0
    page: Page | None = None  # the rows shown, when the table is paged
    partial: int = 0  # figures shown that stand for fewer leaf values than expected

    def csv_rows(self) -> list[list[Any]]:
        return [[*row.labels, *row.cells] for row in self.rows]


def _element_members(elements: Sequence[DataElement], disaggregated: bool) -> list[tuple[Any, str]]:
    """Element keys with labels, in order: the element id for totals, (element id, option
    combo id) for disaggregation cells."""
    if not disaggregated:
        return [(e.pk, e.name) for e in elements]
    combos: dict[int, list[OptionCombo]] = defaultdict(list)
    for oc in OptionCombo.objects.filter(
        combo_id__in={e.category_combo_id for e in elements}
    ).order_by("position", "pk"):
        combos[oc.combo_id].append(oc)
    out: list[tuple[Any, str]] = []
    for e in elements:
        cells = combos.get(e.category_combo_id, [])
        if len(cells) <= 1:
            out.extend(((e.pk, oc.pk), e.name) for oc in cells)
        else:
            out.extend(((e.pk, oc.pk), f"{e.name} — {oc.name}") for oc in cells)
    return out


class _Grid:
    """The pivot as one flat list in display order: a figure's position is the sum of the
    offsets of its element, region and period (row-major over outer, inner, column), so
    placing one costs three dict lookups and no tuple building (the kota pivot places
    78,000 figures; see bench/bench_analysis.py)."""

    def __init__(self, members: dict[str, list[tuple[Any, str]]], order: Sequence[str]) -> None:
        outer, inner, column = order
        stride = {
            column: 1,
            inner: len(members[column]),
            outer: len(members[column]) * len(members[inner]),
        }
        self.offsets = {
            dim: {key: i * stride[dim] for i, (key, _label) in enumerate(members[dim])}
            for dim in DIMENSIONS
        }
        self.cells: list[Decimal | None] = [None] * (stride[outer] * len(members[outer]))
        self.counts: list[int] = [0] * len(self.cells)  # leaf values behind each figure
        self.filled = 0

    def place_totals(self, kinds: dict[int, str], rows: Iterable[tuple[Any, ...]]) -> None:
        """Raw (element, region, period, value, count) rows, combining the cells of an
        element, region and period as `read_totals` does."""
        eo, ro, po = (self.offsets[d] for d in DIMENSIONS)
        cells = self.cells
        weights = self.counts
        more: dict[int, tuple[int, list[tuple[Any, int]]]] = {}
        filled = 0
        for e, r, p, value, count in rows:
            at = ro.get(r)
            if at is None:  # a code inside the read range that was not asked for
                continue
            at += eo[e] + po[p]
            if cells[at] is None:
                cells[at] = value
                weights[at] = count
                filled += 1
            elif at in more:
                more[at][1].append((value, count))
            else:
                more[at] = (e, [(cells[at], weights[at]), (value, count)])
        self.filled = filled
        sample = next((v for v in cells if v is not None), None)
        if sample is not None and not isinstance(sample, Decimal):  # SQLite
            self._to_decimals()
        for at, (e, items) in more.items():
            cells[at] = _combine(kinds[e], items)
            # the cells of a disaggregation stand for the same reports: the fullest counts
            weights[at] = max(n for _v, n in items)

    def _to_decimals(self) -> None:
        """SQLite hands back floats (and integers); figures repeat (counts, rates), and a
        non-zero float converts the same every time."""
        cells = self.cells
        known: dict[float, Decimal] = {}
        for at, raw in enumerate(cells):
            if raw is None or type(raw) is Decimal:
                continue
            if raw and type(raw) is float:
                value = known.get(raw)
                if value is None:
                    value = known[raw] = _decimal(raw)
            else:
                value = _decimal(raw)
            cells[at] = value

    def place(self, figures: Iterable[tuple[Any, str, str, Decimal, int]]) -> None:
        """(element key, region, period, value, count) figures; keys not shown are skipped."""
        eo, ro, po = (self.offsets[d] for d in DIMENSIONS)
        cells, counts = self.cells, self.counts
        for e, r, p, value, count in figures:
            if e not in eo:  # a cell of another category combination than the element's
                continue
            at = eo[e] + ro[r] + po[p]
            if cells[at] is None:
                self.filled += 1
            cells[at] = value
            counts[at] = count


def _page_keys(n_outer: int, n_inner: int, shown: range) -> tuple[range, list[int]]:
    """Positions of the outer and inner keys that the rows `shown` (row i is outer i // n_inner,
    inner i % n_inner) need. A slice over three outer keys or more needs every inner key;
    either way at most about three pages of rows are read for one."""
    if not shown or not n_inner:
        return range(0), []
    outer_at = range(shown.start // n_inner, (shown.stop - 1) // n_inner + 1)
    if len(outer_at) > 2 or len(shown) >= n_inner:
        return outer_at, list(range(n_inner))
    return outer_at, sorted({i % n_inner for i in shown})


def pivot(
    agency: Agency,
    elements: Sequence[DataElement],
    spec: PivotSpec,
    *,
    page: int | str | None = None,
) -> Pivot:
    """Elements x regions x periods; `columns` is one dimension, rows nest the other two.

    With `page` (1-based; a number past either end gives the last page, anything else the
    first), the table holds at most `PAGE_ROWS` rows and only their figures are read: the
    keys of the row dimensions are sliced in display order and the read asks for those
    alone. Without it, the whole table (for exports)."""
    everywhere = regions_under(agency, spec.under)
    regions = [r for r in everywhere if r.level == spec.level]
    codes = period_codes(spec.period_type, spec.start, spec.end)
    wanted = set(spec.element_ids)
    chosen = [e for e in elements if e.pk in wanted] or list(elements)
    kinds = {e.pk: e.aggregation for e in chosen}
    members: dict[str, list[tuple[Any, str]]] = {
        "element": _element_members(chosen, spec.disaggregated),
        "region": [(r.code, f"{r.name} ({r.code})") for r in regions],
        "period": [(c, c) for c in codes],
    }
    col_dim = spec.columns if spec.columns in DIMENSIONS else "period"
    outer, inner = (d for d in DIMENSIONS if d != col_dim)
    n_inner = len(members[inner])
    shown: range = range(len(members[outer]) * n_inner)
    pager: Page | None = None
    if page is not None:
        pager = Paginator(shown, PAGE_ROWS).get_page(page)
        start = (pager.number - 1) * PAGE_ROWS
        shown = shown[start : start + PAGE_ROWS]
    outer_at, inner_at = _page_keys(len(members[outer]), n_inner, shown)
    part = dict(members)
    part[outer] = [members[outer][i] for i in outer_at]
    part[inner] = [members[inner][i] for i in inner_at]
    grid = _Grid(part, (outer, inner, col_dim))
    _read_into(grid, kinds, part, spec.disaggregated)
    labels = {"element": "Element", "region": "Region", "period": "Period"}
    result = Pivot(
        row_headers=[labels[outer], labels[inner]],
        columns=[label for _k, label in members[col_dim]],
        page=pager,
    )
    width, flat = len(members[col_dim]), grid.cells
    inner_pos = {at: pos for pos, at in enumerate(inner_at)}
    olabels, ilabels = members[outer], members[inner]
    expect = coverage.Expected(chosen, everywhere, spec.level)
    for i in shown:
        o, n = divmod(i, n_inner)
        at = ((o - outer_at.start) * len(inner_at) + inner_pos[n]) * width
        row = PivotRow([olabels[o][1], ilabels[n][1]], flat[at : at + width])
        if expect:
            keys = {outer: olabels[o][0], inner: ilabels[n][0]}
            counts = grid.counts[at : at + width]
            row.short = expect.shortfalls(keys, members[col_dim], col_dim, row.cells, counts)
            result.partial += sum(s is not None for s in row.short)
        result.rows.append(row)
    if len(result.rows) * width == len(flat):
        result.filled = grid.filled
    else:  # the read held rows the page does not show
        result.filled = sum(v is not None for row in result.rows for v in row.cells)
    return result


def _read_into(
    grid: _Grid, kinds: dict[int, str], part: dict[str, list[tuple[Any, str]]], disagg: bool
) -> None:
    """The figures of the members in `part` (the keys the shown rows need), into the grid."""
    region_codes = [code for code, _label in part["region"]]
    codes = [code for code, _label in part["period"]]
    if disagg:
        ids = {key[0] for key, _label in part["element"]}
        cells = read_cells(ids, region_codes, codes)
        grid.place(((e, c), r, p, cell.value, cell.count) for (e, c, r, p), cell in cells.items())
        return
    ids = {key for key, _label in part["element"]}
    element_ids = [e for e, kind in kinds.items() if e in ids and kind != NONE]
    if element_ids and region_codes and codes:
        grid.place_totals(kinds, _read_total_rows(element_ids, region_codes, codes))


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
    # Of the latest figure: how many reporting regions (at `level`) entered it, of how many
    # the element's datasets expect; None when that is not known.
    reported: int | None = None
    expected: int | None = None
    level: int | None = None

    @property
    def coverage_text(self) -> str:
        """'44 of 65 villages reported', in the level's words."""
        from padu.organizations.choices import RegionLevel

        if self.reported is None or self.expected is None:
            return ""
        numbers = {"reported": self.reported, "expected": self.expected}
        if self.level == RegionLevel.VILLAGE:
            return _("%(reported)s of %(expected)s villages reported") % numbers
        if self.level == RegionLevel.DISTRICT:
            return _("%(reported)s of %(expected)s districts reported") % numbers
        return _("%(reported)s of %(expected)s regions reported") % numbers

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
    plans = coverage.plans_for(e.pk for e in elements)
    at_level: dict[int, list[str]] = {}
    tiles = []
    for element in elements:
        codes = latest_periods(element, top, element_period_type(element), 12)
        values = series(element, [top], codes).get(top, {})
        trend = [values.get(c) for c in codes]
        last = codes[-1] if codes else ""
        by_district = series(element, [d.code for d in districts], [last]) if last else {}
        tile = DashboardTile(
            element=element,
            period=last,
            latest=trend[-1] if trend else None,
            trend=trend,
            trend_periods=codes,
            by_district=[(d.name, by_district.get(d.code, {}).get(last)) for d in districts],
        )
        plan = plans.get(element.pk)
        if plan and last and plan.level > RegionLevel.REGENCY and plan.period_type == type_of(last):
            if plan.regions is None and plan.level not in at_level:
                at_level[plan.level] = [r.code for r in agency_regions(agency, plan.level)]
            leaves = at_level[plan.level] if plan.regions is None else plan.regions
            tile.level = plan.level
            tile.expected = coverage.leaves_under(leaves).get(top, 0)
            tile.reported = _reported(element, top, last)
        tiles.append(tile)
    return tiles


def _reported(element: DataElement, region: str, period: str) -> int:
    """Leaf values behind an element's figure (its fullest disaggregation cell)."""
    found = AggregateValue.objects.filter(element=element, region_id=region, period=period)
    return found.aggregate(n=Max("count"))["n"] or 0
