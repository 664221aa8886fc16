"""API permission cases first (anonymous, another agency, read-only, writer), then behaviour."""

from __future__ import annotations

from django.test import Client

from padu.organizations.models import Unit


def test_anonymous_cannot_read_units_or_regions(client: Client, units) -> None:
    assert client.get("/api/v1/units/").status_code == 403
    assert client.get("/api/v1/regions/").status_code == 403


def test_user_of_another_agency_sees_only_their_own_units(
    client: Client, units, other_unit, outsider
) -> None:
    client.force_login(outsider)
    response = client.get("/api/v1/units/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {other_unit.pk}
    assert client.get(f"/api/v1/units/{units['dinkes'].pk}/").status_code == 404


def test_read_only_member_lists_agency_units(client: Client, units, viewer) -> None:
    client.force_login(viewer)
    response = client.get("/api/v1/units/?kind=dinas")
    assert response.status_code == 200
    names = sorted(row["acronym"] for row in response.json()["results"])
    assert names == ["Dinkes", "Disdikbud", "Diskominfo"]


def test_api_is_read_only_even_for_agency_admin(client: Client, units, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/units/", {"name": "Dinas Baru", "kind": "dinas"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert not Unit.objects.filter(name="Dinas Baru").exists()


def test_regions_filter_by_parent_and_within(client: Client, regions, viewer) -> None:
    client.force_login(viewer)
    children = client.get("/api/v1/regions/?parent=74.71").json()["results"]
    assert [r["code"] for r in children] == ["74.71.01", "74.71.10"]
    within = client.get("/api/v1/regions/?within=74.71&level=4").json()["results"]
    assert [r["code"] for r in within] == ["74.71.01.1001", "74.71.10.1001"]
    detail = client.get("/api/v1/regions/74.71.10.1001/").json()
    assert detail == {
        "code": "74.71.10.1001",
        "name": "Kambu",
        "level": 4,
        "kind": "kelurahan",
        "parent": "74.71.10",
    }


def test_region_pages_are_keyed_by_cursor_not_offset(client: Client, regions, viewer) -> None:
    client.force_login(viewer)
    first = client.get("/api/v1/regions/?page_size=3").json()
    assert len(first["results"]) == 3
    assert "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert second["results"][0]["code"] > first["results"][-1]["code"]


def test_schema_is_served(client: Client, viewer) -> None:
    client.force_login(viewer)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/regions/" in response.content
