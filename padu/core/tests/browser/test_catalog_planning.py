"""The rest of the catalog in the browser, as Diskominfo works it: import applications (a bad
file imports nothing and names the row), record an integration (one pointing to itself is
refused), read the architecture coverage and redundancy, add a roadmap initiative (a wrong
year range is refused), and file the register's inventory as evidence attached to the
suggested indicators in one step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from padu.catalog.models import Application, Initiative, Integration
from padu.core.demo import DemoLogin
from padu.evaluation.models import Evidence

from .conftest import login, shot, t

pytestmark = pytest.mark.browser

HEADER = "nama,deskripsi,opd,jenis,kategori\n"


def upload(page: Any, name: str, text: str, *, check_only: bool) -> None:
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    if check_only:
        page.check("#id_dry_run")
    else:
        page.uncheck("#id_dry_run")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Upload")).click()


def test_diskominfo_imports_integrates_maps_plans_and_files_evidence(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Any
) -> None:
    page = new_page()
    login(page, "koordinator")
    before = Application.objects.count()

    # Import: an unknown OPD in row 3 -> nothing imported, the row is named.
    page.goto("/katalog/")
    page.click("a[href='/katalog/aplikasi/impor/']")
    bad = HEADER + (
        "Sistem Antrian Puskesmas,Antrian pasien puskesmas,Dinkes,khusus,layanan_publik\n"
        "Aplikasi Tanpa Pemilik,Uji,Dinas Antah Berantah,khusus,layanan_publik\n"
    )
    upload(page, "aplikasi.csv", bad, check_only=False)
    errors = page.inner_text("[data-testid=import-errors]")
    assert "3" in errors and "Dinas Antah Berantah" in errors
    assert Application.objects.count() == before
    good = (
        HEADER + "Sistem Antrian Puskesmas,Antrian pasien puskesmas,Dinkes,khusus,layanan_publik\n"
    )
    upload(page, "aplikasi.csv", good, check_only=True)
    assert page.locator("[data-testid=import-check]").is_visible()
    assert Application.objects.count() == before
    upload(page, "aplikasi.csv", good, check_only=False)
    page.wait_for_url("**/katalog/")
    assert Application.objects.count() == before + 1
    queue = Application.objects.get(name="Sistem Antrian Puskesmas")

    # Integration: to itself is refused with the form kept; then a real one is listed.
    page.goto("/katalog/integrasi/baru/")
    page.select_option("#id_provider", str(queue.pk))
    page.select_option("#id_consumer", str(queue.pk))
    page.select_option("#id_method", index=1)
    page.fill("#id_data_exchanged", "Data antrian pasien")
    page.select_option("#id_status", index=1)
    page.get_by_role("button", name=t("Save")).click()
    assert t("An application cannot be integrated with itself.") in page.inner_text("main")
    assert page.input_value("#id_data_exchanged") == "Data antrian pasien"
    assert not Integration.objects.filter(consumer=queue).exists()
    consumer = Application.objects.filter(agency=queue.agency).exclude(pk=queue.pk).first()
    assert consumer is not None
    page.select_option("#id_consumer", str(consumer.pk))
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_url("**/katalog/integrasi/")
    assert Integration.objects.filter(provider=queue, consumer=consumer).count() == 1
    assert "Sistem Antrian Puskesmas" in page.inner_text("[data-testid=integration-table]")

    # Architecture: coverage share and the redundancy table from the demo register.
    page.goto("/katalog/peta-rencana/arsitektur/")
    assert "/" in page.inner_text("[data-testid=coverage-share]")
    assert page.locator("[data-testid=redundancy] tbody tr").count() >= 1
    shot(page, "catalog-architecture")

    # Roadmap: years the wrong way round are refused; a good initiative shows on the timeline.
    page.goto("/katalog/peta-rencana/")
    page.click("a[href^='/katalog/peta-rencana/baru/']")
    page.fill("#id_title", "Satu Data Kesehatan Kota Kendari")
    page.select_option("#id_owner_unit", label="Dinkes")
    page.fill("#id_start_year", "2028")
    page.fill("#id_end_year", "2026")
    page.select_option("#id_applications", str(queue.pk))
    page.fill("#id_progress", "10")
    page.get_by_role("button", name=t("Save")).click()
    assert page.locator(".form-errors, .has-error").first.is_visible()
    assert not Initiative.objects.filter(title="Satu Data Kesehatan Kota Kendari").exists()
    page.fill("#id_start_year", "2026")
    page.fill("#id_end_year", "2028")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_url("**/katalog/peta-rencana/")
    timeline = page.inner_text("[data-testid=roadmap-timeline]")
    assert "Satu Data Kesehatan Kota Kendari" in timeline
    initiative = Initiative.objects.get(title="Satu Data Kesehatan Kota Kendari")
    assert list(initiative.applications.all()) == [queue]
    shot(page, "catalog-roadmap")

    # Evidence: the inventory is printed, filed and attached to the suggested indicators.
    page.goto("/katalog/peta-rencana/bukti/")
    evidence_before = Evidence.objects.count()
    page.get_by_role("button", name=t("File and attach")).click()
    page.wait_for_url("**/evaluasi/**")
    assert Evidence.objects.count() == evidence_before + 1
    filed = Evidence.objects.order_by("-pk").first()
    assert filed is not None
    links = filed.links.select_related("assessment__indicator")
    attached = sorted(link.assessment.indicator.number for link in links)
    # The demo's 2026 period is on Pemdi: SPBE 4, 11, 15, 18 through the mapping are IK1, IK13,
    # IK15, IK16 (IK18 is scored from another agency's index, so not offered).
    assert attached == [1, 13, 15, 16]
    problems.assert_none()
