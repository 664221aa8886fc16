"""Signing in and out, lockout (django-axes), password reset and change, through the pages."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_user
from padu.accounts.choices import Role
from padu.accounts.models import User
from padu.audit.models import AuditAction, AuditEvent

NEW_PASSWORD = "Kata-Sandi-Baru-2026!"
GENERIC = "Nama pengguna atau kata sandi salah."
LOCKED = "Masuk diblokir sementara"
RESET_LINK = re.compile(r"https?://[^/\s]+(/akun/sandi/atur/[^/\s]+/[^/\s]+/)")


def attempt(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def fail(client: Client, username: str, times: int, **extra: Any) -> list[Any]:
    return [attempt(client, username, f"salah-{n}", **extra) for n in range(times)]


# --- one message for every failure ------------------------------------------------------------


def test_a_right_password_signs_in_and_goes_home(client: Client, viewer: User) -> None:
    response = attempt(client, "viewer", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert signed_in_as(client) == viewer.pk


def test_wrong_password_and_unknown_username_get_the_same_generic_message(
    client: Client, viewer: User
) -> None:
    wrong = attempt(client, "viewer", "bukan-sandinya")
    unknown = attempt(client, "tidak.ada", "bukan-sandinya")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert wrong.context["form"].non_field_errors() == [GENERIC]
    assert GENERIC in wrong.content.decode()
    assert GENERIC in unknown.content.decode()
    assert signed_in_as(client) is None


def test_an_inactive_account_gets_the_same_generic_message(client: Client, viewer: User) -> None:
    viewer.is_active = False
    viewer.save()
    response = attempt(client, "viewer", PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [GENERIC]
    assert signed_in_as(client) is None


def test_the_username_is_not_case_sensitive_as_it_is_unique_regardless_of_case(
    client: Client, viewer: User
) -> None:
    response = attempt(client, "VIEWER", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == viewer.pk


def test_the_generic_message_is_english_when_english_is_chosen(
    client: Client, viewer: User
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = attempt(client, "viewer", "salah")
    assert "The username or password is incorrect." in response.content.decode()


# --- lockout ---------------------------------------------------------------------------------


def test_the_limit_is_five_failures(db: None) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_four_failures_do_not_lock_the_account(client: Client, viewer: User) -> None:
    responses = fail(client, "viewer", 4)
    assert [r.status_code for r in responses] == [200] * 4
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_account_with_429(client: Client, viewer: User) -> None:
    responses = fail(client, "viewer", 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED in responses[-1].content.decode()


def test_a_locked_account_stays_locked_even_with_the_right_password(
    client: Client, viewer: User
) -> None:
    fail(client, "viewer", 5)
    locked = attempt(client, "viewer", PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert reverse("accounts:password_reset") in locked.content.decode()
    assert signed_in_as(client) is None


def test_the_lock_holds_for_a_fresh_client_from_the_same_address(
    client: Client, viewer: User
) -> None:
    fail(client, "viewer", 5)
    assert attempt(Client(), "viewer", PASSWORD).status_code == 429


def test_the_lock_is_per_username_and_address(client: Client, viewer: User, leader: User) -> None:
    fail(client, "viewer", 5)
    # Another account from the same address signs in.
    assert attempt(Client(), "pimpinan", PASSWORD).status_code == 302
    # The same account from another address signs in.
    other_address = Client(REMOTE_ADDR="10.20.30.40")
    assert attempt(other_address, "viewer", PASSWORD).status_code == 302


def test_failures_for_an_unknown_username_lock_that_name_too(client: Client, db: None) -> None:
    responses = fail(client, "tidak.ada", 5)
    assert responses[-1].status_code == 429


def test_the_lock_ends_after_the_cool_off(client: Client, viewer: User) -> None:
    fail(client, "viewer", 5)
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - cool_off - datetime.timedelta(minutes=1)
    )
    assert attempt(client, "viewer", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client: Client, viewer: User) -> None:
    fail(client, "viewer", 4)
    assert attempt(client, "viewer", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="viewer").exists()
    client.post(reverse("accounts:logout"))
    responses = fail(client, "viewer", 4)
    assert all(r.status_code == 200 for r in responses)
    assert attempt(client, "viewer", PASSWORD).status_code == 302
    assert signed_in_as(client) == viewer.pk


# --- audit -----------------------------------------------------------------------------------


def test_a_failed_sign_in_is_audited_without_actor_or_agency(client: Client, viewer: User) -> None:
    attempt(client, "viewer", "salah")
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.LOGIN_FAILED
    assert event.object_repr == "viewer"
    assert (event.actor, event.agency) == (None, None)
    assert event.request_path == reverse("accounts:login")
    assert event.ip_address == "127.0.0.1"


def test_the_failed_password_never_reaches_the_audit_row(client: Client, viewer: User) -> None:
    attempt(client, "viewer", "rahasia-yang-salah")
    event = AuditEvent.objects.get()
    assert "rahasia-yang-salah" not in str(
        [getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields]
    )


def test_a_sign_in_is_audited_with_the_user_and_the_request(
    client: Client, viewer: User, agency: Any
) -> None:
    response = attempt(client, "viewer", PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == viewer
    assert (event.actor_repr, event.object_repr) == (str(viewer), str(viewer))
    assert event.request_id == response["X-Request-ID"]
    assert (event.request_method, event.request_path) == ("POST", reverse("accounts:login"))


def test_a_sign_in_is_audited_in_the_agency_the_user_lands_in(
    client: Client, agency: Any, other_agency: Any
) -> None:
    both = make_user(
        "dua.instansi", (agency, Role.VIEWER, None, None), (other_agency, Role.VIEWER, None, None)
    )
    response = attempt(client, "dua.instansi", PASSWORD)
    landed = client.get(response.url).wsgi_request.agency
    assert landed == other_agency  # "Pemerintah Kabupaten ..." sorts first
    assert AuditEvent.objects.get(action=AuditAction.LOGIN, actor=both).agency == landed


def test_a_sign_in_without_any_agency_is_audited_without_one(client: Client, db: None) -> None:
    loner = make_user("tanpa.peran")
    assert attempt(client, "tanpa.peran", PASSWORD).status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.LOGIN, actor=loner).agency is None


def test_sign_out_is_audited(client: Client, viewer: User, agency: Any) -> None:
    attempt(client, "viewer", PASSWORD)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert signed_in_as(client) is None
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert (event.actor, event.agency) == (viewer, agency)


def test_signing_out_when_not_signed_in_writes_nothing(client: Client, db: None) -> None:
    client.post(reverse("accounts:logout"))
    assert not AuditEvent.objects.exists()


def test_a_whole_session_is_audited_in_order(client: Client, viewer: User) -> None:
    attempt(client, "viewer", "salah")
    attempt(client, "viewer", PASSWORD)
    client.post(reverse("accounts:logout"))
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN, AuditAction.LOGOUT]


def test_a_locked_out_attempt_is_audited_as_a_failure(client: Client, viewer: User) -> None:
    fail(client, "viewer", 5)
    attempt(client, "viewer", PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() >= 5


# --- password reset --------------------------------------------------------------------------


def test_reset_for_an_unknown_email_shows_done_and_sends_nothing(
    client: Client, viewer: User, mailoutbox: list[Any]
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "siapa@example.go.id"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_reset_for_a_known_email_looks_the_same_and_sends_one_mail(
    client: Client, viewer: User, mailoutbox: list[Any]
) -> None:
    unknown = client.post(reverse("accounts:password_reset"), {"email": "siapa@example.go.id"})
    known = client.post(reverse("accounts:password_reset"), {"email": "VIEWER@example.go.id"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["viewer@example.go.id"]


def test_reset_for_an_inactive_user_sends_nothing(
    client: Client, viewer: User, mailoutbox: list[Any]
) -> None:
    viewer.is_active = False
    viewer.save()
    client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    assert mailoutbox == []


def test_the_reset_link_sets_a_new_password_once(
    client: Client, viewer: User, mailoutbox: list[Any]
) -> None:
    client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    match = RESET_LINK.search(mailoutbox[0].body)
    assert match, mailoutbox[0].body
    page = client.get(match.group(1), follow=True)
    assert page.context["validlink"] is True
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    assert attempt(Client(), "viewer", PASSWORD).status_code == 200
    assert attempt(Client(), "viewer", NEW_PASSWORD).status_code == 302
    assert client.get(match.group(1), follow=True).context["validlink"] is False


def test_the_reset_form_refuses_a_weak_password(
    client: Client, viewer: User, mailoutbox: list[Any]
) -> None:
    client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    match = RESET_LINK.search(mailoutbox[0].body)
    assert match
    page = client.get(match.group(1), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert User.objects.get(pk=viewer.pk).check_password(PASSWORD)


def test_asking_for_a_reset_does_not_lift_a_lockout(
    client: Client, viewer: User, mailoutbox: list[Any]
) -> None:
    """The lock stays until the cool-off: axes counts per name and address, not per password."""
    fail(client, "viewer", 5)
    client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    assert len(mailoutbox) == 1
    assert attempt(client, "viewer", PASSWORD).status_code == 429


# --- password change -------------------------------------------------------------------------


def test_password_change_sets_the_new_password_and_keeps_the_session(
    client: Client, viewer: User
) -> None:
    attempt(client, "viewer", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert signed_in_as(client) == viewer.pk
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert attempt(Client(), "viewer", PASSWORD).status_code == 200
    assert attempt(Client(), "viewer", NEW_PASSWORD).status_code == 302


def test_password_change_with_a_wrong_old_password_changes_nothing(
    client: Client, viewer: User
) -> None:
    client.force_login(viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert User.objects.get(pk=viewer.pk).check_password(PASSWORD)


def test_password_change_with_mismatched_passwords_changes_nothing(
    client: Client, viewer: User
) -> None:
    client.force_login(viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "lain-2026!"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    assert User.objects.get(pk=viewer.pk).check_password(PASSWORD)


@pytest.mark.parametrize("url_name", ["accounts:password_change", "accounts:password_change_done"])
def test_password_change_needs_a_signed_in_user(client: Client, db: None, url_name: str) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
