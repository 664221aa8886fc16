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
