"""The agency administrator's flows: users and roles, units, settings, audit trail."""

from __future__ import annotations

from typing import Any

from .conftest import login, shot


def test_admin_adds_a_user_gives_a_role_and_finds_it_in_the_audit_trail(
    page: Any, demo: Any
) -> None:
    login(page, "admin")
    page.click("nav.sidenav >> text=Pengguna")
    shot(page, "users")
    page.click("text=Tambah pengguna")
    page.fill("#id_username", "opd.dishub")
    page.fill("#id_email", "dishub@kendarikota.go.id")
    page.click("main form button[type=submit]")
    assert page.locator("#id_full_name_error").is_visible()  # full name is required
    page.fill("#id_full_name", "Dedi Dishub")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/pengguna/*/")
    page.select_option("#id_role", "admin_opd")
    page.click("text=Berikan peran >> xpath=ancestor-or-self::button")
    assert page.locator("#id_unit_error").is_visible()  # admin OPD needs a unit
    page.select_option("#id_role", "admin_opd")
    page.select_option("#id_unit", label="Dishub")
    page.click("text=Berikan peran >> xpath=ancestor-or-self::button")
    assert page.get_by_text("Peran telah diberikan.").is_visible()
    shot(page, "user-detail")
    page.goto("/akun/pengguna/?q=dishub")
    assert page.get_by_text("opd.dishub").is_visible()

    page.goto("/audit/?action=create")
    shot(page, "audit-list")
    page.locator("table a").first.click()
    assert page.get_by_text("Sesudah").first.is_visible()
    shot(page, "audit-detail")


def test_admin_adds_a_unit_with_validation(page: Any, demo: Any) -> None:
    login(page, "admin")
    page.goto("/organisasi/unit/")
    shot(page, "units")
    page.click("text=Tambah perangkat daerah")
    page.select_option("#id_kind", "kecamatan")
    page.fill("#id_name", "Kecamatan Uji")
    page.click("main form button[type=submit]")
    assert page.locator("#id_region_error").is_visible()
    shot(page, "unit-form-errors")
    page.select_option("#id_kind", "dinas")
    page.fill("#id_acronym", "Disperindag")
    page.fill("#id_name", "Dinas Uji Coba")
    page.click("main form button[type=submit]")
    assert page.get_by_text("Perangkat daerah telah ditambahkan.").is_visible()


def test_admin_edits_settings_and_browses_regions(page: Any, demo: Any) -> None:
    login(page, "admin")
    page.goto("/organisasi/instansi/")
    page.select_option("#id_timezone", "Asia/Makassar")
    page.click("main form button[type=submit]")
    assert page.get_by_text("Pengaturan instansi telah disimpan.").is_visible()
    shot(page, "agency-settings")
    page.goto("/organisasi/wilayah/")
    assert page.get_by_text("Mandonga").is_visible()
    page.click("text=Kambu")
    assert page.get_by_text("74.71.10.1001").is_visible()
    shot(page, "regions")


def test_login_page_screenshot(page: Any, demo: Any) -> None:
    page.goto("/akun/masuk/")
    assert page.get_by_text("Masuk ke Padu").is_visible()
    shot(page, "login")
