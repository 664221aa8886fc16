"""Spreadsheet rules shared by every export and import.

Exports: cells that spreadsheets will not run as formulas (CSV/Excel injection). Text
beginning with = + - @ (or tab, carriage return) gets a leading apostrophe, which Excel and
LibreOffice show as plain text; plain numbers such as -5 or +62 are left as they are.

Imports: `merged_rows` finds merged cells in an XLSX workbook (one value per cell is the rule
of every import; openpyxl's read-only mode does not report merges).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """The value, with formula-like text made inert; non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """What an import reads from a cell an export neutralised: one leading apostrophe before
    a formula start is taken off again, so a file downloaded and sent back is unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def as_text_cells(cells: Any) -> None:
    """XLSX (openpyxl) cells whose text would be written as a formula are written as text
    instead: Excel shows "=1+2" and does not run it, and the text reads back unchanged."""
    for cell in cells:
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.data_type = "s"


def safe_cell(value: Any) -> str:
    """A CSV cell: text, empty for None, formula-like text made inert."""
    return "" if value is None else str(neutralise(str(value)))


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+)(?::[A-Z]+\d+)?"')


def merged_rows(data: bytes) -> list[int]:
    """The first rows of the merged ranges in an XLSX workbook's sheets, in order (empty for
    none); the caller has checked that `data` is a workbook."""
    rows: list[int] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                rows.extend(int(m.group(2)) for m in _MERGE.finditer(z.read(name)))
    return sorted(rows)
