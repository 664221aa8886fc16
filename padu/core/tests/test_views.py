"""Home and health check: permission cases first (anonymous, another agency, read-only, writer)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.test import Client
from django.urls import reverse

from padu.accounts.models import User


def assert_redirects_to_login(response: Any, next_url: str) -> None:
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={quote(next_url, safe='/')}"


# --- home -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_home(client: Client, db: None) -> None:
    url = reverse("core:home")
    assert_redirects_to_login(client.get(url), url)


def test_user_of_another_agency_sees_only_their_own_agency_on_home(
    client: Client, admin_user: User, outsider: User, units: object
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b"Pemerintah Kabupaten Konawe Selatan" in response.content
    assert b"Pemerintah Kota Kendari" not in response.content
    assert b"Dinas Komunikasi dan Informatika" not in response.content


def test_read_only_member_sees_home(client: Client, viewer: User) -> None:
    client.force_login(viewer)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b"Pemerintah Kota Kendari" in response.content
    # The viewer's navigation has no administration links.
    assert reverse("accounts:user_list").encode() not in response.content
    assert reverse("audit:event_list").encode() not in response.content


def test_agency_admin_sees_home_with_administration_links(
    client: Client, admin_user: User, units: object
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b"Pemerintah Kota Kendari" in response.content
    assert reverse("accounts:user_list").encode() in response.content
    assert reverse("audit:event_list").encode() in response.content


def test_user_without_any_agency_still_gets_home(client: Client, db: None) -> None:
    loner = User.objects.create_user(username="tanpa.instansi", password="x-long-password-1")
    client.force_login(loner)
    assert client.get(reverse("core:home")).status_code == 200


def test_home_does_not_accept_post(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    assert client.post(reverse("core:home")).status_code == 405


# --- healthz ----------------------------------------------------------------------------


def test_health_check_is_public(client: Client, db: None) -> None:
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_check_answers_the_same_for_any_signed_in_user(
    client: Client, outsider: User, viewer: User
) -> None:
    for user in (outsider, viewer):
        client.force_login(user)
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


def test_health_check_is_get_only(client: Client, db: None) -> None:
    assert client.post(reverse("core:healthz")).status_code == 405
