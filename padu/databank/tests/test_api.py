"""Data bank API: permission matrix, token scopes and lifecycle, filters, keyset pages, CSV."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from padu.databank.models import ApiToken
from padu.databank.services_analysis import create_token, revoke_token

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

VALUES, AGGS, ELEMENTS = (
    "/api/v1/data/values/",
    "/api/v1/data/aggregates/",
    "/api/v1/data/elements/",
)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _token(agency, user, scopes=("metadata:read", "values:read"), **kw) -> str:
    return create_token(agency=agency, actor=user, name="app", scopes=list(scopes), **kw).key


def _codes(response) -> set[str]:
    return {
        row["element"] if "element" in row else row["code"] for row in response.json()["results"]
    }


def test_anonymous_is_refused(api, analysis_data) -> None:
    for url in (VALUES, AGGS, ELEMENTS, "/api/v1/data/datasets/", "/api/v1/data/disaggregations/"):
        assert api.get(url).status_code == 401


def test_session_user_without_role_and_other_agency(api, analysis_data, outsider, viewer) -> None:
    api.force_login(outsider)
    assert api.get(VALUES).json()["results"] == []
    assert api.get(ELEMENTS).json()["results"] == []
    api.force_login(viewer)
    assert len(api.get(VALUES).json()["results"]) == 16
    assert api.post(VALUES, {}).status_code in (403, 405)


def test_other_agency_token_sees_nothing(api, analysis_data, other_agency, outsider) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token " + _token(other_agency, outsider))
    assert api.get(VALUES).json()["results"] == []
    assert api.get(AGGS).json()["results"] == []


def test_token_scopes_and_closed_data(api, agency, analysis_data, data_custodian) -> None:
    api.credentials(
        HTTP_AUTHORIZATION="Bearer " + _token(agency, data_custodian, ["metadata:read"])
    )
    assert api.get(ELEMENTS).status_code == 200
    assert api.get(VALUES).status_code == 403
    api.credentials(HTTP_AUTHORIZATION="Token " + _token(agency, data_custodian))
    births = analysis_data["births"]
    births.access_class = "tertutup"
    births.save()
    assert "LAHIR" not in _codes(api.get(ELEMENTS))
    assert "LAHIR" not in _codes(api.get(VALUES))
    assert api.get(VALUES, {"element": "PDD"}).json()["results"]
    assert ApiToken.objects.filter(last_used_at__isnull=False).exists()


def test_no_token_is_offered_a_write_scope_the_read_only_api_could_not_use(
    agency, data_custodian
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _token(agency, data_custodian, ["values:write"])
    assert not ApiToken.objects.exists()


def test_bad_expired_and_revoked_tokens(api, agency, analysis_data, data_custodian) -> None:
    key = _token(agency, data_custodian)
    api.credentials(HTTP_AUTHORIZATION="Token " + key + "x")
    assert api.get(VALUES).status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token nothing")
    assert api.get(VALUES).status_code == 401
    past = timezone.now() - datetime.timedelta(days=1)
    api.credentials(HTTP_AUTHORIZATION="Token " + _token(agency, data_custodian, expires_at=past))
    assert api.get(VALUES).status_code == 401
    token = ApiToken.objects.get(prefix=key.split(".")[0])
    revoke_token(token=token, actor=data_custodian)
    api.credentials(HTTP_AUTHORIZATION="Token " + key)
    assert api.get(VALUES).status_code == 401


def test_filters(api, analysis_data, viewer) -> None:
    api.force_login(viewer)

    def rows(url: str, **params: str) -> list[dict]:
        return api.get(url, params).json()["results"]

    assert {r["value"] for r in rows(VALUES, element="LAHIR", region="74.71.10.1001")} == {
        "5.000000",
        "1.000000",
    }
    city = rows(AGGS, element="LAHIR", level="2", period="2025")
    assert [(r["region"], r["value"]) for r in city] == [("74.71", "13.000000")]
    under = rows(AGGS, element="LAHIR", under="74.71.01", period_type="quarterly")
    assert {r["region"] for r in under} == {"74.71.01", "74.71.01.1001"}
    months = rows(VALUES, element="LAHIR", **{"from": "202502", "to": "2025Q1"})
    assert sorted(r["period"] for r in months) == ["202502", "202502", "202503"]
    assert rows(VALUES, **{"from": "bogus"}) == []


def test_keyset_pagination(api, analysis_data, viewer) -> None:
    api.force_login(viewer)
    first = api.get(VALUES, {"page_size": 5}).json()
    assert "cursor=" in first["next"] and "offset" not in first["next"]
    second = api.get(first["next"]).json()
    ids = [r["id"] for r in first["results"]] + [r["id"] for r in second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 10


def test_csv_output_neutralises_formulas(api, analysis_data, viewer) -> None:
    births = analysis_data["births"]
    births.code = "LAHIR"
    births.name = "@SUM(A1)"
    births.save()
    api.force_login(viewer)
    response = api.get(ELEMENTS, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "'@SUM(A1)" in body and body.splitlines()[0].startswith("id,code,name")
    response = api.get(VALUES, {"page_size": 2}, HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv") and 'rel="next"' in response["Link"]
    assert len(response.content.decode().splitlines()) == 3


def test_metadata_endpoints(api, analysis_data, dataset, viewer) -> None:
    api.force_login(viewer)
    combos = {c["code"]: c for c in api.get("/api/v1/data/disaggregations/").json()["results"]}
    assert [c["code"] for c in combos["JK"]["cells"]] == ["L", "P"] and "default" in combos
    (ds,) = api.get("/api/v1/data/datasets/").json()["results"]
    assert set(ds["elements"]) == {"PDD", "LAHIR", "IMUN"}
    assert _codes(api.get(ELEMENTS, {"dataset": "KEPENDUDUKAN"})) == {"PDD", "LAHIR", "IMUN"}
