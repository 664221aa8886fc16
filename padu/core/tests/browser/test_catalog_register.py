"""The register in the browser: an admin OPD adds an application of their OPD (with a code and
a contact) and finds it in the list; a citizen finds a service in the public directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from padu.catalog.models import Application
from padu.core.demo import DemoLogin

from .conftest import login, shot, t

pytestmark = pytest.mark.browser


def test_admin_opd_adds_an_application(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Any
) -> None:
    page = new_page()
    login(page, "opd.dinkes")
    page.goto("/katalog/")
    assert page.locator("table[data-testid=applications] tbody tr").count() > 10
    shot(page, "catalog-register")
    page.click("[data-testid=add-application]")
    # An admin OPD can choose only their own OPD.
    options = page.locator("#id_owner_unit option").all_inner_texts()
    assert [o for o in options if o.strip("-").strip()] == ["Dinkes"]
    page.fill("#id_name", "Aplikasi Skrining Stunting")
    page.fill("#id_acronym", "SKRINING")
    page.fill("#id_description", "Skrining stunting balita oleh kader posyandu.")
    page.select_option("#id_owner_unit", label="Dinkes")
    page.select_option("#id_kind", "khusus")
    page.select_option("#id_category", "layanan_publik")
    page.fill("#id_codes", "RAL.99.99")
    page.fill("#id_contacts-0-name", "Sri Wahyuni")
    page.get_by_role("button", name=t("Save")).click()
    assert page.locator(".has-error").first.is_visible()  # unknown code: refused, form kept
    page.fill("#id_codes", "RAL.01.25.03")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_url("**/katalog/aplikasi/*/")
    assert "Aplikasi Skrining Stunting" in page.inner_text("[data-testid=application-name]")
    assert "RAL.01.25.03" in page.inner_text("[data-testid=codes]")
    assert "Sri Wahyuni" in page.inner_text("[data-testid=contacts]")
    assert page.locator("[data-testid=history] tbody tr").count() == 1
    shot(page, "catalog-application-detail")
    app = Application.objects.get(name="Aplikasi Skrining Stunting")
    assert app.owner_unit.acronym == "Dinkes"
    page.goto("/katalog/?q=skrining")
    assert page.locator("table[data-testid=applications] tbody tr").count() == 1
    problems.assert_none()


def test_the_public_directory_shows_a_service(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Any
) -> None:
    page = new_page()
    page.goto("/layanan/")
    page.click("a[href='/layanan/kota-kendari/']")
    everything = page.locator("[data-testid=directory-service]").count()
    assert everything >= 5
    page.fill("#q", "kartu keluarga")
    page.get_by_role("button", name=t("Search")).click()
    cards = page.locator("[data-testid=directory-service]")
    assert 1 <= cards.count() < everything
    text = cards.first.inner_text()
    assert "Pembuatan KTP Elektronik" in text and "SP4N-LAPOR!" in text
    shot(page, "public-service-directory")
    problems.assert_none()
