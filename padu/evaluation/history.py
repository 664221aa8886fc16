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
from .index import SERIES, scores_for_period
from .models import Assessment, Peer, Period, PublishedResult
from .scoring import round_half_up

SERIES_KEYS = [key for key, _attr, _label in SERIES]
CONCORDANCE_FILE = Path(__file__).resolve().parent / "data" / "indicator_concordance.yaml"
Key = tuple[int, int]  # (indicator number, slot)


@dataclass
class YearRow:
    year: int
    period: Period | None = None
    instrument: str = ""
    indices: dict[str, Decimal | None] = field(default_factory=dict)  # self, validated, external
    published: Decimal | None = None  # KemenPANRB's figure for the agency's region (reference data)
    national: Decimal | None = None
    peers: dict[str, Decimal | None] = field(default_factory=dict)
    domains: dict[str, Decimal] = field(default_factory=dict)
    domain_series: str = ""


@dataclass
class History:
    rows: list[YearRow]
    peers: list[tuple[str, str]]  # (region code, label)
    domain_names: list[str]
    index_chart: Chart
    domain_chart: Chart


def _period_row(period: Period) -> YearRow:
    assessments = list(period.assessments.select_related("indicator"))
    scores = scores_for_period(period, assessments)
    filled = {s.key: s.filled for s in scores.series}
    row = YearRow(year=period.year, period=period, instrument=period.instrument.short_title)
    for s in scores.series:
        row.indices[s.key] = round_half_up(s.index) if s.filled else None
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
            g.name: round_half_up(g.values[position].value) for g in scores.groups if g.is_domain
        }
    return row


def peer_regions(agency: Agency) -> list[tuple[str, str]]:
    return [
        (p.region_id, p.region.name)
        for p in Peer.objects.filter(agency=agency).select_related("region").order_by("region_id")
    ]


def agency_history(agency: Agency, periods: QuerySet[Period]) -> History:
    """All periods of the agency by year, with national averages, published figures, peers."""
    peers = peer_regions(agency)
    peer_codes = [code for code, _name in peers]
    rows = {p.year: _period_row(p) for p in periods.select_related("instrument").order_by("year")}
    published = PublishedResult.objects.filter(
        region__isnull=True
    ) | PublishedResult.objects.filter(region_id__in=[*peer_codes, agency.region_id])
    by_key = {(p.year, p.region_id): p.index for p in published}
    years = set(rows) | {y for (y, code) in by_key if code in (None, agency.region_id)}
    for year in sorted(years):
        row = rows.setdefault(year, YearRow(year=year))
        row.national = by_key.get((year, None))
        row.published = by_key.get((year, agency.region_id)) if agency.region_id else None
        row.peers = {code: by_key.get((year, code)) for code in peer_codes}
    ordered = [rows[y] for y in sorted(rows)]
    domain_names: list[str] = []
    for row in reversed(ordered):  # the newest instrument's order first
        domain_names += [name for name in row.domains if name not in domain_names]
    return History(
        rows=ordered,
        peers=peers,
        domain_names=domain_names,
        index_chart=_index_chart(ordered, peers),
        domain_chart=line_chart(
            [r.year for r in ordered],
            [
                SeriesIn(name, {r.year: r.domains.get(name) for r in ordered})
                for name in domain_names
            ],
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


def history_table(history: History) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the history table (also the CSV export)."""
    labels = [str(label) for _key, _attr, label in SERIES]
    header = [
        _("Year"),
        _("Instrument"),
        *labels,
        _("Published"),
        _("National average"),
        *[name for _code, name in history.peers],
        *history.domain_names,
    ]
    rows = [
        [
            r.year,
            r.instrument,
            *[r.indices.get(k) for k in SERIES_KEYS],
            r.published,
            r.national,
            *[r.peers.get(code) for code, _name in history.peers],
            *[r.domains.get(name) for name in history.domain_names],
        ]
        for r in history.rows
    ]
    return header, rows


# --- comparing two periods -------------------------------------------------------------


@dataclass
class Side:
    label: str
    levels: dict[str, int | None]


@dataclass(frozen=True)
class Cell:
    key: str
    a: int | None
    b: int | None
    delta: int | None


@dataclass
class CompareRow:
    a: Side | None
    b: Side | None
    deltas: dict[str, int | None]

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
        levels = {key: getattr(a, attr) for key, attr, _label in SERIES}
        out[(a.indicator.number, a.slot)] = (a, Side(label, levels))
    return out


def _delta(a: Side | None, b: Side | None, key: str) -> int | None:
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
    """Indicator levels of `a` against `b` (deltas are b - a): by number on the same
    instrument; otherwise through the concordance file where one exists, then by identical
    indicator name; unmatched indicators are listed on their own."""
    same = a.instrument_id == b.instrument_id or a.instrument.code == b.instrument.code
    left, right = _sides(a), _sides(b)
    mapping = None if same else concordance(a.instrument.code, b.instrument.code)
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
    return Comparison(a=a, b=b, same_instrument=same, rows=rows, by_concordance=bool(mapping))
