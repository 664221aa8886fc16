"""Index figures on the period dashboard follow the active language: "2,80" in Indonesian."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from padu.evaluation.models import Assessment, Period


@pytest.mark.parametrize(
    ("language", "self_index", "validated", "floor"),
    [("id", "2,80", "2,20", "1,00"), ("en", "2.80", "2.20", "1.00")],
)
def test_dashboard_index_figures_use_the_decimal_mark_of_the_language(
    client: Client,
    period: Period,
    coordinator: object,
    language: str,
    self_index: str,
    validated: str,
    floor: str,
) -> None:
    first, _second = period.assessments.order_by("indicator__number")
    Assessment.objects.filter(pk=first.pk).update(claimed_level=4, validated_level=3)
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("evaluation:period_detail", args=[period.pk]))
    html = response.content.decode()
    assert f'data-testid="index-self">{self_index}<' in html
    assert f'data-testid="index-validated">{validated}<' in html
    assert f'data-testid="index-external">{floor}<' in html
    domain_cells = [
        cell.display for row in response.context["scores"].groups for cell in row.values
    ]
    assert domain_cells and all(len(d) == 4 and d[1] == self_index[1] for d in domain_cells)
