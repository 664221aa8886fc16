"""The register as CSV or XLSX, with the import's column names so a file round-trips; every
text cell that a spreadsheet would run as a formula (= + - @) gets a leading quote."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase

from padu.core.http import csv_response
from padu.core.spreadsheet import neutralise

from .models import Application
from .register_import import COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [export for export, _aliases in COLUMNS.values()]


def _row(app: Application) -> list[Any]:
    values = {
        "name": app.name,
        "acronym": app.acronym,
        "aliases": app.aliases,
        "description": app.description,
        "owner": app.owner_unit.acronym or app.owner_unit.name,
        "operator": (app.operator_unit.acronym or app.operator_unit.name)
        if app.operator_unit
        else "",
        "kind": app.kind,
        "category": app.category,
        "codes": ", ".join(sorted(c.code for c in app.reference_codes.all())),
        "url": app.url,
        "lifecycle": app.lifecycle,
        "hosting": app.hosting,
        "technology": app.technology,
        "sso": "ya" if app.single_sign_on else "tidak",
        "users": app.users,
        "user_count": app.user_count if app.user_count is not None else "",
        "decision": app.decision,
        "yearly_cost": app.yearly_cost if app.yearly_cost is not None else "",
    }
    return [neutralise(values[name]) for name in COLUMNS]


def export_queryset(items: QuerySet[Application]) -> QuerySet[Application]:
    return items.select_related("owner_unit", "operator_unit").prefetch_related("reference_codes")


def rows(items: QuerySet[Application]) -> Iterator[list[Any]]:
    for app in export_queryset(items).iterator(chunk_size=500):
        yield _row(app)


def as_csv(items: QuerySet[Application]) -> HttpResponseBase:
    return csv_response("register-aplikasi.csv", HEADER, rows(items))


def workbook_bytes(table: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Aplikasi")
    sheet.append(HEADER)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_xlsx(items: QuerySet[Application]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(rows(items)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="register-aplikasi.xlsx"'
    return response
