from __future__ import annotations

from django.test import Client


def test_home_redirects_anonymous_to_login(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


def test_home_shows_panels_for_admin(client: Client, admin_user, units) -> None:
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Pemerintah Kota Kendari" in response.content
