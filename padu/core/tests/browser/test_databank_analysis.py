"""Data bank analysis as walidata: a filtered pivot, the charts and an OPD dashboard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.databank import selectors_analysis
from padu.databank.models import DataElement, OptionCombo
from padu.databank.services_values import ValueRow, write_values
from padu.organizations.models import Agency, Region

from .conftest import login, shot, t

pytestmark = pytest.mark.browser


def _seed() -> DataElement:
    agency = Agency.objects.get(slug="kota-kendari")
    combo = OptionCombo.objects.get(combo__code="default", combo__agency=None)
    element = DataElement.objects.create(
        agency=agency,
        code="UJI_ANALISIS",
        name="Kelahiran uji analisis",
        category_combo=combo.combo,
        aggregation="sum",
    )
    villages = list(Region.objects.filter(code__startswith="74.71.", level=4).order_by("code")[:6])
    rows = [
        ValueRow(element.pk, combo.pk, v.code, f"2025{m:02d}", Decimal(n + m))
        for n, v in enumerate(villages)
        for m in range(1, 13)
    ]
    write_values(rows=rows, user=None, source="entry")
    return element


def test_walidata_pivots_charts_and_builds_a_dashboard(
    page: Any, demo: list[DemoLogin], monkeypatch: pytest.MonkeyPatch
) -> None:
    element = _seed()
    login(page, "walidata")
    page.goto("/data/analisis/")
    page.select_option("#id_elements", [str(element.pk)])
    page.select_option("#id_level", "2")
    page.select_option("#id_period_type", "quarterly")
    page.fill("#id_start", "2025Q1")
    page.fill("#id_end", "2025Q4")
    with page.expect_navigation():
        page.locator("[data-testid=analysis-filters] button[type=submit]").click()
    table = page.inner_text("[data-testid=pivot-table]")
    # Six villages, values n + m: Q1 = sum over n=0..5 of (3n + 6) = 45 + 36 = 81.
    assert "Kota Kendari" in table and "81" in table
    shot(page, "databank-pivot")

    # Kelurahan by month: more rows than a page holds (made small here), so a pager that
    # keeps the filters; the second page holds the rows after the first.
    monkeypatch.setattr(selectors_analysis, "PAGE_ROWS", 4)
    page.select_option("#id_level", "4")
    page.select_option("#id_period_type", "monthly")
    page.fill("#id_start", "202501")
    page.fill("#id_end", "202512")
    with page.expect_navigation():
        page.locator("[data-testid=analysis-filters] button[type=submit]").click()
    rows = page.locator("[data-testid=pivot-table] tbody tr")
    assert rows.count() == 4
    first_page = rows.all_inner_texts()
    pager = page.locator("[data-testid=pivot-pager]").first
    total = len(selectors_analysis.agency_regions(Agency.objects.get(slug="kota-kendari"), 4))
    assert "1\u20134 " in pager.inner_text() and str(total) in pager.inner_text()
    with page.expect_navigation():
        pager.locator("a[rel=next]").click()
    assert "page=2" in page.url and "level=4" in page.url
    assert page.input_value("#id_start") == "202501"
    assert page.locator("[data-testid=pivot-table] tbody tr").count() == 4
    second_page = page.locator("[data-testid=pivot-table] tbody tr").all_inner_texts()
    assert not set(first_page) & set(second_page)
    assert page.locator("[data-testid=pivot-pager] a[rel=prev]").first.inner_text() == t("Previous")

    page.goto(
        f"/data/analisis/grafik/?elements={element.pk}&level=3&period_type=monthly"
        "&start=202501&end=202512"
    )
    assert page.locator("[data-testid=trend-chart] path").count() >= 1
    assert page.locator("[data-testid=compare-chart] rect").count() >= 1
    shot(page, "databank-charts")

    page.goto("/data/analisis/dasbor/baru/")
    page.fill("#id_name", "Kelahiran Kota")
    page.check(f"input[name=elements][value='{element.pk}']")
    with page.expect_navigation():
        page.locator("form.form-narrow button[type=submit]").click()
    assert page.inner_text("[data-testid=latest-value]").strip().startswith("87")
    assert page.locator("[data-testid=sparkline] path").count() == 1
    assert page.locator("[data-testid=district-bars] rect").count() >= 1
    shot(page, "databank-dashboard")
