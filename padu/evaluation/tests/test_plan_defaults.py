"""The planner's reachable levels start at the instrument's top, so a reachable target is found."""

from __future__ import annotations

import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from padu.evaluation.forms_plans import default_reachable, parse_row_inputs
from padu.evaluation.models import Assessment
from padu.evaluation.services_plans import planner_rows


def test_every_row_starts_reachable_at_the_instrument_top(period) -> None:
    rows = planner_rows(period, "self")
    assert default_reachable(rows, 5) == {row.assessment.pk: 5 for row in rows}
    reachable, _efforts, errors = parse_row_inputs({}, rows, 5)
    assert not errors and set(reachable.values()) == {5}


def test_the_planner_page_selects_the_top_level_and_plans_3_5_on_the_first_try(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:plan_create", args=[period.pk])
    page = client.get(url)
    table = page.context["table"]
    assert [item["reach"] for item in table] == [5, 5]
    assert len(re.findall(rb'<option value="5"\s+selected>', page.content)) == 2
    # Post what the browser sends with the defaults untouched.
    data = {"target": "3.50", "series": "self", "name": "", "action": "calculate"}
    for item in table:
        pk = item["row"].assessment.pk
        data[f"reach_{pk}"] = str(item["reach"])
        for cell in item["efforts"]:
            if cell["enabled"]:
                data[cell["name"]] = cell["value"]
    result = client.post(url, data).context["result"]
    assert result.reachable
    assert result.planned_index >= Decimal("3.5")


def test_the_user_may_still_lower_a_reachable_level(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    first, second = Assessment.objects.filter(period=period).order_by("indicator__number")
    data = {
        "target": "3.50",
        "series": "self",
        "action": "calculate",
        f"reach_{first.pk}": "2",
        f"reach_{second.pk}": "2",
    }
    response = client.post(reverse("evaluation:plan_create", args=[period.pk]), data)
    assert not response.context["result"].reachable
    assert [item["reach"] for item in response.context["table"]] == [2, 2]
