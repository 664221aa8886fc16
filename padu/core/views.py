"""Home dashboard and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .dashboard import panels_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    agency = getattr(request, "agency", None)
    return render(request, "core/home.html", {"panels": panels_for(request.user, agency)})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
