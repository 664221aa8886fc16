"""Download templates for the external results import: whole levels, or two-decimal values
on a decimal instrument (Pemdi), as CSV rows or an XLSX workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


def template_rows(
    indicators: Iterable[tuple[int, int, str]], year: int
) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the download template: one row per (number, slots, name) slot."""
    header = ["tahun", "indikator", "slot", "nama", "tingkat"]
    rows: list[list[object]] = [
        [year, number, slot, name, ""]
        for number, count, name in indicators
        for slot in range(1, count + 1)
    ]
    return header, rows


@dataclass(frozen=True)
class TemplateIndicator:
    """One indicator of a decimal instrument's template."""

    number: int
    code: str
    slots: int
    name: str
    external_source: str = ""  # scored from another agency's index (Pemdi IK5, IK6, IK7, IK18)


DECIMAL_HEADER = ["tahun", "indikator", "kode", "slot", "nama", "nilai", "keterangan"]
DECIMAL_VALUE_COLUMN = DECIMAL_HEADER.index("nilai")


def decimal_template_rows(
    indicators: Iterable[TemplateIndicator], year: int
) -> tuple[list[str], list[list[object]]]:
    """The template of a decimal instrument: a `nilai` column for values such as 1,26, and a
    note on the indicators scored from another agency's index (their LHE value may be given)."""
    rows: list[list[object]] = []
    for ind in indicators:
        note = (
            _("Scored from another agency's index: %(source)s") % {"source": ind.external_source}
            if ind.external_source
            else ""
        )
        rows += [
            [year, ind.number, ind.code, slot, ind.name, "", note]
            for slot in range(1, ind.slots + 1)
        ]
    return list(DECIMAL_HEADER), rows


def to_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    title: str,
    number_formats: Mapping[int, str] | None = None,
) -> bytes:
    """A one-sheet workbook; `number_formats` maps a column index to a format such as "0.00"."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    for column, number_format in (number_formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
