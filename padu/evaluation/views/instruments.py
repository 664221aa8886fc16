"""Instruments: the national ones and the agency's own variants; loading a variant file."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.http import current_agency
from padu.organizations.models import Agency

from ..choices import EvidenceKind
from ..forms_instruments import InstrumentUploadForm
from ..instrument_format import InstrumentFormatError
from ..instrument_loader import load_instrument
from ..models import Aspect, Domain, Indicator, Instrument, Level
from ..permissions import can_manage_evaluation, can_view_evaluation


def _visible_instruments(request: HttpRequest) -> tuple[Agency, QuerySet[Instrument]]:
    """The national instruments and the current agency's own; 403 for non-participants."""
    agency = current_agency(request)
    if not can_view_evaluation(request.user, agency):
        raise PermissionDenied
    return agency, Instrument.objects.filter(Q(agency__isnull=True) | Q(agency=agency))


@dataclass
class DomainGroup:
    """A domain and its aspects, or the aspects of an instrument without domains."""

    domain: Domain | None
    aspects: list[Aspect] = field(default_factory=list)


def _tree(instrument: Instrument) -> list[DomainGroup]:
    """Domains, aspects, indicators, levels and criteria in five queries."""
    levels = Level.objects.order_by("level").prefetch_related("criteria")
    indicators = Indicator.objects.order_by("number").prefetch_related(
        Prefetch("levels", queryset=levels)
    )
    aspects = (
        Aspect.objects.filter(instrument=instrument)
        .select_related("domain")
        .order_by("domain__position", "position")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
    )
    labels = dict(EvidenceKind.choices)
    groups: list[DomainGroup] = []
    for aspect in aspects:
        if not groups or groups[-1].domain != aspect.domain:
            groups.append(DomainGroup(aspect.domain))
        groups[-1].aspects.append(aspect)
        for indicator in aspect.indicators.all():
            for level in indicator.levels.all():
                level.evidence_labels = [labels.get(k, k) for k in level.evidence_kinds]  # type: ignore[attr-defined]
    return groups


@login_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    agency, instruments = _visible_instruments(request)
    instruments = (
        instruments.select_related("agency")
        .defer("document", "level_scales", "source")
        .annotate(indicator_count=Count("indicators"))
        .order_by(F("agency").asc(nulls_first=True), "code", "-version")
    )
    return render(
        request,
        "evaluation/instrument_list.html",
        {"instruments": instruments, "can_upload": can_manage_evaluation(request.user, agency)},
    )


@login_required
@require_GET
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _agency, instruments = _visible_instruments(request)
    instrument = get_object_or_404(
        instruments.select_related("agency", "superseded_by").defer("document"), pk=pk
    )
    groups = _tree(instrument)
    return render(
        request,
        "evaluation/instrument_detail.html",
        {
            "instrument": instrument,
            "groups": groups,
            "aspect_count": sum(len(g.aspects) for g in groups),
            "indicator_count": sum(len(a.indicators.all()) for g in groups for a in g.aspects),
        },
    )


@login_required
@require_GET
def instrument_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file exactly as loaded: a starting point for an agency's own variant."""
    _agency, instruments = _visible_instruments(request)
    instrument = get_object_or_404(instruments, pk=pk)
    response = HttpResponse(instrument.document, content_type="application/yaml; charset=utf-8")
    filename = f"{instrument.code}-v{instrument.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def instrument_upload(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    faults: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = load_instrument(text=form.text, agency=agency, actor=request.user)
        except InstrumentFormatError as exc:
            faults = exc.errors
        except ValidationError as exc:
            faults = exc.messages
        else:
            if result.created:
                messages.success(request, _("The instrument has been loaded."))
            elif result.replaced:
                messages.success(request, _("The instrument has been replaced by the new file."))
            else:
                messages.info(
                    request, _("This instrument file is already loaded; nothing changed.")
                )
            return redirect("evaluation:instrument_detail", pk=result.instrument.pk)
    return render(
        request,
        "evaluation/instrument_upload.html",
        {"form": form, "faults": faults},
        status=400 if request.method == "POST" else 200,
    )
