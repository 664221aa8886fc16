"""From the demo: the koordinator sets a target of 3.00, gets a plan, saves it, assigns a step,
downloads the XLSX workbook, the PDF report and the evidence bundle (each opened and checked
here), and plays with the what-if simulator."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pypdfium2
import pytest

from padu.core.demo import DemoLogin
from padu.evaluation.index import shape_for
from padu.evaluation.models import Assessment, EvidenceLink, Period, TargetPlan
from padu.evaluation.scoring import compute

from .conftest import SCREENSHOTS, login, shot

pytestmark = pytest.mark.browser


def test_koordinator_plans_target_3_00_saves_and_assigns_a_step(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = Period.objects.get(year=2026, agency__name__icontains="Kendari")
    page = new_page()
    login(page, "koordinator")
    page.get_by_role("link", name="Rencana target").click()
    page.get_by_role("link", name="Rencana baru").click()
    page.fill("#id_target", "3.00")
    # Allow every indicator to climb up to two levels this year.
    for select in page.locator("[data-testid=planner-table] select").all():
        options = select.locator("option").all_inner_texts()
        select.select_option(options[min(2, len(options) - 1)])
    page.get_by_role("button", name="Hitung").click()
    result = page.locator("[data-testid=plan-result]")
    assert "Dari" in result.inner_text()
    shot(page, "evaluation-planner")
    page.fill("#id_name", "Target Indeks SPBE 3,00")
    page.get_by_role("button", name="Simpan rencana").click()
    assert page.get_by_text("Rencana telah disimpan.").is_visible()

    plan = TargetPlan.objects.get(period=period, name="Target Indeks SPBE 3,00")
    assert plan.reachable and plan.planned_index >= Decimal("3.00")
    assert plan.steps.count() == len(page.locator("[data-testid=plan-steps] tbody tr").all())
    step = plan.steps.order_by("pk").first()
    page.fill(f"#id_s{step.pk}-due_on", "2026-09-30")
    page.select_option(f"#id_s{step.pk}-status", "done")
    page.get_by_role("button", name="Simpan penugasan").click()
    step.refresh_from_db()
    assert str(step.due_on) == "2026-09-30" and step.status == "done"
    assert page.inner_text("[data-testid=plan-percent]") != "0%"
    shot(page, "evaluation-plan")

    # The reports, from the navigation.
    page.get_by_role("link", name="Laporan", exact=True).click()
    shot(page, "evaluation-reports")
    with page.expect_download() as xlsx_download:
        page.click("[data-testid=report-xlsx]")
    assert xlsx_download.value.suggested_filename.endswith("-2026.xlsx")
    workbook = openpyxl.load_workbook(
        io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True
    )
    domains = list(period.instrument.domains.order_by("position"))
    assert workbook.sheetnames[0] == "Ringkasan"
    assert len(workbook.sheetnames) == 1 + len(domains) + 1  # summary, domains, evidence
    rows = [
        row
        for name in workbook.sheetnames[1 : 1 + len(domains)]
        for row in workbook[name].iter_rows(min_row=2, values_only=True)
        if isinstance(row[0], int)
    ]
    assert len(rows) == period.assessments.count()
    with page.expect_download() as pdf_download:
        page.click("[data-testid=report-pdf]")
    pdf = pypdfium2.PdfDocument(pdf_download.value.path())
    assert len(pdf) >= 4
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Laporan Evaluasi Mandiri".upper() in text.upper()
    assert "Target Indeks SPBE 3,00" in text  # the saved plan is in the report
    if os.environ.get("PADU_SCREENSHOTS") == "1":
        for i in range(2):
            image = pdf[i].render(scale=1.4).to_pil()
            image.save(SCREENSHOTS / f"laporan-evaluasi-mandiri-hal-{i + 1}.png")

    # The evidence bundle: built by the job (in place in tests), then downloaded and opened.
    page.get_by_role("link", name="Paket bukti dukung").click()
    page.click("[data-testid=bundle-request]")
    done = page.locator("[data-status=done]").first
    done.wait_for()
    shot(page, "evaluation-bundle")
    with page.expect_download() as zip_download:
        done.get_by_role("link", name="Unduh ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(zip_download.value.path().read_bytes()))
    names = set(archive.namelist())
    assert {"MANIFEST.csv", "index.html"} <= names
    manifest = list(csv.DictReader(io.StringIO(archive.read("MANIFEST.csv").decode("utf-8-sig"))))
    linked = EvidenceLink.objects.filter(assessment__period=period).count()
    assert 0 < len(manifest) <= linked
    packed = [row for row in manifest if row["status"] == "ok"]
    assert packed
    for row in packed:
        assert row["path"] in names
        assert hashlib.sha256(archive.read(row["path"])).hexdigest() == row["sha256"]
        assert row["path"].split("/")[-1].startswith(row["path"].split("/")[0] + "-L")


def test_simulator_moves_the_index_at_once(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = Period.objects.get(year=2026, agency__name__icontains="Kendari")
    page = new_page()
    login(page, "pimpinan")
    page.goto(f"/evaluasi/periode/{period.pk}/")
    page.get_by_role("link", name="Simulasi bagaimana-jika").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=sim-index]')?.textContent.trim() !== '—'"
    )
    shown = page.inner_text("[data-testid=sim-index]")
    assert "," in shown and "." not in shown  # the Indonesian decimal mark, as on the dashboard
    start = Decimal(shown.replace(",", "."))
    assessments = list(period.assessments.select_related("indicator"))
    expected = compute(
        shape_for(period.instrument),
        {(a.indicator.number, a.slot): a.claimed_level for a in assessments},
    ).index
    assert start == expected.quantize(Decimal("0.01"))
    low = min(assessments, key=lambda a: (a.claimed_level or 1, -a.indicator.weight))
    page.select_option(f"#sim_{low.pk}", "5")
    moved = Decimal(page.inner_text("[data-testid=sim-index]").replace(",", "."))
    gain = (5 - (low.claimed_level or 1)) * low.indicator.weight / 100
    assert moved == (expected + gain).quantize(Decimal("0.01"))
    assert page.inner_text("[data-testid=sim-delta]").startswith("+")
    shot(page, "evaluation-simulator")
    assert Assessment.objects.get(pk=low.pk).claimed_level == low.claimed_level  # nothing saved
