"""Planner and plan pages on a Pemdi (8/2026) period: permissions first, then decimal values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from padu.evaluation.models import Assessment, Period, TargetPlan
from padu.evaluation.tests.pemdi import make_claimed_pemdi_period

EXTERNAL = {5, 6, 7, 18}


@pytest.fixture
def pemdi_period(agency, units) -> Period:
    return make_claimed_pemdi_period(
        agency,
        units["dinkes"],
        {1: {"claimed_value": Decimal("1.26")}},
    )


def post_data(period: Period, **extra: str) -> dict[str, str]:
    data = {"target": "1,05", "series": "self", "name": "Pemdi 2026", "action": "calculate"}
    data.update(extra)
    return data


def test_anonymous_is_sent_to_login(client: Client, pemdi_period) -> None:
    response = client.get(reverse("evaluation:plan_create", args=[pemdi_period.pk]))
    assert response.status_code == 302


def test_another_agency_gets_404(client: Client, pemdi_period, outsider) -> None:
    client.force_login(outsider)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    assert client.get(url).status_code == 404


def test_read_only_users_may_not_plan(client: Client, pemdi_period, viewer) -> None:
    client.force_login(viewer)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, post_data(pemdi_period, action="save")).status_code == 403
    assert not TargetPlan.objects.exists()


def test_the_planner_starts_from_decimal_values_and_leaves_external_indices(
    client: Client, pemdi_period, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    page = client.get(url)
    table = page.context["table"]
    assert table[0]["row"].current == Decimal("1.26")
    reach = {item["row"].assessment.indicator.number: item["reach"] for item in table}
    assert all(reach[n] == Decimal("1.00") for n in EXTERNAL)
    assert reach[1] == Decimal("5.00")
    assert b"1,26" in page.content
    result = client.post(url, post_data(pemdi_period)).context["result"]
    assert result.reachable and result.planned_index >= Decimal("1.05")
    assert not {s.key[0] for s in result.steps} & EXTERNAL
    assert all(s.to_value is not None for s in result.steps)


def test_saving_a_pemdi_plan_stores_values_per_level_segment(
    client: Client, pemdi_period, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    first = Assessment.objects.get(period=pemdi_period, indicator__number=1)
    # Only IK1 (weight 5) may climb: from 1.013 the target 1.07 needs 0.057, IK1 1.26 -> 2.40.
    data = post_data(pemdi_period, action="save", target="1,07")
    for a in Assessment.objects.filter(period=pemdi_period).exclude(pk=first.pk):
        data[f"reach_{a.pk}"] = "1.00"
    data[f"reach_{first.pk}"] = "2,40"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["error"]
    plan = TargetPlan.objects.get()
    steps = list(plan.steps.order_by("to_level"))
    assert [(s.from_value, s.to_value) for s in steps] == [
        (Decimal("1.26"), Decimal("2.00")),
        (Decimal("2.00"), Decimal("2.40")),
    ]
    assert [s.gain for s in steps] == [Decimal("0.037"), Decimal("0.02")]
    page = client.get(reverse("evaluation:plan_detail", args=[plan.pk]))
    assert "1,26 → 2,00".encode() in page.content
    assert "2,00 → 2,40".encode() in page.content


@pytest.mark.parametrize("target", ["1,2,6", "2.555", "abc"])
def test_a_malformed_target_is_refused_and_nothing_saved(
    client: Client, pemdi_period, coordinator, target: str
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    response = client.post(url, post_data(pemdi_period, action="save", target=target))
    assert response.status_code == 200
    assert response.context["form"].errors["target"]
    assert not TargetPlan.objects.exists()


def test_a_reachable_value_with_three_decimals_is_refused_on_its_row(
    client: Client, pemdi_period, coordinator
) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    first = Assessment.objects.get(period=pemdi_period, indicator__number=1)
    data = post_data(pemdi_period, action="save")
    data[f"reach_{first.pk}"] = "2,405"
    response = client.post(reverse("evaluation:plan_create", args=[pemdi_period.pk]), data)
    assert "two decimals" in response.context["table"][0]["error"]
    assert not TargetPlan.objects.exists()


def test_a_target_above_five_is_refused(client: Client, pemdi_period, coordinator) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    response = client.post(url, post_data(pemdi_period, target="5,01"))
    assert "above the highest index" in response.context["error"]


def test_the_pemdi_plan_page_has_a_pinned_query_count(
    client: Client, pemdi_period, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:plan_create", args=[pemdi_period.pk])
    client.post(url, post_data(pemdi_period, action="save", target="2,00"))
    plan = TargetPlan.objects.get()
    assert plan.steps.count() > 2
    detail = reverse("evaluation:plan_detail", args=[plan.pk])
    client.get(detail)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(detail).status_code == 200
    assert len(ctx.captured_queries) <= 7, [q["sql"] for q in ctx.captured_queries]
