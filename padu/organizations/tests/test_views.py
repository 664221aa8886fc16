"""Unit, region and agency pages.

Permission cases first for every view (anonymous, another agency, read-only, writer), then
validation and behaviour.
"""

from __future__ import annotations

import csv
import io
import os
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from padu.accounts.models import User
from padu.audit.models import AuditAction, AuditEvent
from padu.organizations.choices import RegionKind, RegionLevel, UnitKind
from padu.organizations.models import Agency, Region, Unit


def assert_redirects_to_login(response: Any, next_url: str) -> None:
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={quote(next_url, safe='/')}"


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def audit_rows(action: str, object_type: str) -> Any:
    return AuditEvent.objects.filter(action=action, object_type=object_type)


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def big_png_bytes() -> bytes:
    """A real PNG over 1 MB: random pixels do not compress."""
    side = 700
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) > 1024 * 1024
    return data


# --- unit list --------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_unit_list(client: Client, units: dict[str, Unit]) -> None:
    url = reverse("organizations:unit_list")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.get(url, {"format": "csv"}), f"{url}?format=csv")


def test_unit_list_of_another_agency_shows_only_its_own_units(
    client: Client, units: dict[str, Unit], other_unit: Unit, outsider: User
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 200
    assert [u.pk for u in response.context["page"]] == [other_unit.pk]
    for name in (b"Dinas Komunikasi dan Informatika", b"Inspektorat Daerah", b"Kecamatan Kambu"):
        assert name not in response.content
    rows = csv_rows(client.get(reverse("organizations:unit_list"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Dinas Kesehatan"]


def test_read_only_member_lists_units_without_the_add_link(
    client: Client, units: dict[str, Unit], viewer: User
) -> None:
    client.force_login(viewer)
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 5
    assert response.context["can_manage"] is False
    assert reverse("organizations:unit_create").encode() not in response.content
    assert reverse("organizations:unit_edit", args=[units["dinkes"].pk]).encode() not in (
        response.content
    )


def test_unit_admin_of_one_opd_reads_the_unit_list_but_cannot_manage_it(
    client: Client, units: dict[str, Unit], dinkes_admin: User
) -> None:
    client.force_login(dinkes_admin)
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 200
    assert reverse("organizations:unit_create").encode() not in response.content


def test_agency_admin_lists_units_with_add_and_edit_links(
    client: Client, units: dict[str, Unit], other_unit: Unit, admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 200
    assert other_unit.pk not in {u.pk for u in response.context["page"]}
    assert reverse("organizations:unit_create").encode() in response.content
    assert reverse("organizations:unit_edit", args=[units["dinkes"].pk]).encode() in (
        response.content
    )


def test_user_without_any_agency_cannot_open_unit_list(client: Client, units: object) -> None:
    loner = User.objects.create_user(username="tanpa.instansi", password="x-long-password-1")
    client.force_login(loner)
    assert client.get(reverse("organizations:unit_list")).status_code == 403


def test_unit_list_filters_sorts_and_hides_inactive_units_by_default(
    client: Client, units: dict[str, Unit], viewer: User
) -> None:
    Unit.objects.filter(pk=units["inspektorat"].pk).update(is_active=False)
    client.force_login(viewer)
    url = reverse("organizations:unit_list")

    def acronyms(**params: str) -> list[str]:
        return [u.acronym for u in client.get(url, params).context["page"]]

    assert "Inspektorat" not in acronyms()
    assert acronyms(active="0") == ["Inspektorat"]
    assert len(acronyms(active="all")) == 5
    assert acronyms(kind=UnitKind.DINAS, sort="-acronym") == ["Diskominfo", "Disdikbud", "Dinkes"]
    assert acronyms(q="kesehatan") == ["Dinkes"]
    assert client.get(url, {"sort": "agency__name", "kind": "bogus"}).status_code == 200


def test_unit_list_csv_holds_the_agency_units(
    client: Client, units: dict[str, Unit], other_unit: Unit, viewer: User
) -> None:
    client.force_login(viewer)
    rows = csv_rows(client.get(reverse("organizations:unit_list"), {"format": "csv"}))
    assert len(rows) == 6
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {u.name for u in units.values()}
    assert by_name["Kecamatan Kambu"][1] == "Kec. Kambu"
    assert by_name["Kecamatan Kambu"][4] == "74.71.10 Kambu"


# A fixed number per request; the same bound for 5 and 20 units shows nothing runs per unit.
UNIT_LIST_MAX_QUERIES = 6
UNIT_CSV_MAX_QUERIES = 4


@pytest.mark.parametrize("count", [5, 20])
def test_unit_list_query_count_does_not_grow_with_units(
    client: Client,
    agency: Agency,
    units: dict[str, Unit],
    regions: dict[str, Region],
    admin_user: User,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    for i in range(count):
        Unit.objects.create(
            agency=agency,
            name=f"UPTD Puskesmas {i:02d}",
            kind=UnitKind.UPTD,
            parent=units["dinkes"],
            region=regions["kel_kambu"],
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(UNIT_LIST_MAX_QUERIES):
        response = client.get(reverse("organizations:unit_list"))
    assert len(response.context["page"]) == count + 5
    with django_assert_max_num_queries(UNIT_CSV_MAX_QUERIES):
        rows = csv_rows(client.get(reverse("organizations:unit_list"), {"format": "csv"}))
    assert len(rows) == count + 6


# --- unit create ------------------------------------------------------------------------

NEW_UNIT = {
    "name": "Dinas Perhubungan",
    "acronym": "Dishub",
    "kind": UnitKind.DINAS,
    "parent": "",
    "region": "",
    "is_active": "on",
}


def test_anonymous_is_sent_to_login_from_unit_create(client: Client, units: object) -> None:
    url = reverse("organizations:unit_create")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url, NEW_UNIT), url)
    assert not Unit.objects.filter(name="Dinas Perhubungan").exists()


def test_admin_of_another_agency_adds_units_only_to_their_own_agency(
    client: Client, units: dict[str, Unit], other_agency: Agency, outsider: User
) -> None:
    client.force_login(outsider)
    # A parent from this agency, given by pk, is not one of the choices.
    response = client.post(
        reverse("organizations:unit_create"), {**NEW_UNIT, "parent": units["dinkes"].pk}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Unit.objects.filter(name="Dinas Perhubungan").exists()
    response = client.post(reverse("organizations:unit_create"), NEW_UNIT)
    assert response.status_code == 302
    assert Unit.objects.get(name="Dinas Perhubungan").agency == other_agency


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "coordinator"])
def test_non_admin_members_cannot_add_units(
    client: Client, units: object, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("organizations:unit_create")).status_code == 403
    assert client.post(reverse("organizations:unit_create"), NEW_UNIT).status_code == 403
    assert not Unit.objects.filter(name="Dinas Perhubungan").exists()


def test_admin_adds_a_unit_and_it_is_audited(
    client: Client, units: dict[str, Unit], agency: Agency, admin_user: User
) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("organizations:unit_create")).status_code == 200
    response = client.post(
        reverse("organizations:unit_create"), {**NEW_UNIT, "parent": units["diskominfo"].pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("organizations:unit_list")
    unit = Unit.objects.get(name="Dinas Perhubungan")
    assert (unit.agency, unit.parent, unit.acronym) == (agency, units["diskominfo"], "Dishub")
    event = audit_rows(AuditAction.CREATE, "organizations.unit").get(object_id=str(unit.pk))
    assert event.agency == agency
    assert event.actor == admin_user


def test_admin_adds_a_kecamatan_office_with_its_area(
    client: Client, units: object, regions: dict[str, Region], admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("organizations:unit_create"),
        {
            **NEW_UNIT,
            "name": "Kecamatan Mandonga",
            "kind": UnitKind.KECAMATAN,
            "region": regions["mandonga"].code,
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Kecamatan Mandonga").region == regions["mandonga"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "bogus"}, "kind"),
        ({"parent": "other_unit"}, "parent"),
        ({"parent": "999999"}, "parent"),
        ({"region": "74.05.01"}, "region"),
        ({"kind": UnitKind.KECAMATAN}, "region"),
        ({"name": "Dinas Kesehatan"}, "name"),
    ],
)
def test_unit_create_with_bad_input_shows_the_error_and_adds_nothing(
    client: Client,
    units: dict[str, Unit],
    other_unit: Unit,
    regions: dict[str, Region],
    admin_user: User,
    changes: dict[str, str],
    field: str,
) -> None:
    if changes.get("parent") == "other_unit":
        changes = {**changes, "parent": str(other_unit.pk)}
    client.force_login(admin_user)
    before = Unit.objects.count()
    response = client.post(reverse("organizations:unit_create"), {**NEW_UNIT, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Unit.objects.count() == before
    assert not audit_rows(AuditAction.CREATE, "organizations.unit").exists()


# --- unit edit --------------------------------------------------------------------------


def _unit_data(unit: Unit, **changes: Any) -> dict[str, Any]:
    data = {
        "name": unit.name,
        "acronym": unit.acronym,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "region": unit.region_id or "",
        "is_active": "on" if unit.is_active else "",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login_from_unit_edit(client: Client, units: dict[str, Unit]) -> None:
    url = reverse("organizations:unit_edit", args=[units["dinkes"].pk])
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url, _unit_data(units["dinkes"], name="X")), url)
    assert Unit.objects.get(pk=units["dinkes"].pk).name == "Dinas Kesehatan"


def test_admin_of_another_agency_cannot_reach_this_agencys_units(
    client: Client, units: dict[str, Unit], other_unit: Unit, outsider: User
) -> None:
    client.force_login(outsider)
    dinkes = units["dinkes"]
    url = reverse("organizations:unit_edit", args=[dinkes.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _unit_data(dinkes, name="Dibajak")).status_code == 404
    assert Unit.objects.get(pk=dinkes.pk).name == "Dinas Kesehatan"
    own = reverse("organizations:unit_edit", args=[other_unit.pk])
    assert client.get(own).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin"])
def test_non_admin_members_may_not_edit_units(
    client: Client, units: dict[str, Unit], persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    dinkes = units["dinkes"]
    url = reverse("organizations:unit_edit", args=[dinkes.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _unit_data(dinkes, name="Dibajak")).status_code == 403
    assert Unit.objects.get(pk=dinkes.pk).name == "Dinas Kesehatan"


def test_admin_edits_a_unit_and_the_change_is_audited(
    client: Client, units: dict[str, Unit], agency: Agency, admin_user: User
) -> None:
    client.force_login(admin_user)
    dinkes = units["dinkes"]
    url = reverse("organizations:unit_edit", args=[dinkes.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _unit_data(dinkes, acronym="Diskes", is_active=""))
    assert response.status_code == 302
    dinkes.refresh_from_db()
    assert (dinkes.acronym, dinkes.is_active) == ("Diskes", False)
    event = audit_rows(AuditAction.UPDATE, "organizations.unit").get(object_id=str(dinkes.pk))
    assert event.agency == agency
    assert event.before == {"acronym": "Dinkes", "is_active": True}
    assert event.after == {"acronym": "Diskes", "is_active": False}


def test_unit_edit_refuses_a_parent_loop(
    client: Client, units: dict[str, Unit], admin_user: User
) -> None:
    Unit.objects.filter(pk=units["dinkes"].pk).update(parent=units["diskominfo"])
    client.force_login(admin_user)
    diskominfo = units["diskominfo"]
    url = reverse("organizations:unit_edit", args=[diskominfo.pk])
    for parent in (units["dinkes"].pk, diskominfo.pk):
        response = client.post(url, _unit_data(diskominfo, parent=parent))
        assert response.status_code == 200
        assert "parent" in response.context["form"].errors
    diskominfo.refresh_from_db()
    assert diskominfo.parent is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"parent": "other_unit"}, "parent"),
        ({"region": "74.05"}, "region"),
        ({"name": "Dinas Pendidikan dan Kebudayaan"}, "name"),
    ],
)
def test_unit_edit_with_bad_input_shows_the_error_and_changes_nothing(
    client: Client,
    units: dict[str, Unit],
    other_unit: Unit,
    regions: dict[str, Region],
    admin_user: User,
    changes: dict[str, str],
    field: str,
) -> None:
    if changes.get("parent") == "other_unit":
        changes = {**changes, "parent": str(other_unit.pk)}
    client.force_login(admin_user)
    dinkes = units["dinkes"]
    response = client.post(
        reverse("organizations:unit_edit", args=[dinkes.pk]),
        _unit_data(dinkes, acronym="Berubah", **changes),
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    dinkes.refresh_from_db()
    assert (dinkes.name, dinkes.acronym) == ("Dinas Kesehatan", "Dinkes")
    assert not audit_rows(AuditAction.UPDATE, "organizations.unit").exists()


# --- region list ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_region_list(
    client: Client, regions: dict[str, Region]
) -> None:
    url = reverse("organizations:region_list")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.get(url, {"format": "csv"}), f"{url}?format=csv")


def test_region_list_of_another_agency_shows_only_its_own_area(
    client: Client, regions: dict[str, Region], agency: Agency, outsider: User
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("organizations:region_list"))
    assert response.status_code == 200
    assert [r.code for r in response.context["children"]] == ["74.05.01"]
    assert b"Mandonga" not in response.content
    assert b"Kambu" not in response.content
    rows = csv_rows(client.get(reverse("organizations:region_list"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["74.05.01"]
    # Another agency's area cannot be opened by code.
    for code in ("74.71", "74.71.10", "74"):
        assert client.get(reverse("organizations:region_list"), {"parent": code}).status_code == 404


def test_read_only_member_browses_the_agency_regions(
    client: Client, regions: dict[str, Region], viewer: User
) -> None:
    client.force_login(viewer)
    response = client.get(reverse("organizations:region_list"))
    assert response.status_code == 200
    assert response.context["parent"] == regions["kendari"]
    assert [(r.code, r.child_count) for r in response.context["children"]] == [
        ("74.71.01", 1),
        ("74.71.10", 1),
    ]
    assert b"Tinanggea" not in response.content
    response = client.get(reverse("organizations:region_list"), {"parent": "74.71.10"})
    assert [r.code for r in response.context["children"]] == ["74.71.10.1001"]
    assert [r.code for r in response.context["ancestors"]] == ["74.71", "74.71.10"]
    assert client.get(reverse("organizations:region_list"), {"parent": "74.05"}).status_code == 404


def test_agency_admin_browses_regions_too(
    client: Client, regions: dict[str, Region], admin_user: User
) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("organizations:region_list")).status_code == 200


def test_user_without_any_agency_cannot_open_region_list(
    client: Client, regions: dict[str, Region]
) -> None:
    loner = User.objects.create_user(username="tanpa.instansi", password="x-long-password-1")
    client.force_login(loner)
    assert client.get(reverse("organizations:region_list")).status_code == 403


def test_region_list_csv_holds_the_children_of_the_chosen_region(
    client: Client, regions: dict[str, Region], viewer: User
) -> None:
    client.force_login(viewer)
    rows = csv_rows(client.get(reverse("organizations:region_list"), {"format": "csv"}))
    assert [(r[0], r[1]) for r in rows[1:]] == [("74.71.01", "Mandonga"), ("74.71.10", "Kambu")]
    rows = csv_rows(
        client.get(reverse("organizations:region_list"), {"format": "csv", "parent": "74.71.01"})
    )
    assert [(r[0], r[1]) for r in rows[1:]] == [("74.71.01.1001", "Alolama")]


# Fixed per request: the breadcrumb walks up the tree, not across the children.
REGION_LIST_MAX_QUERIES = 9


@pytest.mark.parametrize("count", [5, 20])
def test_region_list_query_count_does_not_grow_with_regions(
    client: Client,
    regions: dict[str, Region],
    viewer: User,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    Region.objects.bulk_create(
        Region(
            code=f"74.71.10.{2001 + i}",
            name=f"Kelurahan {i:02d}",
            level=RegionLevel.VILLAGE,
            kind=RegionKind.KELURAHAN,
            parent=regions["kambu"],
        )
        for i in range(count)
    )
    client.force_login(viewer)
    with django_assert_max_num_queries(REGION_LIST_MAX_QUERIES):
        response = client.get(reverse("organizations:region_list"), {"parent": "74.71.10"})
    assert len(response.context["children"]) == count + 1


# --- agency settings and logo -----------------------------------------------------------


def _agency_data(agency: Agency, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": agency.name, "timezone": agency.timezone}
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login_from_agency_settings(client: Client, agency: Agency) -> None:
    url = reverse("organizations:agency_edit")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url, _agency_data(agency, name="X")), url)
    agency.refresh_from_db()
    assert agency.name == "Pemerintah Kota Kendari"


def test_admin_of_another_agency_edits_only_their_own_agency(
    client: Client, agency: Agency, other_agency: Agency, outsider: User
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("organizations:agency_edit"))
    assert response.status_code == 200
    assert response.context["form"].instance == other_agency
    response = client.post(
        reverse("organizations:agency_edit"),
        _agency_data(other_agency, name="Pemkab Konawe Selatan"),
    )
    assert response.status_code == 302
    other_agency.refresh_from_db()
    agency.refresh_from_db()
    assert other_agency.name == "Pemkab Konawe Selatan"
    assert agency.name == "Pemerintah Kota Kendari"


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "coordinator", "leader"])
def test_non_admin_members_cannot_change_agency_settings(
    client: Client, agency: Agency, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    url = reverse("organizations:agency_edit")
    assert client.get(url).status_code == 403
    assert client.post(url, _agency_data(agency, name="Dibajak")).status_code == 403
    agency.refresh_from_db()
    assert agency.name == "Pemerintah Kota Kendari"


def test_admin_changes_agency_settings_and_the_change_is_audited(
    client: Client, agency: Agency, admin_user: User
) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("organizations:agency_edit")).status_code == 200
    response = client.post(
        reverse("organizations:agency_edit"),
        _agency_data(agency, name="Pemkot Kendari", timezone="Asia/Jakarta"),
    )
    assert response.status_code == 302
    assert response.url == reverse("organizations:agency_edit")
    agency.refresh_from_db()
    assert (agency.name, agency.timezone) == ("Pemkot Kendari", "Asia/Jakarta")
    event = audit_rows(AuditAction.UPDATE, "organizations.agency").get(object_id=str(agency.pk))
    assert event.agency == agency
    assert event.before == {"name": "Pemerintah Kota Kendari", "timezone": "Asia/Makassar"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Pemerintah Kabupaten Konawe Selatan"}, "name"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": ""}, "timezone"),
    ],
)
def test_agency_settings_with_bad_input_show_field_error_and_change_nothing(
    client: Client,
    agency: Agency,
    other_agency: Agency,
    admin_user: User,
    changes: dict[str, str],
    field: str,
) -> None:
    client.force_login(admin_user)
    response = client.post(reverse("organizations:agency_edit"), _agency_data(agency, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    agency.refresh_from_db()
    assert (agency.name, agency.timezone) == ("Pemerintah Kota Kendari", "Asia/Makassar")
    assert not audit_rows(AuditAction.UPDATE, "organizations.agency").exists()


def test_admin_uploads_a_png_logo_and_members_can_fetch_it(
    client: Client, agency: Agency, admin_user: User, viewer: User
) -> None:
    client.force_login(admin_user)
    png = image_bytes("PNG")
    response = client.post(
        reverse("organizations:agency_edit"),
        {**_agency_data(agency), "logo": SimpleUploadedFile("lambang.png", png, "image/png")},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.logo.name.startswith("agency-logos/")
    event = audit_rows(AuditAction.UPDATE, "organizations.agency").get()
    assert event.after["logo"] == agency.logo.name
    client.force_login(viewer)
    response = client.get(reverse("organizations:agency_logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png
    response.close()


def test_admin_uploads_a_jpeg_logo(client: Client, agency: Agency, admin_user: User) -> None:
    client.force_login(admin_user)
    logo = SimpleUploadedFile("lambang.jpg", image_bytes("JPEG"), "image/jpeg")
    response = client.post(
        reverse("organizations:agency_edit"), {**_agency_data(agency), "logo": logo}
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.logo.name.endswith(".jpg")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("lambang.png", b"bukan gambar, hanya teks biasa\n" * 20),
        ("lambang.svg", SVG),
        ("lambang.png", SVG),
        ("lambang.gif", "gif"),
        ("lambang.png", "big"),
        ("lambang.png", b""),
    ],
    ids=["text-as-png", "svg", "svg-as-png", "gif", "over-1mb", "empty"],
)
def test_bad_logo_is_rejected_with_a_field_error_and_nothing_changes(
    client: Client, agency: Agency, admin_user: User, filename: str, content: bytes | str
) -> None:
    if content == "gif":
        content = image_bytes("GIF")
    elif content == "big":
        content = big_png_bytes()
    assert isinstance(content, bytes)
    client.force_login(admin_user)
    response = client.post(
        reverse("organizations:agency_edit"),
        {
            **_agency_data(agency, name="Tidak Tersimpan"),
            "logo": SimpleUploadedFile(filename, content, "image/png"),
        },
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    agency.refresh_from_db()
    assert agency.name == "Pemerintah Kota Kendari"
    assert not agency.logo
    assert not audit_rows(AuditAction.UPDATE, "organizations.agency").exists()


def test_anonymous_is_sent_to_login_from_agency_logo(client: Client, agency: Agency) -> None:
    agency.logo.save("lambang.png", ContentFile(image_bytes()), save=True)
    url = reverse("organizations:agency_logo")
    assert_redirects_to_login(client.get(url), url)


def test_user_of_another_agency_never_gets_this_agencys_logo(
    client: Client, agency: Agency, outsider: User
) -> None:
    agency.logo.save("lambang.png", ContentFile(image_bytes()), save=True)
    client.force_login(outsider)
    assert client.get(reverse("organizations:agency_logo")).status_code == 404


def test_read_only_member_gets_the_logo_and_404_without_one(
    client: Client, agency: Agency, viewer: User
) -> None:
    client.force_login(viewer)
    assert client.get(reverse("organizations:agency_logo")).status_code == 404
    agency.logo.save("lambang.png", ContentFile(image_bytes()), save=True)
    response = client.get(reverse("organizations:agency_logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    response.close()


def test_user_without_any_agency_cannot_fetch_a_logo(client: Client, agency: Agency) -> None:
    agency.logo.save("lambang.png", ContentFile(image_bytes()), save=True)
    loner = User.objects.create_user(username="tanpa.instansi", password="x-long-password-1")
    client.force_login(loner)
    assert client.get(reverse("organizations:agency_logo")).status_code == 403
