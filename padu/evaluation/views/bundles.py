"""Evidence bundles of a period: the list with live progress, requesting one, downloading it.

Who: the koordinator and the agency admin request bundles; they, the internal assessors
and the leaders (the roles that already see the agency's whole evidence library) see the
list and download. OPD admins and viewers get 403: a bundle holds every unit's evidence.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from padu.accounts.permissions import has_role
from padu.core.http import current_agency
from padu.organizations.models import Agency

from ..choices import JobStatus
from ..models import EvidenceBundle
from ..permissions import OVERSIGHT_ROLES, can_manage_evaluation, can_view_evaluation
from ..services_bundles import request_evidence_bundle
from .periods import get_period_for_user


def can_download_bundles(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, *OVERSIGHT_ROLES)


@login_required
@require_GET
def bundle_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The page; with htmx and ?bundle=<id>, only that bundle's progress fragment."""
    period = get_period_for_user(request, pk)
    if not can_download_bundles(request.user, period.agency):
        raise PermissionDenied
    bundles = period.bundles.select_related("requested_by").order_by("-created_at")
    if request.htmx and request.GET.get("bundle"):  # type: ignore[attr-defined]
        bundle = bundles.filter(pk=_int(request.GET["bundle"])).first()
        if bundle is None:
            raise Http404
        return render(request, "evaluation/partials/bundle_progress.html", {"bundle": bundle})
    return render(
        request,
        "evaluation/bundle_list.html",
        {
            "period": period,
            "bundles": bundles[:20],
            "can_manage": can_manage_evaluation(request.user, period.agency),
        },
    )


@login_required
@require_POST
def bundle_create(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    _bundle, created = request_evidence_bundle(period=period, user=request.user)
    if created:
        messages.success(request, _("The evidence bundle is being built."))
    else:
        messages.info(request, _("A bundle of this period is already being built."))
    return redirect("evaluation:bundle_list", pk=period.pk)


@login_required
@require_GET
def bundle_download(request: HttpRequest, bundle_pk: int) -> FileResponse:
    agency = current_agency(request)
    if not can_view_evaluation(request.user, agency):
        raise PermissionDenied
    bundle = (
        EvidenceBundle.objects.filter(period__agency=agency, pk=bundle_pk)
        .select_related("period__agency")
        .first()
    )
    if bundle is None or bundle.status != JobStatus.DONE or not bundle.file:
        raise Http404
    if not can_download_bundles(request.user, agency):
        raise PermissionDenied
    try:
        content = bundle.file.open("rb")
    except OSError as exc:  # removed from storage since it was built
        raise Http404 from exc
    response = FileResponse(
        content,
        as_attachment=True,
        filename=(bundle.file.name or "").rsplit("/", 1)[-1],
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0
