"""Sign-in: one generic message, no user enumeration, lockout after repeated failures."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from padu.audit.models import AuditEvent


def attempt(client: Client, username: str, password: str) -> object:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_wrong_password_and_unknown_user_get_the_same_message(client: Client, viewer) -> None:
    wrong = attempt(client, "viewer", "bukan-sandinya")
    unknown = attempt(client, "tidak-ada", "bukan-sandinya")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "Nama pengguna atau kata sandi salah." in wrong.content.decode()


def test_inactive_user_gets_the_same_generic_message(client: Client, viewer) -> None:
    viewer.is_active = False
    viewer.save()
    response = attempt(client, "viewer", PASSWORD)
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(
    client: Client, viewer
) -> None:
    for n in range(5):
        attempt(client, "viewer", f"salah-{n}")
    locked = attempt(client, "viewer", PASSWORD)
    assert locked.status_code == 429
    assert "Masuk diblokir sementara" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client: Client, viewer) -> None:
    for n in range(4):
        attempt(client, "viewer", f"salah-{n}")
    assert attempt(client, "viewer", PASSWORD).status_code == 302
    client.logout()
    for n in range(4):
        attempt(client, "viewer", f"salah-lagi-{n}")
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_sign_in_and_failures_are_audited(client: Client, viewer) -> None:
    attempt(client, "viewer", "salah")
    attempt(client, "viewer", PASSWORD)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["login_failed", "login"]


def test_session_cookie_is_http_only(client: Client, viewer) -> None:
    response = attempt(client, "viewer", PASSWORD)
    assert response.cookies["sessionid"]["httponly"]
