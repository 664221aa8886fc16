"""What-if simulator on a Pemdi (8/2026) period: permissions first, then the page data."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from padu.evaluation.models import Assessment, Period
from padu.evaluation.tests.pemdi import make_claimed_pemdi_period

EXTERNAL = {5, 6, 7, 18}


@pytest.fixture
def pemdi_period(agency, units) -> Period:
    return make_claimed_pemdi_period(
        agency,
        units["dinkes"],
        {
            1: {"claimed_value": Decimal("1.26"), "validated_value": Decimal("3.05")},
            5: {"index_value": Decimal("2.50")},
        },
    )


def url(period: Period, series: str = "") -> str:
    base = reverse("evaluation:simulator", args=[period.pk])
    return f"{base}?series={series}" if series else base


# --- Permissions -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client, pemdi_period) -> None:
    response = client.get(url(pemdi_period))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_another_agency_gets_404(client: Client, pemdi_period, outsider) -> None:
    client.force_login(outsider)
    assert client.get(url(pemdi_period)).status_code == 404


def test_read_only_user_sees_the_simulator(client: Client, pemdi_period, viewer) -> None:
    client.force_login(viewer)
    assert client.get(url(pemdi_period)).status_code == 200


def test_writer_sees_the_simulator_and_nothing_is_written(
    client: Client, pemdi_period, coordinator
) -> None:
    before = list(Assessment.objects.filter(period=pemdi_period).values().order_by("pk"))
    client.force_login(coordinator)
    assert client.get(url(pemdi_period)).status_code == 200
    assert client.post(url(pemdi_period), {}).status_code == 405
    assert list(Assessment.objects.filter(period=pemdi_period).values().order_by("pk")) == before


# --- Page data ---------------------------------------------------------------------------


def test_page_data_carries_decimal_starts_weights_aspects_and_the_rounding_rule(
    client: Client, pemdi_period, viewer
) -> None:
    client.force_login(viewer)
    response = client.get(url(pemdi_period))
    model = response.context["model"]
    assert model["decimal"] is True
    assert model["rounding"] == "half_even"
    assert Decimal(model["divisor"]) == 100
    assert model["domains"] == {}
    assert list(model["aspects"]) == [f"AS{n}" for n in range(1, 8)]
    assert sum(Decimal(w) for w in model["aspects"].values()) == 100
    by_number = {
        Assessment.objects.get(pk=item["id"]).indicator.number: item for item in model["items"]
    }
    assert len(by_number) == 20
    assert by_number[1]["start"] == "1.26"
    assert by_number[5]["start"] == "2.50"  # the recorded index result
    assert all(by_number[n]["start"] == "1.00" for n in EXTERNAL - {5})  # default until recorded
    assert by_number[1]["aspect"] == "AS1"
    assert sum(Decimal(i["weight"]) for i in model["items"]) == 100
    assert "1,00" in model["invalid"] and "5,00" in model["invalid"]
    assert len(response.context["aspect_names"]) == 7 and not response.context["domain_names"]


def test_the_chosen_series_sets_the_starting_values(client: Client, pemdi_period, viewer) -> None:
    client.force_login(viewer)
    model = client.get(url(pemdi_period, "validated")).context["model"]
    starts = {
        Assessment.objects.get(pk=i["id"]).indicator.number: i["start"] for i in model["items"]
    }
    assert starts[1] == "3.05"
    assert starts[5] == "2.50"  # an external index counts at its result in every series
    assert starts[2] == "1.00"


def test_rows_are_decimal_inputs_in_indonesian_format_with_external_indices_marked(
    client: Client, pemdi_period, viewer
) -> None:
    client.force_login(viewer)
    html = client.get(url(pemdi_period)).content.decode()
    inputs = re.findall(r"<input[^>]*data-sim-item[^>]*>", html)
    assert len(inputs) == 20
    assert all('inputmode="decimal"' in i and 'class="sim-value"' in i for i in inputs)
    assert any('value="1,26"' in i for i in inputs)
    assert any('value="2,50"' in i for i in inputs)
    assert '<select id="sim_' not in html
    assert html.count('data-testid="external-index"') == len(EXTERNAL)
    assert "EPSS" in html  # the issuing agency's index is named
    assert html.count("data-sim-error=") == 20
    assert html.count("data-sim-aspect=") == 7
    assert 'data-sim="exact"' in html


def test_no_inline_script(client: Client, pemdi_period, viewer) -> None:
    client.force_login(viewer)
    html = client.get(url(pemdi_period)).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "simulator.js" in html and 'id="simulator-model"' in html


def test_a_whole_level_period_keeps_its_level_selects(client: Client, period, viewer) -> None:
    client.force_login(viewer)
    response = client.get(url(period))
    model = response.context["model"]
    assert model["decimal"] is False and model["rounding"] == "half_up"
    assert not response.context["aspect_names"]
    html = response.content.decode()
    assert '<select id="sim_' in html and 'inputmode="decimal"' not in html
    assert 'data-sim="exact"' not in html
