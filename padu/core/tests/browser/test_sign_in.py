"""Signing in: one generic message for any mistake, and a lockout after five failures."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from padu.core.demo import DEMO_PASSWORD, DemoLogin

from .conftest import shot, t

pytestmark = pytest.mark.browser


def try_sign_in(page: Any, username: str, password: str) -> Any:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
    return navigation.value


def test_the_sign_in_page_is_in_indonesian(page: Any, demo: list[DemoLogin]) -> None:
    page.goto("/")
    assert urlparse(page.url).path == "/akun/masuk/"
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").inner_text() == t("Sign in to Padu")
    shot(page, "login")


def test_a_wrong_password_and_an_unknown_user_get_the_same_generic_message(
    page: Any, demo: list[DemoLogin]
) -> None:
    generic = t("The username or password is incorrect.")
    try_sign_in(page, "walidata", "bukan-sandinya")
    assert page.locator(".form-errors").inner_text() == generic
    assert page.input_value("#id_username") == "walidata"
    assert page.input_value("#id_password") == ""
    shot(page, "login-error")
    try_sign_in(page, "tidak.ada", "bukan-sandinya")
    assert page.locator(".form-errors").inner_text() == generic


def test_five_failures_lock_the_account_out_even_for_the_right_password(
    page: Any, demo: list[DemoLogin]
) -> None:
    for attempt in range(4):
        try_sign_in(page, "walidata", f"salah-{attempt}")
        assert page.locator(".form-errors").is_visible(), attempt
    response = try_sign_in(page, "walidata", "salah-4")
    assert page.locator("h1").inner_text() == t("Sign-in temporarily blocked")
    shot(page, "login-locked")
    response = try_sign_in(page, "walidata", DEMO_PASSWORD)
    assert response.status == 429
    assert page.locator("h1").inner_text() == t("Sign-in temporarily blocked")
    assert page.locator("[data-testid=user-menu]").count() == 0
