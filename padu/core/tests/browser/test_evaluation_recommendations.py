"""LHE recommendations from the demo: the koordinator sees last year's open ones carried into
2026, the admin OPD of Dinas Kesehatan records its follow-up, the indicator page shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.evaluation.choices import RecommendationStatus
from padu.evaluation.models import Assessment, Period, Recommendation

from .conftest import Problems, login, shot

pytestmark = pytest.mark.browser


def test_carried_recommendation_is_followed_up_by_its_opd(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Problems
) -> None:
    current = Period.objects.get(agency__slug="kota-kendari", year=2026)
    carried = Recommendation.objects.filter(period=current, carried_from__isnull=False)
    assert carried.exists()

    koordinator = new_page()
    login(koordinator, "koordinator")
    koordinator.goto(f"/evaluasi/rekomendasi/periode/{current.pk}/")
    rows = koordinator.locator("[data-testid=recommendations] tbody tr")
    assert rows.count() == carried.count()
    assert koordinator.get_by_text("2025").first.is_visible()
    shot(koordinator, "recommendations-list")

    rec = carried.get(owner_unit__acronym="Dinkes")
    opd = new_page()
    login(opd, "opd.dinkes")
    opd.goto(f"/evaluasi/rekomendasi/{rec.pk}/tindak-lanjut/")
    opd.fill("#id_action", "Integrasi SATUSEHAT berjalan di seluruh puskesmas.")
    opd.select_option("#id_status", RecommendationStatus.DONE)
    with opd.expect_navigation():
        opd.locator("form.form-narrow button[type=submit]").click()
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.DONE

    a = Assessment.objects.get(period=current, indicator=rec.indicator, slot=1)
    opd.goto(f"/evaluasi/indikator/{a.pk}/")
    panel = opd.locator("[data-testid=recommendations-panel]")
    assert "Integrasi SATUSEHAT berjalan" in panel.inner_text()
    problems.assert_none()
