"""Open data end to end: the walidata previews and publishes the demo's maternal and child
health dataset, the public page shows the release, and an anonymous visitor downloads the
CSV whose SHA-256 matches the published checksum."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.databank.models import Dataset, Release
from padu.databank.services_publishing import publishable_periods

from .conftest import Problems, login, shot, t

pytestmark = pytest.mark.browser


def test_walidata_publishes_and_the_public_downloads(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Problems, tmp_path: Path
) -> None:
    dataset = Dataset.objects.get(agency__slug="kota-kendari", code="KIA")
    assert not dataset.releases.exists()
    period = sorted(publishable_periods(dataset))[0]

    page = new_page()
    login(page, "walidata")
    page.goto("/data/terbuka/rilis/")
    row = page.locator("[data-testid=release-list] tr", has_text=dataset.name)
    row.get_by_role("link", name=t("Publish")).click()
    page.wait_for_url(f"**/data/terbuka/rilis/baru/{dataset.pk}/**")
    page.locator("input[name=periods]").evaluate_all("els => els.forEach(e => e.checked = false)")
    page.check(f"input[name=periods][value='{period}']")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Preview")).click()
    figures = page.locator("[data-testid=release-preview]")
    assert period in figures.inner_text()
    shot(page, "databank-release-preview")
    page.fill("#id_notes", "Rilis uji dari browser")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Publish"), exact=True).click()
    release = Release.objects.get(dataset=dataset)
    assert release.periods == [period] and release.notes == "Rilis uji dari browser"
    assert page.url.endswith(f"/data/terbuka/kota-kendari/{dataset.code}/")

    public = new_page()  # anonymous
    public.goto("/data/terbuka/")
    public.get_by_role("link", name=dataset.name).click()
    public.wait_for_url(f"**/data/terbuka/kota-kendari/{dataset.code}/")
    assert release.checksum in public.content()
    assert public.locator("[data-testid=release-preview] tbody tr").count() > 0
    shot(public, "databank-public-dataset")
    with public.expect_download() as download:
        public.locator("[data-testid=downloads]").get_by_role("link", name="CSV").click()
    saved = tmp_path / "release.csv"
    download.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"kode_wilayah,nama_wilayah,periode")
    assert hashlib.sha256(content).hexdigest() == release.checksum
    problems.assert_none()
