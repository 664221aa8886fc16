"""A file whose content is not what its name says is refused by saying so, not "upload .xlsx"."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from padu.catalog.register_import import read_table as read_register_table
from padu.evaluation.recommendations_import import ImportFileError, read_table

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["indikator", "rekomendasi"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("reader", [read_table, read_register_table])
def test_a_pdf_renamed_to_xlsx_is_said_not_to_be_a_workbook(reader) -> None:
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        reader("rekomendasi.xlsx", PDF)
    assert str(caught.value) == "The file is named .xlsx but is not an Excel workbook (XLSX)."
    with pytest.raises(ImportFileError) as caught:
        reader("rekomendasi.xlsx", PDF)
    assert "Unggah berkas" not in str(caught.value)


def test_a_workbook_named_csv_is_said_not_to_be_csv_text() -> None:
    with translation.override("en"), pytest.raises(ImportFileError, match=r"named \.csv but"):
        read_table("rekomendasi.csv", workbook_bytes())


def test_names_that_match_the_content_are_read() -> None:
    assert read_table("r.xlsx", workbook_bytes())[0] == ["indikator", "rekomendasi"]
    assert read_table("r.csv", b"indikator,rekomendasi\n1,x\n")[1] == ["1", "x"]
