"""Signing in ignores the username's case; failures in any case share one lockout counter."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import PASSWORD, make_user
from padu.accounts.backends import axes_username
from padu.accounts.models import User


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_signing_in_in_upper_case_works(client: Client, leader: User) -> None:
    response = attempt(client, "PIMPINAN", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == leader.pk


def test_a_wrong_password_in_any_case_still_fails(client: Client, leader: User) -> None:
    response = attempt(client, "Pimpinan", "bukan-sandinya")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert signed_in_as(client) is None


def test_failures_in_mixed_case_count_for_one_lockout(client: Client, leader: User) -> None:
    for n, name in enumerate(["PIMPINAN", "pimpinan", "Pimpinan", "pimPINAN"]):
        assert attempt(client, name, f"salah-{n}").status_code == 200
    assert attempt(client, "PiMpInAn", "salah-5").status_code == 429
    assert attempt(Client(), "pimpinan", PASSWORD).status_code == 429


def test_an_exact_spelling_wins_when_old_usernames_differ_only_in_case(db: None) -> None:
    lower = make_user("budi")
    upper = User.objects.create_user(username="BUDI", password="lain-sandi-2026")
    request = RequestFactory().post("/")
    assert authenticate(request, username="budi", password=PASSWORD) == lower
    assert authenticate(request, username="BUDI", password="lain-sandi-2026") == upper
    assert authenticate(request, username="Budi", password=PASSWORD) is None


def test_axes_counts_under_the_case_folded_username() -> None:
    request = RequestFactory().post("/", {"username": "ADMIN"})
    assert axes_username(request, None) == "admin"
    assert axes_username(request, {"username": "PimPinan"}) == "pimpinan"
