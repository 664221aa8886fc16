"""History across the move from SPBE (to 2025) to Pemdi (from 2026): two series that are
never one line, Pemdi figures rounded half to even, and comparisons across the two refused
unless a concordance exists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from padu.evaluation import history as history_module
from padu.evaluation.history import (
    PEMDI,
    SPBE,
    agency_history,
    compare_periods,
    history_table,
    index_series,
)
from padu.evaluation.models import Aspect, Assessment, Instrument, Period, PublishedResult

from .factories import make_period
from .pemdi import ASPECTS_PUBLISHED, WORKED, load_pemdi


@pytest.fixture
def spbe_2025(agency, instrument, units) -> Period:  # type: ignore[no-untyped-def]
    """2025 on a whole-level instrument: external levels 2 and 3 (index 2.40)."""
    p = Period.objects.create(agency=agency, year=2025, instrument=instrument, status="closed")
    for ind in instrument.indicators.all():
        Assessment.objects.create(period=p, indicator=ind, external_level=1 + ind.number)
    return p


@pytest.fixture
def pemdi_2026(agency, units) -> Period:  # type: ignore[no-untyped-def]
    """2026 on 8/2026 with the worked example as LHE values (exact 1.605, published 1.60)."""
    period = make_period(agency=agency, instrument=load_pemdi(), year=2026)
    for number, value in WORKED.items():
        Assessment.objects.filter(period=period, indicator__number=number).update(
            external_value=Decimal(value), external_level=int(Decimal(value))
        )
    return period


@pytest.fixture
def published(db) -> None:  # type: ignore[no-untyped-def]
    PublishedResult.objects.create(year=2024, index=Decimal("3.12"), agency_name="Nasional")
    PublishedResult.objects.create(year=2026, index=Decimal("2.05"), agency_name="Nasional")


def test_a_figure_belongs_to_the_series_of_its_instrument_or_else_its_year(
    instrument: Instrument,
) -> None:
    assert (index_series(None, 2025), index_series(None, 2026)) == (SPBE, PEMDI)
    assert index_series(instrument, 2026) == SPBE  # a whole-level instrument without 8/2026
    assert index_series(load_pemdi(), 2026) == PEMDI


def test_spbe_and_pemdi_are_two_series_never_one_line(
    agency, spbe_2025: Period, pemdi_2026: Period, published: None
) -> None:
    history = agency_history(agency, Period.objects.filter(agency=agency))
    spbe, pemdi = history.sections
    assert (spbe.key, pemdi.key) == (SPBE, PEMDI)
    assert [r.year for r in spbe.rows] == [2024, 2025]
    assert [r.year for r in pemdi.rows] == [2026]
    assert [label for _x, label in spbe.index_chart.x_ticks] == ["2024", "2025"]
    assert [label for _x, label in pemdi.index_chart.x_ticks] == ["2026"]
    row = pemdi.rows[0]
    assert row.indices["external"] == Decimal("1.60")  # half to even; half up would say 1.61
    assert row.national == Decimal("2.05") and spbe.rows[0].national == Decimal("3.12")
    names = dict(
        Aspect.objects.filter(instrument=pemdi_2026.instrument).values_list("name", "code")
    )
    assert {names[n]: str(v) for n, v in row.domains.items()} == ASPECTS_PUBLISHED
    assert pemdi.group_names and not set(pemdi.group_names) & set(spbe.group_names)
    header, rows = history_table(history)
    assert [r[1] for r in rows] == ["SPBE", "SPBE", "Pemdi"] and len(header) == len(rows[0])


def test_the_history_page_draws_two_charts_and_two_tables_with_a_note(
    client: Client, spbe_2025: Period, pemdi_2026: Period, published: None, viewer
) -> None:
    client.force_login(viewer)
    body = client.get(reverse("evaluation:history")).content.decode()
    for testid in (
        "series-note",
        "index-chart",
        "history-table",
        "pemdi-index-chart",
        "pemdi-aspect-chart",
        "pemdi-history-table",
    ):
        assert f'data-testid="{testid}"' in body, testid
    pemdi_table = body[body.index('data-testid="pemdi-history-table"') :]
    assert "<td>1,60</td>" in pemdi_table and "<td>2,05</td>" in pemdi_table


def test_only_spbe_periods_show_one_series_without_the_note(
    client: Client, spbe_2025: Period, viewer
) -> None:
    client.force_login(viewer)
    body = client.get(reverse("evaluation:history")).content.decode()
    assert 'data-testid="index-chart"' in body and "pemdi-index-chart" not in body
    assert 'data-testid="series-note"' not in body


def test_comparing_spbe_with_pemdi_is_refused_without_a_concordance(
    client: Client, spbe_2025: Period, pemdi_2026: Period, coordinator
) -> None:
    comparison = compare_periods(spbe_2025, pemdi_2026)
    assert comparison.cross_series and comparison.refused and comparison.rows == []
    client.force_login(coordinator)
    response = client.get(
        reverse("evaluation:history_compare"), {"a": spbe_2025.pk, "b": pemdi_2026.pk}
    )
    body = response.content.decode()
    assert 'data-testid="compare-refused"' in body and 'data-testid="compare-table"' not in body


def test_a_concordance_lets_spbe_and_pemdi_be_compared_with_a_warning(
    client: Client, spbe_2025: Period, pemdi_2026: Period, coordinator, monkeypatch
) -> None:
    code = spbe_2025.instrument.code
    table = {(code, "permenpanrb-8-2026"): (((1, 1), (1, 1)),)}
    monkeypatch.setattr(history_module, "_concordances", lambda: table)
    comparison = compare_periods(spbe_2025, pemdi_2026)
    assert comparison.cross_series and not comparison.refused
    pair = next(r for r in comparison.rows if r.a and r.b)
    assert pair.deltas["external"] == Decimal("2.40") - 2  # IK1 2.40 against level 2
    client.force_login(coordinator)
    response = client.get(
        reverse("evaluation:history_compare"), {"a": spbe_2025.pk, "b": pemdi_2026.pk}
    )
    assert 'data-testid="compare-cross-series"' in response.content.decode()


def test_two_pemdi_periods_compare_by_decimal_values(
    client: Client, agency, pemdi_2026: Period, coordinator
) -> None:
    later = make_period(agency=agency, instrument=pemdi_2026.instrument, year=2027)
    Assessment.objects.filter(period=later, indicator__number=1).update(
        external_value=Decimal("2.66"), external_level=2
    )
    comparison = compare_periods(pemdi_2026, later)
    assert comparison.same_instrument and not comparison.cross_series
    first = comparison.rows[0]
    assert first.deltas["external"] == Decimal("0.26")
    client.force_login(coordinator)
    response = client.get(
        reverse("evaluation:history_compare"), {"a": pemdi_2026.pk, "b": later.pk}
    )
    assert "+0,26" in response.content.decode()
