"""The SPBE index engine: exact Decimal arithmetic on plain values, no ORM.

59/2020: IA = Σ(NI·BI)/BA per aspect, ID = Σ(IA·BA)/BD per domain, index = Σ(NI·BI)/100.
5/2018: the same with divisor 99.8 (indicator 35 scored once per service slot).
Pemdi draft: no domain level; aspects straight into the index.
Unfilled items count at the instrument's floor (its lowest level) in the official figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

ItemKey = tuple[int, int]  # (indicator number, slot)


@dataclass(frozen=True)
class Band:
    name: str
    min: Decimal
    max: Decimal
    max_inclusive: bool = False


@dataclass(frozen=True)
class IndicatorShape:
    number: int
    weight: Decimal
    aspect: str
    slots: int = 1


@dataclass(frozen=True)
class AspectShape:
    code: str
    domain: str | None = None


@dataclass(frozen=True)
class InstrumentShape:
    """An instrument's structure as plain values; aspect and domain weights follow from it."""

    indicators: tuple[IndicatorShape, ...]
    aspects: tuple[AspectShape, ...]
    divisor: Decimal
    bands: tuple[Band, ...]
    min_level: int = 1
    max_level: int = 5

    @cached_property
    def items(self) -> tuple[tuple[ItemKey, Decimal, str], ...]:
        """Every scored item: (key, weight, aspect code)."""
        return tuple(
            ((ind.number, slot), ind.weight, ind.aspect)
            for ind in self.indicators
            for slot in range(1, ind.slots + 1)
        )

    @cached_property
    def aspect_weights(self) -> dict[str, Decimal]:
        weights: dict[str, Decimal] = {a.code: Decimal(0) for a in self.aspects}
        for _key, weight, aspect in self.items:
            weights[aspect] += weight
        return weights

    @cached_property
    def domain_of(self) -> dict[str, str | None]:
        return {a.code: a.domain for a in self.aspects}

    @cached_property
    def domain_weights(self) -> dict[str, Decimal]:
        weights: dict[str, Decimal] = {}
        for aspect, weight in self.aspect_weights.items():
            domain = self.domain_of[aspect]
            if domain is not None:
                weights[domain] = weights.get(domain, Decimal(0)) + weight
        return weights

    @property
    def has_domains(self) -> bool:
        return bool(self.domain_weights)


@dataclass(frozen=True)
class Result:
    index: Decimal
    predicate: str
    levels: dict[ItemKey, int]
    aspects: dict[str, Decimal]
    domains: dict[str, Decimal]
    filled: int
    total: int
    notes: list[str] = field(default_factory=list)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round as the published figures are rounded (half up)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def predicate_for(index: Decimal, bands: tuple[Band, ...]) -> str:
    """The band holding `index`: lower bound inclusive, upper exclusive unless the band says so."""
    for band in bands:
        upper_ok = index <= band.max if band.max_inclusive else index < band.max
        if band.min <= index and upper_ok:
            return band.name
    raise ValueError(f"index {index} lies in no predicate band")


def compute(shape: InstrumentShape, levels: Mapping[ItemKey, int | None]) -> Result:
    """Indicator, aspect, domain, index and predicate; unfilled items count at the floor."""
    filled = 0
    item_levels: dict[ItemKey, int] = {}
    aspect_sums: dict[str, Decimal] = dict.fromkeys(shape.aspect_weights, Decimal(0))
    total = Decimal(0)
    for key, weight, aspect in shape.items:
        level = levels.get(key)
        if level is None:
            level = shape.min_level
        else:
            if not shape.min_level <= level <= shape.max_level:
                raise ValueError(
                    f"indicator {key[0]} (slot {key[1]}): level {level} is outside "
                    f"{shape.min_level}-{shape.max_level}"
                )
            filled += 1
        item_levels[key] = level
        contribution = weight * level
        aspect_sums[aspect] += contribution
        total += contribution
    aspects = {
        code: aspect_sums[code] / weight if weight else Decimal(shape.min_level)
        for code, weight in shape.aspect_weights.items()
    }
    domain_sums: dict[str, Decimal] = {}
    for code, value in aspects.items():
        domain = shape.domain_of[code]
        if domain is not None:
            domain_sums[domain] = (
                domain_sums.get(domain, Decimal(0)) + value * shape.aspect_weights[code]
            )
    domains = {code: domain_sums[code] / w for code, w in shape.domain_weights.items() if w}
    index = total / shape.divisor
    return Result(
        index=index,
        predicate=predicate_for(round_half_up(index), shape.bands),
        levels=item_levels,
        aspects=aspects,
        domains=domains,
        filled=filled,
        total=len(shape.items),
    )


def marginal_gain(shape: InstrumentShape, number: int) -> Decimal:
    """What one level step on one slot of indicator `number` adds to the index."""
    for ind in shape.indicators:
        if ind.number == number:
            return ind.weight / shape.divisor
    raise KeyError(number)


def domain_values_from_aspects(
    shape: InstrumentShape, aspects: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Domain values from published aspect values: ID = Σ(IA·BA)/BD."""
    sums: dict[str, Decimal] = {}
    for code, value in aspects.items():
        domain = shape.domain_of[code]
        if domain is not None:
            sums[domain] = sums.get(domain, Decimal(0)) + value * shape.aspect_weights[code]
    return {code: total / shape.domain_weights[code] for code, total in sums.items()}


def index_from_domain_values(shape: InstrumentShape, domains: Mapping[str, Decimal]) -> Decimal:
    """The index from published domain values: Σ(ID·BD)/divisor."""
    return (
        sum((value * shape.domain_weights[code] for code, value in domains.items()), Decimal(0))
        / shape.divisor
    )
