"""The agency administrator's flows: users and roles, units, settings, regions, audit trail."""

from __future__ import annotations

import re
from typing import Any

import pytest

from padu.accounts.models import Membership, User
from padu.audit.models import AuditEvent
from padu.core.demo import DemoLogin
from padu.organizations.models import Agency, Unit

from .conftest import login, shot, t

pytestmark = pytest.mark.browser


def field_error(page: Any, field_id: str) -> Any:
    """The error shown beside a form field (in the same field block)."""
    return page.locator(".field.has-error", has=page.locator(f"#{field_id}")).locator(
        f"#{field_id}_error"
    )


def save(page: Any, label: str = "Save") -> None:
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=t(label)).click()


def test_admin_creates_a_user_gives_them_a_unit_role_and_finds_them_in_list_and_audit(
    page: Any, demo: list[DemoLogin]
) -> None:
    login(page, "admin")
    page.locator("nav.sidenav").get_by_role("link", name=t("Users")).click()
    assert page.locator("main h1").inner_text() == t("Users")
    shot(page, "users")

    page.get_by_role("link", name=t("Add user")).click()
    page.fill("#id_username", "staf.dinkes")
    page.fill("#id_email", "staf.dinkes@kendarikota.go.id")
    save(page)
    assert field_error(page, "id_full_name").inner_text() == t("This field is required.")
    assert page.locator(".field.has-error").count() == 1
    assert page.input_value("#id_username") == "staf.dinkes"  # what was typed is kept
    assert not User.objects.filter(username="staf.dinkes").exists()

    page.fill("#id_full_name", "Sari Staf Dinkes")
    save(page)
    assert re.search(r"/akun/pengguna/\d+/$", page.url)
    assert page.locator("main h1").inner_text() == "Sari Staf Dinkes"
    user = User.objects.get(username="staf.dinkes")

    page.select_option("#id_role", "admin_opd")
    save(page, "Give role")
    assert field_error(page, "id_unit").is_visible()  # a unit administrator needs a unit
    assert not Membership.objects.filter(user=user, role="admin_opd").exists()

    dinkes = Unit.objects.get(agency__slug="kota-kendari", acronym="Dinkes")
    page.select_option("#id_role", "admin_opd")
    page.select_option("#id_unit", str(dinkes.pk))
    save(page, "Give role")
    assert page.get_by_text(t("The role has been given.")).is_visible()
    roles = page.locator("main table tbody tr").all_inner_texts()
    assert len(roles) == 2  # every new user starts as a viewer
    assert any(t("Unit (OPD) administrator") in r and "Dinkes" in r for r in roles), roles
    shot(page, "user-detail")

    page.locator("nav.sidenav").get_by_role("link", name=t("Users")).click()
    page.fill("#q", "staf.dinkes")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Filter")).click()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Sari Staf Dinkes" in rows.inner_text()

    page.locator("nav.sidenav").get_by_role("link", name=t("Audit trail")).click()
    page.select_option("#action", "create")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Filter")).click()
    assert "action=create" in page.url
    actions = page.locator("main table tbody tr td:nth-child(3)").all_inner_texts()
    assert actions and set(actions) == {t("Created")}
    shot(page, "audit-list")
    page.fill("#q", "Sari Staf Dinkes")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Filter")).click()
    user_type = page.locator('small[title="accounts.user"]')
    created = page.locator("main table tbody tr", has=user_type)
    assert created.count() == 1  # the user; the viewer role is a membership
    created.locator("a").click()
    assert page.locator("main h1").inner_text().startswith(t("Created"))
    headers = page.locator("main table thead th").all_inner_texts()
    assert headers == [t("Field"), t("Before"), t("After")]
    username_row = page.locator(
        "main table tbody tr", has=page.locator("code", has_text="username")
    )
    assert username_row.locator("td").all_inner_texts()[1:] == ["—", "staf.dinkes"]


def test_admin_adds_a_unit_after_fixing_the_form(page: Any, demo: list[DemoLogin]) -> None:
    login(page, "admin")
    page.locator("nav.sidenav").get_by_role("link", name=t("Units (OPD)")).click()
    shot(page, "units")
    page.get_by_role("link", name=t("Add unit")).click()
    page.select_option("#id_kind", "kecamatan")
    page.fill("#id_name", "Kecamatan Uji Coba")
    save(page)
    assert field_error(page, "id_region").is_visible()  # a kecamatan office needs its kecamatan
    assert not Unit.objects.filter(name="Kecamatan Uji Coba").exists()
    shot(page, "unit-form-errors")

    page.select_option("#id_kind", "dinas")
    page.fill("#id_name", "Dinas Kebakaran dan Penyelamatan")
    page.fill("#id_acronym", "Damkar")
    save(page)
    assert page.get_by_text(t("The unit has been added.")).is_visible()
    page.fill("#q", "Damkar")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Filter")).click()
    assert (
        page.locator("main table tbody")
        .get_by_text("Dinas Kebakaran dan Penyelamatan")
        .is_visible()
    )
    assert Unit.objects.get(acronym="Damkar").agency.slug == "kota-kendari"


def test_admin_edits_the_agency_settings_and_the_change_is_audited(
    page: Any, demo: list[DemoLogin]
) -> None:
    login(page, "admin")
    page.locator("nav.sidenav").get_by_role("link", name=t("Agency settings")).click()
    assert page.input_value("#id_name") == "Pemerintah Kota Kendari"
    assert page.input_value("#id_timezone") == "Asia/Makassar"
    page.fill("#id_name", "Pemerintah Kota Kendari (Uji)")
    save(page)
    assert page.get_by_text(t("The agency settings have been saved.")).is_visible()
    assert page.inner_text("[data-testid=current-agency]") == "Pemerintah Kota Kendari (Uji)"
    assert Agency.objects.get(slug="kota-kendari").name == "Pemerintah Kota Kendari (Uji)"
    shot(page, "agency-settings")

    event = AuditEvent.objects.filter(action="update", object_repr__contains="(Uji)").get()
    page.goto(f"/audit/{event.pk}/")
    name_row = page.locator("main table tbody tr", has=page.locator("code", has_text="name"))
    assert name_row.locator("td").all_inner_texts()[1:] == [
        "Pemerintah Kota Kendari",
        "Pemerintah Kota Kendari (Uji)",
    ]
    shot(page, "audit-detail")


def test_admin_browses_regions_from_the_city_down_to_its_kelurahan(
    page: Any, demo: list[DemoLogin]
) -> None:
    login(page, "admin")
    page.locator("nav.sidenav").get_by_role("link", name=t("Regions")).click()
    table = page.locator("main table tbody")
    assert table.get_by_text("Mandonga", exact=True).is_visible()
    shot(page, "regions")
    with page.expect_navigation():
        table.get_by_role("link", name="Kambu", exact=True).click()
    assert page.locator("main h1").inner_text().startswith("Kambu")
    assert page.get_by_text("74.71.10.1001").is_visible()
