"""Reading and checking an instrument file (format padu-instrument/1). Pure: no ORM.

Every fault is collected with its place (for example `domains[1].aspects[0]: ...`) before
anything is loaded; a file with any fault loads nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .choices import EvidenceKind, IndicatorKind, InstrumentStatus

FORMAT = "padu-instrument/1"
KINDS = {"policy", "process", "service", "other"}


@dataclass
class LevelSpec:
    level: int
    name: str = ""
    name_en: str = ""
    description: str = ""
    description_en: str = ""
    criteria: list[str] = field(default_factory=list)
    evidence_kinds: list[str] = field(default_factory=list)


@dataclass
class IndicatorSpec:
    number: int
    code: str
    name: str
    weight: Decimal
    kind: str
    name_en: str = ""
    official_name: str = ""
    level_scale: str = ""
    slots: int = 1
    requires_service_name: bool = False
    focus: str = ""
    levels: list[LevelSpec] = field(default_factory=list)


@dataclass
class AspectSpec:
    code: str
    name: str
    weight: Decimal
    name_en: str = ""
    indicators: list[IndicatorSpec] = field(default_factory=list)


@dataclass
class DomainSpec:
    code: str
    name: str
    weight: Decimal
    name_en: str = ""
    aspects: list[AspectSpec] = field(default_factory=list)


@dataclass
class InstrumentSpec:
    code: str
    version: int
    title: str
    short_title: str
    status: str
    status_note: str
    source: str
    min_level: int
    max_level: int
    divisor: Decimal
    predicates: list[dict[str, Any]]
    level_scales: dict[str, Any]
    domains: list[DomainSpec]
    aspects: list[AspectSpec]  # all aspects, in order (with or without domains)

    @property
    def has_domains(self) -> bool:
        return bool(self.domains)

    @property
    def indicators(self) -> list[IndicatorSpec]:
        return [i for a in self.aspects for i in a.indicators]


class InstrumentFormatError(Exception):
    """The file has faults; `errors` names each one with its place."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
            return ""
        return str(value).strip()

    def number(self, data: dict[str, Any], key: str, where: str) -> Decimal:
        value = data.get(key)
        try:
            if isinstance(value, bool) or value is None:
                raise InvalidOperation
            result = Decimal(str(value))
        except InvalidOperation:
            self.fail(where, _("'%(key)s' must be a number") % {"key": key})
            return Decimal(0)
        if result < 0:
            self.fail(where, _("'%(key)s' must not be negative") % {"key": key})
        return result

    def integer(
        self, data: dict[str, Any], key: str, where: str, default: int | None = None
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, _("'%(key)s' must be a whole number") % {"key": key})
            return default or 0
        return value

    def mapping_list(self, data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(where, _("'%(key)s' must be a non-empty list") % {"key": key})
            return []
        return value


def _levels(r: _Reader, data: dict[str, Any], where: str, low: int, high: int) -> list[LevelSpec]:
    raw = data.get("levels")
    if raw in (None, {}):
        return []
    if not isinstance(raw, dict):
        r.fail(where, _("'levels' must map each level to its description"))
        return []
    keys = sorted(raw) if all(isinstance(k, int) for k in raw) else None
    if keys != list(range(low, high + 1)):
        r.fail(
            where,
            _("levels must be exactly %(low)s to %(high)s, found %(found)s")
            % {"low": low, "high": high, "found": ", ".join(str(k) for k in raw)},
        )
        return []
    result = []
    for level in keys:
        body = raw[level] or {}
        place = f"{where}.levels[{level}]"
        kinds = [str(k) for k in body.get("evidence_types", [])]
        for kind in kinds:
            if kind not in EvidenceKind.values:
                r.fail(place, _("unknown evidence type '%(kind)s'") % {"kind": kind})
        criteria = body.get("criteria_id", body.get("criteria", [])) or []
        result.append(
            LevelSpec(
                level=level,
                name=str(body.get("id", body.get("name", "")) or ""),
                name_en=str(body.get("en", "") or ""),
                description=str(body.get("description_id", body.get("description", "")) or ""),
                description_en=str(body.get("description_en", "") or ""),
                criteria=[str(c) for c in criteria],
                evidence_kinds=kinds,
            )
        )
    return result


def _indicator(r: _Reader, data: dict[str, Any], where: str, low: int, high: int) -> IndicatorSpec:
    number = r.integer(data, "number", where)
    where = f"{where} ({_('number')} {number})"
    kind = str(data.get("type", data.get("kind", "other")))
    if kind not in KINDS:
        r.fail(where, _("unknown indicator type '%(kind)s'") % {"kind": kind})
    slots = r.integer(data, "slots", where, default=1)
    if slots < 1:
        r.fail(where, _("'slots' must be at least 1"))
    return IndicatorSpec(
        number=number,
        code=str(data.get("code") or number),
        name=r.text(data, "id", where),
        name_en=str(data.get("en", "") or ""),
        official_name=str(data.get("official_name_id", "") or ""),
        weight=r.number(data, "weight", where),
        kind=kind if kind in IndicatorKind.values else "other",
        level_scale=str(data.get("level_scale", "") or ""),
        slots=max(slots, 1),
        requires_service_name=bool(data.get("requires_service_name", False)),
        focus=str(data.get("assessment_focus_id", data.get("focus", "")) or ""),
        levels=_levels(r, data, where, low, high),
    )


def _aspect(r: _Reader, data: dict[str, Any], where: str, low: int, high: int) -> AspectSpec:
    aspect = AspectSpec(
        code=r.text(data, "code", where),
        name=r.text(data, "id", where),
        name_en=str(data.get("en", "") or ""),
        weight=r.number(data, "weight", where),
    )
    for n, raw in enumerate(r.mapping_list(data, "indicators", where)):
        aspect.indicators.append(_indicator(r, raw, f"{where}.indicators[{n}]", low, high))
    total = sum((i.weight * i.slots for i in aspect.indicators), Decimal(0))
    if aspect.indicators and total != aspect.weight:
        r.fail(
            where,
            _("the aspect weight %(weight)s is not the sum of its indicators' weights %(total)s")
            % {"weight": aspect.weight, "total": total},
        )
    return aspect


def _check_bands(r: _Reader, bands: list[dict[str, Any]], low: int, high: int) -> None:
    spans = []
    for n, band in enumerate(bands):
        where = f"predicates[{n}]"
        r.text(band, "name", where)
        spans.append(
            (
                r.number(band, "min", where),
                r.number(band, "max", where),
                band.get("max_inclusive", False),
            )
        )
    spans.sort()
    if not spans:
        return
    if spans[0][0] != low:
        r.fail("predicates", _("the lowest band must start at %(low)s") % {"low": low})
    if spans[-1][1] != high or not spans[-1][2]:
        r.fail("predicates", _("the highest band must end at %(high)s, inclusive") % {"high": high})
    for (a_min, a_max, _inc), (b_min, _b_max, _b_inc) in itertools.pairwise(spans):
        if a_max != b_min:
            r.fail(
                "predicates",
                _("the bands leave a gap or overlap between %(a)s and %(b)s")
                % {"a": a_max, "b": b_min},
            )
        if a_min >= a_max:
            r.fail(
                "predicates", _("a band must end above where it starts (%(min)s)") % {"min": a_min}
            )


def parse_instrument(text: str) -> InstrumentSpec:
    """Parse and check an instrument file; raise InstrumentFormatError listing every fault."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise InstrumentFormatError(
            [_("line %(line)s: the file is not valid YAML") % {"line": line}]
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InstrumentFormatError(
            [_("the file must start with 'format: %(format)s'") % {"format": FORMAT}]
        )
    data = document.get("instrument")
    if not isinstance(data, dict):
        raise InstrumentFormatError([_("the key 'instrument' is missing")])
    r = _Reader()
    low, high = (
        r.integer(data, "min_level", "instrument", 1),
        r.integer(data, "max_level", "instrument", 5),
    )
    if (low, high) != (1, 5):
        r.fail("instrument", _("levels must run from 1 to 5"))
    status = r.text(data, "status", "instrument")
    if status and status not in InstrumentStatus.values:
        r.fail("instrument", _("unknown status '%(status)s'") % {"status": status})
    divisor = r.number(data, "divisor", "instrument")
    domains: list[DomainSpec] = []
    aspects: list[AspectSpec] = []
    if "domains" in data:
        for d, raw in enumerate(r.mapping_list(data, "domains", "instrument")):
            where = f"domains[{d}]"
            domain = DomainSpec(
                code=r.text(raw, "code", where),
                name=r.text(raw, "id", where),
                name_en=str(raw.get("en", "") or ""),
                weight=r.number(raw, "weight", where),
            )
            for a, raw_aspect in enumerate(r.mapping_list(raw, "aspects", where)):
                domain.aspects.append(_aspect(r, raw_aspect, f"{where}.aspects[{a}]", low, high))
            total = sum((a.weight for a in domain.aspects), Decimal(0))
            if domain.aspects and total != domain.weight:
                r.fail(
                    where,
                    _(
                        "the domain weight %(weight)s is not the sum of its aspects' weights %(total)s"
                    )
                    % {"weight": domain.weight, "total": total},
                )
            domains.append(domain)
            aspects += domain.aspects
    else:
        for a, raw_aspect in enumerate(r.mapping_list(data, "aspects", "instrument")):
            aspects.append(_aspect(r, raw_aspect, f"aspects[{a}]", low, high))
    total = sum((a.weight for a in aspects), Decimal(0))
    if aspects and total != divisor:
        r.fail(
            "instrument",
            _("the weights add up to %(total)s, not to the divisor %(divisor)s")
            % {"total": total, "divisor": divisor},
        )
    seen: set[int] = set()
    for ind in (i for a in aspects for i in a.indicators):
        if ind.number in seen:
            r.fail(
                "instrument",
                _("indicator number %(number)s appears more than once") % {"number": ind.number},
            )
        seen.add(ind.number)
    if len({d.code for d in domains}) != len(domains):
        r.fail("instrument", _("a domain code appears more than once"))
    if len({a.code for a in aspects}) != len(aspects):
        r.fail("instrument", _("an aspect code appears more than once"))
    bands = r.mapping_list(data, "predicates", "instrument")
    _check_bands(r, bands, low, high)
    if r.errors:
        raise InstrumentFormatError(r.errors)
    return InstrumentSpec(
        code=r.text(data, "code", "instrument"),
        version=r.integer(data, "version", "instrument", 1),
        title=r.text(data, "title", "instrument"),
        short_title=str(data.get("short_title") or data.get("code")),
        status=status,
        status_note=str(data.get("status_note", "") or ""),
        source=str(data.get("source", "") or ""),
        min_level=low,
        max_level=high,
        divisor=divisor,
        predicates=[
            {
                "name": str(b["name"]),
                "min": str(b["min"]),
                "max": str(b["max"]),
                "max_inclusive": bool(b.get("max_inclusive", False)),
            }
            for b in bands
        ],
        level_scales=data.get("level_scales") or {},
        domains=domains,
        aspects=aspects,
    )
