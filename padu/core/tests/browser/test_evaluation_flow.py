"""The self-assessment end to end on the demo's 2026 Pemdi period: the OPD fills a whole level
and attaches last year's SPBE evidence from the reuse panel, the assessor returns it, the OPD
fixes and resubmits, the assessor accepts, and the dashboard shows the new index."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import formats, translation

from padu.core.demo import DemoLogin
from padu.evaluation.index import figure, result_for
from padu.evaluation.models import Assessment, Period

from .conftest import login, shot

pytestmark = pytest.mark.browser


def index_on_dashboard(page: Any, series: str) -> str:
    page.goto("/evaluasi/")
    return page.inner_text(f"[data-testid=index-{series}]")


def exact_index(period: Period, series: str) -> Decimal:
    """The unrounded index of one series, read from the database."""
    return result_for(period, list(period.assessments.select_related("indicator")), series).index


def shown(period: Period, value: Decimal) -> str:
    """The index as the Indonesian dashboard shows it (rounded by the instrument's rule)."""
    with translation.override("id"):
        return formats.number_format(figure(value, period.instrument), 2)


def test_opd_fills_assessor_returns_opd_fixes_assessor_accepts(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = Period.objects.get(agency__slug="kota-kendari", year=2026)
    # IK20 (user satisfaction): not started; Disdikbud supports it, as it led PPDB in SPBE 2025.
    target = Assessment.objects.get(period=period, indicator__code="IK20")
    assert target.claimed_level is None and target.indicator.weight == 15
    url = f"/evaluasi/indikator/{target.pk}/"
    before = exact_index(period, "validated")

    opd = new_page()
    login(opd, "opd.disdik")
    assert index_on_dashboard(opd, "validated") == shown(period, before)
    shot(opd, "evaluation-dashboard")
    opd.goto("/evaluasi/indikator-saya/")
    opd.click(f"a[href='{url}']")
    for box in opd.locator("input[name=checked]").all()[:3]:
        box.check()
    opd.select_option("#id_claimed_level", "4")
    opd.fill("#id_claim_justification", "Fitur kolaborasi PPDB dengan Dukcapil sudah berjalan.")
    opd.fill("#id_explanation", "PPDB Online terintegrasi dengan data kependudukan.")
    opd.locator("fieldset.levels button[type=submit]").click()
    assert opd.get_by_text("Penilaian mandiri telah disimpan.").is_visible()
    # Last year's evidence of SPBE 46 (PPDB Online), offered through the SPBE -> Pemdi mapping.
    reuse = opd.locator("[data-testid=pemdi-reuse] [data-testid=reuse-evidence]")
    reuse.filter(has_text="Video demo PPDB Online").get_by_role("button").click()
    assert opd.get_by_text("Bukti dukung telah dilampirkan.").is_visible()
    assert target.evidence_links.get(evidence__title="Video demo PPDB Online").level == 4
    assert "Video demo PPDB Online" not in opd.inner_text("[data-testid=pemdi-reuse] form")
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
    assessor.fill("#id_validated_value", "4,00")
    assessor.get_by_role("button", name="Terima", exact=True).click()
    assert assessor.inner_text("[data-testid=assessment-status]") == "Diterima"
    assert assessor.inner_text("[data-testid=validated-value]") == "4,00"

    after = exact_index(period, "validated")
    assert after - before == Decimal("0.45")  # 1,00 -> 4,00 x weight 15 / 100
    assert index_on_dashboard(assessor, "validated") == shown(period, after)
    shot(assessor, "evaluation-dashboard-after")
