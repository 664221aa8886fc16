"""The index engine: published figures, the real weights of the three instruments, edge cases,
and invariants checked with hypothesis on the real shapes and on random ones."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from padu.evaluation.scoring import (
    AspectShape,
    Band,
    IndicatorShape,
    InstrumentShape,
    ItemKey,
    compute,
    domain_values_from_aspects,
    index_from_domain_values,
    marginal_gain,
    predicate_for,
    round_half_up,
    round_published,
)

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"
TOLERANCE = D("1e-20")  # Decimal divides to 28 significant digits


def shape_from_file(name: str) -> InstrumentShape:
    """The real weights: an instrument file (padu-instrument/1) read as plain values, no ORM."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load((INSTRUMENTS / name).read_text("utf-8"), Loader=loader)
    doc = data["instrument"]
    domains = doc.get("domains") or [{"code": None, "aspects": doc["aspects"]}]
    pairs = [(d["code"], a) for d in domains for a in d["aspects"]]
    return InstrumentShape(
        indicators=tuple(
            IndicatorShape(i["number"], D(str(i["weight"])), a["code"], i.get("slots", 1))
            for _d, a in pairs
            for i in a["indicators"]
        ),
        aspects=tuple(AspectShape(a["code"], d) for d, a in pairs),
        divisor=D(str(doc["divisor"])),
        bands=tuple(
            Band(b["name"], D(str(b["min"])), D(str(b["max"])), bool(b.get("max_inclusive")))
            for b in doc["predicates"]
        ),
        min_level=doc["min_level"],
        max_level=doc["max_level"],
    )


SHAPE_59 = shape_from_file("permenpanrb-59-2020.yaml")
SHAPE_2018 = shape_from_file("permenpanrb-5-2018.yaml")
SHAPE_PEMDI = shape_from_file("pemdi-permenpanrb-8-2026-draft.yaml")
SHAPES = [
    pytest.param(SHAPE_59, id="59-2020"),
    pytest.param(SHAPE_2018, id="5-2018"),
    pytest.param(SHAPE_PEMDI, id="pemdi"),
]
# Weights as printed in the regulation (59/2020 Lampiran; checksums of shared/reference).
ASPECT_WEIGHTS_59 = {
    "A1": D(13),
    "A2": D(10),
    "A3": D(10),
    "A4": D(5),
    "A5": D(12),
    "A6": D("4.5"),
    "A7": D("27.5"),
    "A8": D(18),
}
DOMAIN_WEIGHTS_59 = {"D1": D(13), "D2": D(25), "D3": D("16.5"), "D4": D("45.5")}
SERVICES_59 = range(32, 48)
DENPASAR_2021 = {"D1": D("3.00"), "D2": D("3.30"), "D3": D("2.18"), "D4": D("3.55")}
MAMUJU_2025_ASPECTS = {
    "A1": D("1.40"),
    "A2": D("1.50"),
    "A3": D("1.25"),
    "A4": D("2.50"),
    "A5": D("1.25"),
    "A6": D("1.00"),
}


def all_at(shape: InstrumentShape, level: int) -> dict[ItemKey, int | None]:
    return {key: level for key, _w, _a in shape.items}


def weighted_sum(shape: InstrumentShape, levels: dict[ItemKey, int | None]) -> D:
    """Σ(level·weight)/divisor, independently of the engine (unfilled at the floor)."""
    total = D(0)
    for ind in shape.indicators:
        for slot in range(1, ind.slots + 1):
            level = levels.get((ind.number, slot))
            total += ind.weight * (shape.min_level if level is None else level)
    return total / shape.divisor


# --- The shapes carry the regulations' weights ---------------------------------------------


def test_59_2020_has_47_indicators_weighing_100_with_the_regulation_weights() -> None:
    assert len(SHAPE_59.items) == 47
    assert sum(SHAPE_59.weights.values()) == SHAPE_59.divisor == 100
    assert SHAPE_59.aspect_weights == ASPECT_WEIGHTS_59
    assert SHAPE_59.domain_weights == DOMAIN_WEIGHTS_59


def test_5_2018_weighs_99_8_with_indicator_35_scored_three_times_at_3_3() -> None:
    assert len(SHAPE_2018.indicators) == 35
    assert len(SHAPE_2018.items) == 37
    assert sum(SHAPE_2018.weights.values()) == SHAPE_2018.divisor == D("99.8")
    assert [SHAPE_2018.weights[(35, slot)] for slot in (1, 2, 3)] == [D("3.3")] * 3
    assert SHAPE_2018.domain_weights == {"D1": D(17), "D2": D(28), "D3": D("54.8")}


def test_pemdi_draft_has_seven_aspects_and_no_domain_level() -> None:
    assert not SHAPE_PEMDI.has_domains
    assert len(SHAPE_PEMDI.items) == 20
    assert SHAPE_PEMDI.aspect_weights == {
        "AS1": D(10),
        "AS2": D(10),
        "AS3": D(15),
        "AS4": D(15),
        "AS5": D(10),
        "AS6": D(15),
        "AS7": D(25),
    }
    assert sum(SHAPE_PEMDI.weights.values()) == SHAPE_PEMDI.divisor == 100


# --- Published figures -----------------------------------------------------------------------


def test_denpasar_2021_domain_values_give_the_published_index_3_19() -> None:
    index = index_from_domain_values(SHAPE_59, DENPASAR_2021)
    assert index == D("3.18995")
    assert round_half_up(index) == D("3.19")
    assert predicate_for(round_half_up(index), SHAPE_59.bands) == "Baik"


def test_mamuju_2025_aspect_values_give_the_published_domain_values() -> None:
    domains = domain_values_from_aspects(SHAPE_59, MAMUJU_2025_ASPECTS)
    assert {k: round_half_up(v) for k, v in domains.items()} == {
        "D1": D("1.40"),
        "D2": D("1.60"),
        "D3": D("1.18"),
    }


def test_mamuju_2025_index_computes_to_2_63_from_rounded_or_exact_domain_values() -> None:
    # A computed figure (the Layanan aspects were not published), not a published one.
    exact = domain_values_from_aspects(SHAPE_59, MAMUJU_2025_ASPECTS) | {"D4": D("4.07")}
    rounded = {"D1": D("1.40"), "D2": D("1.60"), "D3": D("1.18"), "D4": D("4.07")}
    for domains in (exact, rounded):
        assert round_half_up(index_from_domain_values(SHAPE_59, domains)) == D("2.63")


def test_published_values_must_cover_whole_domains() -> None:
    with pytest.raises(ValueError, match="missing A3, A4"):
        domain_values_from_aspects(SHAPE_59, {"A2": D("1.50")})
    with pytest.raises(ValueError, match="A9"):
        domain_values_from_aspects(SHAPE_59, {"A9": D(1)})
    with pytest.raises(ValueError, match="D1, D2, D3, D4"):
        index_from_domain_values(SHAPE_59, {k: v for k, v in DENPASAR_2021.items() if k != "D4"})
    with pytest.raises(ValueError, match="no domain level"):
        index_from_domain_values(SHAPE_PEMDI, {})


# --- Computing from levels -------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_all_lowest_gives_1_00_and_all_highest_gives_5_00(shape: InstrumentShape) -> None:
    bottom = compute(shape, all_at(shape, 1))
    top = compute(shape, all_at(shape, 5))
    assert (round_half_up(bottom.index), bottom.predicate) == (D("1.00"), "Kurang")
    assert (round_half_up(top.index), top.predicate) == (D("5.00"), "Memuaskan")
    assert set(top.aspects.values()) | set(top.domains.values()) == {5}


@pytest.mark.parametrize("shape", SHAPES)
def test_nothing_filled_counts_everything_at_the_floor(shape: InstrumentShape) -> None:
    result = compute(shape, {})
    assert result.index == 1
    assert (result.filled, result.total) == (0, len(shape.items))
    assert set(result.levels.values()) == {1}


def test_aspect_domain_and_index_values_of_a_hand_computed_case() -> None:
    levels: dict[ItemKey, int | None] = {(11, 1): 2, (12, 1): 3, (13, 1): 4, (14, 1): 5}
    result = compute(SHAPE_59, levels)
    assert result.aspects["A2"] == D("3.5")  # (2+3+4+5)·2.5/10
    assert result.aspects["A3"] == 1
    assert result.domains["D2"] == 2  # (3.5·10 + 1·10 + 1·5)/25
    assert result.domains["D1"] == 1
    assert result.index == D("1.25")  # (100 - 10 + 35)/100
    assert result.levels[(12, 1)] == 3
    assert list(result.domains) == ["D1", "D2", "D3", "D4"]


def test_unfilled_items_count_at_the_floor_and_progress_is_reported() -> None:
    result = compute(SHAPE_59, {(45, 1): 5, (46, 1): None})
    assert result.index == (D(97) + 5 * 3) / 100
    assert (result.filled, result.total) == (1, 47)
    assert result.levels[(46, 1)] == 1


def test_5_2018_divides_by_99_8_and_scores_each_service_slot_separately() -> None:
    result = compute(SHAPE_2018, {(35, 1): 5, (35, 2): 3, (35, 3): None})
    assert result.index == (D("99.8") + D("3.3") * 4 + D("3.3") * 2) / D("99.8")
    assert (result.filled, result.total) == (2, 37)
    assert result.aspects["A7"] == 2  # 3.3·(1+1+1+5+3+1)/19.8


def test_pemdi_index_comes_from_aspects_without_domains() -> None:
    result = compute(SHAPE_PEMDI, all_at(SHAPE_PEMDI, 3) | {(20, 1): 5})
    assert result.domains == {}
    assert len(result.aspects) == 7
    assert result.aspects["AS7"] == D("4.2")  # (3·10 + 5·15)/25
    assert result.index == D("3.3")
    assert result.predicate == "Baik"


def test_service_levels_move_the_index_across_the_baik_sangat_baik_edge() -> None:
    levels = all_at(SHAPE_59, 3) | {(n, 1): 4 for n in SERVICES_59}
    assert compute(SHAPE_59, levels).index == D("3.455")
    one_service = compute(SHAPE_59, levels | {(42, 1): 5})
    assert (one_service.index, one_service.predicate) == (D("3.485"), "Baik")
    two_governance = compute(SHAPE_59, levels | {(11, 1): 4, (12, 1): 4})
    assert (two_governance.index, two_governance.predicate) == (D("3.505"), "Sangat Baik")


def test_predicate_is_read_from_the_index_rounded_half_up() -> None:
    # 3.495 is published as 3.50; whether KemenPANRB bands before rounding is unverified.
    levels = all_at(SHAPE_59, 3) | {(n, 1): 4 for n in SERVICES_59} | {(11, 1): 4, (21, 1): 4}
    result = compute(SHAPE_59, levels)
    assert result.index == D("3.495")
    assert result.predicate == "Sangat Baik"
    assert predicate_for(result.index, SHAPE_59.bands) == "Baik"


# --- Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6, -1, 2.5, D("3.5"), True, "3"])
def test_a_level_outside_the_range_is_refused_naming_the_indicator(level: Any) -> None:
    with pytest.raises(ValueError, match=r"indicator 12 \(slot 1\)"):
        compute(SHAPE_59, {(12, 1): level})


def test_a_level_for_an_item_the_instrument_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\(48, 1\)"):
        compute(SHAPE_59, {(48, 1): 3})
    with pytest.raises(ValueError, match=r"\(12, 2\)"):
        compute(SHAPE_59, {(12, 2): 3})
    with pytest.raises(ValueError, match=r"\(35, 4\)"):
        compute(SHAPE_2018, {(35, 4): 3})


def test_a_malformed_shape_is_refused() -> None:
    aspects = (AspectShape("A1"),)
    with pytest.raises(ValueError, match="unknown aspect 'A2'"):
        InstrumentShape((IndicatorShape(1, D(1), "A2"),), aspects, D(1), ())
    with pytest.raises(ValueError, match="indicator 1 appears twice"):
        InstrumentShape((IndicatorShape(1, D(1), "A1"),) * 2, aspects, D(2), ())
    with pytest.raises(ValueError, match="slots"):
        InstrumentShape((IndicatorShape(1, D(1), "A1", slots=0),), aspects, D(1), ())
    with pytest.raises(ValueError, match="divisor"):
        InstrumentShape((IndicatorShape(1, D(1), "A1"),), aspects, D(0), ())


# --- Predicates, rounding, marginal gain -----------------------------------------------------


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ("1.00", "Kurang"),
        ("1.79", "Kurang"),
        ("1.80", "Cukup"),
        ("2.59", "Cukup"),
        ("2.60", "Baik"),
        ("3.49", "Baik"),
        ("3.50", "Sangat Baik"),
        ("4.19", "Sangat Baik"),
        ("4.20", "Memuaskan"),
        ("5.00", "Memuaskan"),
    ],
)
@pytest.mark.parametrize("shape", [SHAPE_59, SHAPE_2018], ids=["59-2020", "5-2018"])
def test_predicate_bands_of_59_2020_and_5_2018(
    shape: InstrumentShape, index: str, expected: str
) -> None:
    for bands in (shape.bands, shape.bands[::-1]):  # in either order
        assert predicate_for(D(index), bands) == expected


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ("1.49", "Kurang"),
        ("1.50", "Cukup"),
        ("2.50", "Baik"),
        ("3.50", "Sangat Baik"),
        ("3.99", "Sangat Baik"),
        ("4.00", "Memuaskan"),
        ("5.00", "Memuaskan"),
    ],
)
def test_predicate_bands_of_the_pemdi_draft(index: str, expected: str) -> None:
    for bands in (SHAPE_PEMDI.bands, SHAPE_PEMDI.bands[::-1]):
        assert predicate_for(D(index), bands) == expected


@pytest.mark.parametrize("index", ["0.99", "5.01"])
def test_an_index_outside_every_band_is_an_error(index: str) -> None:
    with pytest.raises(ValueError, match="no predicate band"):
        predicate_for(D(index), SHAPE_59.bands)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("3.18995", 2, "3.19"),
        ("3.185", 2, "3.19"),  # banker's rounding would give 3.18
        ("2.595", 2, "2.60"),
        ("1.1818", 2, "1.18"),
        ("2.5", 0, "3"),
        ("3.4549", 2, "3.45"),
    ],
)
def test_round_half_up(value: str, places: int, expected: str) -> None:
    assert str(round_half_up(D(value), places)) == expected


@pytest.mark.parametrize(
    ("number", "gain"),
    [(1, "0.013"), (11, "0.025"), (29, "0.015"), (32, "0.0275"), (47, "0.03")],
)
def test_marginal_gain_of_59_2020_is_weight_over_100(number: int, gain: str) -> None:
    assert marginal_gain(SHAPE_59, number) == D(gain)
    assert marginal_gain(SHAPE_59, (number, 1)) == D(gain)


def test_marginal_gain_of_other_instruments_and_unknown_items() -> None:
    assert marginal_gain(SHAPE_2018, (35, 3)) == D("3.3") / D("99.8")
    assert marginal_gain(SHAPE_PEMDI, 20) == D("0.15")
    for item in (48, (12, 2)):
        with pytest.raises(KeyError):
            marginal_gain(SHAPE_59, item)


# --- Invariants on the real shapes -----------------------------------------------------------


def levels_of(shape: InstrumentShape, unfilled: bool = True) -> st.SearchStrategy[Any]:
    level = st.integers(shape.min_level, shape.max_level)
    value = st.none() | level if unfilled else level
    return st.fixed_dictionaries({key: value for key, _w, _a in shape.items})


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_index_stays_in_range_and_equals_the_weighted_sum(
    shape: InstrumentShape, data: st.DataObject
) -> None:
    levels = data.draw(levels_of(shape))
    result = compute(shape, levels)
    assert shape.min_level <= result.index <= shape.max_level
    assert result.index == weighted_sum(shape, levels)
    assert result.filled == sum(v is not None for v in levels.values())


@pytest.mark.parametrize("shape", SHAPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_raising_one_level_raises_the_index_by_the_marginal_gain(
    shape: InstrumentShape, data: st.DataObject
) -> None:
    levels = data.draw(levels_of(shape, unfilled=False))
    key = data.draw(st.sampled_from(sorted(levels)))
    assume(levels[key] < shape.max_level)
    before = compute(shape, levels).index
    after = compute(shape, levels | {key: levels[key] + 1}).index
    assert after > before
    assert abs(after - before - marginal_gain(shape, key)) < TOLERANCE


@settings(max_examples=60, deadline=None)
@given(levels=levels_of(SHAPE_59))
def test_59_2020_domain_aggregation_equals_the_direct_weighted_sum(
    levels: dict[ItemKey, int | None],
) -> None:
    result = compute(SHAPE_59, levels)
    assert abs(index_from_domain_values(SHAPE_59, result.domains) - result.index) < TOLERANCE
    via_aspects = domain_values_from_aspects(SHAPE_59, result.aspects)
    for code, value in result.domains.items():
        assert abs(via_aspects[code] - value) < TOLERANCE


# --- Invariants on random shapes (zero weights, slots, other level ranges) -------------------


@st.composite
def random_shapes(draw: st.DrawFn) -> InstrumentShape:
    with_domains = draw(st.booleans())
    count = draw(st.integers(1, 4))
    aspects = tuple(
        AspectShape(f"A{i}", f"D{i % 2}" if with_domains else None) for i in range(count)
    )
    weights = draw(st.lists(st.decimals(0, 10, places=2), min_size=1, max_size=12))
    indicators = tuple(
        IndicatorShape(
            number,
            weight,
            draw(st.sampled_from(aspects)).code,
            draw(st.integers(1, 3)),
        )
        for number, weight in enumerate(weights, start=1)
    )
    divisor = sum((i.weight * i.slots for i in indicators), D(0))
    assume(divisor > 0)
    low = draw(st.integers(0, 2))
    high = low + draw(st.integers(1, 4))
    band = Band("Semua", D(low), D(high), max_inclusive=True)
    return InstrumentShape(indicators, aspects, divisor, (band,), low, high)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_shapes_keep_every_invariant(data: st.DataObject) -> None:
    shape = data.draw(random_shapes())
    levels = data.draw(levels_of(shape))
    result = compute(shape, levels)
    assert shape.min_level <= result.index <= shape.max_level
    assert result.index == weighted_sum(shape, levels)
    assert result == compute(shape, {k: v for k, v in levels.items() if v is not None})
    via_aspects = (
        sum((v * shape.aspect_weights[a] for a, v in result.aspects.items()), D(0)) / shape.divisor
    )
    assert abs(via_aspects - result.index) < TOLERANCE
    if shape.has_domains:
        assert abs(index_from_domain_values(shape, result.domains) - result.index) < TOLERANCE


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_shapes_never_lower_the_index_when_a_level_rises(data: st.DataObject) -> None:
    shape = data.draw(random_shapes())
    levels = data.draw(levels_of(shape, unfilled=False))
    key = data.draw(st.sampled_from(sorted(levels)))
    assume(levels[key] < shape.max_level)
    before = compute(shape, levels).index
    after = compute(shape, levels | {key: levels[key] + 1}).index
    if shape.weights[key] > 0:
        assert after > before
    else:
        assert after == before


# --- Pemdi (PermenPANRB 8/2026): decimal values, half-to-even rounding, external defaults ---


def _pemdi_shape() -> InstrumentShape:
    """The bundled 8/2026 file as the engine sees it (parsed, no database)."""
    from padu.evaluation.instrument_format import parse_instrument

    path = INSTRUMENTS / "pemdi-permenpanrb-8-2026.yaml"
    return parse_instrument(path.read_text(encoding="utf-8")).shape()


# The reference file's synthetic worked example (shared/reference/pemdi-permenpanrb-8-2026.yaml).
WORKED = {
    1: "2.40", 2: "1.80", 3: "1.50", 4: "2.00", 5: "1.00", 6: "1.00", 7: "1.00", 8: "1.75",
    9: "1.00", 10: "1.25", 11: "1.00", 12: "1.00", 13: "2.00", 14: "1.50", 15: "1.25",
    16: "1.00", 17: "3.00", 18: "1.00", 19: "1.50", 20: "2.10",
}  # fmt: skip


def test_the_pemdi_worked_example_gives_its_aspects_and_index_exactly_and_as_published() -> None:
    shape = _pemdi_shape()
    result = compute(shape, {(n, 1): D(v) for n, v in WORKED.items()})
    assert result.index == D("1.605")
    assert shape.round(result.index) == D("1.60")  # half to even: published 1,60, not 1,61
    assert result.predicate == "Cukup"
    exact = {
        "AS1": "2.10",
        "AS2": "1.75",
        "AS3": "1.20",
        "AS5": "1.75",
        "AS6": "1.60",
        "AS7": "1.86",
    }
    for code, value in exact.items():
        assert result.aspects[code] == D(value), code
    assert result.aspects["AS4"] == D(16) / D(15)  # 1.0666667 exactly
    published = {code: shape.round(v) for code, v in result.aspects.items()}
    assert published == {
        "AS1": D("2.10"), "AS2": D("1.75"), "AS3": D("1.20"), "AS4": D("1.07"),
        "AS5": D("1.75"), "AS6": D("1.60"), "AS7": D("1.86"),
    }  # fmt: skip


def test_pemdi_rounds_half_to_even_where_spbe_rounds_half_up() -> None:
    assert round_published(D("1.085"), "half_even") == D("1.08")
    assert round_published(D("1.095"), "half_even") == D("1.10")
    assert round_published(D("1.085"), "half_up") == D("1.09")


def test_unfilled_external_index_indicators_count_at_their_default_and_are_not_filled() -> None:
    shape = _pemdi_shape()
    values = {(n, 1): D(v) for n, v in WORKED.items() if n not in (5, 6, 7, 18)}
    result = compute(shape, values)
    assert result.index == D("1.605") and result.filled == 16
    assert result.levels[(7, 1)] == D("1.00")
    # Recording BPS's EPSS result for IK7 (weight 3) moves the index by exactly 3 x 2.34 / 100.
    moved = compute(shape, {**values, (7, 1): D("3.34")})
    assert moved.index - result.index == D("0.0702") and moved.filled == 17


@pytest.mark.parametrize("value", [D("0.99"), D("5.01"), D("1.261"), 6, D("NaN")])
def test_a_pemdi_value_outside_the_scale_or_with_three_decimals_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match=r"indicator 1 \(slot 1\)"):
        compute(_pemdi_shape(), {(1, 1): value})


def test_a_decimal_value_on_a_whole_level_instrument_is_refused() -> None:
    shape = _pemdi_shape()
    level_shape = InstrumentShape(
        indicators=shape.indicators, aspects=shape.aspects, divisor=shape.divisor, bands=shape.bands
    )
    with pytest.raises(ValueError, match="whole number"):
        compute(level_shape, {(1, 1): D("1.26")})
    assert compute(level_shape, {(1, 1): D("2.00")}).levels[(1, 1)] == 2
