"""Partial totals say so: a figure above the collection level built from fewer leaf values
than the element's datasets expect is marked in the pivot, and dashboard tiles say how many
regions reported.

Fixture data (monthly, kelurahan level, two kelurahan): births Alolama 202501, 202502 and
Kambu 202502, 202503; population (a stock, by sex) Alolama 202501, 202503 and Kambu 202502.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from padu.databank import coverage
from padu.databank import selectors_analysis as sel
from padu.databank.models import Dataset
from padu.databank.selectors_analysis import PivotSpec

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

MANDONGA, KAMBU_KEC = "Mandonga (74.71.01)", "Kambu (74.71.10)"


def test_leaves_are_counted_under_every_ancestor() -> None:
    counts = coverage.leaves_under(["74.71.01.1001", "74.71.01.1002", "74.71.10.1001"])
    assert counts == Counter({"74": 3, "74.71": 3, "74.71.01": 2, "74.71.10": 1})


def test_expected_values_follow_the_periods_and_the_aggregation() -> None:
    assert coverage.periods_in("2025S1", "monthly") == 6
    assert coverage.periods_in("2025Q1", "quarterly") == 1
    assert coverage.periods_in("202501", "quarterly") == 0  # finer than collected
    assert coverage.expected_values("sum", 65, 6) == 390
    assert coverage.expected_values("average", 65, 6) == 390
    assert coverage.expected_values("last", 65, 6) == 65  # a stock keeps one per region


def _pivot(agency: Any, analysis_data: dict[str, Any], **kw: Any) -> sel.Pivot:
    spec = PivotSpec(
        element_ids=(analysis_data["births"].pk, analysis_data["population"].pk),
        level=kw.pop("level", 3),
        period_type=kw.pop("period_type", "quarterly"),
        start=kw.pop("start", "202501"),
        end=kw.pop("end", "202503"),
        columns="period",
        **kw,
    )
    return sel.pivot(agency, list(analysis_data.values()), spec)


def _short(table: sel.Pivot) -> dict[tuple[str, ...], Any]:
    return {tuple(row.labels): row.short for row in table.rows}


def test_pivot_marks_district_totals_built_from_fewer_values(
    agency, analysis_data, dataset
) -> None:
    table = _pivot(agency, analysis_data)
    short = _short(table)
    # births in Q1: each kecamatan has one kelurahan, reporting 2 of 3 months
    assert short[("Jumlah kelahiran", MANDONGA)] == [(2, 3)]
    assert short[("Jumlah kelahiran", KAMBU_KEC)] == [(2, 3)]
    # population is a stock: one value per kelurahan makes the quarter whole
    assert short[("Jumlah penduduk", MANDONGA)] == [None]
    assert table.partial == 2


def test_pivot_leaves_complete_figures_and_empty_cells_unmarked(
    agency, analysis_data, dataset
) -> None:
    table = _pivot(agency, analysis_data, period_type="monthly")
    short = _short(table)
    assert short[("Jumlah kelahiran", MANDONGA)] == [None, None, None]  # 1 of 1 each month
    assert short[("Jumlah kelahiran", KAMBU_KEC)] == [None, None, None]  # 202501 is empty
    assert table.partial == 0


def test_pivot_kota_total_counts_reporting_kelurahan(agency, analysis_data, dataset) -> None:
    short = _short(_pivot(agency, analysis_data, level=2, period_type="monthly"))
    assert short[("Jumlah kelahiran", "Kota Kendari (74.71)")] == [(1, 2), None, (1, 2)]


def test_pivot_uses_the_datasets_own_reporting_regions(
    agency, analysis_data, dataset: Dataset, regions
) -> None:
    dataset.regions.set([regions["kel_alolama"]])  # only Alolama is expected to report
    short = _short(_pivot(agency, analysis_data, level=2, period_type="monthly"))
    # one expected per month: the months that were 1 of 2 are whole now
    assert short[("Jumlah kelahiran", "Kota Kendari (74.71)")] == [None, None, None]


def test_pivot_without_datasets_or_at_kelurahan_level_marks_nothing(
    agency, analysis_data, dataset
) -> None:
    with CaptureQueriesContext(connection) as village:
        table = _pivot(agency, analysis_data, level=4)
    assert all(row.short is None for row in table.rows) and table.partial == 0
    assert not any("databank_datasetelement" in q["sql"] for q in village.captured_queries)
    dataset.delete()  # elements in no dataset: nothing is known to be expected
    assert _pivot(agency, analysis_data).partial == 0


def test_pivot_page_shows_marker_title_and_legend(client, analysis_data, dataset, viewer) -> None:
    client.force_login(viewer)
    client.cookies["django_language"] = "en"  # messages checked in English
    births = analysis_data["births"]
    query = f"?elements={births.pk}&level=3&period_type=quarterly&start=202501&end=202503"
    with translation.override("en"):
        page = client.get(reverse("databank:pivot") + query).content.decode()
    assert 'title="Partial: built from 2 of 3 expected values"' in page
    assert 'class="partial-mark"' in page
    assert 'data-testid="pivot-partial-legend"' in page
    complete = query.replace("quarterly", "monthly")
    page = client.get(reverse("databank:pivot") + complete).content.decode()
    assert "partial-mark" not in page and "pivot-partial-legend" not in page


def test_dashboard_tile_says_how_many_kelurahan_reported(agency, analysis_data, dataset) -> None:
    (tile,) = sel.dashboard_tiles(agency, [analysis_data["births"]])
    assert (tile.period, tile.reported, tile.expected) == ("202503", 1, 2)
    with translation.override("en"):
        assert tile.coverage_text == "1 of 2 villages reported"


def test_dashboard_tile_without_dataset_says_nothing(agency, analysis_data) -> None:
    (tile,) = sel.dashboard_tiles(agency, [analysis_data["births"]])
    assert tile.reported is None and tile.coverage_text == ""


@pytest.fixture
def board(agency, units, analysis_data, dataset):
    from padu.databank.models import Dashboard

    d = Dashboard.objects.create(agency=agency, unit=units["dinkes"], name="Dasbor Dinkes")
    d.elements.set([analysis_data["births"]])
    return d


def test_dashboard_page_shows_the_reporting_count(client, board, viewer) -> None:
    client.force_login(viewer)
    client.cookies["django_language"] = "en"  # messages checked in English
    with translation.override("en"):
        page = client.get(reverse("databank:dashboard_detail", args=[board.pk])).content.decode()
    assert 'data-testid="tile-coverage"' in page and "1 of 2 villages reported" in page
