"""Every role signs in, walks every navigation link, switches language and signs out."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import login, shot

ROLES = [
    "admin",
    "koordinator",
    "opd.dinkes",
    "opd.disdik",
    "asesor",
    "pimpinan",
    "operator.kambu",
    "produsen.dinkes",
    "walidata",
    "viewer",
    "admin.konsel",
]


@pytest.mark.parametrize("username", ROLES)
def test_each_role_walks_every_navigation_link(page: Any, demo: Any, username: str) -> None:
    login(page, username)
    assert page.locator("h1").first.is_visible()
    if username in {"admin", "operator.kambu", "koordinator"}:
        shot(page, f"dashboard-{username.replace('.', '-')}")
    links = page.eval_on_selector_all(
        "nav.sidenav a, .user-menu a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(links) >= 3
    for href in links:
        response = page.goto(href)
        assert response is not None and response.status < 400, (
            username,
            href,
            response and response.status,
        )
        assert page.locator("h1").count() >= 1, href
    assert page.console_errors == []
    page.goto("/")
    page.click("[data-testid=user-menu]")
    page.click("text=Keluar")
    page.wait_for_url("**/akun/masuk/**")


def test_language_switch_goes_to_english_and_back(page: Any, demo: Any) -> None:
    login(page, "admin")
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("nav.sidenav").get_by_text("Jejak audit").is_visible()
    page.click("[data-testid=language-switch] button")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("nav.sidenav").get_by_text("Audit trail").is_visible()
    shot(page, "dashboard-admin-english")
    page.click("[data-testid=language-switch] button")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "id"


def test_agency_switcher_changes_the_working_agency(page: Any, demo: Any) -> None:
    login(page, "viewer")
    first = page.inner_text("[data-testid=current-agency]")
    targets = ["Pemerintah Kota Kendari", "Pemerintah Kabupaten Konawe Selatan"]
    targets.sort(key=lambda name: name == first)  # switch away first, then back
    for target in targets:
        with page.expect_navigation():
            page.select_option("#agency-switch", label=target)
        assert page.inner_text("[data-testid=current-agency]") == target


def test_wrong_password_is_generic_and_repeated_failures_lock_out(page: Any, demo: Any) -> None:
    for attempt in range(5):
        page.goto("/akun/masuk/")
        page.fill("#id_username", "walidata")
        page.fill("#id_password", f"salah-{attempt}")
        page.click("main form button[type=submit]")
        if attempt == 0:
            assert page.get_by_text("Nama pengguna atau kata sandi salah.").is_visible()
            shot(page, "login-error")
    page.goto("/akun/masuk/")
    from padu.core.demo import DEMO_PASSWORD

    page.fill("#id_username", "walidata")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    assert page.get_by_text("Masuk diblokir sementara").first.is_visible()


def test_skip_link_is_the_first_tab_stop(page: Any, demo: Any) -> None:
    login(page, "pimpinan")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
