"""Pure helpers for releases: small-count suppression, formula neutralisation, and the
CSV, XLSX and JSON files of a release (bytes in, bytes out; no ORM).

- Suppression: a numeric value below an element's `suppress_below` n is published as "<n"
  (zero included: a zero count can disclose as much as a one).
- Neutralisation: a text cell starting with = + - @ (or a tab / carriage return) gets a
  leading apostrophe so spreadsheet programs never run it as a formula. Plain numbers,
  negative ones included, are left alone: "-5" is data, not a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from padu.core.spreadsheet import neutralise as _neutralise

COLUMNS = (
    "kode_wilayah",
    "nama_wilayah",
    "periode",
    "kode_elemen",
    "nama_elemen",
    "kategori",
    "nilai",
    "satuan",
)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Row:
    """One published figure, after suppression."""

    region_code: str
    region_name: str
    period: str
    element_code: str
    element_name: str
    category: str
    value: str
    unit: str

    def as_tuple(self) -> tuple[str, ...]:
        return (
            self.region_code,
            self.region_name,
            self.period,
            self.element_code,
            self.element_name,
            self.category,
            self.value,
            self.unit,
        )


def plain_number(value: Decimal) -> str:
    """12, 12.5, -3: no exponent, no trailing zeros."""
    return f"{value.normalize():f}"


def published_value(
    value: Decimal | None, text: str, suppress_below: int | None
) -> tuple[str, bool]:
    """The value as published and whether it was suppressed."""
    if value is None:
        return text, False
    if suppress_below and value < suppress_below:
        return f"<{suppress_below}", True
    return plain_number(value), False


def neutralise(cell: str) -> str:
    """A cell that spreadsheets will not evaluate as a formula."""
    return str(_neutralise(cell))


def csv_bytes(rows: Iterable[Row]) -> bytes:
    """UTF-8 CSV (no BOM, LF line ends) so the checksum is easy to reproduce with sha256sum."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(c) for c in row.as_tuple()])
    return buffer.getvalue().encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _xlsx_value(cell: str, column: str) -> Any:
    if column == "nilai" and _NUMBER.match(cell):
        return Decimal(cell) if "." in cell else int(cell)
    return neutralise(cell)


def xlsx_bytes(rows: Sequence[Row], metadata: dict[str, Any]) -> bytes:
    """A workbook with the data sheet and a metadata sheet; no cell is a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    data = book.create_sheet("data")
    data.append(list(COLUMNS))
    for row in rows:
        data.append([_xlsx_value(c, col) for c, col in zip(row.as_tuple(), COLUMNS, strict=True)])
    meta = book.create_sheet("metadata")
    for key, value in metadata.items():
        if isinstance(value, list | dict):
            value = json.dumps(value, ensure_ascii=False)
        meta.append([neutralise(str(key)), neutralise("" if value is None else str(value))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_bytes(rows: Iterable[Row], metadata: dict[str, Any]) -> bytes:
    """The metadata and the records, as datastore_search would return them."""
    document = {
        "metadata": metadata,
        "fields": [{"id": c, "type": "text"} for c in COLUMNS],
        "records": [dict(zip(COLUMNS, r.as_tuple(), strict=True)) for r in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
