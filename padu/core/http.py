"""Small helpers shared by views: the current agency, CSV export, htmx-aware rendering."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from padu.organizations.models import Agency

from .spreadsheet import safe_cell


def current_agency(request: HttpRequest) -> Agency:
    """The agency the user is working in; 403 for a user who belongs to none."""
    agency = getattr(request, "agency", None)
    if agency is None:
        raise PermissionDenied
    return agency


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream rows as a CSV download (UTF-8 with BOM so Excel reads it correctly); cells that
    a spreadsheet would run as formulas are made inert."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow([str(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def no_content_redirect(url: str) -> HttpResponse:
    """For htmx: tell the browser to go to `url`."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
