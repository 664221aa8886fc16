"""DHIS2-style data value sets with codes as ids (`idScheme=code`), in JSON or CSV.

JSON: {"dataSet": "KEPENDUDUKAN", "period": "202501", "orgUnit": "74.71.01.1001",
"dataValues": [{"dataElement": "PDD", "period": "202501", "orgUnit": "74.71.01.1001",
"categoryOptionCombo": "L", "value": "12", "comment": ""}]}; the top-level period and
orgUnit are defaults for the values. CSV: DHIS2's columns dataelement, period, orgunit,
categoryoptioncombo, attributeoptioncombo, value, storedby, lastupdated, comment, followup
(with or without the header line).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from padu.core.spreadsheet import restore

from . import Parsed, Problem, RawRow, decode_text, file_problem
from .csv import keys, read_rows

DVS_CSV_COLUMNS = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def parse_json(data: bytes) -> Parsed:
    text = decode_text(data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise file_problem(
            "json",
            _("The file is not valid JSON (line %(line)s: %(error)s).")
            % {"line": exc.lineno, "error": exc.msg},
            exc.lineno,
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("dataValues"), list):
        raise file_problem("json", _("The JSON has no “dataValues” list."))
    period, org_unit = _text(doc.get("period")), _text(doc.get("orgUnit"))
    out: list[RawRow] = []
    problems: list[Problem] = []
    for n, item in enumerate(doc["dataValues"], 1):
        if not isinstance(item, dict):
            problems.append(Problem(n, "dataValues", "json", _("The entry is not a JSON object.")))
            continue
        out.append(
            RawRow(
                n,
                _text(item.get("orgUnit")) or org_unit,
                _text(item.get("dataElement")),
                _text(item.get("categoryOptionCombo")),
                _text(item.get("period")) or period,
                _text(item.get("value")),
                _text(item.get("comment")),
                machine=True,
            )
        )
    return Parsed(out, _text(doc.get("dataSet")), problems)


def parse_csv(data: bytes) -> Parsed:
    first_row, rows = read_rows(data)
    header = keys(first_row)
    if "dataelement" in header:
        ix = {name: i for i, name in enumerate(header)}
        missing = [c for c in ("dataelement", "period", "orgunit", "value") if c not in ix]
        if missing:
            raise file_problem(
                "columns",
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
                1,
            )
        first = 2
    else:  # DHIS2 also writes these files without a header, in its column order
        ix = {name: i for i, name in enumerate(DVS_CSV_COLUMNS)}
        rows = [first_row, *rows]
        first = 1
    de, pe, ou, v = ix["dataelement"], ix["period"], ix["orgunit"], ix["value"]
    coc, cm = ix.get("categoryoptioncombo"), ix.get("comment")
    out: list[RawRow] = []
    append = out.append
    for n, row in enumerate(rows, first):
        if len(row) <= max(de, pe, ou, v):
            if not any(x.strip() for x in row):
                continue
            row = row + [""] * (len(DVS_CSV_COLUMNS) - len(row))
        append(
            RawRow(
                n,
                row[ou].strip(),
                row[de].strip(),
                row[coc].strip() if coc is not None and coc < len(row) else "",
                row[pe].strip(),
                restore(row[v].strip()),
                restore(row[cm].strip()) if cm is not None and cm < len(row) else "",
                machine=True,
            )
        )
    return Parsed(out)
