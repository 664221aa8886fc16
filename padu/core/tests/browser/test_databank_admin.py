"""The walidata's other data bank pages in the browser: a validation rule (an unknown element
code is refused with the text kept), an API token for a consuming OPD (a past expiry date is
refused; the key is shown once, works against the REST API, and stops working once revoked)
and the boundary upload (a file that is not GeoJSON is refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from padu.core.demo import DemoLogin
from padu.databank.models import ApiToken, Boundary, Dataset, ValidationRule

from .conftest import login, shot, t

pytestmark = pytest.mark.browser


def test_walidata_adds_a_rule_issues_and_revokes_a_token_and_uploads_boundaries(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Any
) -> None:
    page = new_page()
    login(page, "walidata")

    # A validation rule between elements of the population dataset.
    dataset = Dataset.objects.get(code="KEPENDUDUKAN")
    rules_before = ValidationRule.objects.filter(dataset=dataset).count()
    page.goto(f"/data/dataset/{dataset.pk}/")
    page.click(f"a[href='/data/dataset/{dataset.pk}/aturan/baru/']")
    page.fill("#id_name", "Penduduk laki-laki tidak melebihi total")
    page.fill("#id_left", "#{PDD.L}")
    page.select_option("#id_operator", "<=")
    page.fill("#id_right", "#{TIDAK_ADA}")
    page.get_by_role("button", name=t("Save")).click()
    assert page.locator(".has-error, .form-errors").first.is_visible()
    assert page.input_value("#id_left") == "#{PDD.L}"
    assert ValidationRule.objects.filter(dataset=dataset).count() == rules_before
    page.fill("#id_right", "#{PDD.L} + #{PDD.P}")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_url(f"**/data/dataset/{dataset.pk}/")
    assert ValidationRule.objects.filter(dataset=dataset).count() == rules_before + 1
    assert "Penduduk laki-laki tidak melebihi total" in page.inner_text("main")

    # An API token: shown once, used by an application, then revoked.
    page.goto("/data/analisis/token/")
    page.click("a[href='/data/analisis/token/baru/']")
    page.fill("#id_name", "Aplikasi SIMPUS Dinkes")
    page.fill("#id_expires", "2020-01-01")
    page.get_by_role("button", name=t("Create token")).click()
    assert t("The expiry date must be in the future.") in page.inner_text("main")
    page.fill("#id_expires", "")
    page.get_by_role("button", name=t("Create token")).click()
    key = page.inner_text("[data-testid=token-key]").strip()
    assert len(key) >= 20
    shot(page, "databank-token-created")
    token = ApiToken.objects.get(name="Aplikasi SIMPUS Dinkes")
    assert key not in {token.prefix, getattr(token, "key_hash", "")}  # only a digest is kept
    api = Client()  # the consuming application: no session, only the token
    answer = api.get("/api/v1/data/elements/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 200, answer.content[:300]
    assert any(e["code"] == "PDD" for e in answer.json()["results"])
    page.goto("/data/analisis/token/")
    row = page.locator("[data-testid=token-list] tr", has_text="Aplikasi SIMPUS Dinkes")
    with page.expect_navigation():
        row.get_by_role("button", name=t("Revoke")).click()
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/v1/data/elements/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code in (401, 403)

    # Boundaries: a file that is not GeoJSON is refused and nothing is stored.
    boundaries_before = Boundary.objects.count()
    page.goto("/data/analisis/batas/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {"name": "batas.geojson", "mimeType": "application/geo+json", "buffer": b"PK\x03\x04"}
        ],
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    assert page.locator("[data-testid=boundary-errors], .has-error").first.is_visible()
    assert Boundary.objects.count() == boundaries_before
    # the refused upload answers 400 on purpose (the page shows why); nothing else may fail
    assert [status for status, _url in problems.bad_responses] == [400]
    problems.bad_responses.clear()
    problems.console_errors.remove(
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    )
    problems.assert_none()
