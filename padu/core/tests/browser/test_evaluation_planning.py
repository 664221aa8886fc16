"""From the demo: the koordinator sets a target of 3.00, gets a plan, saves it, assigns a step,
and plays with the what-if simulator."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.evaluation.index import shape_for
from padu.evaluation.models import Assessment, Period, TargetPlan
from padu.evaluation.scoring import compute

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_koordinator_plans_target_3_00_saves_and_assigns_a_step(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = Period.objects.get(year=2026, agency__name__icontains="Kendari")
    page = new_page()
    login(page, "koordinator")
    page.get_by_role("link", name="Rencana target").click()
    page.get_by_role("link", name="Rencana baru").click()
    page.fill("#id_target", "3.00")
    # Allow every indicator to climb up to two levels this year.
    for select in page.locator("[data-testid=planner-table] select").all():
        options = select.locator("option").all_inner_texts()
        select.select_option(options[min(2, len(options) - 1)])
    page.get_by_role("button", name="Hitung").click()
    result = page.locator("[data-testid=plan-result]")
    assert "Dari" in result.inner_text()
    shot(page, "evaluation-planner")
    page.fill("#id_name", "Target Indeks SPBE 3,00")
    page.get_by_role("button", name="Simpan rencana").click()
    assert page.get_by_text("Rencana telah disimpan.").is_visible()

    plan = TargetPlan.objects.get(period=period, name="Target Indeks SPBE 3,00")
    assert plan.reachable and plan.planned_index >= Decimal("3.00")
    assert plan.steps.count() == len(page.locator("[data-testid=plan-steps] tbody tr").all())
    step = plan.steps.order_by("pk").first()
    page.fill(f"#id_s{step.pk}-due_on", "2026-09-30")
    page.select_option(f"#id_s{step.pk}-status", "done")
    page.get_by_role("button", name="Simpan penugasan").click()
    step.refresh_from_db()
    assert str(step.due_on) == "2026-09-30" and step.status == "done"
    assert page.inner_text("[data-testid=plan-percent]") != "0%"
    shot(page, "evaluation-plan")


def test_simulator_moves_the_index_at_once(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = Period.objects.get(year=2026, agency__name__icontains="Kendari")
    page = new_page()
    login(page, "pimpinan")
    page.goto(f"/evaluasi/periode/{period.pk}/")
    page.get_by_role("link", name="Simulasi bagaimana-jika").click()
    start = Decimal(page.inner_text("[data-testid=sim-index]"))
    assessments = list(period.assessments.select_related("indicator"))
    expected = compute(
        shape_for(period.instrument),
        {(a.indicator.number, a.slot): a.claimed_level for a in assessments},
    ).index
    assert start == expected.quantize(Decimal("0.01"))
    low = min(assessments, key=lambda a: (a.claimed_level or 1, -a.indicator.weight))
    page.select_option(f"#sim_{low.pk}", "5")
    moved = Decimal(page.inner_text("[data-testid=sim-index]"))
    gain = (5 - (low.claimed_level or 1)) * low.indicator.weight / 100
    assert moved == (expected + gain).quantize(Decimal("0.01"))
    assert page.inner_text("[data-testid=sim-delta]").startswith("+")
    shot(page, "evaluation-simulator")
    assert Assessment.objects.get(pk=low.pk).claimed_level == low.claimed_level  # nothing saved
