"""Pre-filled templates (Excel, CSV, data value sets) built from plain rows. Pure.

Excel layout (documented on the import page): sheet "Data", row 1 the column titles, row 2
(hidden) the column keys the import reads, then one row per village x element x cell with
the current value filled in. Only "Nilai" and "Keterangan" are editable; the key columns are
protected. Sheet "Petunjuk" explains the columns; hidden sheet "_padu" names the dataset.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from padu.core.spreadsheet import as_text_cells, safe_cell

from . import TEMPLATE_COLUMNS
from .dvs import DVS_CSV_COLUMNS
from .xlsx import DATA_SHEET, META_SHEET


@dataclass(frozen=True)
class TemplateRow:
    region: str
    region_name: str
    element: str
    element_name: str
    cell: str
    cell_name: str
    period: str
    value: str = ""
    comment: str = ""
    value_type: str = "integer"
    hint: str = ""
    options: tuple[str, ...] = ()

    def columns(self) -> list[str]:
        return [
            self.region,
            self.region_name,
            self.element,
            self.element_name,
            self.cell,
            self.cell_name,
            self.period,
            self.value,
            self.comment,
        ]


def to_csv(rows: Sequence[TemplateRow]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows([safe_cell(v) for v in r.columns()] for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_dvs_json(rows: Sequence[TemplateRow], dataset: str) -> bytes:
    doc = {
        "dataSet": dataset,
        "idScheme": "code",
        "dataValues": [
            {
                "dataElement": r.element,
                "period": r.period,
                "orgUnit": r.region,
                "categoryOptionCombo": r.cell,
                "value": r.value,
                "comment": r.comment,
            }
            for r in rows
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def to_dvs_csv(rows: Sequence[TemplateRow]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(DVS_CSV_COLUMNS)
    writer.writerows(
        [
            safe_cell(v)
            for v in (
                r.element,
                r.period,
                r.region,
                r.cell,
                "",
                r.value,
                "",
                "",
                r.comment,
                "false",
            )
        ]
        for r in rows
    )
    return buf.getvalue().encode("utf-8")


def _titles() -> list[str]:
    return [
        _("Region code"),
        _("Region"),
        _("Element code"),
        _("Element"),
        _("Cell code"),
        _("Cell"),
        _("Period"),
        _("Value"),
        _("Comment"),
        _("Type / allowed"),
    ]


def to_xlsx(rows: Sequence[TemplateRow], dataset: str, dataset_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(_titles())
    ws.append([*TEMPLATE_COLUMNS, "petunjuk"])
    ws.row_dimensions[2].hidden = True
    head = PatternFill("solid", fgColor="DDE7F0")
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), head
    validations: dict[str, Any] = {}
    editable = Protection(locked=False)
    for n, row in enumerate(rows, 3):
        is_number = row.value_type in ("integer", "decimal", "percentage") and row.value
        value: object = row.value
        if is_number:
            value = int(row.value) if row.value.lstrip("-").isdigit() else float(row.value)
        ws.append([*row.columns()[:7], value, row.comment, row.hint])
        as_text_cells(ws[n])  # names and text values that begin with = + - @ stay text
        ws.cell(n, 8).protection = editable
        ws.cell(n, 9).protection = editable
        dv = validations.get(row.element)
        if dv is None:
            dv = _validation(row, DataValidation)
            if dv is not None:
                validations[row.element] = dv
                ws.add_data_validation(dv)
        if dv is not None:
            dv.add(f"H{n}")
    for col, width in zip("ABCDEFGHIJ", (16, 24, 14, 36, 10, 18, 10, 12, 30, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "H3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A2:J{max(len(rows) + 2, 2)}"
    help_ws = wb.create_sheet(_("Instructions"))
    for line in _instructions():
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 110
    meta = wb.create_sheet(META_SHEET)
    meta.append(["dataset", dataset])
    meta.append(["name", dataset_name])
    for meta_row in meta.iter_rows():
        as_text_cells(meta_row)
    meta.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _validation(row: TemplateRow, factory: Any) -> Any:
    prompt = row.hint[:250]
    if row.value_type == "boolean":
        return factory(type="list", formula1='"ya,tidak"', allow_blank=True, prompt=prompt)
    if row.value_type == "option" and row.options:
        listed = ",".join(row.options)
        if len(listed) <= 250:
            return factory(type="list", formula1=f'"{listed}"', allow_blank=True, prompt=prompt)
        return None
    if row.value_type == "integer":
        return factory(
            type="whole",
            operator="between",
            formula1="-99999999999",
            formula2="99999999999",
            allow_blank=True,
            prompt=prompt,
        )
    if row.value_type == "percentage":
        return factory(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            prompt=prompt,
        )
    if row.value_type == "decimal":
        return factory(
            type="decimal",
            operator="between",
            formula1="-99999999999",
            formula2="99999999999",
            allow_blank=True,
            prompt=prompt,
        )
    return None


def _instructions() -> list[str]:
    return [
        _("How to fill this template"),
        _("Fill only the columns Value and Comment; the other columns are protected."),
        _("One row is one value: region x element x cell x period."),
        _("Type numbers as numbers (no formulas, no merged cells, no text in number cells)."),
        _("Yes/no values: ya or tidak. Option values: one of the listed codes."),
        _("A value outside the element's minimum/maximum needs a comment explaining it."),
        _("An emptied value is deleted on import. Rows you delete are left as they are."),
        _("Upload the file on the Import page; check it first (dry run), then apply."),
    ]
