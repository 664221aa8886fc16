"""The Padu Excel template: sheet "Data", one row per value, a hidden row of column keys.

Rejected: formulas (the value must be typed, not computed), merged cells, and text typed
into a value cell of a numeric element (reported by `validate`, via `RawRow.text_cell`).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from padu.core.spreadsheet import merged_rows

from . import TEMPLATE_COLUMNS, Parsed, Problem, RawRow, file_problem

META_SHEET = "_padu"
DATA_SHEET = "Data"


def is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        d = Decimal(repr(value))
        return f"{d:f}" if d != d.to_integral() else str(int(d))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def parse(data: bytes) -> Parsed:
    import openpyxl

    merged = merged_rows(data)
    if merged:
        raise file_problem(
            "merged",
            _("Row %(line)s has merged cells; unmerge them (one value per cell).")
            % {"line": merged[0]},
            merged[0],
        )
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise file_problem("xlsx", _("The Excel file cannot be read.")) from exc
    try:
        dataset_code = ""
        if META_SHEET in wb.sheetnames:
            for key, value, *_rest in wb[META_SHEET].iter_rows(values_only=True, max_col=2):
                if key == "dataset":
                    dataset_code = _text(value)
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        return _parse_sheet(ws, dataset_code)
    finally:
        wb.close()


def _parse_sheet(ws: Any, dataset_code: str) -> Parsed:
    ix: dict[str, int] = {}
    out: list[RawRow] = []
    problems: list[Problem] = []
    for n, cells in enumerate(ws.iter_rows(), 1):
        if not ix:
            keys = [_text(c.value).lower() for c in cells]
            if "kode_elemen" in keys and "nilai" in keys:
                ix = {k: i for i, k in enumerate(keys) if k in TEMPLATE_COLUMNS}
            elif n >= 5:
                raise file_problem(
                    "columns",
                    _("The key row (kode_wilayah, kode_elemen, …, nilai) was not found."),
                    1,
                )
            continue
        formula = next((c for c in cells if c.data_type == "f"), None)
        if formula is not None:
            problems.append(
                Problem(
                    n,
                    getattr(formula, "coordinate", ""),
                    "formula",
                    _("The cell contains a formula; type the value instead."),
                )
            )
            continue

        got = {k: cells[i] if i < len(cells) else None for k, i in ix.items()}
        value_cell = got.get("nilai")
        values = {k: _text(c.value) if c is not None else "" for k, c in got.items()}
        if not any(values.values()):
            continue
        text_cell = value_cell is not None and value_cell.data_type == "s" and bool(values["nilai"])
        out.append(
            RawRow(
                n,
                values.get("kode_wilayah", ""),
                values.get("kode_elemen", ""),
                values.get("kode_rincian", ""),
                values.get("periode", ""),
                values.get("nilai", ""),
                values.get("keterangan", ""),
                text_cell,
                value_cell is not None and value_cell.data_type == "n",
            )
        )
    if not ix:
        raise file_problem("columns", _("The sheet is empty."), 1)
    return Parsed(out, dataset_code, problems)
