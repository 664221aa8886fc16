"""Template download with a period that does not fit the dataset: back to the page, choices kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytest_plugins = ["padu.databank.tests.fixtures_import"]
pytestmark = pytest.mark.django_db


def _url(dataset: Any, period: str, region: str = "74.71.10", fmt: str = "csv") -> str:
    q = f"?dataset={dataset.pk}&region={region}&period={period}&format={fmt}"
    return reverse("databank:import_template") + q


@pytest.mark.parametrize("period", ["2026Q3", "2026S1", "2026", "202613", "abc"])
def test_a_period_of_another_type_goes_back_with_a_message(
    client: Client, import_dataset: Any, village_operator: Any, period: str
) -> None:
    client.force_login(village_operator)
    with translation.override("en"):
        client.cookies["django_language"] = "en"  # the user picked English
        response = client.get(_url(import_dataset, period))
    assert response.status_code == 302
    home = reverse("databank:import_home")
    assert response.url.startswith(home + "?")
    assert f"dataset={import_dataset.pk}" in response.url
    assert "region=74.71.10" in response.url
    assert f"period={period}" in response.url
    assert "format=csv" in response.url
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 1
    assert f"“{period}” is not a period of {import_dataset.name}" in texts[0]


def test_the_page_shows_the_message_and_keeps_the_choices(
    client: Client, import_dataset: Any, village_operator: Any
) -> None:
    client.force_login(village_operator)
    response = client.get(_url(import_dataset, "2026Q3", fmt="dvs_json"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][1] == 302
    form = response.context["template_form"]
    assert form["period"].value() == "2026Q3"
    assert str(form["dataset"].value()) == str(import_dataset.pk)
    assert form["region"].value() == "74.71.10"
    assert form["format"].value() == "dvs_json"
    body = response.content.decode()
    assert "2026Q3" in body
    assert 'class="messages"' in body


def test_a_fitting_period_still_downloads(
    client: Client, import_dataset: Any, village_operator: Any
) -> None:
    client.force_login(village_operator)
    response = client.get(_url(import_dataset, "202507"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
