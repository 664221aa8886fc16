"""From the demo's 2026 Pemdi period: the koordinator sets a target of 3.00, gets a plan in
decimal steps, saves it, assigns a step, downloads the XLSX workbook, the PDF report and the
evidence bundle (each opened and checked here), and plays with the what-if simulator."""

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
from padu.evaluation.index import figure, item_value, shape_for
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
    # Allow every indicator assessed by the agency to climb up to two levels this year (typed
    # the Indonesian way); indicators scored from other agencies' indices stay where they are.
    assert period.instrument.is_decimal
    for row in page.locator("[data-testid=planner-table] tbody tr").all():
        if row.locator("[data-testid=external-index]").count():
            continue
        current = Decimal(row.locator("td").nth(2).inner_text().strip().replace(",", "."))
        reach = min(Decimal("5.00"), current + 2)
        row.locator("input[name^=reach_]").fill(f"{reach:.2f}".replace(".", ","))
    page.get_by_role("button", name="Hitung").click()
    result = page.locator("[data-testid=plan-result]")
    assert "Dari" in result.inner_text()
    shot(page, "evaluation-planner")
    page.fill("#id_name", "Target Indeks SPBE 3,00")
    page.get_by_role("button", name="Simpan rencana").click()
    assert page.get_by_text("Rencana telah disimpan.").is_visible()

    plan = TargetPlan.objects.get(period=period, name="Target Indeks SPBE 3,00")
    assert plan.reachable and plan.planned_index >= Decimal("3.00")
    assert not plan.steps.filter(to_value=None).exists()  # decimal steps (Pemdi)
    assert not plan.steps.filter(assessment__indicator__external_default__isnull=False).exists()
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
    # Pemdi has no domains: one sheet per aspect, indicators by their IK codes.
    groups = list(period.instrument.aspects.order_by("position"))
    assert not period.instrument.domains.exists() and len(groups) == 7
    assert workbook.sheetnames[0] == "Ringkasan"
    assert len(workbook.sheetnames) == 1 + len(groups) + 1  # summary, aspects, evidence
    rows = [
        row
        for name in workbook.sheetnames[1 : 1 + len(groups)]
        for row in workbook[name].iter_rows(min_row=2, values_only=True)
        if str(row[0]).startswith("IK")
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
        folder, file_name = row["path"].split("/")[0], row["path"].split("/")[-1]
        assert folder.startswith("IK")  # the portal's coding: IK7/I7-L2-03_<name>
        assert file_name.startswith(f"I{folder[2:]}-L")


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
    # Pemdi: claimed values (an external index at its recorded result or default 1,00),
    # published half to even.
    assessments = list(period.assessments.select_related("indicator"))
    shape = shape_for(period.instrument)
    values = {(a.indicator.number, a.slot): item_value(a, "claimed_level") for a in assessments}
    expected = compute(shape, values).index
    assert start == figure(expected, period.instrument)
    low = min(
        (a for a in assessments if not a.indicator.is_external_index),
        key=lambda a: (values[(a.indicator.number, a.slot)] or 1, -a.indicator.weight),
    )
    was = Decimal(
        values[(low.indicator.number, low.slot)] or shape.defaults[(low.indicator.number, low.slot)]
    )
    field = page.locator(f"#sim_{low.pk}")
    field.fill("5,00")
    field.dispatch_event("change")
    gain = (Decimal("5.00") - was) * low.indicator.weight / 100
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel).textContent.trim() !== old",
        arg=["[data-testid=sim-index]", shown],
    )
    moved = Decimal(page.inner_text("[data-testid=sim-index]").replace(",", "."))
    assert moved == figure(expected + gain, period.instrument)
    assert page.inner_text("[data-testid=sim-delta]").startswith("+")
    shot(page, "evaluation-simulator")
    saved = Assessment.objects.get(pk=low.pk)
    assert (saved.claimed_level, saved.claimed_value) == (low.claimed_level, low.claimed_value)
