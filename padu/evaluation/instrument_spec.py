"""The parts of an instrument file as plain specs, its size limits, and its fault type. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .choices import Rounding, ValueScale
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
