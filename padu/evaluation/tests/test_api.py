"""Evaluation API: permission cases first (anonymous, another agency, read-only), then data."""

from __future__ import annotations

from django.test import Client

from padu.evaluation.models import Assessment


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
