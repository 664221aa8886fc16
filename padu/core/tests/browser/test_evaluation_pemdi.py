"""Pemdi (8/2026) end to end on the demo's Kota Kendari 2026 period: an OPD admin claims a
decimal value with a justification and submits, the assessor validates it at another value
with a reason, the koordinator records IK7 from BPS's EPSS result, and the dashboard's
index moves by exactly weight x change / 100 (figures as shown, half to even)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import formats, translation

from padu.core.demo import DemoLogin
from padu.evaluation.index import figure, result_for
from padu.evaluation.models import Assessment, Period

from .conftest import login, shot, t

pytestmark = pytest.mark.browser

D = Decimal


def exact_index(period: Period, series: str) -> Decimal:
    """The unrounded index of one series, read from the database."""
    return result_for(period, list(period.assessments.select_related("indicator")), series).index


def shown(period: Period, value: Decimal) -> str:
    """The index as the Indonesian dashboard shows it (rounded by the instrument's rule)."""
    with translation.override("id"):
        return formats.number_format(figure(value, period.instrument), 2)


def dashboard(page: Any, series: str) -> str:
    page.goto("/evaluasi/")
    return page.inner_text(f"[data-testid=index-{series}]")


def test_opd_claims_a_decimal_assessor_validates_koordinator_records_ik7(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = Period.objects.get(agency__slug="kota-kendari", year=2026)
    assert period.instrument.is_decimal
    ik20 = period.assessments.select_related("indicator").get(indicator__code="IK20")
    ik7 = period.assessments.select_related("indicator").get(indicator__code="IK7")
    assert ik20.claimed_level is None and ik7.indicator.is_external_index
    validated_before = exact_index(period, "validated")
    url = f"/evaluasi/indikator/{ik20.pk}/"

    # The OPD (Dinkes supports IK20) claims 2,40 within level 2, first mistyping it.
    opd = new_page()
    login(opd, "opd.dinkes")
    assert dashboard(opd, "validated") == shown(period, validated_before)
    opd.goto("/evaluasi/indikator-saya/")
    opd.click(f"a[href='{url}']")
    for box in opd.locator("input[name=checked]").all()[:2]:
        box.check()
    opd.select_option("#id_claimed_level", "2")
    opd.fill("#id_claimed_value", "2,4,0")
    opd.fill("#id_claim_justification", "Pengukuran kepuasan sudah di 2 dari 5 layanan.")
    opd.fill("#id_explanation", "Survei kepuasan layanan digital dilaksanakan triwulanan.")
    opd.locator("fieldset.levels button[type=submit]").click()
    assert opd.locator(".has-error .error").first.inner_text().startswith(t("Claimed value"))
    assert opd.locator("input[name=checked]").nth(1).is_checked()  # nothing lost
    assert Assessment.objects.get(pk=ik20.pk).claimed_level is None  # nothing saved
    opd.fill("#id_claimed_value", "2,40")
    opd.locator("fieldset.levels button[type=submit]").click()
    assert opd.get_by_text(t("The self-assessment has been saved.")).is_visible()
    assert opd.inner_text("[data-testid=claimed-value]") == "2,40"
    shot(opd, "pemdi-indicator-decimal-claim")
    opd.get_by_role("button", name=t("Submit for review")).click()
    assert opd.inner_text("[data-testid=assessment-status]") == t("Submitted")

    # The assessor validates at 2,15: refused without a reason, accepted with one.
    assessor = new_page()
    login(assessor, "asesor")
    assessor.goto(url)
    assessor.fill("#id_validated_value", "2,15")
    assessor.get_by_role("button", name=t("Accept"), exact=True).click()
    assert assessor.inner_text("[data-testid=assessment-status]") == t("Submitted")
    assessor.fill("#id_validated_value", "2,15")
    reason = "Survei baru mencakup 2 layanan; satu belum dilaporkan ke pimpinan."
    assessor.fill("#id_validation_reason", reason)
    assessor.get_by_role("button", name=t("Accept"), exact=True).click()
    assert assessor.inner_text("[data-testid=assessment-status]") == t("Accepted")
    assert assessor.inner_text("[data-testid=validated-value]") == "2,15"
    shot(assessor, "pemdi-indicator-validated")
    # 15 x (2.15 - 1.00) / 100 on the validated series, exactly; the OPD reads the reason.
    validated_after = exact_index(period, "validated")
    assert validated_after - validated_before == D("0.1725")
    assert dashboard(assessor, "validated") == shown(period, validated_after)
    opd.goto(url)
    assert reason in opd.inner_text("[data-testid=validation-reason]")

    # The koordinator records IK7 from BPS's EPSS result.
    ik7.refresh_from_db()
    old = ik7.index_value if ik7.index_value is not None else ik7.indicator.external_default
    before = {s: exact_index(period, s) for s in ("self", "validated")}
    koordinator = new_page()
    login(koordinator, "koordinator")
    koordinator.goto(f"/evaluasi/indikator/{ik7.pk}/")
    assert koordinator.locator("fieldset.levels").count() == 0  # not self-assessed
    koordinator.fill("#id_value", "3,01")
    koordinator.fill("#id_source", "Evaluasi Penyelenggaraan Statistik Sektoral (EPSS) BPS 2026")
    result_day = datetime.date.today() - datetime.timedelta(days=3)
    koordinator.fill("#id_date", result_day.isoformat())
    koordinator.get_by_role("button", name=t("Record the result")).click()
    assert koordinator.get_by_text(t("The index result has been recorded.")).is_visible()
    assert "3,01" in koordinator.inner_text("[data-testid=index-counts-at]")
    shot(koordinator, "pemdi-external-index-recorded")
    ik7.refresh_from_db()
    assert (ik7.index_value, ik7.index_date) == (D("3.01"), result_day)
    gain = ik7.indicator.weight * (D("3.01") - old) / 100
    for series, exact_before in before.items():
        after = exact_index(period, series)
        assert after - exact_before == gain
        assert dashboard(koordinator, series) == shown(period, after)
    assert "EPSS" in koordinator.inner_text("[data-testid=external-index-IK7]")
    shot(koordinator, "pemdi-dashboard")
