"""The SPBE/Pemdi index engine: exact Decimal arithmetic on plain values, no ORM.

59/2020: IA = Σ(NI·BI)/BA per aspect, ID = Σ(IA·BA)/BD per domain, index = Σ(NI·BI)/100.
5/2018: index = Σ(NI·BI)/99.8; indicator 35 is scored once per service slot, each at 3.3.
Pemdi (8/2026): no domain level; aspects go straight into the index; indicator values are
decimals from 1.00 to 5.00 with two places (assessors give 1.26), and published figures are
rounded half to even (an aspect of exactly 1.085 is published 1.08).
Unfilled items count at their default (an external-index indicator's value until the issuing
agency's result is recorded) or else at the instrument's floor (its lowest level).
The predicate is read from the index rounded to 2 places by the instrument's rule, the figure
that is published (whether the national computation rounds before banding is unverified).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

ItemKey = tuple[int, int]  # (indicator number, slot); slots count from 1
Value = int | Decimal  # a whole level, or a decimal value on a decimal instrument

_ZERO = Decimal(0)
HUNDREDTH = Decimal("0.01")
HALF_EVEN = "half_even"


@dataclass(frozen=True)
class Band:
    """A predicate band: lower bound inclusive, upper bound exclusive unless `max_inclusive`."""

    name: str
    min: Decimal
    max: Decimal
    max_inclusive: bool = False


@dataclass(frozen=True)
class IndicatorShape:
    """An indicator: number, weight per slot (BI), aspect code, and how often it is scored."""

    number: int
    weight: Decimal
    aspect: str
    slots: int = 1
    default: Decimal | None = None  # counted while unfilled (external-index indicators)


@dataclass(frozen=True)
class AspectShape:
    """An aspect and its domain (None when the instrument has no domain level)."""

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
    decimal_values: bool = False  # values with two decimals (Pemdi) instead of whole levels
    rounding: str = "half_up"  # or "half_even" (Pemdi)

    def round(self, value: Decimal, places: int = 2) -> Decimal:
        """A figure as this instrument publishes it."""
        return round_published(value, self.rounding, places)

    @cached_property
    def defaults(self) -> dict[ItemKey, Decimal]:
        """The value each unfilled item counts at (its default, else the floor)."""
        return {
            (ind.number, slot): ind.default if ind.default is not None else Decimal(self.min_level)
            for ind in self.indicators
            for slot in range(1, ind.slots + 1)
        }

    def __post_init__(self) -> None:
        """Refuse a malformed structure at once, naming the fault."""
        codes = [a.code for a in self.aspects]
        if len(set(codes)) != len(codes):
            raise ValueError("aspect codes must be unique")
        seen: set[int] = set()
        for ind in self.indicators:
            if ind.number in seen:
                raise ValueError(f"indicator {ind.number} appears twice")
            seen.add(ind.number)
            if ind.aspect not in codes:
                raise ValueError(f"indicator {ind.number}: unknown aspect {ind.aspect!r}")
            if ind.slots < 1 or ind.weight < 0:
                raise ValueError(f"indicator {ind.number}: needs slots >= 1 and weight >= 0")
        if not self.min_level < self.max_level or self.divisor <= 0:
            raise ValueError("needs min_level < max_level and a positive divisor")

    @cached_property
    def items(self) -> tuple[tuple[ItemKey, Decimal, str], ...]:
        """Every scored item in order: (key, weight, aspect code)."""
        return tuple(
            ((ind.number, slot), ind.weight, ind.aspect)
            for ind in self.indicators
            for slot in range(1, ind.slots + 1)
        )

    @cached_property
    def weights(self) -> dict[ItemKey, Decimal]:
        """Weight of each scored item."""
        return {key: weight for key, weight, _aspect in self.items}

    @cached_property
    def indicator_weights(self) -> dict[int, Decimal]:
        """Weight of one slot of each indicator, by number."""
        return {ind.number: ind.weight for ind in self.indicators}

    @cached_property
    def aspect_weights(self) -> dict[str, Decimal]:
        """BA: the sum of an aspect's item weights, in instrument order."""
        weights = {a.code: _ZERO for a in self.aspects}
        for _key, weight, aspect in self.items:
            weights[aspect] += weight
        return weights

    @cached_property
    def domain_of(self) -> dict[str, str | None]:
        """The domain code of each aspect."""
        return {a.code: a.domain for a in self.aspects}

    @cached_property
    def domain_weights(self) -> dict[str, Decimal]:
        """BD: the sum of a domain's aspect weights, in instrument order; empty without domains."""
        weights: dict[str, Decimal] = {}
        for aspect, weight in self.aspect_weights.items():
            domain = self.domain_of[aspect]
            if domain is not None:
                weights[domain] = weights.get(domain, _ZERO) + weight
        return weights

    @cached_property
    def domain_aspects(self) -> dict[str, tuple[str, ...]]:
        """The aspect codes of each domain."""
        return {
            domain: tuple(a for a, d in self.domain_of.items() if d == domain)
            for domain in self.domain_weights
        }

    @property
    def has_domains(self) -> bool:
        """Whether aspects roll up into domains (59/2020, 5/2018) or not (Pemdi draft)."""
        return bool(self.domain_weights)


@dataclass(frozen=True)
class Result:
    """The official figure: item levels (NI), aspect, domain and index values, predicate, progress."""

    index: Decimal
    predicate: str
    levels: dict[ItemKey, Value]  # the value each item counted at (NI)
    aspects: dict[str, Decimal]
    domains: dict[str, Decimal]
    filled: int
    total: int


def bands_from(predicates: list[dict[str, Any]]) -> tuple[Band, ...]:
    """Predicate bands from an instrument's stored or parsed list of {name, min, max, ...}."""
    return tuple(
        Band(
            b["name"], Decimal(str(b["min"])), Decimal(str(b["max"])), bool(b.get("max_inclusive"))
        )
        for b in predicates
    )


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round as SPBE figures (59/2020, 5/2018) are published: half up, not banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_published(value: Decimal, rule: str, places: int = 2) -> Decimal:
    """Round by an instrument's rule: half to even for Pemdi (1.085 -> 1.08), else half up."""
    mode = ROUND_HALF_EVEN if rule == HALF_EVEN else ROUND_HALF_UP
    return value.quantize(Decimal(1).scaleb(-places), rounding=mode)


def check_value(shape: InstrumentShape, key: ItemKey, value: object) -> Value:
    """An item's value as the instrument allows it, or ValueError naming the item."""
    floor, top = shape.min_level, shape.max_level
    where = f"indicator {key[0]} (slot {key[1]})"
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{where}: {value!r} is not a number")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{where}: {value!r} is not a number")
    if not floor <= value <= top:
        raise ValueError(f"{where}: value {value} is outside {floor} to {top}")
    if shape.decimal_values:
        if value != Decimal(value).quantize(HUNDREDTH):
            raise ValueError(f"{where}: value {value} has more than two decimals")
        return Decimal(value).quantize(HUNDREDTH)
    if value != int(value):
        raise ValueError(
            f"{where}: level {value!r} is not a whole number from {floor} to {top} "
            "(this instrument scores whole levels)"
        )
    return int(value)


def predicate_for(index: Decimal, bands: tuple[Band, ...]) -> str:
    """The band holding `index`: lower bound inclusive, upper exclusive unless the band says so."""
    for band in bands:
        upper_ok = index <= band.max if band.max_inclusive else index < band.max
        if band.min <= index and upper_ok:
            return band.name
    raise ValueError(f"index {index} lies in no predicate band")


def _check_keys(shape: InstrumentShape, levels: Mapping[ItemKey, Value | None]) -> None:
    """Refuse levels for items the instrument does not have (nothing is dropped silently)."""
    if not levels.keys() <= shape.weights.keys():
        unknown = sorted(levels.keys() - shape.weights.keys(), key=repr)
        raise ValueError(f"item {unknown[0]!r} (indicator, slot) is not in the instrument")


def compute(shape: InstrumentShape, levels: Mapping[ItemKey, Value | None]) -> Result:
    """Indicator, aspect, domain, index and predicate; unfilled items count at their default
    (else the floor). Whole levels on a level instrument; two-decimal values on a decimal one."""
    _check_keys(shape, levels)
    defaults = shape.defaults
    filled = 0
    item_levels: dict[ItemKey, Value] = {}
    sums = dict.fromkeys(shape.aspect_weights, _ZERO)
    for key, weight, aspect in shape.items:
        raw = levels.get(key)
        value: Value
        if raw is None:
            value = defaults[key] if shape.decimal_values else int(defaults[key])
        else:
            value = check_value(shape, key, raw)
            filled += 1
        item_levels[key] = value
        sums[aspect] += weight * value
    aspects = {
        code: sums[code] / weight if weight else Decimal(shape.min_level)
        for code, weight in shape.aspect_weights.items()
    }
    # Σ(IA·BA) over a domain is exactly Σ(NI·BI) over its items: sum the raw products.
    domains = {
        code: sum((sums[a] for a in shape.domain_aspects[code]), _ZERO) / weight
        if weight
        else Decimal(shape.min_level)
        for code, weight in shape.domain_weights.items()
    }
    index = sum(sums.values(), _ZERO) / shape.divisor
    return Result(
        index=index,
        predicate=predicate_for(shape.round(index), shape.bands),
        levels=item_levels,
        aspects=aspects,
        domains=domains,
        filled=filled,
        total=len(shape.items),
    )


def marginal_gain(shape: InstrumentShape, item: ItemKey | int) -> Decimal:
    """What one level step on one item (or one slot of indicator `item`) adds to the index."""
    weight = shape.indicator_weights.get(item) if isinstance(item, int) else shape.weights.get(item)
    if weight is None:
        raise KeyError(item)
    return weight / shape.divisor


def domain_values_from_aspects(
    shape: InstrumentShape, aspects: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Domain values from published aspect values: ID = Σ(IA·BA)/BD, for whole domains only."""
    unknown = [code for code in aspects if shape.domain_of.get(code) is None]
    if unknown:
        raise ValueError(f"aspect {unknown[0]!r} is not in any domain of the instrument")
    out: dict[str, Decimal] = {}
    for domain, members in shape.domain_aspects.items():
        given = [a for a in members if a in aspects]
        if not given:
            continue
        if len(given) < len(members):
            missing = ", ".join(a for a in members if a not in aspects)
            raise ValueError(f"domain {domain} needs every aspect; missing {missing}")
        total = sum((aspects[a] * shape.aspect_weights[a] for a in members), _ZERO)
        out[domain] = total / shape.domain_weights[domain]
    return out


def index_from_domain_values(shape: InstrumentShape, domains: Mapping[str, Decimal]) -> Decimal:
    """The index from published domain values, all of them: Σ(ID·BD)/divisor."""
    if not shape.has_domains:
        raise ValueError("the instrument has no domain level")
    if domains.keys() != shape.domain_weights.keys():
        expected = ", ".join(shape.domain_weights)
        raise ValueError(f"needs exactly the domains {expected}; got {', '.join(domains)}")
    total = sum((value * shape.domain_weights[code] for code, value in domains.items()), _ZERO)
    return total / shape.divisor
