"""Report downloads of a period: the XLSX workbook and the PDF Laporan Evaluasi Mandiri."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..reports.common import collect
from ..reports.pdf import render_pdf
from ..reports.xlsx import build_workbook
from .periods import get_period_for_user

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def report_index(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk)
    return render(request, "evaluation/reports/report_index.html", {"period": period})


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    data = collect(get_period_for_user(request, pk))
    return _attachment(build_workbook(data), XLSX_TYPE, data.filename("xlsx"))


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    data = collect(get_period_for_user(request, pk))
    return _attachment(render_pdf(data), "application/pdf", data.filename("pdf"))
