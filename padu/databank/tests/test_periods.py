"""Period codes: parsing, bounds, roll-up parents, neighbours, ranges."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padu.databank import periods


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2025", "yearly", "2025-01-01", "2025-12-31"),
        ("2025S2", "sixmonthly", "2025-07-01", "2025-12-31"),
        ("2025Q1", "quarterly", "2025-01-01", "2025-03-31"),
        ("202402", "monthly", "2024-02-01", "2024-02-29"),
    ],
)
def test_codes_parse_to_their_type_and_days(code: str, kind: str, start: str, end: str) -> None:
    p = periods.parse(code)
    assert (p.type, p.start.isoformat(), p.end.isoformat(), p.code) == (kind, start, end, code)


@pytest.mark.parametrize(
    "code", ["", "202513", "202500", "2025Q5", "2025S3", "25", "2025-01", "1899"]
)
def test_bad_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError):
        periods.parse(code)
    assert not periods.is_valid(code)


def test_a_month_rolls_up_into_its_quarter_semester_and_year() -> None:
    assert [p.code for p in periods.parse("202508").parents()] == ["2025Q3", "2025S2", "2025"]
    assert [p.code for p in periods.parse("2025Q2").parents()] == ["2025S1", "2025"]
    assert periods.parse("2025").parents() == []
    assert periods.parse("2025Q3").month_codes() == ["202507", "202508", "202509"]


def test_neighbours_cross_years() -> None:
    assert periods.parse("202512").next().code == "202601"
    assert periods.parse("2026Q1").previous().code == "2025Q4"
    assert periods.parse("2025S1").previous().code == "2024S2"


def test_periods_between_two_days() -> None:
    got = periods.between(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1), "monthly")
    assert [p.code for p in got] == ["202511", "202512", "202601", "202602"]


@given(
    st.integers(2000, 2099),
    st.integers(1, 12),
    st.sampled_from(["monthly", "quarterly", "sixmonthly", "yearly"]),
)
def test_every_period_round_trips_and_contains_its_days(year: int, month: int, kind: str) -> None:
    p = periods.containing(datetime.date(year, month, 1), kind)
    assert periods.parse(p.code) == p
    assert p.start <= datetime.date(year, month, 1) <= p.end
    assert p.next().previous() == p
