"""The per-indicator hand-off to the national evaluation portal: a page and its downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from padu.core.http import current_agency

from ..models import Assessment
from ..permissions import can_comment, get_assessment_for_user
from ..portal import handoff_for


def get_handoff_assessment(request: HttpRequest, pk: int) -> Assessment:
    """404 when the indicator is not visible; 403 unless the user is the agency's koordinator,
    an assessor, or works on the indicator (the hand-off carries every evidence title)."""
    assessment = get_assessment_for_user(request.user, current_agency(request), pk)
    # The same people who take part in the indicator's conversation (the page links here then).
    if not can_comment(request.user, assessment):
        raise PermissionDenied
    return assessment


@login_required
@require_GET
def assessment_handoff(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_handoff_assessment(request, pk)
    handoff = handoff_for(assessment)
    return render(
        request,
        "evaluation/assessment_handoff.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "handoff": handoff,
        },
    )


@login_required
@require_GET
def assessment_handoff_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("txt", "csv"):
        raise Http404
    assessment = get_handoff_assessment(request, pk)
    handoff = handoff_for(assessment)
    a = assessment
    stem = f"portal-{a.period.agency.slug}-{a.period.year}-{handoff.indicator_code}"
    if a.indicator.slots > 1:
        stem += f"-{a.slot}"
    if fmt == "csv":
        body, kind = "\ufeff" + handoff.as_csv(), "text/csv; charset=utf-8"
    else:
        body, kind = handoff.as_text(), "text/plain; charset=utf-8"
    response = HttpResponse(body.encode("utf-8"), content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
