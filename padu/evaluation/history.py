"""Reads for the history pages: an agency's periods across years, benchmarks, comparisons.

Indices come from `index.py` (the engine); nothing here scores on its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from padu.organizations.models import Agency

from .charts import Chart, SeriesIn, line_chart
from .index import SERIES, figure, item_value, scores_for_period
from .models import Assessment, Instrument, Peer, Period, PublishedResult
from .results_published import PEMDI_FROM_YEAR
from .scoring import Value

SERIES_KEYS = [key for key, _attr, _label in SERIES]
CONCORDANCE_FILE = Path(__file__).resolve().parent / "data" / "indicator_concordance.yaml"
Key = tuple[int, int]  # (indicator number, slot)

SPBE, PEMDI = "spbe", "pemdi"


def index_series(instrument: Instrument | None, year: int) -> str:
    """Which index a figure belongs to: the Indeks Pemdi (8/2026) or the SPBE index (5/2018,
    59/2020). A period goes by its instrument; a published figure without one by its year."""
    if instrument is None:
        return PEMDI if year >= PEMDI_FROM_YEAR else SPBE
    pemdi = (
        instrument.is_decimal
        or instrument.code.startswith("permenpanrb-8-")
        or (instrument.applies_from_year or 0) >= PEMDI_FROM_YEAR
    )
    return PEMDI if pemdi else SPBE


def series_title(series: str) -> str:
    """The name of an index series as the pages show it."""
    if series == PEMDI:
        return _("Indeks Pemerintah Digital (PermenPANRB 8/2026, from 2026)")
    return _("SPBE index (PermenPANRB 5/2018 and 59/2020, to 2025)")


@dataclass
class YearRow:
    year: int
    period: Period | None = None
    instrument: str = ""
    series: str = SPBE  # which index the row belongs to (never mixed in one line)
    indices: dict[str, Decimal | None] = field(default_factory=dict)  # self, validated, external
    published: Decimal | None = None  # KemenPANRB's figure for the agency's region (reference data)
    national: Decimal | None = None
    peers: dict[str, Decimal | None] = field(default_factory=dict)
    # Top-level groups: domains for SPBE, aspects for Pemdi (which has no domains).
    domains: dict[str, Decimal] = field(default_factory=dict)
    domain_series: str = ""


@dataclass
class HistorySection:
    """One index series (SPBE or Pemdi) with its own table and charts."""

    key: str
    title: str
    rows: list[YearRow]
    group_names: list[str]  # domains (SPBE) or aspects (Pemdi)
    index_chart: Chart
    group_chart: Chart

    @property
    def groups_are_aspects(self) -> bool:
        return self.key == PEMDI


@dataclass
class History:
    rows: list[YearRow]
    peers: list[tuple[str, str]]  # (region code, label)
    sections: list[HistorySection]

    def section(self, key: str) -> HistorySection | None:
        return next((s for s in self.sections if s.key == key), None)


def _period_row(period: Period) -> YearRow:
    assessments = list(period.assessments.select_related("indicator"))
    scores = scores_for_period(period, assessments)
    filled = {s.key: s.filled for s in scores.series}
    row = YearRow(
        year=period.year,
        period=period,
        instrument=period.instrument.short_title,
        series=index_series(period.instrument, period.year),
    )
    for s in scores.series:
        row.indices[s.key] = figure(s.index, period.instrument) if s.filled else None
    if period.external_index is not None:
        row.indices["external"] = period.external_index
    total = {s.key: s.total for s in scores.series}
    usable = {
        "external": bool(filled.get("external")),
        "validated": filled.get("validated") == total.get("validated"),
        "self": bool(filled.get("self")),
    }
    best = next((k for k in ("external", "validated", "self") if usable[k]), "")
    if best:
        position = SERIES_KEYS.index(best)
        row.domain_series = best
        row.domains = {
            g.name: figure(g.values[position].value, period.instrument)
            for g in scores.groups
            if g.is_domain or not scores.has_domains
        }
    return row


def peer_regions(agency: Agency) -> list[tuple[str, str]]:
    return [
        (p.region_id, p.region.name)
        for p in Peer.objects.filter(agency=agency).select_related("region").order_by("region_id")
    ]


def agency_history(agency: Agency, periods: QuerySet[Period]) -> History:
    """All periods of the agency by year, with national averages, published figures and peers,
    split into the SPBE series (to 2025) and the Pemdi series (from 2026)."""
    peers = peer_regions(agency)
    peer_codes = [code for code, _name in peers]
    rows: dict[tuple[str, int], YearRow] = {}
    for p in periods.select_related("instrument").order_by("year"):
        row = _period_row(p)
        rows[(row.series, row.year)] = row
    published = PublishedResult.objects.filter(
        region__isnull=True
    ) | PublishedResult.objects.filter(region_id__in=[*peer_codes, agency.region_id])
    by_key = {(p.year, p.region_id): p.index for p in published}
    years = {year for series, year in rows if index_series(None, year) == series}
    years |= {y for (y, code) in by_key if code in (None, agency.region_id)}
    for year in sorted(years):
        series = index_series(None, year)
        row = rows.setdefault((series, year), YearRow(year=year, series=series))
        row.national = by_key.get((year, None))
        row.published = by_key.get((year, agency.region_id)) if agency.region_id else None
        row.peers = {code: by_key.get((year, code)) for code in peer_codes}
    ordered = [rows[k] for k in sorted(rows, key=lambda k: (k[1], k[0] == PEMDI))]
    sections = [
        _section(series, [r for r in ordered if r.series == series], peers)
        for series in (SPBE, PEMDI)
        if any(r.series == series for r in ordered)
    ]
    return History(rows=ordered, peers=peers, sections=sections)


def _section(series: str, rows: list[YearRow], peers: list[tuple[str, str]]) -> HistorySection:
    group_names: list[str] = []
    for row in reversed(rows):  # the newest instrument's order first
        group_names += [name for name in row.domains if name not in group_names]
    years = [r.year for r in rows]
    return HistorySection(
        key=series,
        title=series_title(series),
        rows=rows,
        group_names=group_names,
        index_chart=_index_chart(rows, peers),
        group_chart=line_chart(
            years,
            [SeriesIn(name, {r.year: r.domains.get(name) for r in rows}) for name in group_names],
        ),
    )


def _index_chart(rows: list[YearRow], peers: list[tuple[str, str]]) -> Chart:
    labels = {key: str(label) for key, _attr, label in SERIES}
    series = [
        SeriesIn(labels[key], {r.year: r.indices.get(key) for r in rows}) for key in SERIES_KEYS
    ]
    series.append(SeriesIn(_("Published"), {r.year: r.published for r in rows}))
    series.append(SeriesIn(_("National average"), {r.year: r.national for r in rows}, True))
    for code, name in peers:
        series.append(SeriesIn(name, {r.year: r.peers.get(code) for r in rows}, True))
    return line_chart([r.year for r in rows], series)


def history_table(
    history: History, section: HistorySection | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one series' table, or of both with a column naming the series (the
    CSV export): the two indices share a table only with that column, never a line."""
    labels = [str(label) for _key, _attr, label in SERIES]
    rows = section.rows if section else history.rows
    group_names = (
        section.group_names if section else [n for s in history.sections for n in s.group_names]
    )
    header = [
        _("Year"),
        *([] if section else [_("Index")]),
        _("Instrument"),
        *labels,
        _("Published"),
        _("National average"),
        *[name for _code, name in history.peers],
        *group_names,
    ]
    out = [
        [
            r.year,
            *([] if section else ["Pemdi" if r.series == PEMDI else "SPBE"]),
            r.instrument,
            *[r.indices.get(k) for k in SERIES_KEYS],
            r.published,
            r.national,
            *[r.peers.get(code) for code, _name in history.peers],
            *[r.domains.get(name) for name in group_names],
        ]
        for r in rows
    ]
    return header, out


# --- comparing two periods -------------------------------------------------------------


@dataclass
class Side:
    label: str
    levels: dict[str, Value | None]  # what the indicator counts at per series (a level or value)


@dataclass(frozen=True)
class Cell:
    key: str
    a: Value | None
    b: Value | None
    delta: Value | None


@dataclass
class CompareRow:
    a: Side | None
    b: Side | None
    deltas: dict[str, Value | None]

    @property
    def cells(self) -> list[Cell]:
        return [
            Cell(
                key,
                self.a.levels.get(key) if self.a else None,
                self.b.levels.get(key) if self.b else None,
                self.deltas.get(key),
            )
            for key in SERIES_KEYS
        ]


@dataclass
class Comparison:
    a: Period
    b: Period
    same_instrument: bool
    rows: list[CompareRow]
    by_concordance: bool = False
    # One period on the SPBE index, the other on the Indeks Pemdi: another instrument,
    # other weights and a decimal scale. Refused (no rows) unless a concordance exists.
    cross_series: bool = False

    @property
    def refused(self) -> bool:
        return self.cross_series and not self.by_concordance

    @property
    def unmatched(self) -> int:
        return sum(1 for r in self.rows if r.a is None or r.b is None)


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def _sides(period: Period) -> dict[tuple[int, int], tuple[Assessment, Side]]:
    out = {}
    for a in period.assessments.select_related("indicator").order_by("indicator__number", "slot"):
        label = f"{a.indicator.code}. {a.indicator.name}"
        if a.indicator.slots > 1:
            label += f" ({a.slot})"
        levels = {key: item_value(a, attr) for key, attr, _label in SERIES}
        out[(a.indicator.number, a.slot)] = (a, Side(label, levels))
    return out


def _delta(a: Side | None, b: Side | None, key: str) -> Value | None:
    if a is None or b is None:
        return None
    x, y = a.levels.get(key), b.levels.get(key)
    return None if x is None or y is None else y - x


@functools.cache
def _concordances() -> dict[tuple[str, str], tuple[tuple[Key, Key], ...]]:
    document = yaml.safe_load(CONCORDANCE_FILE.read_text(encoding="utf-8"))
    return {
        (c["from"], c["to"]): tuple(((r[0], r[1]), (r[2], r[3])) for r in c["rows"])
        for c in document["concordances"]
    }


def concordance(code_a: str, code_b: str) -> dict[Key, Key] | None:
    """Successor indicators between two instruments, in either direction, when listed."""
    table = _concordances()
    if (code_a, code_b) in table:
        return dict(table[(code_a, code_b)])
    if (code_b, code_a) in table:
        return {to: frm for frm, to in table[(code_b, code_a)]}
    return None


def compare_periods(a: Period, b: Period) -> Comparison:
    """Indicator levels (or values) of `a` against `b` (deltas are b - a): by number on the
    same instrument; otherwise through the concordance file where one exists, then by
    identical indicator name; unmatched indicators are listed on their own. An SPBE period
    against a Pemdi one is refused (no rows) unless a concordance exists."""
    same = a.instrument_id == b.instrument_id or a.instrument.code == b.instrument.code
    cross = index_series(a.instrument, a.year) != index_series(b.instrument, b.year)
    mapping = None if same else concordance(a.instrument.code, b.instrument.code)
    if cross and not mapping:
        return Comparison(a=a, b=b, same_instrument=False, rows=[], cross_series=True)
    left, right = _sides(a), _sides(b)
    if same:
        pairs: dict[Key, Key] = {k: k for k in left if k in right}
    else:
        pairs = {k: v for k, v in (mapping or {}).items() if k in left and v in right}
        taken = set(pairs.values())
        by_name = {(_normal(x.indicator.name), k[1]): k for k, (x, _s) in right.items()}
        for k, (x, _side) in left.items():
            match = by_name.get((_normal(x.indicator.name), k[1]))
            if k not in pairs and match is not None and match not in taken:
                pairs[k] = match
                taken.add(match)
    rows: list[CompareRow] = []
    for k, (_x, side) in left.items():
        other = right[pairs[k]][1] if k in pairs else None
        rows.append(CompareRow(side, other, {key: _delta(side, other, key) for key in SERIES_KEYS}))
    matched = set(pairs.values())
    for k, (_x, side) in right.items():
        if k not in matched:
            rows.append(CompareRow(None, side, dict.fromkeys(SERIES_KEYS)))
    return Comparison(
        a=a, b=b, same_instrument=same, rows=rows, by_concordance=bool(mapping), cross_series=cross
    )
