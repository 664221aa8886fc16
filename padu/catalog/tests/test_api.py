"""Catalog API: same scopes and rules as the pages; writes go through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from padu.catalog.models import Application, Integration, Proposal, Service

from .register_helpers import make_app, make_reference, make_service

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog/"
KINDS = ["applications", "services", "integrations", "proposals"]


@pytest.fixture
def register(agency, units, other_agency, other_unit) -> dict[str, object]:
    make_reference()
    simpus = make_app(agency, units["dinkes"], "SIMPUS")
    ppdb = make_app(agency, units["disdik"], "PPDB")
    make_app(other_agency, other_unit, "Aplikasi Konsel")
    service = make_service(agency, units["dinkes"])
    service.applications.add(simpus)
    integration = Integration.objects.create(
        agency=agency, provider=ppdb, consumer=simpus, method="splp", data_exchanged="NIK"
    )
    proposal = Proposal.objects.create(
        agency=agency,
        unit=units["dinkes"],
        title="Aplikasi Gizi",
        problem="Data gizi tercecer",
        budget_year=2027,
        budget_amount=100_000_000,
    )
    return {
        "simpus": simpus,
        "ppdb": ppdb,
        "service": service,
        "integration": integration,
        "proposal": proposal,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_gets_403(client: Client, register, kind) -> None:
    assert client.get(f"{BASE}{kind}/").status_code == 403


@pytest.mark.parametrize("kind", KINDS)
def test_lists_are_scoped_to_the_agency(client: Client, register, outsider, viewer, kind) -> None:
    client.force_login(viewer)
    body = client.get(f"{BASE}{kind}/").json()
    ours = {r["id"] for r in body["results"]}
    assert ours and "next" in body
    client.force_login(outsider)
    theirs = {r["id"] for r in client.get(f"{BASE}{kind}/").json()["results"]}
    assert not ours & theirs


def test_other_agency_gets_404_on_an_application(client: Client, register, outsider) -> None:
    client.force_login(outsider)
    assert client.get(f"{BASE}applications/{register['simpus'].pk}/").status_code == 404
    response = client.patch(
        f"{BASE}applications/{register['simpus'].pk}/",
        {"name": "X"},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)


def test_application_list_filters_and_shows_codes(client: Client, register, viewer, units) -> None:
    register["simpus"].reference_codes.add(*make_codes())
    client.force_login(viewer)
    rows = client.get(f"{BASE}applications/", {"unit": units["dinkes"].pk}).json()["results"]
    assert [r["name"] for r in rows] == ["SIMPUS"]
    assert rows[0]["reference_codes"] == ["RAL.02.04"]
    rows = client.get(f"{BASE}applications/", {"q": "ppdb"}).json()["results"]
    assert [r["name"] for r in rows] == ["PPDB"]


def make_codes():
    from padu.catalog.models import ReferenceCode

    return list(ReferenceCode.objects.filter(code="RAL.02.04"))


@pytest.mark.parametrize("kind", KINDS)
def test_read_only_viewer_may_not_write(client: Client, register, viewer, kind) -> None:
    client.force_login(viewer)
    assert client.post(f"{BASE}{kind}/", {}, content_type="application/json").status_code == 403


def _new_app(unit_id: int, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "e-Posyandu",
        "description": "Posyandu",
        "owner_unit": unit_id,
        "kind": "khusus",
        "category": "layanan_publik",
        "reference_codes": ["RAL.02.04"],
        "contacts": [{"role": "pic", "name": "Budi"}],
    }
    data.update(extra)
    return data


def test_admin_opd_creates_for_own_opd_only(client: Client, register, dinkes_admin, units) -> None:
    client.force_login(dinkes_admin)
    url = f"{BASE}applications/"
    response = client.post(url, _new_app(units["disdik"].pk), content_type="application/json")
    assert response.status_code == 400 and "owner_unit" in response.json()
    response = client.post(url, _new_app(units["dinkes"].pk), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference_codes"] == ["RAL.02.04"] and body["contacts"][0]["name"] == "Budi"
    bad = client.post(
        url,
        _new_app(units["dinkes"].pk, name="X", reference_codes=["RAL.77"]),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "RAL.77" in str(bad.json())
    ppdb = register["ppdb"]
    response = client.patch(
        f"{BASE}applications/{ppdb.pk}/", {"name": "Y"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_coordinator_updates_through_the_service(client: Client, register, coordinator) -> None:
    client.force_login(coordinator)
    ppdb = register["ppdb"]
    response = client.patch(
        f"{BASE}applications/{ppdb.pk}/", {"business_fit": 9}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.patch(
        f"{BASE}applications/{ppdb.pk}/", {"business_fit": 4}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=ppdb.pk).business_fit == 4


def test_services_and_integrations_are_written_with_checks(
    client: Client, register, coordinator, units
) -> None:
    client.force_login(coordinator)
    simpus, ppdb = register["simpus"], register["ppdb"]
    response = client.post(
        f"{BASE}services/",
        {
            "name": "Imunisasi",
            "kind": "publik",
            "description": "Imunisasi anak",
            "owner_unit": units["dinkes"].pk,
            "applications": [simpus.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Service.objects.get(name="Imunisasi").applications.get() == simpus
    self_link = {
        "provider": simpus.pk,
        "consumer": simpus.pk,
        "method": "file",
        "data_exchanged": "x",
    }
    assert (
        client.post(f"{BASE}integrations/", self_link, content_type="application/json").status_code
        == 400
    )
    twice = {"provider": ppdb.pk, "consumer": simpus.pk, "method": "splp", "data_exchanged": "NIK"}
    assert (
        client.post(f"{BASE}integrations/", twice, content_type="application/json").status_code
        == 400
    )
    twice["method"] = "file"
    assert (
        client.post(f"{BASE}integrations/", twice, content_type="application/json").status_code
        == 201
    )


def test_proposals_need_a_problem(client: Client, register, dinkes_admin, units) -> None:
    client.force_login(dinkes_admin)
    data = {
        "unit": units["dinkes"].pk,
        "title": "Aplikasi Baru",
        "problem": " ",
        "budget_year": 2027,
        "budget_amount": "5000000",
    }
    assert (
        client.post(f"{BASE}proposals/", data, content_type="application/json").status_code == 400
    )
    data["problem"] = "Antrean panjang"
    response = client.post(f"{BASE}proposals/", data, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
