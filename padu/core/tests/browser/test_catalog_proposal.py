"""A new-application proposal end to end: the admin OPD proposes, sees the likely duplicates
with their reasons, sends; Diskominfo takes it into review and decides to reuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from padu.catalog.models import Proposal
from padu.core.demo import DemoLogin

from .conftest import login, shot, t

pytestmark = pytest.mark.browser


def test_opd_proposes_sees_duplicates_sends_and_diskominfo_decides(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Any
) -> None:
    opd = new_page()
    login(opd, "opd.dinkes")
    opd.goto("/katalog/usulan/baru/")
    # Sent without a problem statement: refused with a message, nothing saved.
    opd.fill("#id_title", "Aplikasi Posyandu Digital")
    opd.select_option("#id_unit", index=1)
    opd.fill("#id_budget_year", "2027")
    opd.fill("#id_budget_amount", "80000000")
    opd.get_by_role("button", name=t("Save and check duplicates")).click()
    opd.wait_for_load_state()
    assert opd.locator("#id_problem_error").is_visible()
    assert not Proposal.objects.filter(title="Aplikasi Posyandu Digital").exists()

    opd.fill(
        "#id_problem",
        "Kader posyandu mencatat penimbangan, gizi dan imunisasi balita di buku; "
        "rekap ke puskesmas terlambat.",
    )
    opd.fill("#id_business_process", "Penimbangan balita bulanan dan pelaporan gizi")
    opd.fill("#id_users", "Kader posyandu, petugas gizi puskesmas")
    opd.fill("#id_codes", "RAL.01.25.03")
    with opd.expect_navigation():
        opd.get_by_role("button", name=t("Save and check duplicates")).click()
    table = opd.locator("[data-testid=duplicate-candidates]")
    assert table.is_visible()
    first = table.locator("tbody tr").first
    assert "e-Posyandu" in first.inner_text()
    assert "RAL.01.25.03" in first.inner_text()  # the shared code is the reason
    assert t("likely duplicate") in first.inner_text()
    shot(opd, "catalog-proposal-duplicates")
    with opd.expect_navigation():
        opd.get_by_role("button", name=t("Send to Diskominfo")).click()
    assert opd.inner_text("[data-testid=proposal-status]") == t("Submitted")
    proposal = Proposal.objects.get(title="Aplikasi Posyandu Digital")
    assert proposal.duplicate_check[0]["flagged"]

    kominfo = new_page()
    login(kominfo, "koordinator")
    kominfo.goto(f"/katalog/usulan/{proposal.pk}/")
    assert "e-Posyandu" in kominfo.inner_text("[data-testid=duplicate-candidates]")
    with kominfo.expect_navigation():
        kominfo.get_by_role("button", name=t("Start review")).click()
    assert kominfo.inner_text("[data-testid=proposal-status]") == t("In review")
    with kominfo.expect_navigation():
        kominfo.get_by_role("link", name=t("Decide"), exact=True).click()
    kominfo.select_option("#id_decision", "reuse")
    kominfo.fill("#id_reason", "e-Posyandu sudah mencatat penimbangan dan imunisasi; pakai itu.")
    kominfo.select_option("#id_application", label="e-Posyandu")
    with kominfo.expect_navigation():
        kominfo.get_by_role("button", name=t("Record the decision")).click()
    assert kominfo.inner_text("[data-testid=proposal-status]") == t("Decided")
    assert "e-Posyandu" in kominfo.inner_text("[data-testid=decision]")
    shot(kominfo, "catalog-proposal-decided")
    proposal.refresh_from_db()
    assert proposal.decision == "reuse" and proposal.decision_application is not None
    problems.assert_none()
