"""The Padu CSV template: one row per value (region x element x cell x period)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from padu.core.spreadsheet import restore

from . import REQUIRED_COLUMNS, Parsed, RawRow, decode_text, file_problem


def sniff_dialect(text: str) -> str:
    """Comma, semicolon (Excel in Indonesian locale) or tab, from the header line."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The first row and the other rows of a UTF-8 CSV file."""
    text = decode_text(data)
    if not text.strip():
        raise file_problem("empty", _("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_dialect(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise file_problem(
            "csv", _("The CSV file cannot be read: %(error)s") % {"error": exc}
        ) from exc
    return rows[0], rows[1:]


def keys(header: list[str]) -> list[str]:
    return [h.strip().lower() for h in header]


def parse(data: bytes) -> Parsed:
    first, rows = read_rows(data)
    header = keys(first)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise file_problem(
            "columns",
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            1,
        )
    ix = {name: i for i, name in enumerate(header)}
    r, e, p, v = ix["kode_wilayah"], ix["kode_elemen"], ix["periode"], ix["nilai"]
    c, k = ix.get("kode_rincian"), ix.get("keterangan")
    width = len(header)
    out: list[RawRow] = []
    append = out.append
    for n, row in enumerate(rows, 2):
        if len(row) < width:
            if not any(x.strip() for x in row):
                continue
            row = row + [""] * (width - len(row))
        append(
            RawRow(
                n,
                row[r].strip(),
                row[e].strip(),
                row[c].strip() if c is not None else "",
                row[p].strip(),
                restore(row[v].strip()),
                restore(row[k].strip()) if k is not None else "",
            )
        )
    return Parsed(out)
