"""Permission tests of every analysis page: anonymous, other agency, read-only, writer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from padu.databank.models import ApiToken, Dashboard
from padu.databank.services_analysis import create_token

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

READ_PAGES = ["databank:pivot", "databank:charts", "databank:map", "databank:dashboard_list"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_read_pages(client, name, analysis_data, viewer, outsider) -> None:
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to login
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    client.force_login(outsider)  # other agency: sees only its own (empty) data
    response = client.get(url)
    assert response.status_code == 200
    assert b"Jumlah kelahiran" not in response.content


def test_pivot_shows_figures_and_exports_safe_csv(client, analysis_data, viewer) -> None:
    births = analysis_data["births"]
    births.name = "=HYPERLINK(1)"
    births.save()
    client.force_login(viewer)
    query = f"?elements={births.pk}&level=2&period_type=yearly&start=2025&end=2025"
    response = client.get(reverse("databank:pivot") + query)
    assert b"13" in response.content
    body = client.get(reverse("databank:pivot") + query + "&format=csv").content.decode()
    assert "'=HYPERLINK(1)" in body and ",13" in body


def test_charts_and_map_render_svg(client, analysis_data, viewer) -> None:
    client.force_login(viewer)
    q = f"?elements={analysis_data['births'].pk}&level=4&period_type=monthly&start=202501&end=202503"
    assert b'data-testid="trend-chart"' in client.get(reverse("databank:charts") + q).content
    page = client.get(reverse("databank:map") + q).content
    assert b'data-testid="map-table"' in page and b"region-map" not in page


def test_boundary_upload_only_for_custodian(client, agency, viewer, data_custodian) -> None:
    url = reverse("databank:boundary_upload")
    assert client.get(url).status_code == 302
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    client.force_login(data_custodian)
    assert client.get(url).status_code == 200


@pytest.fixture
def board(agency, units, analysis_data, data_custodian) -> Dashboard:
    d = Dashboard.objects.create(agency=agency, unit=units["dinkes"], name="Dasbor Dinkes")
    d.elements.set([analysis_data["births"]])
    return d


@pytest.fixture
def dinkes_producer(agency, units):
    from conftest import make_user
    from padu.accounts.choices import Role

    return make_user("produsen.dinkes", (agency, Role.DATA_PRODUCER, units["dinkes"], None))


def test_dashboard_detail_permissions(client, board, viewer, outsider) -> None:
    url = reverse("databank:dashboard_detail", args=[board.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200 and b"Jumlah kelahiran" in response.content
    assert client.get(reverse("databank:dashboard_edit", args=[board.pk])).status_code == 403
    assert client.get(reverse("databank:dashboard_create")).status_code == 403
    assert client.post(reverse("databank:dashboard_delete", args=[board.pk])).status_code == 403


def test_producer_creates_and_edits_own_dashboard(
    client, agency, units, analysis_data, dinkes_producer, board
) -> None:
    client.force_login(dinkes_producer)
    births, pop = analysis_data["births"], analysis_data["population"]
    response = client.post(
        reverse("databank:dashboard_create"),
        {"name": "Kesehatan", "unit": units["dinkes"].pk, "elements": [births.pk, pop.pk]},
    )
    created = Dashboard.objects.get(name="Kesehatan")
    assert response.status_code == 302 and created.elements.count() == 2
    edit = reverse("databank:dashboard_edit", args=[board.pk])
    response = client.post(edit, {"name": "Baru", "unit": units["dinkes"].pk, "elements": [pop.pk]})
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.name == "Baru"
    other = Dashboard.objects.create(agency=agency, unit=units["disdik"], name="Disdik")
    assert client.get(reverse("databank:dashboard_edit", args=[other.pk])).status_code == 403


def test_token_pages(client, agency, viewer, outsider, data_custodian) -> None:
    issued = create_token(
        agency=agency, actor=data_custodian, name="SIMPUS", scopes=["values:read"]
    )
    revoke = reverse("databank:token_revoke", args=[issued.token.pk])
    for name in ("databank:token_list", "databank:token_create"):
        assert client.get(reverse(name)).status_code == 302
    client.force_login(viewer)
    assert client.get(reverse("databank:token_list")).status_code == 403
    assert client.post(revoke).status_code == 403
    client.force_login(outsider)
    assert client.post(revoke).status_code == 404
    client.force_login(data_custodian)
    assert b"SIMPUS" in client.get(reverse("databank:token_list")).content
    response = client.post(
        reverse("databank:token_create"), {"name": "Dasbor", "scopes": ["metadata:read"]}
    )
    token = ApiToken.objects.get(name="Dasbor")
    assert (
        token.prefix.encode() in response.content and b'data-testid="token-key"' in response.content
    )
    assert token.key_hash not in response.content.decode()
    assert client.post(revoke).status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
