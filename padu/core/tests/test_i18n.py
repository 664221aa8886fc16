"""Bahasa Indonesia by default, English on request, and the catalogue is complete."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client


def test_pages_speak_indonesian_by_default_and_english_after_switching(
    client: Client, admin_user
) -> None:
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert '<html lang="id">' in page
    assert "Jejak audit" in page and "Audit trail" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Audit trail" in page


def test_the_indonesian_catalogue_has_no_gaps() -> None:
    call_command("compilepo", "--check")


def test_a_signed_in_users_own_language_beats_the_browsers(client: Client, admin_user) -> None:
    """An English browser does not turn the product English for a user whose language is
    Indonesian; the user's choice in the switcher still wins on that browser."""
    client.force_login(admin_user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in page and "Jejak audit" in page
    admin_user.preferred_language = "en"
    admin_user.save()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in page and "Audit trail" in page
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in page


def test_visitors_get_indonesian_unless_their_browser_asks_otherwise(client: Client) -> None:
    assert '<html lang="id">' in client.get("/akun/masuk/").content.decode()
    assert (
        '<html lang="en">' in client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
