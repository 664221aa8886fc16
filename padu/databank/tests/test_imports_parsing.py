"""Parsing: the four formats, encodings, file kinds, Excel formulas and merged cells."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import Workbook

from padu.databank.imports import FileRejected, check_size, parse
from padu.databank.imports.templates import TemplateRow, to_csv, to_dvs_csv, to_dvs_json, to_xlsx

from .import_helpers import csv_bytes, row

ROWS = [
    TemplateRow("74.71.01.1001", "Alolama", "PDD", "Penduduk", "L", "Laki-laki", "202501", "12"),
    TemplateRow("74.71.01.1001", "Alolama", "PDD", "Penduduk", "P", "Perempuan", "202501", "", "x"),
    TemplateRow(
        "74.71.01.1001", "Alolama", "POS", "Posyandu", "", "", "202501", "ya", "", "boolean"
    ),
]


def _codes(exc: pytest.ExceptionInfo[FileRejected]) -> list[str]:
    return [p.code for p in exc.value.problems]


@pytest.mark.parametrize("fmt", ["csv", "dvs_json", "dvs_csv", "xlsx"])
def test_every_template_format_round_trips(fmt: str) -> None:
    data = {
        "csv": lambda: to_csv(ROWS),
        "dvs_json": lambda: to_dvs_json(ROWS, "KEPENDUDUKAN"),
        "dvs_csv": lambda: to_dvs_csv(ROWS),
        "xlsx": lambda: to_xlsx(ROWS, "KEPENDUDUKAN", "Kependudukan"),
    }[fmt]()
    parsed = parse(data, fmt)
    got = [(r.region, r.element, r.cell, r.period, r.value, r.comment) for r in parsed.rows]
    assert got == [
        ("74.71.01.1001", "PDD", "L", "202501", "12", ""),
        ("74.71.01.1001", "PDD", "P", "202501", "", "x"),
        ("74.71.01.1001", "POS", "", "202501", "ya", ""),
    ]
    if fmt in ("dvs_json", "xlsx"):
        assert parsed.dataset_code == "KEPENDUDUKAN"


FORMULA_LIKE = [
    TemplateRow("74.71.01.1001", "=HYPERLINK(\"x\")", "CAT", "+cmd|calc", "", "", "202501",
                "=1+2", "@SUM(A1)", "text"),
    TemplateRow("74.71.01.1001", "Alolama", "JML", "-jumlah", "", "", "202501", "-5"),
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "dvs_csv", "xlsx"])
def test_templates_write_formula_like_text_as_text_and_read_it_back(fmt: str) -> None:
    """Names and text values from the database never run as formulas in the spreadsheet the
    walidata opens; the file still imports unchanged (negative numbers stay numbers)."""
    data = {
        "csv": lambda: to_csv(FORMULA_LIKE),
        "dvs_csv": lambda: to_dvs_csv(FORMULA_LIKE),
        "xlsx": lambda: to_xlsx(FORMULA_LIKE, "=DS", "=Nama"),
    }[fmt]()
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in xml for xml in sheets)
    else:
        text = data.decode()
        for cell in ("=HYPERLINK", "+cmd|calc", "=1+2", "@SUM(A1)"):
            assert f",{cell}" not in text and f'"{cell}' not in text
        assert ",-5," in text
    parsed = parse(data, fmt)
    got = [(r.value, r.comment) for r in parsed.rows]
    assert got == [("=1+2", "@SUM(A1)"), ("-5", "")]


def test_dhis2_json_example_with_codes() -> None:
    doc = {
        "dataValues": [
            {
                "dataElement": "PDD",
                "period": "202501",
                "orgUnit": "74.71.01.1001",
                "categoryOptionCombo": "L",
                "value": "12",
                "comment": "",
            },
            {"dataElement": "LAHIR", "value": 3},
        ],
        "period": "202502",
        "orgUnit": "74.71.10.1001",
    }
    rows = parse(json.dumps(doc).encode(), "dvs_json").rows
    assert (rows[1].region, rows[1].period, rows[1].value, rows[1].line) == (
        "74.71.10.1001",
        "202502",
        "3",
        2,
    )


def test_dvs_csv_without_header_uses_dhis2_column_order() -> None:
    data = b"PDD,202501,74.71.01.1001,L,,12,,,catatan,false\n"
    (r,) = parse(data, "dvs_csv").rows
    assert (r.element, r.period, r.region, r.cell, r.value, r.comment, r.line) == (
        "PDD",
        "202501",
        "74.71.01.1001",
        "L",
        "12",
        "catatan",
        1,
    )


def test_utf8_with_bom_and_semicolons_are_accepted() -> None:
    data = csv_bytes(row("74.71.01.1001", "PDD", "L", "202501", "5", "Kelurahan Ałolama"), bom=True)
    assert parse(data, "csv").rows[0].comment == "Kelurahan Ałolama"
    semi = data.replace(b",", b";")
    assert parse(semi, "csv").rows[0].value == "5"


def test_a_file_not_in_utf8_is_rejected_with_its_line() -> None:
    data = csv_bytes(row("74.71.01.1001", "PDD", "L", "202501", "5", "caf\u00e9")).replace(
        "café".encode(), "café".encode("latin-1")
    )
    with pytest.raises(FileRejected) as exc:
        parse(data, "csv")
    assert _codes(exc) == ["encoding"]
    assert exc.value.problems[0].line == 2


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"kode_wilayah,kode_elemen,periode,nilai\n", "xlsx"),  # a CSV named .xlsx
        (to_xlsx(ROWS, "X", "X"), "csv"),  # an Excel file uploaded as CSV
        (to_xlsx(ROWS, "X", "X"), "dvs_json"),
        (b"\xd0\xcf\x11\xe0old excel", "csv"),
    ],
)
def test_content_must_match_the_format(data: bytes, fmt: str) -> None:
    with pytest.raises(FileRejected) as exc:
        parse(data, fmt)
    assert _codes(exc) == ["wrong_file"]


def test_json_that_does_not_parse() -> None:
    with pytest.raises(FileRejected) as exc:
        parse(b'{"dataValues": [', "dvs_json")
    assert _codes(exc) == ["json"]


def test_missing_columns() -> None:
    with pytest.raises(FileRejected) as exc:
        parse(b"kode_wilayah,periode\n1,2\n", "csv")
    assert _codes(exc) == ["columns"]


def test_file_over_the_limit() -> None:
    check_size(50 * 1024 * 1024, 50)
    with pytest.raises(FileRejected) as exc:
        check_size(50 * 1024 * 1024 + 1, 50)
    assert _codes(exc) == ["too_large"]


def _workbook(edit) -> bytes:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["kode_wilayah", "nama_wilayah", "kode_elemen", "nama_elemen", "kode_rincian",
               "nama_rincian", "periode", "nilai", "keterangan"])  # fmt: skip
    ws.append(["74.71.01.1001", "A", "PDD", "P", "L", "L", "202501", 5, ""])
    ws.append(["74.71.01.1001", "A", "PDD", "P", "P", "P", "202501", 6, ""])
    edit(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_formulas_are_rejected_naming_the_row() -> None:
    data = _workbook(lambda ws: ws.cell(3, 8, "=H2+1"))
    parsed = parse(data, "xlsx")
    assert [(p.line, p.code) for p in parsed.problems] == [(3, "formula")]


def test_excel_merged_cells_are_rejected() -> None:
    with pytest.raises(FileRejected) as exc:
        parse(_workbook(lambda ws: ws.merge_cells("A2:A3")), "xlsx")
    assert _codes(exc) == ["merged"]
    assert exc.value.problems[0].line == 2


def test_excel_text_in_a_number_cell_is_flagged() -> None:
    parsed = parse(_workbook(lambda ws: ws.cell(3, 8, "enam")), "xlsx")
    assert [r.text_cell for r in parsed.rows] == [False, True]
