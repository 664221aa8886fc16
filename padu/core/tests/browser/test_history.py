"""History and benchmarks from the demo: the trend chart with the national average, comparing
a 5/2018 year with a 59/2020 year, and an external-results import refused row by row."""

from __future__ import annotations

from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.evaluation.models import Assessment, Period

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_koordinator_reads_history_compares_and_gets_an_import_report(
    page: Any, demo: list[DemoLogin], tmp_path: Any
) -> None:
    login(page, "koordinator")
    page.goto("/evaluasi/riwayat/")
    chart = page.locator("[data-testid=index-chart]")
    assert chart.is_visible()
    assert chart.locator("path").count() >= 4
    table = page.inner_text("[data-testid=history-table]")
    assert "2,24" in table and "3,12" in table  # national averages 2021 and 2024
    assert "2,02" in table  # Kota Kendari 2022 as published
    shot(page, "evaluation-history")

    old = Period.objects.get(agency__slug="kota-kendari", year=2019)
    new = Period.objects.get(agency__slug="kota-kendari", year=2022)
    page.goto(f"/evaluasi/riwayat/banding/?a={old.pk}&b={new.pk}")
    rows = page.locator("[data-testid=compare-table] tbody tr")
    assert rows.count() > 47
    shot(page, "evaluation-history-compare")

    before = Assessment.objects.get(period=new, indicator__number=1).external_level or 1
    other = 5 if before < 5 else 4
    page.goto(f"/evaluasi/riwayat/periode/{new.pk}/impor/")
    bad = tmp_path / "lhe.csv"
    bad.write_text(
        f"tahun,indikator,tingkat\n2022,1,{other}\n2021,2,3\n2022,99,2\n", encoding="utf-8"
    )
    page.set_input_files("#file", str(bad))
    page.click("button[value=apply]")
    report = page.inner_text("[data-testid=import-errors]")
    assert "3" in report and "4" in report
    assert Assessment.objects.get(period=new, indicator__number=1).external_level == before
    shot(page, "evaluation-history-import-errors")
