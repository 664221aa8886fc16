"""Evaluation API: permission cases first (anonymous, another agency, read-only), then data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from padu.evaluation.models import Assessment, Period

from .pemdi import ASPECTS_PUBLISHED, WORKED, make_pemdi_period


def test_anonymous_is_refused(client: Client, period) -> None:
    for url in [
        "/api/v1/evaluation/periods/",
        "/api/v1/evaluation/assessments/",
        "/api/v1/evaluation/instruments/",
        "/api/v1/evaluation/evidence/",
    ]:
        assert client.get(url).status_code == 403


def test_another_agency_sees_none_of_this_agencys_data(client: Client, period, outsider) -> None:
    client.force_login(outsider)
    assert client.get("/api/v1/evaluation/periods/").json()["results"] == []
    assert client.get(f"/api/v1/evaluation/periods/{period.pk}/index/").status_code == 404
    a = period.assessments.first()
    assert client.get(f"/api/v1/evaluation/assessments/{a.pk}/").status_code == 404


def test_village_operator_has_no_evaluation_access(
    client: Client, period, village_operator
) -> None:
    client.force_login(village_operator)
    assert client.get("/api/v1/evaluation/assessments/").json()["results"] == []


def test_viewer_reads_assessments_filtered_by_status(client: Client, period, viewer) -> None:
    Assessment.objects.filter(period=period, indicator__number=1).update(
        status="submitted", claimed_level=3
    )
    client.force_login(viewer)
    rows = client.get(
        f"/api/v1/evaluation/assessments/?period={period.pk}&status=submitted"
    ).json()["results"]
    assert [(r["indicator_number"], r["claimed_level"]) for r in rows] == [(1, 3)]


def test_api_is_read_only(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    a = period.assessments.first()
    response = client.patch(
        f"/api/v1/evaluation/assessments/{a.pk}/",
        {"claimed_level": 5},
        content_type="application/json",
    )
    assert response.status_code == 405


def test_index_endpoint_gives_the_three_series(client: Client, period, viewer) -> None:
    Assessment.objects.filter(period=period, indicator__number=1).update(claimed_level=5)
    client.force_login(viewer)
    data = client.get(f"/api/v1/evaluation/periods/{period.pk}/index/").json()
    assert data["self"]["index"] == "3.40"  # (5*60 + 1*40)/100
    assert data["validated"]["index"] == "1.00"
    assert data["self"]["domains"] == {"D1": "3.40"}


def test_instrument_indicators_are_listed(client: Client, period, viewer) -> None:
    client.force_login(viewer)
    rows = client.get(f"/api/v1/evaluation/instruments/{period.instrument.pk}/indicators/").json()
    assert [r["number"] for r in rows] == [1, 2]


# --- Pemdi (8/2026): decimal values, external-index indicators --------------------------


@pytest.fixture
def pemdi_period(agency, units) -> Period:  # type: ignore[no-untyped-def]
    return make_pemdi_period(agency, units["diskominfo"])


def test_another_agency_cannot_read_pemdi_assessments(
    client: Client, pemdi_period: Period, outsider
) -> None:
    client.force_login(outsider)
    a = pemdi_period.assessments.first()
    assert client.get(f"/api/v1/evaluation/assessments/{a.pk}/").status_code == 404
    assert client.get(f"/api/v1/evaluation/periods/{pemdi_period.pk}/index/").status_code == 404


def test_pemdi_assessments_expose_decimal_values_and_the_index_result(
    client: Client, pemdi_period: Period, viewer
) -> None:
    Assessment.objects.filter(period=pemdi_period, indicator__number=1).update(
        claimed_level=2,
        claimed_value=Decimal("2.40"),
        validated_level=2,
        validated_value=Decimal("2.26"),
        validation_reason="Bukti tingkat 3 belum lengkap",
        external_level=1,
        external_value=Decimal("1.17"),
    )
    Assessment.objects.filter(period=pemdi_period, indicator__number=7).update(
        index_value=Decimal("3.34"),
        index_source="EPSS BPS 2026",
        index_date=datetime.date(2026, 9, 30),
    )
    client.force_login(viewer)
    rows = {
        r["indicator_code"]: r
        for r in client.get(f"/api/v1/evaluation/assessments/?period={pemdi_period.pk}").json()[
            "results"
        ]
    }
    ik1, ik7 = rows["IK1"], rows["IK7"]
    assert (ik1["claimed_value"], ik1["validated_value"], ik1["external_value"]) == (
        "2.40",
        "2.26",
        "1.17",
    )
    assert (ik1["claimed_level"], ik1["external_level"]) == (2, 1)
    assert ik1["validation_reason"] == "Bukti tingkat 3 belum lengkap"
    assert ik1["is_external_index"] is False and ik1["index_value"] is None
    assert ik1["counts_as"] == {"self": "2.40", "validated": "2.26", "external": "1.17"}
    assert ik7["is_external_index"] is True and "BPS" in ik7["external_source"]
    assert (ik7["index_value"], ik7["index_source"], ik7["index_date"]) == (
        "3.34",
        "EPSS BPS 2026",
        "2026-09-30",
    )
    assert ik7["counts_as"] == {"self": "3.34", "validated": "3.34", "external": "3.34"}
    assert rows["IK5"]["counts_as"] == {"self": None, "validated": None, "external": None}


def test_pemdi_instrument_and_indicators_expose_scale_rounding_and_external_sources(
    client: Client, pemdi_period: Period, viewer
) -> None:
    client.force_login(viewer)
    instrument = pemdi_period.instrument
    data = client.get(f"/api/v1/evaluation/instruments/{instrument.pk}/").json()
    assert (data["value_scale"], data["rounding"], data["applies_from_year"]) == (
        "decimal",
        "half_even",
        2026,
    )
    rows = {
        r["code"]: r
        for r in client.get(f"/api/v1/evaluation/instruments/{instrument.pk}/indicators/").json()
    }
    assert len(rows) == 20
    assert rows["IK7"]["is_external_index"] is True
    assert rows["IK7"]["external_default"] == "1.00" and "BPS" in rows["IK7"]["external_source"]
    assert rows["IK1"]["is_external_index"] is False and rows["IK1"]["external_default"] is None
    assert rows["IK1"]["weight"] == "5.000"  # IK1 weighs 5 (of 100)


def test_the_pemdi_index_is_rounded_half_to_even_with_exact_values_beside(
    client: Client, pemdi_period: Period, viewer
) -> None:
    for number, value in WORKED.items():
        Assessment.objects.filter(period=pemdi_period, indicator__number=number).update(
            validated_value=Decimal(value), validated_level=int(Decimal(value))
        )
    client.force_login(viewer)
    data = client.get(f"/api/v1/evaluation/periods/{pemdi_period.pk}/index/").json()
    assert data["validated"]["index"] == "1.60" and data["validated"]["index_exact"] == "1.605"
    assert data["validated"]["aspects"] == ASPECTS_PUBLISHED
    assert data["validated"]["aspects_exact"]["AS4"].startswith("1.06666")
    assert data["validated"]["domains"] == {} and data["validated"]["predicate"] == "Cukup"


def test_a_whole_level_instrument_keeps_its_fields_with_empty_values(
    client: Client, period, viewer
) -> None:
    Assessment.objects.filter(period=period, indicator__number=1).update(claimed_level=3)
    client.force_login(viewer)
    row = client.get(f"/api/v1/evaluation/assessments/?period={period.pk}").json()["results"][0]
    assert (row["claimed_level"], row["claimed_value"], row["is_external_index"]) == (
        3,
        None,
        False,
    )
    assert row["counts_as"]["self"] == "3.00"
    data = client.get(f"/api/v1/evaluation/instruments/{period.instrument.pk}/").json()
    assert (data["value_scale"], data["rounding"]) == ("level", "half_up")
