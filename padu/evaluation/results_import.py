"""Read and check uploaded result tables (CSV or XLSX): pure, no ORM.

Two kinds of table:
- external results of one period: `indikator`, optional `slot`, `tingkat`, optional `tahun`;
- published national results: `tahun`, `kode wilayah`, `nama`, `indeks`.

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
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from padu.core.spreadsheet import merged_rows

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000

# Canonical column -> accepted headers (compared lower-case with spaces, _ and - removed).
EXTERNAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("indikator", "noindikator", "nomorindikator", "nomor", "no", "indicator"),
    "slot": ("slot", "layanan", "layananke", "slotke"),
    "level": ("tingkat", "tingkatkematangan", "level", "nilai", "tingkatlhe", "nilailhe"),
    "year": ("tahun", "year"),
}
EXTERNAL_REQUIRED = ("indicator", "level")
PUBLISHED_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("tahun", "year"),
    "region": ("kodewilayah", "kode", "kodewil", "kodekemendagri", "regioncode", "code"),
    "name": ("nama", "namainstansi", "instansi", "pemda", "name"),
    "index": ("indeks", "indeksspbe", "nilaiindeks", "index"),
    "source": ("sumber", "source"),
}
PUBLISHED_REQUIRED = ("year", "region", "index")
NATIONAL_WORDS = {"", "nasional", "national", "rata-rata nasional", "-"}
REGION_CODE = re.compile(r"^\d{2}(\.\d{2})?$")


class TableError(Exception):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # canonical names found
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line, canonical column -> text)


@dataclass
class ExternalCheck:
    levels: dict[tuple[int, int], int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class PublishedRow:
    line: int
    year: int
    region_code: str | None
    name: str
    index: Decimal
    source: str


@dataclass
class PublishedCheck:
    rows: list[PublishedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    key: tuple[int, int]
    before: int | None
    after: int


def _norm(header: object) -> str:
    return re.sub(r"[\s_\-./()]+", "", str(header or "").strip().lower())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
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
    while rows and not any(rows[0]):
        rows.pop(0)
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
    for line, row in enumerate(rows[1:], start=2):
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
                )
            )
            continue
        body.append((line, values))
    if not body and not problems:
        raise TableError(_("The file has a header but no data rows."))
    return Table(tuple(positions), tuple(body)), problems


def _integer(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    return None


def check_external(
    table: Table,
    *,
    slots: Mapping[int, int],
    min_level: int,
    max_level: int,
    year: int,
) -> ExternalCheck:
    """Check rows of external levels against the instrument (indicator number -> slots)."""
    out = ExternalCheck()
    seen: dict[tuple[int, int], int] = {}
    for line, row in table.rows:
        number = _integer(row.get("indicator", ""))
        if number is None or number not in slots:
            out.problems.append(
                RowProblem(
                    line,
                    _("unknown indicator number %(value)r.") % {"value": row.get("indicator", "")},
                )
            )
            continue
        raw_year = row.get("year", "")
        if raw_year and _integer(raw_year) != year:
            out.problems.append(
                RowProblem(
                    line,
                    _("year %(value)s does not match the period %(year)d.")
                    % {"value": raw_year, "year": year},
                )
            )
            continue
        raw_slot = row.get("slot", "")
        slot = _integer(raw_slot) if raw_slot else (1 if slots[number] == 1 else None)
        if slot is None or not 1 <= slot <= slots[number]:
            out.problems.append(
                RowProblem(
                    line,
                    _("indicator %(n)d needs a slot from 1 to %(max)d.")
                    % {"n": number, "max": slots[number]},
                )
            )
            continue
        raw_level = row.get("level", "")
        if not raw_level:
            continue  # a blank level leaves the indicator as it is
        level = _integer(raw_level)
        if level is None or not min_level <= level <= max_level:
            out.problems.append(
                RowProblem(
                    line,
                    _("level %(value)r is outside %(min)d-%(max)d.")
                    % {"value": raw_level, "min": min_level, "max": max_level},
                )
            )
            continue
        key = (number, slot)
        if key in seen:
            out.problems.append(
                RowProblem(
                    line,
                    _("indicator %(n)d slot %(slot)d already given on line %(first)d.")
                    % {"n": number, "slot": slot, "first": seen[key]},
                )
            )
            continue
        seen[key] = line
        out.levels[key] = level
    return out


def changes(
    current: Mapping[tuple[int, int], int | None], new: Mapping[tuple[int, int], int]
) -> list[Change]:
    """What applying `new` would change, in indicator order."""
    return [Change(k, current.get(k), v) for k, v in sorted(new.items()) if current.get(k) != v]


def _index(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(5):
        return None
    if value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


def check_published(
    table: Table, *, known_regions: Mapping[str, str], years: tuple[int, int] = (2018, 2100)
) -> PublishedCheck:
    """Check rows of published indices; a blank or `nasional` code is the national average."""
    out = PublishedCheck()
    seen: dict[tuple[int, str | None], int] = {}
    for line, row in table.rows:
        year = _integer(row.get("year", ""))
        if year is None or not years[0] <= year <= years[1]:
            out.problems.append(
                RowProblem(
                    line,
                    _("year %(value)r is not a year from %(min)d to %(max)d.")
                    % {"value": row.get("year", ""), "min": years[0], "max": years[1]},
                )
            )
            continue
        raw_code = row.get("region", "").strip()
        code: str | None = None
        if raw_code.lower() not in NATIONAL_WORDS:
            if not REGION_CODE.match(raw_code) or raw_code not in known_regions:
                out.problems.append(
                    RowProblem(
                        line,
                        _("unknown region code %(value)r (use e.g. 74.71).") % {"value": raw_code},
                    )
                )
                continue
            code = raw_code
        index = _index(row.get("index", ""))
        if index is None:
            out.problems.append(
                RowProblem(
                    line,
                    _("index %(value)r must be a number from 0 to 5 with two decimals.")
                    % {"value": row.get("index", "")},
                )
            )
            continue
        key = (year, code)
        if key in seen:
            out.problems.append(
                RowProblem(
                    line,
                    _("%(year)d %(code)s already given on line %(first)d.")
                    % {"year": year, "code": code or _("national"), "first": seen[key]},
                )
            )
            continue
        seen[key] = line
        name = row.get("name", "").strip() or (known_regions.get(code, "") if code else "")
        out.rows.append(
            PublishedRow(line, year, code, name[:200], index, row.get("source", "").strip()[:300])
        )
    return out


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


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], title: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
