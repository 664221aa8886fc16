"""The register import: pure parsing first, then the page (dry run, all or nothing)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.catalog.models import Application
from padu.catalog.register_export import HEADER, workbook_bytes
from padu.catalog.register_import import ImportFileError, parse_rows, read_table

from .register_helpers import make_app, make_reference

UNITS = {"dinkes": 1, "dinas kesehatan": 1, "disdikbud": 2}
CODES = {"RAL.02.04", "RAB.09.06"}
HEAD = ["Nama", "Deskripsi", "OPD", "Jenis", "Kode Referensi", "Siklus hidup", "SSO", "Biaya"]


def parse(*rows: list[str], existing: set[str] | None = None):
    return parse_rows([HEAD, *rows], units=UNITS, codes=CODES, existing_names=existing or set())


def test_a_good_row_becomes_fields_and_codes() -> None:
    result = parse(
        [
            "SIMPUS",
            "Rekam medis",
            "Dinkes",
            "khusus",
            "ral.02.04; RAB.09.06",
            "uji coba",
            "ya",
            "1.500.000",
        ]
    )
    assert result.ok
    row = result.rows[0]
    assert row.line == 2
    assert row.codes == ["RAL.02.04", "RAB.09.06"]
    assert row.fields["owner_unit_id"] == 1
    assert row.fields["lifecycle"] == "uji_coba"
    assert row.fields["single_sign_on"] is True
    assert row.fields["yearly_cost"] == Decimal("1500000")


@translation.override("en")
def test_every_bad_row_is_named() -> None:
    result = parse(
        ["A", "x", "Dinas Pariwisata", "khusus", "", "", "", ""],
        ["B", "x", "Dinkes", "khusus", "RAL.99", "", "", ""],
        ["C", "x", "Dinkes", "semua", "", "abadi", "", ""],
        ["D", "x", "Dinkes", "umum", "", "", "", ""],
        ["d", "x", "Dinkes", "umum", "", "", "", ""],
        ["SIMPEG", "x", "Dinkes", "umum", "", "", "", ""],
        existing={"simpeg"},
    )
    messages = [str(e) for e in result.errors]
    assert any(m.startswith("Row 2") and "Dinas Pariwisata" in m for m in messages)
    assert any(m.startswith("Row 3") and "RAL.99" in m for m in messages)
    assert any(m.startswith("Row 4") and "semua" in m for m in messages)
    assert any(m.startswith("Row 4") and "abadi" in m for m in messages)
    assert any(m.startswith("Row 6") and "row 5" in m for m in messages)
    assert any(m.startswith("Row 7") and "SIMPEG" in m for m in messages)
    assert [r.line for r in result.rows] == [5]
    assert not result.ok


def test_missing_columns_and_empty_files_are_refused() -> None:
    with pytest.raises(ImportFileError, match="jenis"):
        parse_rows([["nama", "deskripsi", "opd"]], units={}, codes=set(), existing_names=set())
    with pytest.raises(ImportFileError):
        parse_rows([], units={}, codes=set(), existing_names=set())
    with pytest.raises(ImportFileError):
        read_table("register.pdf", b"%PDF")


def test_the_export_workbook_reads_back() -> None:
    row = ["SIMPUS", "", "", "Rekam medis", "Dinkes", "", "khusus", "", "RAL.02.04"]
    table = read_table("r.xlsx", workbook_bytes([row + [""] * (len(HEADER) - len(row))]))
    result = parse_rows(table, units=UNITS, codes=CODES, existing_names=set())
    assert result.ok and result.rows[0].fields["name"] == "SIMPUS"


CSV = "nama,deskripsi,opd,jenis,kode referensi\n{rows}"


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("register.csv", text.encode(), content_type="text/csv")


@pytest.mark.django_db
@translation.override("en")
def test_the_page_checks_then_imports_all_or_nothing(
    client: Client, coordinator, units, agency
) -> None:
    make_reference()
    make_app(agency, units["dinkes"], "SIMPUS")
    client.force_login(coordinator)
    url = reverse("catalog:application_import")
    good = CSV.format(
        rows="e-Posyandu,Posyandu,Dinkes,khusus,RAL.02.04\nPPDB,Sekolah,Disdikbud,khusus,\n"
    )
    response = client.post(url, {"file": _upload(good), "dry_run": "on"})
    assert response.context["result"].ok and Application.objects.count() == 1
    bad = good + "SIMPUS,dup,Dinkes,khusus,\nX,y,Dinas Entah,khusus,\n"
    response = client.post(url, {"file": _upload(bad)})
    errors = response.context["errors"]
    assert len(errors) == 2 and "SIMPUS" in errors[0] and "Dinas Entah" in errors[1]
    assert Application.objects.count() == 1
    response = client.post(url, {"file": _upload(good)})
    assert response.status_code == 302
    assert set(Application.objects.values_list("name", flat=True)) == {
        "SIMPUS",
        "e-Posyandu",
        "PPDB",
    }
    posyandu = Application.objects.get(name="e-Posyandu")
    assert list(posyandu.reference_codes.values_list("code", flat=True)) == ["RAL.02.04"]


@pytest.mark.django_db
def test_admin_opd_may_not_import(client: Client, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    assert client.get(reverse("catalog:application_import")).status_code == 403
