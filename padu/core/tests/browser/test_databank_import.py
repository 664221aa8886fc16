"""Bulk upload end to end: the walidata downloads a pre-filled Excel template for a
kecamatan, fills it, uploads it as a dry run (nothing written), then applies it."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from padu.core.demo import DemoLogin
from padu.databank import periods
from padu.databank.models import (
    CategoryCombo,
    DataElement,
    Dataset,
    DatasetElement,
    DataValue,
    ValueAudit,
)
from padu.evaluation.permissions import today_in
from padu.organizations.models import Agency

from .conftest import Problems, login, shot

pytestmark = pytest.mark.browser


def make_dataset() -> tuple[Dataset, str]:
    agency = Agency.objects.get(region_id="74.71")
    default = CategoryCombo.objects.get(code="default", agency=None)
    dataset = Dataset.objects.create(
        agency=agency, code="UJI_IMPOR", name="Uji impor kelurahan", period_type="monthly"
    )
    element = DataElement.objects.create(
        agency=agency, code="UJI_POSYANDU", name="Kunjungan posyandu", category_combo=default,
        min_value=Decimal(0),
    )  # fmt: skip
    DatasetElement.objects.create(dataset=dataset, element=element, position=1)
    return dataset, periods.containing(today_in(agency), periods.MONTHLY).code


def test_walidata_downloads_fills_checks_and_applies_a_template(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Problems, tmp_path: Any
) -> None:
    dataset, month = make_dataset()
    page = new_page()
    login(page, "walidata")
    page.goto("/data/impor/")
    page.select_option("#tpl_dataset", str(dataset.pk))
    page.select_option("#tpl_region", "74.71.10")
    page.fill("#tpl_period", month)
    page.select_option("#tpl_format", "xlsx")
    shot(page, "databank-import-home")
    with page.expect_download() as info:
        page.click("[data-testid=template-download]")
    path = tmp_path / "template.xlsx"
    info.value.save_as(path)

    wb = load_workbook(path)
    ws = wb["Data"]
    keys = [c.value for c in ws[2]]
    assert keys[:9] == ["kode_wilayah", "nama_wilayah", "kode_elemen", "nama_elemen",
                        "kode_rincian", "nama_rincian", "periode", "nilai", "keterangan"]  # fmt: skip
    assert ws.protection.sheet and ws.cell(3, 1).protection.locked
    villages = [ws.cell(n, 1).value for n in range(3, ws.max_row + 1)]
    assert villages and all(v.startswith("74.71.10.") for v in villages)
    for n in range(3, ws.max_row + 1):
        ws.cell(n, 8, 10 + n)
    buf = io.BytesIO()
    wb.save(buf)
    filled = tmp_path / "isi.xlsx"
    filled.write_bytes(buf.getvalue())

    page.select_option("#id_dataset", str(dataset.pk))
    page.select_option("#id_format", "xlsx")
    page.set_input_files("#id_file", str(filled))
    assert page.is_checked("#id_dry_run")
    with page.expect_navigation():
        page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-job][data-status=done]")
    assert page.inner_text("[data-testid=import-created]") == str(len(villages))
    assert not DataValue.objects.filter(element__code="UJI_POSYANDU").exists()
    shot(page, "databank-import-dry-run")

    with page.expect_navigation():
        page.click("[data-testid=import-apply]")
    page.wait_for_selector("[data-testid=import-job][data-status=done][data-dry-run='0']")
    assert DataValue.objects.filter(element__code="UJI_POSYANDU").count() == len(villages)
    assert ValueAudit.objects.filter(element__code="UJI_POSYANDU").count() == len(villages)
    shot(page, "databank-import-applied")
