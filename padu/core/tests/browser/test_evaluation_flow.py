"""The SPBE self-assessment end to end: the OPD fills and submits, the assessor returns it,
the OPD fixes and resubmits, the assessor accepts, and the dashboard shows the new index."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.evaluation.models import Assessment

from .conftest import login, shot

pytestmark = pytest.mark.browser


def index_on_dashboard(page: Any, series: str) -> Decimal:
    page.goto("/evaluasi/")
    return Decimal(page.inner_text(f"[data-testid=index-{series}]").replace(",", "."))


def test_opd_fills_assessor_returns_opd_fixes_assessor_accepts(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    target = Assessment.objects.get(period__year=2026, indicator__number=46)
    url = f"/evaluasi/indikator/{target.pk}/"

    opd = new_page()
    login(opd, "opd.disdik")
    before = index_on_dashboard(opd, "validated")
    shot(opd, "evaluation-dashboard")
    opd.goto("/evaluasi/indikator-saya/")
    opd.click(f"a[href='{url}']")
    for box in opd.locator("input[name=checked]").all()[:6]:
        box.check()
    opd.select_option("#id_claimed_level", "4")
    opd.fill("#id_claim_justification", "Fitur kolaborasi PPDB dengan Dukcapil sudah berjalan.")
    opd.fill("#id_explanation", "PPDB Online terintegrasi dengan data kependudukan.")
    opd.locator("fieldset.levels button[type=submit]").click()
    assert opd.get_by_text("Penilaian mandiri telah disimpan.").is_visible()
    opd.select_option("#id_evidence", label="Video demo PPDB Online")
    opd.select_option("#id_level", "4")
    opd.get_by_role("button", name="Lampirkan bukti dukung").click()
    assert opd.get_by_text("Bukti dukung telah dilampirkan.").is_visible()
    shot(opd, "indicator-page")
    opd.get_by_role("button", name="Kirim untuk direviu").click()
    assert opd.inner_text("[data-testid=assessment-status]") == "Dikirim"

    assessor = new_page()
    login(assessor, "asesor")
    assessor.goto(url)
    assessor.fill("#id_return-reason", "Lampirkan berita acara integrasi dengan Disdukcapil.")
    assessor.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    assert assessor.inner_text("[data-testid=assessment-status]") == "Dikembalikan"

    opd.goto("/akun/notifikasi/")
    assert opd.get_by_text("dikembalikan untuk diperbaiki").first.is_visible()
    opd.goto(url)
    assert opd.get_by_text("Lampirkan berita acara integrasi").first.is_visible()
    opd.fill("#id_explanation", "PPDB Online terintegrasi; berita acara integrasi terlampir.")
    opd.locator("fieldset.levels button[type=submit]").click()
    opd.get_by_role("button", name="Kirim untuk direviu").click()
    assert opd.inner_text("[data-testid=assessment-status]") == "Dikirim"

    assessor.goto(url)
    assessor.select_option("#id_validated_level", "4")
    assessor.get_by_role("button", name="Terima").click()
    assert assessor.inner_text("[data-testid=assessment-status]") == "Diterima"
    assert assessor.inner_text("[data-testid=validated-level]") == "4"

    after = index_on_dashboard(assessor, "validated")
    assert after - before == Decimal("0.09")  # 3 levels (1 -> 4) x weight 3 / 100
    shot(assessor, "evaluation-dashboard-after")
