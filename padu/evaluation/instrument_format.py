"""Reading and checking an instrument file (format padu-instrument/1). Pure: no ORM.

Every fault is collected with its place (for example `domains[1].aspects[0]: ...`) before
anything is loaded; a file with any fault loads nothing. The YAML is read strictly: one
document, no anchors or aliases (a small file could otherwise expand enormously), no key
given twice, and bounded nesting (deep nesting crashes YAML parsers).
"""

from __future__ import annotations

import itertools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .choices import EvidenceKind, IndicatorKind, InstrumentStatus, Rounding, ValueScale
from .instrument_spec import (
    CODE_LENGTH,
    DIVISOR_LIMIT,
    FORMAT,
    HIGH,
    INDICATOR_NAME_LENGTH,
    LEVEL_NAME_LENGTH,
    LEVEL_SCALE_LENGTH,
    LOW,
    MAX_DEPTH,
    OFFICIAL_NAME_LENGTH,
    PART_CODE_LENGTH,
    PART_NAME_LENGTH,
    SHORT_TITLE_LENGTH,
    SMALL_INT_MAX,
    TITLE_LENGTH,
    UNREADABLE,
    WEIGHT_LIMIT,
    AspectSpec,
    Data,
    DomainSpec,
    IndicatorSpec,
    InstrumentFormatError,
    InstrumentSpec,
    LevelSpec,
)
from .instrument_yaml import FieldReader, is_plain, read_yaml

# Re-exported: callers and tests read the limits and specs from here.
__all__ = [
    "CODE_LENGTH",
    "DIVISOR_LIMIT",
    "INDICATOR_NAME_LENGTH",
    "LEVEL_NAME_LENGTH",
    "LEVEL_SCALE_LENGTH",
    "MAX_DEPTH",
    "OFFICIAL_NAME_LENGTH",
    "PART_CODE_LENGTH",
    "PART_NAME_LENGTH",
    "SHORT_TITLE_LENGTH",
    "SMALL_INT_MAX",
    "TITLE_LENGTH",
    "WEIGHT_LIMIT",
    "AspectSpec",
    "DomainSpec",
    "IndicatorSpec",
    "InstrumentFormatError",
    "InstrumentSpec",
    "LevelSpec",
    "parse_instrument",
]

# --- the parts of an instrument -------------------------------------------------------


def _differs(total: Decimal, expected: Decimal) -> bool:
    """Whether a sum is off (an unreadable number has been reported already)."""
    return not (total.is_nan() or expected.is_nan()) and total != expected


def _levels(r: FieldReader, data: Data, where: str) -> list[LevelSpec]:
    raw = data.get("levels")
    if raw is None or raw == {}:
        return []  # level texts are optional (5/2018 has none)
    if not isinstance(raw, dict):
        r.fail(where, _("'levels' must map each level to its description"))
        return []
    keys = list(raw)
    numeric = all(isinstance(k, int) and not isinstance(k, bool) for k in keys)
    if not numeric or sorted(keys) != list(range(LOW, HIGH + 1)):
        found = ", ".join(str(k) for k in (sorted(keys) if numeric else keys))
        r.fail(
            where,
            _("levels must be exactly %(low)s to %(high)s, found %(found)s")
            % {"low": LOW, "high": HIGH, "found": found},
        )
        return []
    result = []
    for level in range(LOW, HIGH + 1):
        body = raw[level] if raw[level] is not None else {}
        place = f"{where}.levels[{level}]"
        if not isinstance(body, dict):
            r.fail(place, _("a level must be a mapping of its name, description and criteria"))
            continue
        kinds = r.texts(body, "evidence_types", place)
        for kind in kinds:
            if kind not in EvidenceKind.values:
                r.fail(place, _("unknown evidence type '%(kind)s'") % {"kind": kind})
        result.append(
            LevelSpec(
                level=level,
                name=r.text(body, "id", place, limit=LEVEL_NAME_LENGTH, required=False),
                name_en=r.text(body, "en", place, limit=LEVEL_NAME_LENGTH, required=False),
                name_alt=_alias(r, body, place),
                description=r.text(body, "description_id", place, required=False),
                description_en=r.text(body, "description_en", place, required=False),
                criteria=r.texts(body, "criteria_id", place),
                evidence_kinds=kinds,
            )
        )
    return result


def _alias(r: FieldReader, body: Data, where: str) -> str:
    """Other names of a level in use (the assessors' Rintisan beside Merintis), joined by ' / '."""
    raw = body.get("alias_id")
    names = [raw] if isinstance(raw, str) else r.texts(body, "alias_id", where)
    text = " / ".join(n.strip() for n in names if n.strip())
    if len(text) > LEVEL_NAME_LENGTH:
        r.fail(
            where,
            _("'alias_id' is longer than %(limit)s characters") % {"limit": LEVEL_NAME_LENGTH},
        )
        return ""
    return text


def _value_in_scale(r: FieldReader, value: Any, key: str, where: str) -> Decimal | None:
    """A value from 1.00 to 5.00 with at most two decimals (an indicator's value)."""
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        result = Decimal(str(value).strip())
        if not result.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        result = None
    if result is None or not LOW <= result <= HIGH or result != result.quantize(Decimal("0.01")):
        r.fail(
            where,
            _("'%(key)s' must be a number from %(low)s to %(high)s with at most two decimals")
            % {"key": key, "low": LOW, "high": HIGH},
        )
        return None
    return result.quantize(Decimal("0.01"))


def _external_index(r: FieldReader, data: Data, where: str) -> tuple[str, Decimal | None]:
    """An indicator scored from another agency's index: its source and the value until recorded."""
    raw = data.get("external_index")
    if raw is None:
        return "", None
    place = f"{where}.external_index"
    if not isinstance(raw, dict):
        r.fail(place, _("'external_index' must give 'source_id' and 'default_value'"))
        return "", None
    source = r.text(raw, "source_id", place, limit=OFFICIAL_NAME_LENGTH)
    if raw.get("default_value") is None:
        r.fail(place, _("an external-index indicator needs its 'default_value'"))
        return source, None
    return source, _value_in_scale(r, raw["default_value"], "default_value", place)


def _indicator(r: FieldReader, data: Data, where: str, scales: Data | None) -> IndicatorSpec:
    number = r.integer(data, "number", where)
    if number:
        where = f"{where} ({_('number')} {number})"
    kind = r.text(data, "type", where, required=False) or IndicatorKind.OTHER
    if kind not in IndicatorKind.values:
        r.fail(where, _("unknown indicator type '%(kind)s'") % {"kind": kind})
    scale = r.text(data, "level_scale", where, limit=LEVEL_SCALE_LENGTH, required=False)
    if scale and scales is not None and scale not in scales:
        r.fail(where, _("unknown level scale '%(scale)s'") % {"scale": scale})
    slots = r.integer(data, "slots", where, default=1, high=100)
    weight = r.number(data, "weight", where)
    spec = IndicatorSpec(
        number=number or 0,
        code=r.text(data, "code", where, limit=PART_CODE_LENGTH, required=False) or str(number),
        name=r.text(data, "id", where, limit=INDICATOR_NAME_LENGTH),
        name_en=r.text(data, "en", where, limit=INDICATOR_NAME_LENGTH, required=False),
        official_name=r.text(
            data, "official_name_id", where, limit=OFFICIAL_NAME_LENGTH, required=False
        ),
        weight=weight if slots else UNREADABLE,  # no sum is checked with unknown slots
        kind=kind,
        level_scale=scale,
        slots=slots or 1,
        requires_service_name=r.flag(data, "requires_service_name", where),
        focus=r.text(data, "assessment_focus_id", where, required=False),
        levels=_levels(r, data, where),
    )
    spec.external_source, spec.external_default = _external_index(r, data, where)
    if number:
        r.keys["number"].append((where, number))
    r.keys["code"].append((where, spec.code))
    return spec


def _aspect(r: FieldReader, data: Data, where: str, scales: Data | None) -> AspectSpec:
    aspect = AspectSpec(
        code=r.text(data, "code", where, limit=PART_CODE_LENGTH),
        name=r.text(data, "id", where, limit=PART_NAME_LENGTH),
        name_en=r.text(data, "en", where, limit=PART_NAME_LENGTH, required=False),
        weight=r.number(data, "weight", where),
    )
    r.keys["aspect"].append((where, aspect.code))
    for n, raw in enumerate(r.mapping_list(data, "indicators", where)):
        aspect.indicators.append(_indicator(r, raw, f"{where}.indicators[{n}]", scales))
    total = sum((i.weight * i.slots for i in aspect.indicators), Decimal(0))
    if aspect.indicators and _differs(total, aspect.weight):
        r.fail(
            where,
            _("the aspect weight %(weight)s is not the sum of its indicators' weights %(total)s")
            % {"weight": aspect.weight, "total": total},
        )
    return aspect


def _domain(r: FieldReader, data: Data, where: str, scales: Data | None) -> DomainSpec:
    domain = DomainSpec(
        code=r.text(data, "code", where, limit=PART_CODE_LENGTH),
        name=r.text(data, "id", where, limit=PART_NAME_LENGTH),
        name_en=r.text(data, "en", where, limit=PART_NAME_LENGTH, required=False),
        weight=r.number(data, "weight", where),
    )
    r.keys["domain"].append((where, domain.code))
    for a, raw in enumerate(r.mapping_list(data, "aspects", where)):
        domain.aspects.append(_aspect(r, raw, f"{where}.aspects[{a}]", scales))
    total = sum((a.weight for a in domain.aspects), Decimal(0))
    if domain.aspects and _differs(total, domain.weight):
        r.fail(
            where,
            _("the domain weight %(weight)s is not the sum of its aspects' weights %(total)s")
            % {"weight": domain.weight, "total": total},
        )
    return domain


def _bands(r: FieldReader, data: Data) -> list[dict[str, Any]]:
    """The predicate bands: contiguous, no gap or overlap, covering the level range."""
    spans = []
    for n, band in enumerate(r.mapping_list(data, "predicates", "instrument")):
        where = f"predicates[{n}]"
        name = r.text(band, "name", where, limit=LEVEL_NAME_LENGTH)
        start, end = (
            r.number(band, "min", where, limit=None),
            r.number(band, "max", where, limit=None),
        )
        inclusive = r.flag(band, "max_inclusive", where)
        if not (start.is_nan() or end.is_nan()) and start >= end:
            r.fail(where, _("a band must end above where it starts (%(min)s)") % {"min": start})
        spans.append((start, end, inclusive, name))
    if not spans or any(s.is_nan() or e.is_nan() for s, e, _i, _n in spans):
        return []
    ordered = sorted(spans, key=lambda s: s[0])
    if ordered[0][0] != LOW:
        r.fail("predicates", _("the lowest band must start at %(low)s") % {"low": LOW})
    if ordered[-1][1] != HIGH or not ordered[-1][2]:
        r.fail("predicates", _("the highest band must end at %(high)s, inclusive") % {"high": HIGH})
    for (_s, a_end, a_inclusive, _n), (b_start, _e, _i, _m) in itertools.pairwise(ordered):
        if a_end != b_start:
            r.fail(
                "predicates",
                _("the bands leave a gap or overlap between %(a)s and %(b)s")
                % {"a": a_end, "b": b_start},
            )
        elif a_inclusive:
            r.fail(
                "predicates",
                _("only the highest band may include its upper bound (%(max)s)") % {"max": a_end},
            )
    return [
        {"name": name, "min": str(start), "max": str(end), "max_inclusive": inclusive}
        for start, end, inclusive, name in spans
    ]


def _level_scales(r: FieldReader, data: Data) -> Data | None:
    """The named level scales (stored as JSON); None when they cannot be read."""
    scales = data.get("level_scales")
    if scales is None:
        return {}
    if not isinstance(scales, dict) or not is_plain(scales):
        r.fail(
            "instrument",
            _("'level_scales' may hold only text, numbers, lists and mappings"),
        )
        return None
    return {str(k): v for k, v in scales.items()}


def _check_unique(r: FieldReader) -> None:
    """Numbers and codes appear once; each repeat is named at its own place."""
    reported: set[str] = set()
    for kind, message in (
        ("number", _("indicator number %(number)s appears more than once")),
        ("code", _("indicator code %(code)s appears more than once")),
        ("domain", _("domain code %(code)s appears more than once")),
        ("aspect", _("aspect code %(code)s appears more than once")),
    ):
        seen: set[Any] = set()
        for place, key in r.keys[kind]:
            if key in seen and place not in reported:  # a repeated number explains its code
                reported.add(place)
                r.fail(place, message % {"number": key, "code": key})
            seen.add(key)


def _choice(r: FieldReader, data: Data, key: str, choices: type[Any], default: str) -> str:
    value = r.text(data, key, "instrument", required=False) or default
    if value not in choices.values:
        r.fail(
            "instrument",
            _("unknown %(key)s '%(value)s' (use %(choices)s)")
            % {"key": key, "value": value, "choices": ", ".join(choices.values)},
        )
        return default
    return str(value)


def _supersedes(r: FieldReader, data: Data) -> list[dict[str, Any]]:
    """The versions this one replaces: [{code, version}]."""
    raw = data.get("supersedes")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(v, dict) for v in raw):
        r.fail("instrument", _("'supersedes' must be a list of {code, version}"))
        return []
    out = []
    for n, item in enumerate(raw):
        where = f"supersedes[{n}]"
        code = r.text(item, "code", where, limit=CODE_LENGTH)
        version = r.integer(item, "version", where, default=1, high=2**31 - 1)
        if code and version:
            out.append({"code": code, "version": version})
    return out


def _mode(r: FieldReader, data: Data) -> tuple[str, str, int | None, list[dict[str, Any]]]:
    """Value scale, rounding rule, first year it is the default for, versions it supersedes."""
    scale = _choice(r, data, "value_scale", ValueScale, ValueScale.LEVEL)
    rounding = _choice(r, data, "rounding", Rounding, Rounding.HALF_UP)
    year = None
    if data.get("applies_from_year") is not None:
        year = r.integer(data, "applies_from_year", "instrument", high=2200)
        if year is not None and year < 1900:
            r.fail("instrument", _("'applies_from_year' must be a year"))
            year = None
    return scale, rounding, year, _supersedes(r, data)


def _check_external_scale(r: FieldReader, aspects: list[AspectSpec], scale: str) -> None:
    """External-index defaults with decimals need a decimal value scale."""
    for a in aspects:
        for i in a.indicators:
            d = i.external_default
            if d is not None and scale == ValueScale.LEVEL and d != d.to_integral_value():
                r.fail(
                    f"{_('indicator')} {i.code}",
                    _("a default value with decimals needs 'value_scale: decimal'"),
                )


def parse_instrument(text: str) -> InstrumentSpec:
    """Parse and check an instrument file; raise InstrumentFormatError listing every fault."""
    document, faults = read_yaml(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InstrumentFormatError(
            [_("the file must start with 'format: %(format)s'") % {"format": FORMAT}]
        )
    data = document.get("instrument")
    if not isinstance(data, dict):
        raise InstrumentFormatError([_("the key 'instrument' is missing")])
    r = FieldReader()
    r.errors += faults
    here = "instrument"
    code = r.text(data, "code", here, limit=CODE_LENGTH)
    version = r.integer(data, "version", here, default=1, high=2**31 - 1)
    title = r.text(data, "title", here, limit=TITLE_LENGTH)
    short_title = r.text(data, "short_title", here, limit=SHORT_TITLE_LENGTH, required=False)
    status = r.text(data, "status", here)
    if status and status not in InstrumentStatus.values:
        r.fail(here, _("unknown status '%(status)s'") % {"status": status})
    if (data.get("min_level", LOW), data.get("max_level", HIGH)) != (LOW, HIGH):
        r.fail(here, _("levels must run from 1 to 5"))
    divisor = r.number(data, "divisor", here, limit=DIVISOR_LIMIT)
    value_scale, rounding, applies_from_year, supersedes = _mode(r, data)
    scales = _level_scales(r, data)
    domains: list[DomainSpec] = []
    aspects: list[AspectSpec] = []
    if "domains" in data and "aspects" in data:
        r.fail(here, _("use either 'domains' or 'aspects', not both"))
    elif "domains" in data:
        for d, raw in enumerate(r.mapping_list(data, "domains", here)):
            domains.append(_domain(r, raw, f"domains[{d}]", scales))
        aspects = [a for d in domains for a in d.aspects]
    else:
        for a, raw in enumerate(r.mapping_list(data, "aspects", here)):
            aspects.append(_aspect(r, raw, f"aspects[{a}]", scales))
    total = sum((a.weight for a in aspects), Decimal(0))
    if aspects and _differs(total, divisor):
        r.fail(
            here,
            _("the weights add up to %(total)s, not to the divisor %(divisor)s")
            % {"total": total, "divisor": divisor},
        )
    _check_unique(r)
    _check_external_scale(r, aspects, value_scale)
    predicates = _bands(r, data)
    status_note = r.text(data, "status_note", here, required=False)
    source = r.text(data, "source", here, required=False)
    if r.errors:
        raise InstrumentFormatError(r.errors)
    return InstrumentSpec(
        code=code,
        version=version or 1,
        title=title,
        short_title=short_title or code[:SHORT_TITLE_LENGTH],
        status=status,
        status_note=status_note,
        source=source,
        min_level=LOW,
        max_level=HIGH,
        divisor=divisor,
        predicates=predicates,
        level_scales=scales or {},
        domains=domains,
        aspects=aspects,
        value_scale=value_scale,
        rounding=rounding,
        applies_from_year=applies_from_year,
        supersedes=supersedes,
    )
