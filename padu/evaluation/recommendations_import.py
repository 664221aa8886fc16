"""Reading a recommendations file (CSV or XLSX) into checked rows; no database access.

Columns (first row, any order, case-insensitive): `indikator` (number or code),
`rekomendasi` (text), optional `opd` (acronym or name of the owner unit) and optional
`tanggal target` (YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY). Every bad row is reported by its
line number; the caller applies nothing when any row is bad.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from padu.core.spreadsheet import merged_rows

MAX_ROWS = 2000

HEADERS = {
    "indicator": {"indikator", "indicator", "no indikator", "nomor indikator", "no"},
    "text": {"rekomendasi", "recommendation", "teks rekomendasi"},
    "unit": {"opd", "kode opd", "nama opd", "unit", "perangkat daerah", "owner"},
    "target_on": {"tanggal target", "target", "tanggal", "target date", "batas waktu"},
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


class ImportFileError(ValueError):
    """The file cannot be read at all (wrong type, broken, no header)."""


@dataclass(frozen=True)
class ImportRow:
    line: int
    indicator_id: int
    text: str
    unit_id: int | None
    target_on: datetime.date | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Row %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def normalise(value: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: the key used for look-ups."""
    return re.sub(r"[\s_]+", " ", value).strip().strip(".").lower()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The file's rows as strings (header first); XLSX dates become ISO dates. The name must say
    CSV or XLSX and the content must be what the name says (checked as for LHE imports)."""
    from .results_import import TableError, table_kind

    name = filename.lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    try:
        kind = table_kind(content)
    except TableError as exc:
        raise ImportFileError(str(exc)) from exc
    if kind == "csv" and name.endswith(".xlsx"):
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook (XLSX)."))
    if kind == "xlsx" and name.endswith(".csv"):
        raise ImportFileError(
            _("The file is named .csv but is an Excel workbook, not CSV text; name it .xlsx.")
        )
    return _read_csv(content) if kind == "csv" else _read_xlsx(content)


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # guessing another encoding could change what was typed
        line = content[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _("Line %(line)d: the file is not UTF-8 text (save it as CSV UTF-8).") % {"line": line}
        ) from exc
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file could not be read: %(error)s") % {"error": exc}
        ) from exc


def _read_xlsx(content: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        merged = merged_rows(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(_("The XLSX file is damaged or not a workbook.")) from exc
    if merged:
        workbook.close()
        raise ImportFileError(
            _("Row %(line)s has merged cells; unmerge them (one value per cell).")
            % {"line": merged[0]}
        )
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":  # a value must be typed, not computed
                    raise ImportFileError(
                        _("Cell %(cell)s holds a formula; type the value instead.")
                        % {"cell": cell.coordinate}
                    )
            rows.append([_cell(getattr(cell, "value", None)) for cell in row])
        return rows
    finally:
        workbook.close()


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = normalise(raw)
        for name, aliases in HEADERS.items():
            if key in aliases and name not in found:
                found[name] = index
    missing = [n for n in ("indicator", "text") if n not in found]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {
                "columns": ", ".join(
                    {"indicator": "indikator", "text": "rekomendasi"}[m] for m in missing
                )
            }
        )
    return found


def parse_date(value: str) -> datetime.date | None:
    """A date in one of DATE_FORMATS; None when empty; ValueError when unreadable."""
    value = value.strip()
    if not value:
        return None
    if " " in value:  # "2026-06-30 00:00:00" from a spreadsheet
        value = value.split(" ", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_rows(
    table: Iterable[Sequence[str]],
    *,
    indicators: Mapping[str, int],
    units: Mapping[str, int],
    earliest: datetime.date,
) -> ParseResult:
    """Check every data row. `indicators` and `units` map normalised numbers/codes and
    acronyms/names to ids; target dates must not be before `earliest`."""
    rows = [list(r) for r in table]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError(_("The file is empty."))
    columns = _columns(rows[0])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("At most %(count)d rows can be imported at once.") % {"count": MAX_ROWS}
        )
    result = ParseResult()
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        parsed = _parse_row(line, row, columns, indicators, units, earliest, result.errors)
        if parsed is not None:
            result.rows.append(parsed)
    if not result.rows and not result.errors:
        raise ImportFileError(_("The file has a header but no rows."))
    return result


def _get(row: Sequence[str], columns: Mapping[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _parse_row(
    line: int,
    row: Sequence[str],
    columns: Mapping[str, int],
    indicators: Mapping[str, int],
    units: Mapping[str, int],
    earliest: datetime.date,
    errors: list[RowError],
) -> ImportRow | None:
    before = len(errors)
    raw_indicator = _get(row, columns, "indicator")
    indicator_id = indicators.get(normalise(raw_indicator)) if raw_indicator else None
    if not raw_indicator:
        errors.append(RowError(line, _("the indicator is empty.")))
    elif indicator_id is None:
        errors.append(
            RowError(
                line,
                _("indicator %(value)s is not in this period's instrument.")
                % {"value": raw_indicator},
            )
        )
    text = _get(row, columns, "text")
    if not text:
        errors.append(RowError(line, _("the recommendation text is empty.")))
    raw_unit = _get(row, columns, "unit")
    unit_id = units.get(normalise(raw_unit)) if raw_unit else None
    if raw_unit and unit_id is None:
        errors.append(
            RowError(line, _("OPD %(value)s is not a unit of this agency.") % {"value": raw_unit})
        )
    target_on = None
    raw_date = _get(row, columns, "target_on")
    try:
        target_on = parse_date(raw_date)
    except ValueError:
        errors.append(
            RowError(
                line,
                _("date %(value)s is not a date (use YYYY-MM-DD or DD/MM/YYYY).")
                % {"value": raw_date},
            )
        )
    if target_on is not None and target_on < earliest:
        errors.append(
            RowError(
                line,
                _("the target date %(date)s is before the start of the period's year.")
                % {"date": target_on.isoformat()},
            )
        )
    if len(errors) > before or indicator_id is None:
        return None
    return ImportRow(line, indicator_id, text, unit_id, target_on)
