"""Reading and checking an instrument file (format padu-instrument/1). Pure: no ORM.

Every fault is collected with its place (for example `domains[1].aspects[0]: ...`) before
anything is loaded; a file with any fault loads nothing. The YAML is read strictly: one
document, no anchors or aliases (a small file could otherwise expand enormously), no key
given twice, and bounded nesting (deep nesting crashes YAML parsers).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .choices import EvidenceKind, IndicatorKind, InstrumentStatus, Rounding, ValueScale
from .scoring import AspectShape, IndicatorShape, InstrumentShape, bands_from

Data = dict[str, Any]  # a mapping read from the file

FORMAT = "padu-instrument/1"
LOW, HIGH = 1, 5  # levels; the index engine and the models assume 1..5
MAX_DEPTH = 32  # an instrument file needs about 10 levels of nesting
UNREADABLE = Decimal("NaN")  # a number that had a fault; sums containing it are not checked

# Column sizes of the models, checked here so that a long text is a fault, not a database error.
CODE_LENGTH = 60
PART_CODE_LENGTH = 10
TITLE_LENGTH = 300
SHORT_TITLE_LENGTH = 80
PART_NAME_LENGTH = 200
INDICATOR_NAME_LENGTH = 300
OFFICIAL_NAME_LENGTH = 400
LEVEL_SCALE_LENGTH = 40
LEVEL_NAME_LENGTH = 100
WEIGHT_LIMIT = Decimal(1000)  # DecimalField(max_digits=6, decimal_places=3)
DIVISOR_LIMIT = Decimal(100000)  # DecimalField(max_digits=8, decimal_places=3)
SMALL_INT_MAX = 32767

# The file's own key first; the model field's name is accepted as a synonym.
SYNONYMS = {
    "id": ("id", "name"),
    "en": ("en", "name_en"),
    "type": ("type", "kind"),
    "official_name_id": ("official_name_id", "official_name"),
    "assessment_focus_id": ("assessment_focus_id", "focus"),
    "description_id": ("description_id", "description"),
    "criteria_id": ("criteria_id", "criteria"),
    "evidence_types": ("evidence_types", "evidence_kinds"),
}


@dataclass
class LevelSpec:
    level: int
    name: str = ""
    name_en: str = ""
    name_alt: str = ""
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
    external_source: str = ""
    external_default: Decimal | None = None


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
    value_scale: str = ValueScale.LEVEL
    rounding: str = Rounding.HALF_UP
    applies_from_year: int | None = None
    supersedes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_domains(self) -> bool:
        return bool(self.domains)

    @property
    def indicators(self) -> list[IndicatorSpec]:
        return [i for a in self.aspects for i in a.indicators]

    def shape(self) -> InstrumentShape:
        """The structure as the index engine sees it, without a database."""
        domain_of = {a.code: d.code for d in self.domains for a in d.aspects}
        return InstrumentShape(
            indicators=tuple(
                IndicatorShape(i.number, i.weight, a.code, i.slots, i.external_default)
                for a in self.aspects
                for i in a.indicators
            ),
            aspects=tuple(AspectShape(a.code, domain_of.get(a.code)) for a in self.aspects),
            divisor=self.divisor,
            bands=bands_from(self.predicates),
            min_level=self.min_level,
            max_level=self.max_level,
            decimal_values=self.value_scale == ValueScale.DECIMAL,
            rounding=self.rounding,
        )


class InstrumentFormatError(Exception):
    """The file has faults; `errors` names each one with its place."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- strict YAML ---------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML that notes a key given twice instead of silently keeping the last value."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[int, Any]] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        self.repeated.append((key_node.start_mark.line + 1, key))
                    seen.add(key)
                except TypeError:
                    pass  # an unhashable key: the constructor below refuses it
        return super().construct_mapping(node, deep=deep)


def _line(mark: Any) -> int:
    return mark.line + 1 if mark is not None else 0


def _screen(text: str) -> None:
    """Walk the parser's events (iterative, so safe on any input) before building anything."""
    depth = documents = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        fault = ""
        if isinstance(event, yaml.AliasEvent):
            fault = _("line %(line)s: anchors and aliases (& and *) are not allowed")
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                fault = _("line %(line)s: the file must hold one YAML document only")
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                fault = _("line %(line)s: the file is nested more than %(depth)s levels deep")
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1
        if fault:
            line = _line(event.start_mark)
            raise InstrumentFormatError([fault % {"line": line, "depth": MAX_DEPTH}])


def _read_yaml(text: str) -> tuple[Any, list[str]]:
    """The document and the faults found while reading it (keys given twice)."""
    try:
        _screen(text)
        loader = _StrictLoader(text)
        try:
            document = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None:
            message = _("the file is not valid YAML")
        else:
            message = _("line %(line)s: the file is not valid YAML") % {"line": _line(mark)}
        problem = getattr(exc, "problem", None)
        raise InstrumentFormatError([f"{message} ({problem})" if problem else message]) from exc
    faults = [
        _("line %(line)s: the key '%(key)s' appears more than once") % {"line": line, "key": key}
        for line, key in loader.repeated
    ]
    return document, faults


# --- reading values with their place ------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.keys: dict[str, list[tuple[str, Any]]] = defaultdict(list)  # kind: (place, key)

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    @staticmethod
    def get(data: Data, key: str) -> Any:
        for name in SYNONYMS.get(key, (key,)):
            if data.get(name) is not None:
                return data[name]
        return None

    def text(
        self, data: Data, key: str, where: str, *, limit: int = 0, required: bool = True
    ) -> str:
        value = self.get(data, key)
        if isinstance(value, bool) or (value is not None and not isinstance(value, str | int)):
            self.fail(where, _("'%(key)s' must be text") % {"key": key})
            return ""
        result = "" if value is None else str(value).strip()
        if not result and required:
            self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
        if limit and len(result) > limit:
            self.fail(
                where,
                _("'%(key)s' is longer than %(limit)s characters") % {"key": key, "limit": limit},
            )
        return result

    def number(
        self, data: Data, key: str, where: str, *, limit: Decimal | None = WEIGHT_LIMIT
    ) -> Decimal:
        """A positive number below `limit` with at most three decimals (limit None: any number)."""
        value = data.get(key)
        if value is None:
            self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
            return UNREADABLE
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            result = Decimal(str(value).strip())
            if not result.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(where, _("'%(key)s' must be a number") % {"key": key})
            return UNREADABLE
        if limit is None:
            return result
        if result <= 0:
            self.fail(where, _("'%(key)s' must be greater than zero") % {"key": key})
            return UNREADABLE
        if result >= limit or result.as_tuple().exponent < -3:  # type: ignore[operator]
            self.fail(
                where,
                _("'%(key)s' must be less than %(limit)s with at most three decimals")
                % {"key": key, "limit": limit},
            )
            return UNREADABLE
        return result

    def integer(
        self, data: Data, key: str, where: str, *, default: int = 0, high: int = SMALL_INT_MAX
    ) -> int | None:
        """A whole number from 1 to `high`; None after a fault."""
        value = data.get(key)
        if value is None and default:
            return default
        if value is None:
            self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
        elif isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, _("'%(key)s' must be a whole number") % {"key": key})
        elif not 1 <= value <= high:
            self.fail(
                where,
                _("'%(key)s' must be a whole number from %(low)s to %(high)s")
                % {"key": key, "low": 1, "high": high},
            )
        else:
            return value
        return None

    def flag(self, data: Data, key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(where, _("'%(key)s' must be true or false") % {"key": key})
            return False
        return value

    def texts(self, data: Data, key: str, where: str) -> list[str]:
        value = self.get(data, key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.fail(where, _("'%(key)s' must be a list of texts") % {"key": key})
            return []
        return [str(v).strip() for v in value if str(v).strip()]

    def mapping_list(self, data: Data, key: str, where: str) -> list[Data]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(where, _("'%(key)s' must be a non-empty list") % {"key": key})
            return []
        return value


def _plain(value: Any) -> bool:
    """Whether `value` can be stored as JSON as it is (text, numbers, lists, mappings)."""
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str | int) and _plain(v) for k, v in value.items())
    return False


# --- the parts of an instrument -------------------------------------------------------


def _differs(total: Decimal, expected: Decimal) -> bool:
    """Whether a sum is off (an unreadable number has been reported already)."""
    return not (total.is_nan() or expected.is_nan()) and total != expected


def _levels(r: _Reader, data: Data, where: str) -> list[LevelSpec]:
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


def _alias(r: _Reader, body: Data, where: str) -> str:
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


def _value_in_scale(r: _Reader, value: Any, key: str, where: str) -> Decimal | None:
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


def _external_index(r: _Reader, data: Data, where: str) -> tuple[str, Decimal | None]:
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


def _indicator(r: _Reader, data: Data, where: str, scales: Data | None) -> IndicatorSpec:
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


def _aspect(r: _Reader, data: Data, where: str, scales: Data | None) -> AspectSpec:
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


def _domain(r: _Reader, data: Data, where: str, scales: Data | None) -> DomainSpec:
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


def _bands(r: _Reader, data: Data) -> list[dict[str, Any]]:
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


def _level_scales(r: _Reader, data: Data) -> Data | None:
    """The named level scales (stored as JSON); None when they cannot be read."""
    scales = data.get("level_scales")
    if scales is None:
        return {}
    if not isinstance(scales, dict) or not _plain(scales):
        r.fail(
            "instrument",
            _("'level_scales' may hold only text, numbers, lists and mappings"),
        )
        return None
    return {str(k): v for k, v in scales.items()}


def _check_unique(r: _Reader) -> None:
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


def _choice(r: _Reader, data: Data, key: str, choices: type[Any], default: str) -> str:
    value = r.text(data, key, "instrument", required=False) or default
    if value not in choices.values:
        r.fail(
            "instrument",
            _("unknown %(key)s '%(value)s' (use %(choices)s)")
            % {"key": key, "value": value, "choices": ", ".join(choices.values)},
        )
        return default
    return str(value)


def _supersedes(r: _Reader, data: Data) -> list[dict[str, Any]]:
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


def _mode(r: _Reader, data: Data) -> tuple[str, str, int | None, list[dict[str, Any]]]:
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


def _check_external_scale(r: _Reader, aspects: list[AspectSpec], scale: str) -> None:
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
    document, faults = _read_yaml(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InstrumentFormatError(
            [_("the file must start with 'format: %(format)s'") % {"format": FORMAT}]
        )
    data = document.get("instrument")
    if not isinstance(data, dict):
        raise InstrumentFormatError([_("the key 'instrument' is missing")])
    r = _Reader()
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
