"""The period workbook: a summary sheet, one sheet per domain (or per aspect) and a sheet of
evidence links, written in openpyxl's write-only mode; every text cell is neutralised so it
cannot run as a formula."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from padu.core.spreadsheet import neutralise

from ..index import figure
from .common import Group, IndicatorRow, ReportData

MAX_CELL = 32_000  # Excel holds at most 32,767 characters in a cell
_BAD_TITLE = re.compile(r"[\\/?*\[\]:]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_LINK = Font(color="0563C1", underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no \\ / ? * [ ] :, at most 31 characters."""
    base = _BAD_TITLE.sub(" ", text).strip().strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _decimal_format(value: Decimal) -> str:
    """Two places for values and published figures; exact figures show their further digits."""
    exponent = value.as_tuple().exponent
    return "0.00" if isinstance(exponent, int) and exponent >= -2 else "0.00########"


def _text(value: str) -> str:
    value = value[:MAX_CELL]
    return neutralise(value)  # type: ignore[no-any-return]


def indicator_headers(decimal: bool = False) -> list[str]:
    if decimal:
        values = [_("Self value"), _("Validated value"), _("External value")]
    else:
        values = [_("Self level"), _("Validated level"), _("External level")]
    head = [_("No."), _("Indicator"), _("Slot"), _("Sector service"), _("Lead OPD"), _("Status")]
    tail = [_("Explanation"), _("Evidence"), _("Reviewer notes")]
    return head + values + tail + ([_("Scored from another agency's index")] if decimal else [])


INDICATOR_WIDTHS = [6, 48, 6, 28, 30, 14, 10, 10, 10, 60, 80, 60, 50]


def indicator_values(row: IndicatorRow, decimal: bool = False) -> list[Any]:
    if decimal:
        return [*_indicator_values(row), row.source_text]
    return _indicator_values(row)


def _indicator_values(row: IndicatorRow) -> list[Any]:
    return [
        int(row.code) if row.code.isdigit() else row.code,
        row.name,
        row.slot,
        row.service_name,
        row.lead_unit,
        row.status_label,
        row.claimed,
        row.validated,
        row.external,
        row.explanation,
        row.evidence_text,
        row.notes_text,
    ]


class _Sheet:
    """A write-only sheet with styled header rows and wrapped, neutralised text cells."""

    def __init__(self, wb: Workbook, title: str, widths: list[int], freeze: str | None) -> None:
        self.ws: Any = wb.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            self.ws.freeze_panes = freeze

    def make(self, values: Iterable[Any], font: Font | None = None, fill: Any = None) -> list[Any]:
        row = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=_text(value) if isinstance(value, str) else value)
            cell.alignment = _WRAP if isinstance(value, str) and value else _TOP
            if isinstance(value, Decimal):
                cell.number_format = _decimal_format(value)
            elif isinstance(value, datetime.date):
                cell.number_format = "DD-MM-YYYY"
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            row.append(cell)
        return row

    def cells(self, values: Iterable[Any], font: Font | None = None, fill: Any = None) -> None:
        self.ws.append(self.make(values, font, fill))

    def header(self, values: Iterable[Any]) -> None:
        self.cells(values, font=_BOLD, fill=_HEAD_FILL)

    def blank(self) -> None:
        self.ws.append([])


def _summary(wb: Workbook, data: ReportData, title: str) -> None:
    sheet = _Sheet(wb, title, [44, 16, 16, 16, 12, 16], None)
    period = data.period
    instrument = period.instrument
    decimal = data.is_decimal
    heading = _("Pemdi evaluation report") if decimal else _("SPBE evaluation report")
    sheet.cells([heading], font=_TITLE)
    sheet.cells([_("Agency"), period.agency.name])
    sheet.cells([_("Year"), period.year])
    sheet.cells([_("Instrument"), f"{period.instrument.title} ({period.instrument})"])
    sheet.cells([_("Generated on"), data.generated_on.strftime("%d-%m-%Y")])
    sheet.blank()
    exact = [_("Exact index")] if decimal else []
    sheet.header([_("Series"), _("Index"), _("Predicate"), _("Filled"), _("Total"), *exact])
    for s in data.scores.series:
        extra = [s.index] if decimal else []
        row = [str(s.label), figure(s.index, instrument), s.predicate, s.filled, s.total]
        sheet.cells([*row, *extra])
    if decimal:
        sheet.cells([_rounding_note(data)])
    sheet.blank()
    area = _("Domain / aspect") if data.scores.has_domains else _("Aspect")
    series = [str(s.label) for s in data.scores.series]
    exact_heads = (
        [_("%(series)s (exact)") % {"series": label} for label in series] if decimal else []
    )
    sheet.header([area, *series, *exact_heads])
    for g in data.scores.groups:
        name = g.name if g.is_domain or not data.scores.has_domains else f"    {g.name}"
        values = [figure(c.value, instrument) for c in g.values]
        extra = [c.value for c in g.values] if decimal else []
        sheet.cells([name, *values, *extra], font=_BOLD if g.is_domain else None)
    sheet.blank()
    sheet.header([_("Status"), _("Indicators")])
    for label, count in data.status_counts:
        sheet.cells([label, count])
    sheet.cells([_("Total"), len(data.rows)], font=_BOLD)


def _rounding_note(data: ReportData) -> str:
    instrument = data.period.instrument
    return _(
        "Figures are rounded to two places as published (%(rule)s); the exact values are "
        "in the columns marked exact."
    ) % {"rule": instrument.get_rounding_display()}


def _group_sheet(wb: Workbook, group: Group, title: str, decimal: bool) -> None:
    sheet = _Sheet(wb, title, INDICATOR_WIDTHS, "C2")
    sheet.header(indicator_headers(decimal))
    for row in group.rows:
        sheet.cells(indicator_values(row, decimal))


EVIDENCE_WIDTHS = [6, 40, 6, 7, 48, 22, 24, 12, 60]


def _evidence_sheet(wb: Workbook, data: ReportData, title: str) -> None:
    """One row per evidence item attached to an indicator, its link clickable."""
    sheet = _Sheet(wb, title, EVIDENCE_WIDTHS, "C2")
    sheet.header(
        [
            _("No."),
            _("Indicator"),
            _("Slot"),
            _("Level"),
            _("Title"),
            _("Type"),
            _("Document number"),
            _("Document date"),
            _("Link"),
        ]
    )
    for row in data.rows:
        code = int(row.code) if row.code.isdigit() else row.code
        for e in row.evidence:
            # Plain values (cheap) for thousands of rows; only the link is a styled cell.
            link: Any = _text(e.link)
            if e.link.startswith(("https://", "http://")):
                link = WriteOnlyCell(sheet.ws, value=link)
                link.hyperlink = e.link
                link.font = _LINK
            values = [code, row.name, row.slot, e.level, e.title, e.kind, e.number, e.date]
            sheet.ws.append([_text(v) if isinstance(v, str) else v for v in values] + [link])


def build_workbook(data: ReportData) -> bytes:
    """The workbook as bytes: the summary first, then one sheet per domain or aspect."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    _summary(wb, data, sheet_title(_("Summary"), taken))
    for group in data.groups:
        title = sheet_title(f"{group.code} {group.name}", taken)
        _group_sheet(wb, group, title, data.is_decimal)
    _evidence_sheet(wb, data, sheet_title(_("Evidence"), taken))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
