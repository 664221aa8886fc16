"""Reference-architecture views, register exports, and filing them as evaluation evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.forms import add_validation_error
from padu.evaluation.permissions import can_manage_evaluation
from padu.organizations.models import Unit

from .. import register_evidence as rev
from ..forms_planning import RegisterEvidenceForm
from .integrations import viewing_agency


@login_required
@require_GET
def architecture(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    context = rev.architecture_views(agency)
    context["can_file"] = can_manage_evaluation(request.user, agency)
    return render(request, "catalog/architecture_views.html", context)


@login_required
@require_GET
def register_export(request: HttpRequest, artefact: str, fmt: str) -> HttpResponse:
    agency = viewing_agency(request)
    if artefact not in rev.ARTEFACTS or fmt not in ("pdf", "xlsx"):
        raise Http404
    content, name, content_type = rev.render(agency, artefact, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def register_evidence(request: HttpRequest) -> HttpResponse:
    """Pick document, period, indicators and level; one click files and attaches it."""
    from padu.evaluation.models import Period

    agency = viewing_agency(request)
    if not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    periods = Period.objects.filter(agency=agency).select_related("instrument").order_by("-year")
    units = Unit.objects.filter(agency=agency).order_by("name")
    initial = {
        "artefact": request.GET.get("artefact", "inventory"),
        "period": periods.first(),
        "indicators": ", ".join(rev.default_indicator_codes(periods.first())),
        "owner_unit": units.filter(acronym__iexact="Diskominfo").first(),
    }
    form = RegisterEvidenceForm(
        request.POST or None,
        initial=initial,
        artefacts=[(k, str(v)) for k, v in rev.ARTEFACTS.items()],
        periods=periods,
        units=units,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            evidence, links = rev.attach_register_evidence(
                actor=request.user,
                agency=agency,
                owner_unit=d["owner_unit"],
                artefact=d["artefact"],
                fmt=d["fmt"],
                period=d["period"],
                indicator_codes=rev.parse_indicator_codes(d["indicators"]),
                level=d["level"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Filed in the evidence library and attached to %(count)s indicators.")
                % {"count": len(links)},
            )
            return redirect("evaluation:evidence_detail", evidence.pk)
    return render(request, "catalog/architecture_evidence.html", {"form": form})
