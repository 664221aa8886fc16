"""Bridge between the ORM and the pure index engine: shapes from instruments, series per period."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Aspect, Assessment, Domain, Indicator, Instrument, Period
from .scoring import (
    AspectShape,
    IndicatorShape,
    InstrumentShape,
    Result,
    Value,
    bands_from,
    compute,
    round_half_up,
    round_published,
)

SERIES = (
    ("self", "claimed_level", _("Self-assessment")),
    ("validated", "validated_level", _("Internally validated")),
    ("external", "external_level", _("External (LHE)")),
)
# The decimal value that stands for the level in each series on a decimal instrument (Pemdi).
VALUE_FIELDS = {
    "claimed_level": "claimed_value",
    "validated_level": "validated_value",
    "external_level": "external_value",
}

_shapes: dict[tuple[int, Any], InstrumentShape] = {}


def shape_for(instrument: Instrument) -> InstrumentShape:
    """The instrument's structure for the engine; cached (instruments are immutable once loaded)."""
    key = (instrument.pk, instrument.checksum)
    if key not in _shapes:
        indicators = Indicator.objects.filter(instrument=instrument).select_related("aspect")
        aspects = Aspect.objects.filter(instrument=instrument).select_related("domain")
        _shapes[key] = InstrumentShape(
            indicators=tuple(
                IndicatorShape(i.number, i.weight, i.aspect.code, i.slots, i.external_default)
                for i in indicators
            ),
            aspects=tuple(
                AspectShape(a.code, a.domain.code if a.domain else None) for a in aspects
            ),
            divisor=instrument.divisor,
            bands=bands_from(instrument.predicates),
            min_level=instrument.min_level,
            max_level=instrument.max_level,
            decimal_values=instrument.is_decimal,
            rounding=instrument.rounding,
        )
    return _shapes[key]


def item_value(a: Assessment, attribute: str) -> Value | None:
    """What one assessment counts at in one series (None: unfilled, the engine's default).

    An indicator scored from another agency's index (Pemdi IK5, IK6, IK7, IK18) counts at
    the recorded index result in every series, the LHE's own value winning in the external
    one; until a result is recorded it is unfilled and counts at its default (1.00).
    On a decimal instrument a series' decimal value wins over its whole level.
    """
    value_field = VALUE_FIELDS[attribute]
    if a.indicator.external_default is not None:
        if attribute == "external_level":
            own = a.external_value if a.external_value is not None else a.external_level
            if own is not None:
                return own
        return a.index_value
    value = getattr(a, value_field)
    return value if value is not None else getattr(a, attribute)


def _levels(assessments: list[Assessment], attribute: str) -> dict[tuple[int, int], Value | None]:
    return {(a.indicator.number, a.slot): item_value(a, attribute) for a in assessments}


def figure(value: Decimal, instrument: Instrument) -> Decimal:
    """An index, aspect or domain figure as published under the instrument's rounding rule."""
    return round_published(value, instrument.rounding)


def result_for(period: Period, assessments: list[Assessment], series: str) -> Result:
    attribute = next(attr for key, attr, _label in SERIES if key == series)
    return compute(shape_for(period.instrument), _levels(assessments, attribute))


def official_index(period: Period, series: str) -> Decimal:
    """The published index of one series (unfilled indicators at their default or the floor)."""
    assessments = list(period.assessments.select_related("indicator"))
    return figure(result_for(period, assessments, series).index, period.instrument)


@dataclass
class Cell:
    value: Decimal
    display: str
    percent: str


@dataclass
class GroupRow:
    name: str
    is_domain: bool
    values: list[Cell]


@dataclass
class Series:
    key: str
    label: str | Promise
    index: Decimal
    index_display: str
    predicate: str
    filled: int
    total: int


@dataclass
class PeriodScores:
    series: list[Series] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    has_domains: bool = True


def _figure(value: Decimal, shape: InstrumentShape) -> str:
    """A figure rounded by the instrument's rule to two decimals, in the active language ("2,98")."""
    return formats.number_format(shape.round(value), 2)


def _cell(value: Decimal, shape: InstrumentShape) -> Cell:
    span = Decimal(shape.max_level - shape.min_level) or Decimal(1)
    percent = (value - shape.min_level) / span * 100
    return Cell(value, _figure(value, shape), f"{round_half_up(percent, 0)}")


def scores_for_period(period: Period, assessments: list[Assessment]) -> PeriodScores:
    """The three series side by side, with a row per domain and aspect for the charts."""
    shape = shape_for(period.instrument)
    results = {key: compute(shape, _levels(assessments, attr)) for key, attr, _l in SERIES}
    series = [
        Series(key, label, r.index, _figure(r.index, shape), r.predicate, r.filled, r.total)
        for (key, _attr, label), r in zip(SERIES, results.values(), strict=True)
    ]
    domains = list(Domain.objects.filter(instrument=period.instrument).order_by("position"))
    aspects = list(Aspect.objects.filter(instrument=period.instrument).order_by("position"))
    groups: list[GroupRow] = []
    parents: list[Domain | None] = list(domains) or [None]
    for domain in parents:
        if domain is not None:
            groups.append(
                GroupRow(
                    domain.name,
                    True,
                    [_cell(r.domains[domain.code], shape) for r in results.values()],
                )
            )
        for aspect in aspects:
            if domain is None or aspect.domain_id == domain.pk:
                groups.append(
                    GroupRow(
                        aspect.name,
                        False,
                        [_cell(r.aspects[aspect.code], shape) for r in results.values()],
                    )
                )
    return PeriodScores(series=series, groups=groups, has_domains=bool(domains))


def scores_as_dict(period: Period, assessments: list[Assessment]) -> dict[str, Any]:
    """Raw numbers for the API: per series the index, predicate, domains, aspects and progress."""
    shape = shape_for(period.instrument)
    out: dict[str, Any] = {
        "period": period.pk,
        "year": period.year,
        "instrument": period.instrument.code,
        "instrument_version": period.instrument.version,
        "value_scale": period.instrument.value_scale,
        "rounding": period.instrument.rounding,
        "published_index": str(period.external_index) if period.external_index else None,
    }
    for key, attr, _label in SERIES:
        r = compute(shape, _levels(assessments, attr))
        out[key] = {
            "index": str(shape.round(r.index)),
            "index_exact": str(r.index),
            "predicate": r.predicate,
            "filled": r.filled,
            "total": r.total,
            "domains": {k: str(shape.round(v)) for k, v in r.domains.items()},
            "aspects": {k: str(shape.round(v)) for k, v in r.aspects.items()},
            "domains_exact": {k: str(v) for k, v in r.domains.items()},
            "aspects_exact": {k: str(v) for k, v in r.aspects.items()},
        }
    return out
