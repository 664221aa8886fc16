"""The index engine against published figures and its invariants (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from padu.evaluation.scoring import (
    AspectShape,
    Band,
    IndicatorShape,
    InstrumentShape,
    compute,
    domain_values_from_aspects,
    index_from_domain_values,
    marginal_gain,
    predicate_for,
    round_half_up,
)

BANDS_59 = (
    Band("Kurang", D("1.0"), D("1.8")),
    Band("Cukup", D("1.8"), D("2.6")),
    Band("Baik", D("2.6"), D("3.5")),
    Band("Sangat Baik", D("3.5"), D("4.2")),
    Band("Memuaskan", D("4.2"), D("5.0"), max_inclusive=True),
)
BANDS_PEMDI = (
    Band("Kurang", D("1.0"), D("1.5")),
    Band("Cukup", D("1.5"), D("2.5")),
    Band("Baik", D("2.5"), D("3.5")),
    Band("Sangat Baik", D("3.5"), D("4.0")),
    Band("Memuaskan", D("4.0"), D("5.0"), max_inclusive=True),
)
# PermenPANRB 59/2020: aspect -> (domain, [(indicator numbers), weight each]).
STRUCTURE_59 = {
    "A1": ("D1", range(1, 11), D("1.3")),
    "A2": ("D2", range(11, 15), D("2.5")),
    "A3": ("D2", range(15, 19), D("2.5")),
    "A4": ("D2", range(19, 21), D("2.5")),
    "A5": ("D3", range(21, 29), D("1.5")),
    "A6": ("D3", range(29, 32), D("1.5")),
    "A7": ("D4", range(32, 42), D("2.75")),
    "A8": ("D4", range(42, 48), D("3")),
}
SHAPE_59 = InstrumentShape(
    indicators=tuple(
        IndicatorShape(n, w, a) for a, (_d, ns, w) in STRUCTURE_59.items() for n in ns
    ),
    aspects=tuple(AspectShape(a, d) for a, (d, _ns, _w) in STRUCTURE_59.items()),
    divisor=D(100),
    bands=BANDS_59,
)
# PermenPANRB 5/2018: 35 indicators, 35 scored three times; weights sum to 99.8.
WEIGHTS_2018 = [D(1)] * 17 + [D(4)] * 7 + [D(5)] * 7 + [D("3.3")] * 4
SHAPE_2018 = InstrumentShape(
    indicators=tuple(
        IndicatorShape(
            n, w, "A" + str(1 if n <= 17 else 2 if n <= 24 else 3), slots=3 if n == 35 else 1
        )
        for n, w in enumerate(WEIGHTS_2018, start=1)
    ),
    aspects=(AspectShape("A1", "D1"), AspectShape("A2", "D2"), AspectShape("A3", "D3")),
    divisor=D("99.8"),
    bands=BANDS_59,
)
# Pemdi draft: 7 aspects, no domains; 20 indicators of weight 5.
SHAPE_PEMDI = InstrumentShape(
    indicators=tuple(IndicatorShape(n, D(5), f"AS{1 + (n - 1) // 3}") for n in range(1, 21)),
    aspects=tuple(AspectShape(f"AS{i}") for i in range(1, 8)),
    divisor=D(100),
    bands=BANDS_PEMDI,
)
SHAPES = [SHAPE_59, SHAPE_2018, SHAPE_PEMDI]


def all_at(shape: InstrumentShape, level: int) -> dict[tuple[int, int], int]:
    return {key: level for key, _w, _a in shape.items}


def test_weights_of_59_2020_sum_to_100_and_domain_weights_match_the_regulation() -> None:
    assert sum(w for _k, w, _a in SHAPE_59.items) == 100
    assert SHAPE_59.domain_weights == {"D1": 13, "D2": 25, "D3": D("16.5"), "D4": D("45.5")}


def test_weights_of_5_2018_sum_to_99_8_with_three_service_slots() -> None:
    assert sum(w for _k, w, _a in SHAPE_2018.items) == D("99.8")
    assert len(SHAPE_2018.items) == 37


def test_denpasar_2021_published_index_from_its_domain_values() -> None:
    domains = {"D1": D("3.00"), "D2": D("3.30"), "D3": D("2.18"), "D4": D("3.55")}
    index = index_from_domain_values(SHAPE_59, domains)
    assert round_half_up(index) == D("3.19")
    assert predicate_for(round_half_up(index), BANDS_59) == "Baik"


def test_mamuju_2025_domain_values_from_its_aspect_values() -> None:
    aspects = {
        "A1": D("1.40"),
        "A2": D("1.50"),
        "A3": D("1.25"),
        "A4": D("2.50"),
        "A5": D("1.25"),
        "A6": D("1.00"),
    }
    domains = domain_values_from_aspects(SHAPE_59, aspects)
    assert {k: round_half_up(v) for k, v in domains.items()} == {
        "D1": D("1.40"),
        "D2": D("1.60"),
        "D3": D("1.18"),
    }


@pytest.mark.parametrize("shape", SHAPES)
def test_all_lowest_gives_1_and_all_highest_gives_5(shape: InstrumentShape) -> None:
    assert compute(shape, all_at(shape, 1)).index == 1
    top = compute(shape, all_at(shape, 5))
    assert top.index == 5
    assert top.predicate == "Memuaskan"


def test_5_2018_divides_by_99_8() -> None:
    levels = all_at(SHAPE_2018, 1) | {(35, 2): 4}
    assert compute(SHAPE_2018, levels).index == (D("99.8") + 3 * D("3.3")) / D("99.8")


def test_pemdi_has_no_domain_level() -> None:
    result = compute(SHAPE_PEMDI, all_at(SHAPE_PEMDI, 3))
    assert result.domains == {}
    assert len(result.aspects) == 7
    assert result.predicate == "Baik"


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (D("1.00"), "Kurang"),
        (D("1.79"), "Kurang"),
        (D("1.80"), "Cukup"),
        (D("2.59"), "Cukup"),
        (D("2.60"), "Baik"),
        (D("3.49"), "Baik"),
        (D("3.50"), "Sangat Baik"),
        (D("4.19"), "Sangat Baik"),
        (D("4.20"), "Memuaskan"),
        (D("5.00"), "Memuaskan"),
    ],
)
def test_predicate_bands_of_59_2020(index: D, expected: str) -> None:
    assert predicate_for(index, BANDS_59) == expected


def test_pemdi_bands_differ() -> None:
    assert predicate_for(D("1.50"), BANDS_PEMDI) == "Cukup"
    assert predicate_for(D("4.00"), BANDS_PEMDI) == "Memuaskan"


def test_index_outside_every_band_is_an_error() -> None:
    with pytest.raises(ValueError):
        predicate_for(D("5.01"), BANDS_59)


@pytest.mark.parametrize("level", [0, 6])
def test_level_outside_the_range_is_refused_naming_the_indicator(level: int) -> None:
    with pytest.raises(ValueError, match="indicator 12"):
        compute(SHAPE_59, {(12, 1): level})


def test_unfilled_items_count_at_the_floor_and_progress_is_reported() -> None:
    result = compute(SHAPE_59, {(45, 1): 5})
    assert result.index == (D(97) + 5 * 3) / 100
    assert (result.filled, result.total) == (1, 47)
    assert result.levels[(1, 1)] == 1


def test_marginal_gain_is_weight_over_divisor() -> None:
    assert marginal_gain(SHAPE_59, 32) == D("0.0275")
    assert marginal_gain(SHAPE_2018, 35) == D("3.3") / D("99.8")


def levels_strategy(shape: InstrumentShape):  # type: ignore[no-untyped-def]
    keys = [key for key, _w, _a in shape.items]
    return st.fixed_dictionaries(
        {key: st.integers(shape.min_level, shape.max_level) for key in keys}
    )


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_index_stays_in_range_and_equals_the_weighted_sum(
    shape: InstrumentShape, data: st.DataObject
) -> None:
    levels = data.draw(levels_strategy(shape))
    result = compute(shape, levels)
    assert shape.min_level <= result.index <= shape.max_level
    direct = sum((w * levels[k] for k, w, _a in shape.items), D(0)) / shape.divisor
    assert result.index == direct


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_raising_one_level_raises_the_index(shape: InstrumentShape, data: st.DataObject) -> None:
    levels = data.draw(levels_strategy(shape))
    key = data.draw(st.sampled_from(sorted(levels)))
    if levels[key] == shape.max_level:
        return
    before = compute(shape, levels).index
    after = compute(shape, {**levels, key: levels[key] + 1}).index
    weight = next(w for k, w, _a in shape.items if k == key)
    assert abs((after - before) - weight / shape.divisor) < D("1e-20")  # 28-digit division
    assert after > before


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_domain_aggregation_equals_the_direct_weighted_sum(data: st.DataObject) -> None:
    levels = data.draw(levels_strategy(SHAPE_59))
    result = compute(SHAPE_59, levels)
    via_domains = index_from_domain_values(SHAPE_59, result.domains)
    assert abs(via_domains - result.index) < D("1e-20")
