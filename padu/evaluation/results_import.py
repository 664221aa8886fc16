"""Read and check uploaded result tables (CSV or XLSX): pure, no ORM.

External results of one period: `indikator`, optional `slot`, `tingkat`, optional `tahun`;
on a decimal instrument (Pemdi) the `nilai` column holds values 1.00-5.00 with two decimals,
typed the Indonesian way ("1,26") or the English way ("1.26"). Published national results
(`results_published.py`) are read with the same `read_table`; the download templates are in
`results_templates.py`.

Excel number cells are read at Excel's own precision (15 significant digits), so a cell
holding 1.26 reads as exactly 1.26, never as its binary approximation.

The whole file is checked before anything is applied; each problem names its row (the line
number as the spreadsheet shows it, the header being line 1). The file type is read from its
content, never from its name: XLSX is a ZIP holding `xl/workbook.xml`, CSV is UTF-8 text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from padu.core.spreadsheet import merged_rows

from .scoring import HUNDREDTH, Value
from .values import read_decimal

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000

# Canonical column -> accepted headers (compared lower-case with spaces, _ and - removed).
EXTERNAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("indikator", "noindikator", "nomorindikator", "nomor", "no", "indicator"),
    "code": ("kode", "kodeindikator", "code"),
    "slot": ("slot", "layanan", "layananke", "slotke"),
    "level": ("tingkat", "tingkatkematangan", "level", "nilai", "tingkatlhe", "nilailhe"),
    "year": ("tahun", "year"),
}
EXTERNAL_REQUIRED = ("indicator", "level")


class TableError(Exception):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class RowProblem:
    """A fault on one line (as the spreadsheet numbers it), and the cell when one is to blame."""

    line: int
    reason: str
    cell: str = ""  # e.g. "F7"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # canonical names found
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line, canonical column -> text)
    positions: Mapping[str, int] = field(default_factory=dict)  # canonical column -> index

    def cell(self, column: str, line: int) -> str:
        """The spreadsheet reference of one cell ("F7"), or "" for a column not in the file."""
        if column not in self.positions:
            return ""
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.positions[column] + 1)}{line}"


@dataclass
class ExternalCheck:
    levels: dict[tuple[int, int], Value] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    key: tuple[int, int]
    before: Value | None
    after: Value


def _norm(header: object) -> str:
    return re.sub(r"[\s_\-./()]+", "", str(header or "").strip().lower())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 1.26 reads "1.26", not 1.2600000000000000089.
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    return str(value).strip()


def _looks_like_formula(text: str) -> bool:
    if text[:1] in ("=", "@"):
        return True
    return text[:1] in ("+", "-") and len(text) > 1 and not re.fullmatch(r"[+-]\d+([.,]\d+)?", text)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        merged = merged_rows(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise TableError(_("The XLSX file is damaged and cannot be read.")) from exc
    if merged:
        book.close()
        raise TableError(
            _("Row %(line)s has merged cells; unmerge them (one value per cell).")
            % {"line": merged[0]}
        )
    try:
        sheet = book.worksheets[0]
        out: list[list[str]] = []
        for line, row in enumerate(sheet.iter_rows(), start=1):
            if line > MAX_ROWS + 1:
                raise TableError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
            values = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    values.append("=" + str(cell.value).lstrip("="))
                else:
                    values.append(_cell_text(getattr(cell, "value", None)))
            out.append(values)
        return out
    finally:
        book.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(
            _("Line %(line)d: the file is not UTF-8 text (save it as CSV UTF-8).") % {"line": line}
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(rows) > MAX_ROWS + 1:
        raise TableError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
    return [[c.strip() for c in r] for r in rows]


def table_kind(data: bytes) -> str:
    """'xlsx' or 'csv', told by the content, not the name; TableError for anything else."""
    if data[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise TableError(_("The file is a damaged ZIP archive, not an XLSX workbook.")) from exc
        if "xl/workbook.xml" not in names:
            raise TableError(_("The file is a ZIP archive but not an XLSX workbook."))
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError(_("Old Excel files (.xls) are not supported; save as XLSX or CSV."))
    if b"\x00" in data:
        raise TableError(_("The file is neither CSV text nor an XLSX workbook."))
    return "csv"


def raw_rows(data: bytes) -> list[list[str]]:
    """The cells of the file's first sheet as text, the type told by the content."""
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is larger than 5 MB."))
    if not data.strip():
        raise TableError(_("The file is empty."))
    return _xlsx_rows(data) if table_kind(data) == "xlsx" else _csv_rows(data)


def read_table(
    data: bytes, columns: Mapping[str, Sequence[str]], required: Iterable[str]
) -> tuple[Table, list[RowProblem]]:
    """Map the header to canonical columns; formulas are reported per row and cell."""
    rows = raw_rows(data)
    skipped = 0
    while rows and not any(rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise TableError(_("The file is empty."))
    lookup = {alias: name for name, aliases in columns.items() for alias in aliases}
    positions: dict[str, int] = {}
    for i, header in enumerate(rows[0]):
        name = lookup.get(_norm(header))
        if name and name not in positions:
            positions[name] = i
    missing = [c for c in required if c not in positions]
    if missing:
        expected = ", ".join(columns[c][0] for c in required)
        raise TableError(
            _("Line 1: the header must name the columns %(expected)s.") % {"expected": expected}
        )
    problems: list[RowProblem] = []
    body: list[tuple[int, dict[str, str]]] = []
    table = Table(tuple(positions), (), positions)
    for line, row in enumerate(rows[1:], start=2 + skipped):
        if not any(row):
            continue
        values = {name: (row[i] if i < len(row) else "") for name, i in positions.items()}
        formulas = [name for name, text in values.items() if _looks_like_formula(text)]
        if formulas:
            problems.append(
                RowProblem(
                    line,
                    _("a formula in column %(col)s; type the value instead.")
                    % {"col": ", ".join(formulas)},
                    table.cell(formulas[0], line),
                )
            )
            continue
        body.append((line, values))
    if not body and not problems:
        raise TableError(_("The file has a header but no data rows."))
    return Table(tuple(positions), tuple(body), positions), problems


def _integer(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    return None


def _number_text(text: str) -> Decimal | None:
    """A number typed with one decimal comma or point ("1,26", "1.26"), else None ("1,2,6")."""
    return read_decimal(text, signed=True)


def _shown(value: int | Decimal, places: int) -> str:
    """A bound as the active language writes it ("1,00" in Indonesian)."""
    return formats.number_format(value, places)


def parse_value(text: str, *, decimal: bool, min_level: int, max_level: int) -> Value:
    """One external value as the instrument allows it, or ValueError with the reason:
    two-decimal values on a decimal instrument, whole levels on a level instrument."""
    number = _number_text(text)
    if number is None:
        example = "1,26" if decimal else str(max_level - 1)
        raise ValueError(
            _("%(value)r is not a number; type it like %(example)s.")
            % {"value": text, "example": example}
        )
    if not decimal and number != number.to_integral_value():
        raise ValueError(
            _(
                "level %(value)r is not a whole number: this instrument scores whole levels "
                "from %(min)d to %(max)d, not decimal values."
            )
            % {"value": text, "min": min_level, "max": max_level}
        )
    if not min_level <= number <= max_level:
        if not decimal:
            raise ValueError(
                _("level %(value)r is outside %(min)d-%(max)d.")
                % {"value": text, "min": min_level, "max": max_level}
            )
        raise ValueError(
            _("value %(value)r is outside %(min)s-%(max)s.")
            % {
                "value": text,
                "min": _shown(Decimal(min_level), 2),
                "max": _shown(Decimal(max_level), 2),
            }
        )
    if not decimal:
        return int(number)
    if number != number.quantize(HUNDREDTH):
        raise ValueError(
            _("value %(value)r has more than two decimals; round it to two, e.g. 1,26.")
            % {"value": text}
        )
    return number.quantize(HUNDREDTH)


def _indicator_of(
    row: Mapping[str, str], slots: Mapping[int, int], codes: Mapping[str, int]
) -> int | None:
    """The indicator number named by the row (its number, or its code such as IK7)."""
    raw = row.get("indicator", "").strip() or row.get("code", "").strip()
    number = _integer(raw)
    if number is None:
        number = codes.get(re.sub(r"\s+", "", raw).upper())
    return number if number in slots else None


def check_external(
    table: Table,
    *,
    slots: Mapping[int, int],
    min_level: int,
    max_level: int,
    year: int,
    decimal: bool = False,
    codes: Mapping[str, int] | None = None,
) -> ExternalCheck:
    """Check rows of external results against the instrument (indicator number -> slots);
    `decimal` for an instrument scored in two-decimal values, `codes` (IK7 -> 7) to accept
    indicator codes and to check a `kode` column against the number."""
    out = ExternalCheck()
    codes = {k.upper(): v for k, v in (codes or {}).items()}
    code_of = {number: code for code, number in codes.items()}
    seen: dict[tuple[int, int], int] = {}
    for line, row in table.rows:

        def problem(reason: str, column: str, line: int = line) -> None:
            out.problems.append(RowProblem(line, reason, table.cell(column, line)))

        number = _indicator_of(row, slots, codes)
        if number is None:
            value = row.get("indicator", "") or row.get("code", "")
            problem(_("unknown indicator number %(value)r.") % {"value": value}, "indicator")
            continue
        given_code = re.sub(r"\s+", "", row.get("code", "")).upper()
        if given_code and number in code_of and given_code != code_of[number]:
            problem(
                _("indicator %(n)d is %(code)s, not %(given)s.")
                % {"n": number, "code": code_of[number], "given": row.get("code", "")},
                "code",
            )
            continue
        raw_year = row.get("year", "")
        if raw_year and _integer(raw_year) != year:
            problem(
                _("year %(value)s does not match the period %(year)d.")
                % {"value": raw_year, "year": year},
                "year",
            )
            continue
        raw_slot = row.get("slot", "")
        slot = _integer(raw_slot) if raw_slot else (1 if slots[number] == 1 else None)
        if slot is None or not 1 <= slot <= slots[number]:
            problem(
                _("indicator %(n)d needs a slot from 1 to %(max)d.")
                % {"n": number, "max": slots[number]},
                "slot",
            )
            continue
        raw_level = row.get("level", "")
        if not raw_level:
            continue  # a blank level leaves the indicator as it is
        try:
            level = parse_value(
                raw_level, decimal=decimal, min_level=min_level, max_level=max_level
            )
        except ValueError as exc:
            problem(str(exc), "level")
            continue
        key = (number, slot)
        if key in seen:
            problem(
                _("indicator %(n)d slot %(slot)d already given on line %(first)d.")
                % {"n": number, "slot": slot, "first": seen[key]},
                "indicator",
            )
            continue
        seen[key] = line
        out.levels[key] = level
    return out


def changes(
    current: Mapping[tuple[int, int], Value | None], new: Mapping[tuple[int, int], Value]
) -> list[Change]:
    """What applying `new` would change, in indicator order."""
    return [Change(k, current.get(k), v) for k, v in sorted(new.items()) if current.get(k) != v]
