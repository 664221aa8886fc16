"""Planner, plan and simulator pages: permission cases first, then what they do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.evaluation.choices import PlanStatus, StepStatus
from padu.evaluation.models import Assessment, PlanStep, TargetPlan

PERIOD_PAGES = ["evaluation:plan_list", "evaluation:plan_create", "evaluation:simulator"]


def planner_post(period, **extra: str) -> dict[str, str]:
    data = {"target": "2.00", "series": "self", "name": "Target 2026", "action": "calculate"}
    for a in Assessment.objects.filter(period=period):
        data[f"reach_{a.pk}"] = "5"
    data.update(extra)
    return data


@pytest.fixture
def plan(period, coordinator) -> TargetPlan:
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("evaluation:plan_create", args=[period.pk]), planner_post(period, action="save")
    )
    assert response.status_code == 302
    return TargetPlan.objects.get(period=period)


# --- Permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_anonymous_is_sent_to_login(client: Client, period, name: str) -> None:
    response = client.get(reverse(name, args=[period.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_another_agency_gets_404(client: Client, period, outsider, name: str) -> None:
    client.force_login(outsider)
    assert client.get(reverse(name, args=[period.pk])).status_code == 404


def test_another_agency_gets_404_for_a_plan(client: Client, plan, outsider) -> None:
    client.force_login(outsider)
    assert client.get(reverse("evaluation:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("evaluation:plan_status", args=[plan.pk])).status_code == 404


def test_read_only_users_see_plans_and_the_simulator_but_may_not_plan(
    client: Client, period, plan, viewer
) -> None:
    client.force_login(viewer)
    assert client.get(reverse("evaluation:plan_list", args=[period.pk])).status_code == 200
    assert client.get(reverse("evaluation:simulator", args=[period.pk])).status_code == 200
    assert client.get(reverse("evaluation:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("evaluation:plan_create", args=[period.pk])).status_code == 403
    assert client.post(reverse("evaluation:plan_detail", args=[plan.pk]), {}).status_code == 403
    assert (
        client.post(
            reverse("evaluation:plan_status", args=[plan.pk]), {"status": "archived"}
        ).status_code
        == 403
    )
    assert TargetPlan.objects.get().status == PlanStatus.ACTIVE


def test_village_operator_may_not_open_plans(client: Client, period, village_operator) -> None:
    client.force_login(village_operator)
    assert client.get(reverse("evaluation:plan_list", args=[period.pk])).status_code == 403


# --- The planner ---------------------------------------------------------------------------


def test_coordinator_calculates_the_cheapest_plan(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("evaluation:plan_create", args=[period.pk]), planner_post(period)
    )
    assert response.status_code == 200
    result = response.context["result"]
    # From 1.00 to 2.00 on weights 60/40 needs two steps (effort 2); of the two-step plans
    # the planner keeps the one with the higher index: both on the heavy indicator, 2.20.
    assert result.reachable
    assert result.total_effort == 2
    assert result.planned_index == Decimal("2.2")
    assert {s.key for s in result.steps} == {(1, 1)}
    assert not TargetPlan.objects.exists()


def test_efforts_change_the_answer(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    first, _second = Assessment.objects.filter(period=period).order_by("indicator__number")
    data = planner_post(period, target="1.80")
    data[f"effort_{first.pk}_2"] = "9"  # the heavy indicator's first step is now expensive
    response = client.post(reverse("evaluation:plan_create", args=[period.pk]), data)
    result = response.context["result"]
    assert {s.key for s in result.steps} == {(2, 1)}
    assert result.planned_index == Decimal("1.80")


def test_a_target_above_the_maximum_gets_a_clear_message(
    client: Client, period, coordinator
) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    response = client.post(
        reverse("evaluation:plan_create", args=[period.pk]), planner_post(period, target="5.50")
    )
    assert response.status_code == 200
    assert "above the highest index" in response.context["error"]
    assert response.context["result"] is None


def test_an_unreachable_target_says_how_close_it_gets(client: Client, period, coordinator) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    data = planner_post(period, target="4.00")
    for a in Assessment.objects.filter(period=period):
        data[f"reach_{a.pk}"] = "2"
    response = client.post(reverse("evaluation:plan_create", args=[period.pk]), data)
    result = response.context["result"]
    assert not result.reachable and result.planned_index == Decimal(2)
    assert b"cannot be reached" in response.content


def test_bad_efforts_are_reported_on_their_row_and_nothing_is_saved(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    first = Assessment.objects.filter(period=period).first()
    data = planner_post(period, action="save")
    data[f"effort_{first.pk}_3"] = "banyak"
    response = client.post(reverse("evaluation:plan_create", args=[period.pk]), data)
    assert response.status_code == 200
    assert any(item["error"] for item in response.context["table"])
    assert not TargetPlan.objects.exists()


def test_saving_stores_the_plan_its_steps_and_an_audit_row(
    client: Client, period, coordinator, plan
) -> None:
    steps = list(plan.steps.all())
    assert plan.created_by == coordinator
    assert plan.reachable and plan.target_index == Decimal("2.00")
    assert len(steps) == 2
    assert all(s.to_level == s.from_level + 1 for s in steps)
    assert {s.unit for s in steps} == {Assessment.objects.first().lead_unit}
    assert plan.planned_index == Decimal("2.2")
    assert AuditEvent.objects.filter(object_type="evaluation.targetplan").count() == 1


def test_saving_without_a_name_is_refused(client: Client, period, coordinator) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    response = client.post(
        reverse("evaluation:plan_create", args=[period.pk]),
        planner_post(period, action="save", name=" "),
    )
    assert response.status_code == 200
    assert "name" in response.context["error"]
    assert not TargetPlan.objects.exists()


# --- Tracking ------------------------------------------------------------------------------


def step_post(plan: TargetPlan, **overrides: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for step in plan.steps.all():
        data[f"s{step.pk}-unit"] = str(step.unit_id or "")
        data[f"s{step.pk}-due_on"] = ""
        data[f"s{step.pk}-status"] = step.status
        data[f"s{step.pk}-note"] = ""
    data.update(overrides)
    return data


def test_coordinator_assigns_and_tracks_steps(client: Client, plan, coordinator, units) -> None:
    client.force_login(coordinator)
    step = plan.steps.order_by("pk").first()
    data = step_post(
        plan,
        **{
            f"s{step.pk}-unit": str(units["disdik"].pk),
            f"s{step.pk}-due_on": "2026-08-31",
            f"s{step.pk}-status": StepStatus.DONE,
        },
    )
    response = client.post(reverse("evaluation:plan_detail", args=[plan.pk]), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.unit, str(step.due_on), step.status) == (units["disdik"], "2026-08-31", "done")
    assert AuditEvent.objects.filter(object_type="evaluation.planstep").count() == 1
    page = client.get(reverse("evaluation:plan_detail", args=[plan.pk]))
    assert page.context["progress"].done == 1
    assert page.context["progress"].percent == 50
    # Posting the same values again changes nothing and writes no audit row.
    client.post(reverse("evaluation:plan_detail", args=[plan.pk]), data)
    assert AuditEvent.objects.filter(object_type="evaluation.planstep").count() == 1


def test_a_step_cannot_go_to_another_agencys_unit(
    client: Client, plan, coordinator, other_unit
) -> None:
    client.force_login(coordinator)
    step = plan.steps.first()
    response = client.post(
        reverse("evaluation:plan_detail", args=[plan.pk]),
        step_post(plan, **{f"s{step.pk}-unit": str(other_unit.pk)}),
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.unit_id != other_unit.pk


def test_archiving_a_plan(client: Client, plan, coordinator) -> None:
    client.force_login(coordinator)
    client.post(reverse("evaluation:plan_status", args=[plan.pk]), {"status": "archived"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED


def test_simulator_carries_weights_and_bands_for_the_browser(
    client: Client, period, viewer
) -> None:
    client.force_login(viewer)
    response = client.get(reverse("evaluation:simulator", args=[period.pk]))
    model = response.context["model"]
    assert sorted(Decimal(i["weight"]) for i in model["items"]) == [40, 60]
    assert Decimal(model["divisor"]) == 100
    assert b'id="simulator-model"' in response.content


def test_plan_steps_table_has_one_row_per_step(client: Client, plan, viewer) -> None:
    client.force_login(viewer)
    response = client.get(reverse("evaluation:plan_detail", args=[plan.pk]))
    assert len(response.context["rows"]) == PlanStep.objects.filter(plan=plan).count() == 2


def test_opd_admin_reports_progress_on_their_own_steps_only(
    client: Client, plan, dinkes_admin, disdik_admin, units
) -> None:
    step = plan.steps.order_by("pk").first()
    assert step.unit == units["dinkes"]
    client.force_login(disdik_admin)  # another OPD: may read, may not write
    assert client.get(reverse("evaluation:plan_detail", args=[plan.pk])).status_code == 200
    assert (
        client.post(reverse("evaluation:plan_detail", args=[plan.pk]), step_post(plan)).status_code
        == 403
    )

    client.force_login(dinkes_admin)
    data = step_post(
        plan,
        **{
            f"s{step.pk}-status": StepStatus.IN_PROGRESS,
            f"s{step.pk}-note": "Draf Perwali sedang dibahas.",
            f"s{step.pk}-unit": str(units["disdik"].pk),  # ignored: only the koordinator assigns
            f"s{step.pk}-due_on": "2026-01-01",
        },
    )
    response = client.post(reverse("evaluation:plan_detail", args=[plan.pk]), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.IN_PROGRESS
    assert step.note == "Draf Perwali sedang dibahas."
    assert step.unit == units["dinkes"] and step.due_on is None


def test_my_indicators_lists_the_open_steps_of_my_opd(client: Client, plan, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    response = client.get(reverse("evaluation:my_indicators"))
    assert len(response.context["plan_steps"]) == plan.steps.count()
    assert b'data-testid="my-plan-steps"' in response.content
