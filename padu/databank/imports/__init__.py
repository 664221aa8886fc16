"""Bulk upload of data values: parsing (XLSX template, CSV template, DHIS2-style data value
sets in JSON or CSV) and validation. Pure: bytes and plain values in, rows and problems out.

Every parser returns `RawRow`s (text as found, with the file's row number) or raises
`FileRejected` with the problems that make the whole file unreadable; `validate.validate`
turns raw rows into typed rows against a `Catalog`, collecting one `Problem` per bad row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

# The columns of the Padu template (CSV, and the key row of the Excel template).
TEMPLATE_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "kode_elemen",
    "nama_elemen",
    "kode_rincian",
    "nama_rincian",
    "periode",
    "nilai",
    "keterangan",
]
REQUIRED_COLUMNS = ["kode_wilayah", "kode_elemen", "periode", "nilai"]


class RawRow(NamedTuple):
    """One value as found in the file; `line` is the row number the operator sees."""

    line: int
    region: str
    element: str
    cell: str
    period: str
    value: str
    comment: str = ""
    text_cell: bool = False  # Excel: the value cell holds text, not a number
    # A number as a program writes it (an Excel number cell, the DHIS2 formats): a dot is the
    # decimal separator and there are no thousands separators (see padu/databank/numbers.py).
    machine: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row (or, with line 0, the whole file) cannot be imported."""

    line: int
    column: str
    code: str
    reason: str
    warning: bool = False

    def as_row(self) -> list[str]:
        return [str(self.line), self.column, self.code, self.reason]


class FileRejected(Exception):
    """The file as a whole cannot be read; nothing is imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.reason for p in problems))
        self.problems = problems


def file_problem(code: str, reason: str, line: int = 0, column: str = "") -> FileRejected:
    return FileRejected([Problem(line, column, code, reason)])


@dataclass
class Parsed:
    rows: list[RawRow]
    dataset_code: str = ""  # as written in the file, when it says
    problems: list[Problem] = field(default_factory=list)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) text; anything else is rejected with a clear message."""
    if b"\x00" in data[:4096]:
        raise file_problem("encoding", _("The file is not a text file (it contains binary data)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise file_problem(
            "encoding",
            _("The file is not UTF-8 encoded (line %(line)s). Save it as “CSV UTF-8”.")
            % {"line": line},
            line,
        ) from exc


def check_size(size: int, max_mb: int) -> None:
    if size > max_mb * 1024 * 1024:
        raise file_problem(
            "too_large",
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": max_mb},
        )


def check_kind(data: bytes, fmt: str) -> None:
    """The content must be what the chosen format says (not just the file name)."""
    from .xlsx import is_xlsx

    if fmt == "xlsx":
        if not is_xlsx(data):
            raise file_problem(
                "wrong_file", _("The file is not an Excel workbook (XLSX) as its format says.")
            )
        return
    if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise file_problem(
            "wrong_file",
            _("The file is a binary file (for example Excel), not the text format chosen."),
        )


def parse(data: bytes, fmt: str) -> Parsed:
    """Dispatch to the parser of the format (xlsx, csv, dvs_json, dvs_csv)."""
    from . import csv as csv_parser
    from . import dvs, xlsx

    check_kind(data, fmt)
    if fmt == "xlsx":
        return xlsx.parse(data)
    if fmt == "csv":
        return csv_parser.parse(data)
    if fmt == "dvs_json":
        return dvs.parse_json(data)
    if fmt == "dvs_csv":
        return dvs.parse_csv(data)
    raise file_problem("format", _("Unknown import format."))
