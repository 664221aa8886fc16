"""The page shell: every demo user walks their whole navigation; language, agency switch, keyboard."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from padu.core.demo import DemoLogin

from .conftest import Problems, login, logout, shot, t

pytestmark = pytest.mark.browser

DEMO_USERS = [
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
# More people with the same roles, added by the data bank demo (their menus are those above).
MORE_DEMO_USERS = [
    "operator.mandonga",
    "operator.korumba",
    "operator.kemaraya",
    "produsen.disdikbud",
    "produsen.dinsos",
    "produsen.disdukcapil",
]
DASHBOARD_SCREENSHOTS = {"admin", "koordinator", "operator.kambu"}


def hrefs(page: Any, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


def test_the_demo_has_exactly_these_users(demo: list[DemoLogin]) -> None:
    assert sorted(d.username for d in demo) == sorted(DEMO_USERS + MORE_DEMO_USERS)


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_user_opens_every_page_of_their_menus_without_errors(
    page: Any, problems: Problems, demo: list[DemoLogin], username: str
) -> None:
    login(page, username)
    assert urlparse(page.url).path == "/"
    assert page.locator("main h1").first.is_visible()
    if username in DASHBOARD_SCREENSHOTS:
        shot(page, f"dashboard-{username.replace('.', '-')}")

    navigation = hrefs(page, "nav.sidenav a")
    user_menu = hrefs(page, ".user-menu a")
    assert navigation[0] == "/"
    assert len(user_menu) == 3  # notifications, profile, change password
    if username in {"admin", "admin.konsel"}:
        assert {"/akun/pengguna/", "/audit/", "/organisasi/instansi/"} <= set(navigation)
    if username in {"viewer", "operator.kambu"}:
        assert "/akun/pengguna/" not in navigation

    for href in navigation + user_menu:
        response = page.goto(href)
        assert response is not None and response.status < 400, (href, response and response.status)
        assert page.locator("main h1").first.is_visible(), href
        if href in navigation:  # one link is marked current: this one, or where it led
            current = page.locator("nav.sidenav a[aria-current=page]").get_attribute("href")
            assert current and urlparse(page.url).path.startswith(current), (href, current)
            if href == "/evaluasi/" and urlparse(page.url).path != "/evaluasi/periode/":
                assert current == href, current  # a period's page is still the dashboard's
    problems.assert_none()

    logout(page)
    assert urlparse(page.url).path == "/akun/masuk/"
    page.goto("/")
    assert urlparse(page.url).path == "/akun/masuk/"  # the session is gone


def test_language_switch_goes_to_english_and_back(
    page: Any, problems: Problems, demo: list[DemoLogin]
) -> None:
    login(page, "admin")
    assert page.get_attribute("html", "lang") == "id"
    sidenav = page.locator("nav.sidenav")
    assert sidenav.get_by_text(t("Audit trail")).is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    assert urlparse(page.url).path == "/"
    assert sidenav.get_by_text("Audit trail").is_visible()
    shot(page, "dashboard-admin-english")

    with page.expect_navigation():
        page.get_by_role("button", name="Bahasa Indonesia").click()
    assert page.get_attribute("html", "lang") == "id"
    assert sidenav.get_by_text(t("Audit trail")).is_visible()
    problems.assert_none()


def test_a_member_of_two_agencies_switches_between_them(
    page: Any, problems: Problems, demo: list[DemoLogin]
) -> None:
    kendari, konsel = "Pemerintah Kota Kendari", "Pemerintah Kabupaten Konawe Selatan"
    agency_name = page.locator("[data-testid=current-agency]")
    login(page, "viewer")
    assert agency_name.inner_text() == konsel  # without a choice: the first by name

    for target in (kendari, konsel):
        with page.expect_navigation():
            page.select_option("#agency-switch", label=target)  # submits on change
        assert agency_name.inner_text() == target
        page.goto("/organisasi/unit/")
        assert agency_name.inner_text() == target  # the choice sticks to the session
    assert page.locator("main table").get_by_text("Bappeda").is_visible()
    assert page.locator("main table").get_by_text("Setda").count() == 0  # Kendari's own
    problems.assert_none()


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Any, demo: list[DemoLogin]
) -> None:
    login(page, "pimpinan")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("class") == "skip-link"
    assert skip.inner_text() == t("Skip to content")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0  # shown on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    ("username", "url_names"),
    [
        (None, ["databank:public_datasets"]),
        ("walidata", ["databank:pivot", "databank:charts", "databank:completeness"]),
        ("koordinator", ["evaluation:evidence_list", "catalog:application_list"]),
    ],
)
def test_filter_pages_fit_a_phone(
    page: Any, problems: Problems, demo: list[DemoLogin], username: str | None, url_names: list[str]
) -> None:
    """At 375 px a long option (an OPD's or organisation's full name) must not widen the page."""
    from django.urls import reverse

    if username:
        login(page, username)
    page.set_viewport_size({"width": 375, "height": 800})
    for name in url_names:
        page.goto(reverse(name))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (name, width)
    problems.assert_none()
